#!/usr/bin/env bash
# Local infrastructure on loopback: Kafka (KRaft), FerretDB (SQLite or PostgreSQL), Keycloak,
# Mailpit (SMTP server for tests, with an HTTP API to read what arrived), the ESIA emulator
# (esia-emulator/server.js: a dev stand-in for Госуслуги's OAuth protocol, run with the project's Node).
#   infra.sh up [component...]      download once, start, wait until each really answers
#   infra.sh down [component...]    stop exactly what this script started (pid files)
#   infra.sh status                 component, version, port, health
#   infra.sh reset                  down, then delete all data directories
# Components: kafka ferretdb keycloak mailpit esia (postgres starts with ferretdb when
# EDU_STORE_BACKEND=postgresql). Versions: versions.env. Cache: EDU_CACHE_DIR
# (Mailpit: <cache>/mailpit/<v>/mailpit, its database <cache>/data/mailpit/).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL=(kafka ferretdb keycloak mailpit esia)

# ---------------------------------------------------------------- Kafka
kafka_home() { echo "$EDU_CACHE_DIR/kafka/$KAFKA_VERSION"; }

kafka_install() {
  local home
  home="$(kafka_home)"
  [ -f "$home/.complete" ] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Kafka from Maven Central"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  rm -rf "$home"
  mkdir -p "$home/libs"
  # -C: fail on a checksum mismatch instead of warning.
  mvn -q -B -C -Dmaven.repo.local="$EDU_CACHE_DIR/m2" -f "$LOCAL_DIR/kafka/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$KAFKA_LOG4J_VERSION" \
    -Dslf4j.version="$KAFKA_SLF4J_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$home/libs" >&2
  touch "$home/.complete"
}

kafka_start() {
  local home data java cp
  home="$(kafka_home)"
  data="$DATA_DIR/kafka"
  java="$(java_bin)"
  cp="$home/libs/*"
  mkdir -p "$data"
  sed -e "s|@DATA@|$data/log|g" -e "s|@PORT@|$KAFKA_PORT|g" \
    -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    "$LOCAL_DIR/kafka/server.properties" >"$data/server.properties"
  local jvm=(-Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$LOCAL_DIR/kafka/log4j2.properties")
  if [ ! -f "$data/log/meta.properties" ]; then
    local cluster_id
    cluster_id="$("$java" "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool random-uuid | tail -n 1)"
    log "formatting Kafka storage (cluster id $cluster_id)"
    "$java" "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool format \
      --config "$data/server.properties" --cluster-id "$cluster_id" >>"$(log_file kafka)" 2>&1
  fi
  spawn kafka "$java" "${jvm[@]}" -cp "$cp" kafka.Kafka "$data/server.properties"
}

kafka_stale() { false; }
kafka_health() { probe kafka "127.0.0.1:$KAFKA_PORT"; }
kafka_wait() { wait_until kafka 120 kafka_health; }
kafka_stop() { stop_pid kafka 60; }
kafka_port() { echo "$KAFKA_PORT"; }
kafka_version() { echo "$KAFKA_VERSION"; }

