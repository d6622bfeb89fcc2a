#!/usr/bin/env bash
# Training benchmark: the FULL production search (the default grid: 4 families x 8 = 32 candidates,
# stratified 5-fold CV, then the final fit, registration and gate) on 10,000 synthetic heart-disease
# rows x 13 features, through the real services, beside two baselines on the same data in the same run.
#
# usage: bash bench/training/run.sh        (from any directory; needs curl, jq, psql and a JDK 17)
# env:   ROWS (10000) SEED (42) REG_PORT (8081) TRN_PORT (8083) REPLAY_EVERY (3) SKIP_PYTHON (unset)
#        SKIP_XGB4J (unset) MVN_ARGS (-o: offline build)
#
# It builds the fast-jars if missing, starts registry-service and training-service on a fresh
# database keel_bench_training (PostgreSQL on 127.0.0.1:5432, user postgres, no password), makes a
# project, generates the dataset with POST /api/v1/datasets/synthetic, starts one training run with
# the service's default (production) search and polls it to the end. Every figure comes from the
# run's own record over REST (GET /api/v1/training-runs/{id}): wall time, candidates, folds, the
# time of each candidate's cross-validation, the final model. Then, on the same CSV (downloaded from
# the dataset's /content) and with the parameters the run recorded, for candidates 1, 4, 7, ...
# (REPLAY_EVERY=3: every family at several grid points; REPLAY_EVERY=1 replays all 32):
#   (a) bench/training/Xgb4jReplay.java: every candidate's CV with bare xgboost4j in a plain JVM,
#       same folds (Keel's own split code), seed and threads: the floor under Keel's search;
#   (b) bench/training/replay_cv.py: the same with the seeds' Python stack (Debian python3-xgboost
#       and python3-sklearn; skipped with a note when they are missing).
# Results: printed, and written to bench/results/training-<UTC timestamp>.txt (git-ignored).
set -Eeuo pipefail
# a failed step names itself instead of ending the run without a word
trap 'echo "$0: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/training"
OUT="$ROOT/bench/results"
ROWS="${ROWS:-10000}"; SEED="${SEED:-42}"
REG_PORT="${REG_PORT:-8081}"; TRN_PORT="${TRN_PORT:-8083}"
MVN_ARGS="${MVN_ARGS:--o}"; REPLAY_EVERY="${REPLAY_EVERY:-3}"
PY=/usr/bin/python3
DB=keel_bench_training
ADMIN_KEY="keel_bench$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 36)"
WORK="$(mktemp -d /tmp/keel-training-bench.XXXXXX)"
mkdir -p "$OUT"
cd "$ROOT"
for tool in curl jq psql java; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for port in "$REG_PORT" "$TRN_PORT"; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then
    echo "port $port is in use; stop what listens there or set REG_PORT / TRN_PORT" >&2; exit 1
  fi
done

# --- build, database, services ---------------------------------------------------------------------
if [ ! -f registry-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f training-service/target/quarkus-app/quarkus-run.jar ]; then
  # shellcheck disable=SC2086
  ./mvnw -B $MVN_ARGS -q package -DskipTests -pl common,registry-service,training-service -am
fi
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres
export KEEL_ADMIN_KEY="$ADMIN_KEY" KEEL_REGISTRY_URL="http://127.0.0.1:$REG_PORT"

wait_ready() { for _ in $(seq 1 240); do curl -sf "$1" >/dev/null && return 0; sleep 0.5; done; echo "not ready: $1" >&2; return 1; }
# Flyway migrates at start; started one after the other so the two never race for its lock
# The form-attribute limit: training sends the version metadata (its baseline statistics carry
# reservoir samples: about a megabyte here) as a multipart part without a file name, which the
# registry refuses with 413 beyond Vert.x's default of 2 kB (see training-service/README.md).
QUARKUS_HTTP_LIMITS_MAX_FORM_ATTRIBUTE_SIZE=64M QUARKUS_HTTP_PORT=$REG_PORT java -jar registry-service/target/quarkus-app/quarkus-run.jar > "$OUT/bench-training-registry.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$REG_PORT/q/health/ready"
# the production defaults (KEEL_TRAINING_*) are left alone on purpose: this is the search a real run makes
QUARKUS_HTTP_PORT=$TRN_PORT java -jar training-service/target/quarkus-app/quarkus-run.jar > "$OUT/bench-training-service.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$TRN_PORT/q/health/ready"

REG="http://127.0.0.1:$REG_PORT/api/v1"
TRN="http://127.0.0.1:$TRN_PORT/api/v1"
ADMIN=(-H "Authorization: Bearer $ADMIN_KEY")
curl -sf "${ADMIN[@]}" -H 'Content-Type: application/json' -d '{"name": "bench", "description": "training benchmark"}' \
  "$REG/projects" >/dev/null
KEY=$(curl -sf "${ADMIN[@]}" -H 'Content-Type: application/json' -d '{"name": "bench-writer", "role": "write"}' \
  "$REG/projects/bench/keys" | jq -r .key)
AUTH=(-H "Authorization: Bearer $KEY")

# --- the dataset and the run ----------------------------------------------------------------------
DATASET=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' \
  -d "{\"name\": \"heart-$ROWS\", \"rows\": $ROWS, \"seed\": $SEED}" "$TRN/datasets/synthetic")
DATASET_ID=$(jq -r .id <<<"$DATASET")
curl -sf "${AUTH[@]}" "$TRN/datasets/$DATASET_ID/content" -o "$WORK/data.csv"

