#!/usr/bin/env bash
# Runs a command with the project's Node.js (versions.env) first on PATH, fetching it once.
# Every root npm script goes through this, so build, test and start never use the machine's Node.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PATH="$(ensure_node):$PATH"
export PATH
exec "$@"