# ---------------------------------------------------------------- PostgreSQL (FerretDB backend)
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user with its
# data outside root's home (which that user cannot enter).
postgres_bin() { echo "/usr/lib/postgresql/$POSTGRES_MAJOR/bin"; }
postgres_dir() {
  if [ -n "${EDU_POSTGRES_DIR:-}" ]; then echo "$EDU_POSTGRES_DIR"; return; fi
  if [ "$(id -u)" = 0 ]; then
    # One directory per cache, so that two stacks (say, a cold CI run beside a warm one) never share.
    echo "/var/lib/edu-platform/postgres-$(echo "$EDU_CACHE_DIR" | sha256sum | cut -c1-8)"
  else
    echo "$DATA_DIR/postgres"
  fi
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

postgres_install() {
  [ -x "$(postgres_bin)/postgres" ] && return 0
  die "PostgreSQL $POSTGRES_MAJOR is not installed: apt-get install -y postgresql (the CI script does this)"
}

postgres_start() {
  local dir bin
  dir="$(postgres_dir)"
  bin="$(postgres_bin)"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    # Trust on loopback only: a development database with no secrets.
    as_pg "$bin/initdb" -D "$dir/data" -U edu --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
  fi
  # 9>&-: the postmaster outlives this script and must not inherit its lock.
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $POSTGRES_PORT -c listen_addresses=127.0.0.1 -k $dir" start >&2 9>&-
  head -n 1 "$dir/data/postmaster.pid" >"$(pid_file postgres)"
  "$bin/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U edu -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1 ||
    "$bin/createdb" -h 127.0.0.1 -p "$POSTGRES_PORT" -U edu ferretdb
}

postgres_stale() { false; }
postgres_health() { "$(postgres_bin)/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT"; }
postgres_wait() { wait_until postgres 60 postgres_health; }
postgres_stop() {
  is_running postgres || { rm -f "$(pid_file postgres)"; return 0; }
  as_pg "$(postgres_bin)/pg_ctl" -D "$(postgres_dir)/data" -m fast -w stop >&2 || stop_pid postgres 30
  rm -f "$(pid_file postgres)"
}
postgres_port() { echo "$POSTGRES_PORT"; }
postgres_version() { echo "$POSTGRES_MAJOR"; }

# ---------------------------------------------------------------- FerretDB
ferretdb_home() { echo "$EDU_CACHE_DIR/ferretdb/$FERRETDB_VERSION"; }

# `go install …@version` fails here: the module proxy refuses the module's version list, which
# go install reads for deprecation notices. So: download the pinned module (checked against the
# Go checksum database), copy it, write the version file its release build would generate, build.
ferretdb_install() {
  local home src mod
  home="$(ferretdb_home)"
  [ -x "$home/ferretdb" ] && return 0
  command -v go >/dev/null || die "Go is needed to build FerretDB $FERRETDB_VERSION"
  log "building FerretDB $FERRETDB_VERSION from its Go module (about 2-3 minutes, once)"
  mod="$(cd "$LOCAL_DIR" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$mod" ] || die "go mod download of FerretDB $FERRETDB_VERSION failed"
  src="$home/src"
  rm -rf "$src"
  mkdir -p "$home"
  cp -r "$mod" "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  echo "edu-platform-local" >"$src/build/version/package.txt"
  (cd "$src" && go build -trimpath -o "$home/ferretdb.tmp" ./cmd/ferretdb) >&2
  mv "$home/ferretdb.tmp" "$home/ferretdb"
  rm -rf "$src"
}

ferretdb_start() {
  local args=(--listen-addr="127.0.0.1:$FERRETDB_PORT" --debug-addr="127.0.0.1:$FERRETDB_DEBUG_PORT"
    --telemetry=disable --log-level=warn --state-dir="$DATA_DIR/ferretdb-state")
  mkdir -p "$DATA_DIR/ferretdb-state"
  case "$EDU_STORE_BACKEND" in
    sqlite)
      mkdir -p "$DATA_DIR/ferretdb-sqlite"
      args+=(--handler=sqlite --sqlite-url="file:$DATA_DIR/ferretdb-sqlite/")
      ;;
    postgresql)
      args+=(--handler=postgresql --postgresql-url="postgres://edu@127.0.0.1:$POSTGRES_PORT/ferretdb")
      ;;
    *) die "EDU_STORE_BACKEND must be sqlite or postgresql, got '$EDU_STORE_BACKEND'" ;;
  esac
  spawn ferretdb "$(ferretdb_home)/ferretdb" "${args[@]}"
  echo "$EDU_STORE_BACKEND" >"$RUN_DIR/ferretdb.backend"
}

# Running on the other backend than EDU_STORE_BACKEND asks for.
ferretdb_stale() { [ "$(cat "$RUN_DIR/ferretdb.backend" 2>/dev/null)" != "$EDU_STORE_BACKEND" ]; }
ferretdb_health() { probe mongo "127.0.0.1:$FERRETDB_PORT"; }
ferretdb_wait() { wait_until ferretdb 60 ferretdb_health; }
ferretdb_stop() { stop_pid ferretdb 20; }
ferretdb_port() { echo "$FERRETDB_PORT"; }
ferretdb_version() { echo "$FERRETDB_VERSION ($(cat "$RUN_DIR/ferretdb.backend" 2>/dev/null || echo "$EDU_STORE_BACKEND"))"; }