RESULTS="$OUT/training-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# training benchmark $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "# load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  jq -r '"dataset \(.id): \(.row_count) rows x \(.column_count - 1) features + target, class balance \(.validation.class_balance | tostring)"' <<<"$DATASET"
} | tee "$RESULTS"

T0=$(date +%s.%N)
RUN_ID=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' \
  -d "{\"model_name\": \"heart-bench\", \"dataset_id\": $DATASET_ID}" "$TRN/training-runs" | jq -r .id)
while true; do
  curl -sf "${AUTH[@]}" "$TRN/training-runs/$RUN_ID" -o "$WORK/run.json"
  status=$(jq -r .status "$WORK/run.json")
  case "$status" in queued|running) ;; *) break ;; esac
  jq -r '"  \(.progress.phase) \(.progress.candidates_done)/\(.progress.candidates_total)  elapsed \((.progress.elapsed_ms // 0) / 1000 | floor) s, about \(if .progress.estimated_remaining_ms == null then "?" else (.progress.estimated_remaining_ms / 1000 | floor | tostring) end) s left"' "$WORK/run.json"
  sleep 10
done
T1=$(date +%s.%N)
[ "$status" = succeeded ] || [ "$status" = rejected ] || { echo "run $RUN_ID ended $status: $(jq -r .error "$WORK/run.json")" >&2; exit 1; }

{
  echo
  echo "## keel training-service (full default search, KEEL_TRAINING_* defaults: xgboost nthread 2, 1 worker)"
  jq -r --arg wall "$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b-a}')" '
    (.search_space.folds) as $k | (.candidates | length) as $n |
    ([.candidates[].duration_ms] | add) as $cv |
    "run \(.id): \(.status), registered v\(.registered_version) (\(.gate_result.stage))",
    "wall time (POST to finished, seen by this script)   \($wall) s",
    "run duration_ms (recorded)                          \(.duration_ms / 1000) s",
    "candidates x folds                                  \($n) x \($k) = \($n * $k) fits (+ 1 final fit)",
    "cross-validation (sum of candidate duration_ms)     \($cv / 1000) s",
    "time per candidate (\($k) fits + predictions)           \($cv / $n | round) ms",
    "time per fit                                        \($cv / $n / $k | round) ms",
    "outside the CV (load, split, final fit, register, gate) \((.duration_ms - $cv) / 1000) s",
    "per family, mean ms per candidate: \([.candidates | group_by(.family)[] | "\(.[0].family) \([.[].duration_ms] | add / length | round)"] | join(", "))",
    "chosen: #\(.best_params.candidate + 1) \(.best_params.family) \(.best_params.params | tostring), CV F1 \(.best_params.mean_f1 * 10000 | round / 10000)",
    "test: F1 \(.test_metrics.f1 * 10000 | round / 10000), ROC-AUC \(.test_metrics.roc_auc * 10000 | round / 10000), accuracy \(.test_metrics.accuracy * 10000 | round / 10000) at threshold \(.test_metrics.threshold)"
  ' "$WORK/run.json"
} | tee -a "$RESULTS"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"

# --- baselines: the same candidates, the same CSV ---------------------------------------------------
ratio_line() { # label json-line
  local cv k n; cv=$(tail -1 <<<"$2" | jq -r .cv_seconds); k=$(tail -1 <<<"$2" | jq -r .keel_cv_seconds)
  n=$(tail -1 <<<"$2" | jq -r .candidates)
  printf "same %s candidates: %s %s s, keel %s s; keel / %s = %.2f  (load average now: %s)\n" "$n" "$1" "$cv" "$k" "$1" \
    "$(awk -v k="$k" -v c="$cv" 'BEGIN{print k/c}')" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
if [ -z "${SKIP_XGB4J:-}" ]; then
  {
    echo
    echo "## bare xgboost4j in one JVM (bench/training/Xgb4jReplay.java): same folds, params, seed, nthread 2"
  } | tee -a "$RESULTS"
  CP="training-service/target/quarkus-app/lib/main/*:training-service/target/quarkus-app/app/*"
  X4J=$(java -cp "$CP" "$HERE/Xgb4jReplay.java" "$WORK/run.json" "$WORK/data.csv" 2 "$REPLAY_EVERY" 2>"$WORK/xgb4j.err" | tee -a "$RESULTS") \
    || { cat "$WORK/xgb4j.err" >&2; exit 1; }
  ratio_line "bare xgboost4j" "$X4J" | tee -a "$RESULTS"
fi
if [ -z "${SKIP_PYTHON:-}" ]; then
  echo | tee -a "$RESULTS"
  if [ -x "$PY" ] && $PY -c 'import xgboost, sklearn, pandas' 2>/dev/null; then
    echo "## the seeds' Python stack (bench/training/replay_cv.py): xgboost $($PY -c 'import xgboost; print(xgboost.__version__)'), scikit-learn folds, nthread 2" | tee -a "$RESULTS"
    PYOUT=$($PY "$HERE/replay_cv.py" --run "$WORK/run.json" --csv "$WORK/data.csv" --threads 2 --every "$REPLAY_EVERY" | tee -a "$RESULTS")
    ratio_line "python xgboost" "$PYOUT" | tee -a "$RESULTS"
  else
    echo "## python reference skipped: apt-get install -y python3-xgboost python3-sklearn python3-pandas" | tee -a "$RESULTS"
  fi
fi
echo "results: ${RESULTS#"$ROOT"/}"
