#!/usr/bin/env bash
# Stops what up.sh started: the five services (SIGTERM, so Quarkus shuts down gracefully; SIGKILL
# after KEEL_STOP_TIMEOUT seconds), then the embedded PostgreSQL if up.sh started one. A local or
# KEEL_DB_URL database is never touched.
set -euo pipefail

# shellcheck source=lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

STOP_TIMEOUT=${KEEL_STOP_TIMEOUT:-20}
stopped_any=0

# Services first, all at once (each one's graceful shutdown runs in parallel), while their
# database is still there to close connections against.
svc_pids=""
for svc in $SERVICES; do
  if pid=$(service_pid "$svc"); then
    log "Stopping $svc (pid $pid)"
    svc_pids="$svc_pids $pid"
  fi
done
if [ -n "$svc_pids" ]; then
  # shellcheck disable=SC2086 # a list of pids
  stop_pids "$STOP_TIMEOUT" $svc_pids
  stopped_any=1
fi
for svc in $SERVICES; do rm -f "$RUN/$svc.pid"; done

# The embedded PostgreSQL: its JVM stops the postmaster (pg_ctl stop -m fast) on SIGTERM. pg_ctl
# itself waits up to 5 s, so give the JVM a bit longer than the services.
if pid=$(embedded_pid); then
  log "Stopping the embedded PostgreSQL (pid $pid)"
  stop_pids $((STOP_TIMEOUT + 10)) "$pid"
  stopped_any=1
fi
rm -f "$RUN/embedded-postgres.pid"

# If the helper JVM was SIGKILLed (by us above, or by someone else earlier), its postmaster lives
# on as an orphan holding the port and the data directory; stop it via its own pid file.
# SIGINT = PostgreSQL's "fast" shutdown (rolls back open transactions, disconnects clients).
if [ -f "$RUN/embedded-postgres.datadir" ]; then
  datadir=$(cat "$RUN/embedded-postgres.datadir")
  pm_pid=$(head -n 1 "$datadir/postmaster.pid" 2>/dev/null || true)
  case "$pm_pid" in
    ''|*[!0-9]*) ;;
    *)
      # A stale pid file (after a crash) may name a reused pid: only signal a postgres process.
      if kill -0 "$pm_pid" 2>/dev/null \
         && case "$(ps -ww -p "$pm_pid" -o args= 2>/dev/null)" in *postgres*) true ;; *) false ;; esac; then
        log "Stopping the orphaned embedded postmaster (pid $pm_pid)"
        kill -INT "$pm_pid" 2>/dev/null || true
        deadline=$(( $(now_ms) + STOP_TIMEOUT * 1000 ))
        while kill -0 "$pm_pid" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.2; done
        if kill -0 "$pm_pid" 2>/dev/null; then
          warn "postmaster $pm_pid did not stop; sending SIGQUIT (immediate shutdown)"
          kill -QUIT "$pm_pid" 2>/dev/null || true
        fi
        stopped_any=1
      fi ;;
  esac
  rm -f "$RUN/embedded-postgres.datadir"
fi

rm -f "$RUN/db.env"
if [ "$stopped_any" = 1 ]; then log "Keel stopped."; else log "Nothing was running."; fi