# ---------------------------------------------------------------- Keycloak
keycloak_home() { echo "$EDU_CACHE_DIR/keycloak/$KEYCLOAK_VERSION"; }
KEYCLOAK_REALM_FILE="$LOCAL_DIR/keycloak/realm-edu.json"

keycloak_install() {
  local home java
  home="$(keycloak_home)"
  java="$(java_bin)"
  if [ ! -f "$home/.built" ]; then
    command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Keycloak from Maven Central"
    log "fetching Keycloak $KEYCLOAK_VERSION from Maven Central"
    local tmp
    tmp="$(mktemp -d)"
    mvn -q -B -C -Dmaven.repo.local="$EDU_CACHE_DIR/m2" dependency:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -DoutputDirectory="$tmp" >&2
    rm -rf "$home"
    mkdir -p "$(dirname "$home")"
    unzip -q "$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$tmp"
    mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$home"
    rm -rf "$tmp"
    # Build-time options are baked in once, so every start is `start --optimized` (seconds,
    # not the minute that start-dev spends re-augmenting).
    log "building Keycloak (once)"
    JAVA_HOME="$(dirname "$(dirname "$java")")" "$home/bin/kc.sh" build \
      --db=dev-file --health-enabled=true --metrics-enabled=true >&2
    touch "$home/.built"
  fi
}

keycloak_start() {
  local home data java sum
  home="$(keycloak_home)"
  data="$DATA_DIR/keycloak"
  java="$(java_bin)"
  mkdir -p "$data/import"
  # Keycloak keeps its dev-file database under <home>/data; point that at the data directory.
  # Also re-point a link to another one (a copied cache keeps the link of the original's data,
  # and two Keycloaks on one H2 file lock each other out and share one realm import).
  if [ "$(readlink "$home/data")" != "$data" ]; then rm -rf "$home/data"; ln -s "$data" "$home/data"; fi
  # The realm in the repository is the truth: when it changed since the last import, start
  # from an empty database so that the import applies it (only dev users and sessions are lost).
  sum="$(sha256sum "$KEYCLOAK_REALM_FILE" | cut -d' ' -f1)"
  if [ "$(cat "$data/realm.sha256" 2>/dev/null)" != "$sum" ]; then
    rm -rf "$data/h2"
    cp "$KEYCLOAK_REALM_FILE" "$data/import/realm-edu.json"
    echo "$sum" >"$data/realm.sha256"
  fi
  JAVA_HOME="$(dirname "$(dirname "$java")")" \
    JAVA_OPTS_KC_HEAP="-Xms128m -Xmx768m" \
    KC_BOOTSTRAP_ADMIN_USERNAME="${EDU_KEYCLOAK_ADMIN:-admin}" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="${EDU_KEYCLOAK_ADMIN_PASSWORD:-dev-admin-password}" \
    spawn keycloak "$home/bin/kc.sh" start --optimized --import-realm \
    --http-enabled=true --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" \
    --hostname-strict=false --cache=local --log-level=warn,org.keycloak.services:info
}

# The realm file changed since the running Keycloak imported it.
keycloak_stale() { [ "$(cat "$DATA_DIR/keycloak/realm.sha256" 2>/dev/null)" != "$(sha256sum "$KEYCLOAK_REALM_FILE" | cut -d' ' -f1)" ]; }
keycloak_health() {
  probe http "http://127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT/health/ready" &&
    probe http "http://127.0.0.1:$KEYCLOAK_PORT/realms/edu/.well-known/openid-configuration"
}
keycloak_wait() { wait_until keycloak 300 keycloak_health; }
keycloak_stop() { stop_pid keycloak 60; }
keycloak_port() { echo "$KEYCLOAK_PORT"; }
keycloak_version() { echo "$KEYCLOAK_VERSION"; }

# ---------------------------------------------------------------- Mailpit
# SMTP on EDU_SMTP_PORT, its HTTP API (and UI, when built with one) on EDU_MAILPIT_PORT.
SMTP_PORT="${EDU_SMTP_PORT:-1025}"
MAILPIT_PORT="${EDU_MAILPIT_PORT:-8025}"
mailpit_home() { echo "$EDU_CACHE_DIR/mailpit/$MAILPIT_VERSION"; }

