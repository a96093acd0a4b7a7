#!/usr/bin/env bash
# `npm start`: the infrastructure and every service that exists, in the foreground.
# Ctrl-C (or SIGTERM) stops the services, then the infrastructure if this script started it.
# Run through with-node.sh, so `node` is the project's Node.js.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_DIR"

infra_was_up=false
bash "$LOCAL_DIR/infra.sh" status >/dev/null 2>&1 && infra_was_up=true
bash "$LOCAL_DIR/infra.sh" up

services=()
# A service runs once it has a composition root (src/main.ts); packages still being built do not.
for main in services/*/src/main.ts; do
  [ -f "$main" ] && services+=("$(dirname "$(dirname "$main")")")
done
if [ "${#services[@]}" -gt 0 ]; then
  log "building"
  npx turbo run build --output-logs=errors-only
fi

# Actor tokens: the gateway signs, services verify. A development key pair, made once, kept
# out of git (in a cluster both come from a Secret).
keys_dir="$REPO_DIR/.local/actor-keys"
if [ ! -f "$keys_dir/private/dev.pem" ]; then
  node -e "const g = require('@edu/grpc'); g.writeActorKeys(process.argv[1], g.generateDevActorKeys('dev'))" "$keys_dir"
  log "made a development actor key pair in $keys_dir"
fi
# Identity signs its own calls to roster with a key of its own (kid `identity`), in the same directory.
if [ ! -f "$keys_dir/private/identity.pem" ]; then
  node -e "const g = require('@edu/grpc'); g.writeActorKeys(process.argv[1], g.generateDevActorKeys('identity'))" "$keys_dir"
fi
export EDU_ACTOR_PUBLIC_KEYS_DIR="$keys_dir/public" EDU_ACTOR_PRIVATE_KEY_FILE="$keys_dir/private/dev.pem" EDU_ACTOR_KEY_ID=dev
# The dev operator is a region operator from the first start (identity's bootstrap grant).
export EDU_IDENTITY_BOOTSTRAP_GRANTS="${EDU_IDENTITY_BOOTSTRAP_GRANTS:-dev-operator=regionOperator}"
export EDU_KEYCLOAK_URL="http://127.0.0.1:$KEYCLOAK_PORT"
# Identity's ESIA bridge talks to the local ESIA emulator with the emulator's test keys (dev only:
# production signs through a certified GOST signing service) and serves Keycloak's IdP `esia`.
export EDU_ESIA_URL="http://127.0.0.1:$ESIA_PORT"
export EDU_ESIA_SIGNER_KEY_FILE="$LOCAL_DIR/esia-emulator/dev-keys/edu-client-test.key.pem"
export EDU_ESIA_VERIFY_KEY_FILE="$LOCAL_DIR/esia-emulator/dev-keys/esia-emulator.pub.pem"
export EDU_ESIA_BRIDGE_CLIENT_SECRET="${EDU_ESIA_BRIDGE_CLIENT_SECRET:-dev-only-esia-bridge-secret}"
export EDU_ESIA_BRIDGE_REDIRECT_PATTERNS="http://127.0.0.1:$KEYCLOAK_PORT/realms/edu/broker/*/endpoint,http://localhost:$KEYCLOAK_PORT/realms/edu/broker/*/endpoint"
# Notifications e-mail through the local Mailpit (its messages: http://127.0.0.1:${EDU_MAILPIT_PORT:-8025}).
export EDU_SMTP_URL="${EDU_SMTP_URL:-smtp://127.0.0.1:${EDU_SMTP_PORT:-1025}}"

pids=()
stop_all() {
  trap - INT TERM
  log "stopping"
  # Ctrl-C already reached every service (same process group); a second signal would cut their
  # graceful shutdown short. Otherwise (SIGTERM to this script, a service died) send SIGTERM.
  if [ "${1:-}" != INT ]; then
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  fi
  local deadline=$(($(date +%s) + 35))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$infra_was_up" = false ]; then bash "$LOCAL_DIR/infra.sh" down; fi
  exit 0
}
trap 'stop_all INT' INT
trap 'stop_all TERM' TERM

for dir in "${services[@]}"; do
  name="$(basename "$dir")"
  # Each line of a service's JSON log is prefixed with its name; the service reads its
  # configuration from the environment, with local defaults (see its README).
  # The prefixing sed ignores Ctrl-C (which reaches the whole process group): it must outlive
  # the service so that the shutdown logs still have somewhere to go; it ends at EOF.
  # Identity signs with its own key; the gateway with the shared dev one.
  if [ "$name" = identity ]; then
    (cd "$dir" && EDU_ACTOR_PRIVATE_KEY_FILE="$keys_dir/private/identity.pem" EDU_ACTOR_KEY_ID=identity exec node dist/main.js) > >(trap "" INT TERM; exec sed -u "s/^/[$name] /") 2>&1 &
    pids+=($!)
    log "started $name (pid $!)"
    continue
  fi
  (cd "$dir" && exec node dist/main.js) > >(trap "" INT TERM; exec sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!)
  log "started $name (pid $!)"
done

# Ready when every service's /readyz answers (ops ports: see the README's port table).
for name in "${services[@]##*/}"; do
  case "$name" in gateway) ops=9464 ;; identity) ops=9465 ;; roster) ops=9466 ;; schedule) ops=9467 ;; gradebook) ops=9468 ;; diary) ops=9469 ;; notifications) ops=9470 ;; reports) ops=9471 ;; *) continue ;; esac
  deadline=$(($(date +%s) + 60))
  until probe http "http://127.0.0.1:$ops/readyz" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "$name is not ready after 60 s (see its log lines above)"; stop_all; }
    sleep 0.5
  done
done
if [ "${EDU_SEED_DEMO:-true}" = true ] && [ -f services/gateway/src/main.ts ]; then
  node "$LOCAL_DIR/seed-demo.js" || log "seeding the demo failed (see above); the platform keeps running"
fi

log "running: gateway http://127.0.0.1:8080 (OpenAPI at /api/openapi.json); log in as the demo parent through «Госуслуги» (the ESIA emulator): npm run login:esia; Kafka 127.0.0.1:$KAFKA_PORT, FerretDB 127.0.0.1:$FERRETDB_PORT, Keycloak http://127.0.0.1:$KEYCLOAK_PORT (realm edu)"
[ "${#services[@]}" -eq 0 ] && log "no services yet: the infrastructure runs until Ctrl-C"
# Wait until Ctrl-C, or until a service exits on its own (then stop everything: a half
# platform is worse than a clear failure).
while true; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { log "a service exited (pid $pid)"; stop_all; }
  done
  sleep 1
done
