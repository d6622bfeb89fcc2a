#!/usr/bin/env bash
# Checks that readiness follows the database: with the suite up on the local PostgreSQL cluster,
#   all /q/health/ready UP -> stop PostgreSQL -> all DOWN (HTTP 503) -> start it -> all UP again,
# without restarting any service (same pids). inference-service is the exception by design: it stays
# ready through a database outage while it has models to serve (the prediction log spills to disk),
# so with models loaded it must stay UP, and only with none (the registry, which needs the database,
# cannot be reached) go DOWN. PostgreSQL is restarted on any exit (trap), and the
# services are stopped again at the end if this script was the one that started them.
#
# Needs the rights to stop/start the cluster (root, or the postgres user). Defaults fit Debian's
# postgresql-common; override with KEEL_PG_STOP_CMD / KEEL_PG_START_CMD elsewhere.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

PG_CLUSTER=${KEEL_PG_CLUSTER:-15 main}
PG_STOP_CMD=${KEEL_PG_STOP_CMD:-pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER stop}
PG_START_CMD=${KEEL_PG_START_CMD:-pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER start}
DOWN_TIMEOUT=${KEEL_CHECK_DOWN_TIMEOUT:-30}   # seconds for every service to report DOWN
UP_TIMEOUT=${KEEL_CHECK_UP_TIMEOUT:-60}       # seconds for every service to report UP again

pg_stopped_by_us=0
services_started_by_us=0

pg_up() {
  if command -v pg_isready >/dev/null; then pg_isready -q -h 127.0.0.1 -p 5432 -t 2; else port_open 5432; fi
}

cleanup() {
  local rc=$?
  # Whatever happened, leave PostgreSQL running.
  if [ "$pg_stopped_by_us" = 1 ] && ! pg_up; then
    log "Restoring PostgreSQL: $PG_START_CMD"
    $PG_START_CMD || warn "could not start PostgreSQL again; start it by hand: $PG_START_CMD"
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  if [ "$services_started_by_us" = 1 ]; then
    "$HERE/down.sh" || true
  fi
  if [ "$rc" = 0 ]; then log "PASS"; else log "FAIL (exit $rc)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # run the EXIT trap on Ctrl-C / kill as well

pg_up || die "no PostgreSQL answers on 127.0.0.1:5432; this check needs the local cluster"

# The services must use the local cluster, or stopping it proves nothing.
any_running=0
for svc in $SERVICES; do
  if service_pid "$svc" >/dev/null; then any_running=1; fi
done
if [ "$any_running" = 1 ]; then
  mode=$(sed -n 's/^KEEL_RUN_DB_MODE=//p' "$RUN/db.env" 2>/dev/null || true)
  [ "$mode" = local ] || die "the running services use database mode '${mode:-unknown}', not the local cluster; run down.sh first"
else
  services_started_by_us=1
fi
KEEL_DB=local "$HERE/up.sh"

pids_before=""
for svc in $SERVICES; do pids_before="$pids_before $(service_pid "$svc")"; done

# Polls every service until each one's /q/health/ready answers the wanted HTTP status; prints the
# seconds each took. Fails if one does not within the timeout, or if a service process is gone.
await_all() {
  local want=$1 timeout=$2 t0 svc pending line expected
  t0=$(now_ms)
  local done_list=" "
  while :; do
    pending=""
    for svc in $SERVICES; do
      case "$done_list" in *" $svc "*) continue ;; esac
      service_pid "$svc" >/dev/null || die "$svc is no longer running"
      expected=$want
      [ "$svc" = inference-service ] && expected=${INFERENCE_WANT:-$want}
      if [ "$(http_status "$(ready_url "$svc")")" = "$expected" ]; then
        done_list="$done_list$svc "
        line=$(printf '  %-18s HTTP %s after %s s' "$svc" "$expected" "$(fmt_s $(( $(now_ms) - t0 )))")
        log "$line"
      else
        pending="$pending $svc"
      fi
    done
    [ -n "$pending" ] || return 0
    if [ $(( $(now_ms) - t0 )) -ge $((timeout * 1000)) ]; then
      for svc in $pending; do
        log "  $svc: $(curl -s --max-time 2 "$(ready_url "$svc")" | tr -s ' \n' ' ' || true)"
      done
      die "not HTTP $want within ${timeout}s:$pending"
    fi
    sleep 0.25
  done
}

log "1/3 all services ready (HTTP 200)?"
await_all 200 10

models=$(curl -s --max-time 2 "$(ready_url inference-service)" | grep -o '"models": *[0-9]*' | grep -o '[0-9]*$' || echo 0)
INFERENCE_WANT=503
[ "${models:-0}" -gt 0 ] && INFERENCE_WANT=200
log "2/3 stopping PostgreSQL ($PG_STOP_CMD); expecting HTTP 503 everywhere, inference-service $INFERENCE_WANT (serving ${models:-0} model(s))"
pg_stopped_by_us=1
$PG_STOP_CMD
sleep 3   # inference-service's registry poll (2 s) must have met the outage before its readiness means anything
await_all 503 "$DOWN_TIMEOUT"
INFERENCE_WANT=200

log "3/3 starting PostgreSQL ($PG_START_CMD); expecting HTTP 200 everywhere, without restarts"
$PG_START_CMD
await_all 200 "$UP_TIMEOUT"

pids_after=""
for svc in $SERVICES; do pids_after="$pids_after $(service_pid "$svc")"; done
[ "$pids_before" = "$pids_after" ] || die "service pids changed ($pids_before ->$pids_after): something restarted"
log "Same pids as before:$pids_after"