# Like FerretDB: download the pinned module (its hash checked against versions.env, which holds
# the checksum database's), build it; its go.sum pins the dependencies `go build` downloads.
# The module carries no built web UI, which only the browser UI needs, not SMTP or the API.
mailpit_install() {
  local home json mod sum t
  home="$(mailpit_home)"
  [ -x "$home/mailpit" ] && return 0
  command -v go >/dev/null || die "Go is needed to build Mailpit $MAILPIT_VERSION"
  log "building Mailpit $MAILPIT_VERSION from its Go module (about 2 minutes, once)"
  t="$(now_ms)"
  json="$(cd "$LOCAL_DIR" && GOFLAGS=-mod=mod go mod download -json "github.com/axllent/mailpit@$MAILPIT_VERSION")" ||
    die "go mod download of Mailpit $MAILPIT_VERSION failed: $json"
  mod="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")"
  sum="$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' <<<"$json")"
  [ -d "$mod" ] || die "go mod download of Mailpit $MAILPIT_VERSION gave no module directory"
  [ "$sum" = "$MAILPIT_MODULE_SUM" ] ||
    die "Mailpit $MAILPIT_VERSION has hash $sum, versions.env pins $MAILPIT_MODULE_SUM"
  mkdir -p "$home"
  # Built in place (the module cache is read-only; -mod=readonly writes nothing there), without
  # cgo like the release builds; niced: the build takes both cores for a minute or two.
  (cd "$mod" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" nice -n 19 go build -trimpath \
    -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" \
    -o "$home/mailpit.tmp" .) >&2
  mv "$home/mailpit.tmp" "$home/mailpit"
  log "Mailpit built in $(elapsed "$t")s"
}

mailpit_start() {
  mkdir -p "$DATA_DIR/mailpit"
  # No version check (it asks GitHub), no reverse DNS; any SMTP login or none, over plain SMTP.
  spawn mailpit "$(mailpit_home)/mailpit" --smtp="127.0.0.1:$SMTP_PORT" --listen="127.0.0.1:$MAILPIT_PORT" \
    --database="$DATA_DIR/mailpit/mailpit.db" --max=10000 --disable-version-check --smtp-disable-rdns \
    --smtp-auth-accept-any --smtp-auth-allow-insecure --quiet
}

# The SMTP greeting (220) on the SMTP port, read with bash's /dev/tcp.
smtp_greets() {
  (
    local line
    exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT" || exit 1
    IFS= read -r -t 3 line <&3 || exit 1
    printf 'QUIT\r\n' >&3
    [[ "$line" == 220* ]]
  ) 2>/dev/null
}

mailpit_stale() { false; }
mailpit_health() { probe http "http://127.0.0.1:$MAILPIT_PORT/api/v1/info" && smtp_greets; }
mailpit_wait() { wait_until mailpit 60 mailpit_health; }
mailpit_stop() { stop_pid mailpit 20; }
mailpit_port() { echo "$SMTP_PORT"; }
mailpit_version() { echo "$MAILPIT_VERSION (API :$MAILPIT_PORT)"; }

# ---------------------------------------------------------------- ESIA emulator
# A Node script with no dependencies (deploy/local/esia-emulator/server.js), on loopback at
# EDU_ESIA_PORT; state (codes, refresh tokens) in memory only, so nothing to install or keep.
ESIA_DIR="$LOCAL_DIR/esia-emulator"

esia_install() { [ -f "$ESIA_DIR/server.js" ] || die "missing $ESIA_DIR/server.js"; }
esia_start() {
  EDU_ESIA_PORT="$ESIA_PORT" EDU_ESIA_HOST=127.0.0.1 spawn esia "$(ensure_node)/node" "$ESIA_DIR/server.js"
  # What it was started from: a changed server.js or fixtures.json restarts it at the next `up`.
  esia_fingerprint >"$RUN_DIR/esia.sha256"
}
esia_fingerprint() { cat "$ESIA_DIR/server.js" "$ESIA_DIR/fixtures.json" "$ESIA_DIR"/dev-keys/*.pem | sha256sum | cut -d' ' -f1; }
esia_stale() { [ "$(cat "$RUN_DIR/esia.sha256" 2>/dev/null)" != "$(esia_fingerprint)" ]; }
esia_health() { probe http "http://127.0.0.1:$ESIA_PORT/emulator/health"; }
esia_wait() { wait_until esia 30 esia_health; }
esia_stop() { stop_pid esia 10; }
esia_port() { echo "$ESIA_PORT"; }
esia_version() { echo "node $NODE_VERSION"; }

# ---------------------------------------------------------------- commands
expand() {
  # ferretdb over PostgreSQL needs postgres first.
  local c
  for c in "$@"; do
    case "$c" in
      kafka | keycloak | mailpit | esia | postgres) echo "$c" ;;
      ferretdb)
        [ "$EDU_STORE_BACKEND" = postgresql ] && echo postgres
        echo ferretdb
        ;;
      *) die "unknown component '$c' (kafka, ferretdb, keycloak, mailpit, esia, postgres)" ;;
    esac
  done
}

cmd_up() {
  local t0 c started=()
  t0="$(now_ms)"
  ensure_node >/dev/null
  mapfile -t comps < <(expand "${@:-${ALL[@]}}")
  for c in "${comps[@]}"; do
    if is_running "$c" && "${c}_health" >/dev/null 2>&1; then
      "${c}_stale" || continue
      log "$c runs with an outdated configuration: restarting it"
    fi
    local t
    t="$(now_ms)"
    "${c}_install"
    is_running "$c" && "${c}_stop"
    "${c}_start"
    # PostgreSQL must answer before FerretDB starts; the rest start in parallel and are awaited below.
    [ "$c" = postgres ] && postgres_wait
    started+=("$c:$t")
  done
  local entry
  for entry in "${started[@]}"; do
    c="${entry%%:*}"
    "${c}_wait"
    log "$c $("${c}_version") answers on 127.0.0.1:$("${c}_port") ($(elapsed "${entry#*:}")s)"
  done
  [ "${#started[@]}" -eq 0 ] && log "already running"
  log "up in $(elapsed "$t0")s"
}

cmd_down() {
  local c comps
  mapfile -t comps < <(expand "${@:-${ALL[@]}}")
  # Stop in reverse order (FerretDB before its PostgreSQL).
  for ((i = ${#comps[@]} - 1; i >= 0; i--)); do
    c="${comps[$i]}"
    if is_running "$c"; then
      "${c}_stop"
      log "$c stopped"
    fi
    rm -f "$(pid_file "$c")"
  done
  # PostgreSQL is stopped with ferretdb whatever backend is configured now.
  if [ $# -eq 0 ] && is_running postgres; then postgres_stop; log "postgres stopped"; fi
}

cmd_status() {
  local c state rc=0
  printf '%-10s %-22s %-6s %s\n' COMPONENT VERSION PORT STATE
  for c in kafka ferretdb keycloak mailpit esia postgres; do
    if is_running "$c"; then
      if "${c}_health" >/dev/null 2>&1; then state="healthy (pid $(cat "$(pid_file "$c")"))"; else state="running, not answering"; rc=1; fi
    else
      [ "$c" = postgres ] && [ "$EDU_STORE_BACKEND" != postgresql ] && continue
      state="stopped"
      rc=1
    fi
    printf '%-10s %-22s %-6s %s\n' "$c" "$("${c}_version")" "$("${c}_port")" "$state"
  done
  return $rc
}

cmd_reset() {
  cmd_down
  log "deleting data in $DATA_DIR and $(postgres_dir)"
  rm -rf "$DATA_DIR" "$(postgres_dir)"
}

command="${1:-status}"
shift || true
# One changing infra.sh at a time: parallel test runners all call `up`.
if [ "$command" != status ]; then
  exec 9>"$RUN_DIR/infra.lock"
  flock 9
fi
case "$command" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  *) die "usage: infra.sh up|down|status|reset [kafka|ferretdb|keycloak|mailpit|esia|postgres...]" ;;
esac
