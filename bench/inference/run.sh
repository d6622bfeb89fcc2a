#!/usr/bin/env bash
# Inference HTTP benchmark: Keel beside its floor and the seeds' Python stack, in one run.
#
# usage: bash bench/inference/run.sh          (from the repository root; needs wrk, psql, and the
#        Debian packages listed in ../shared/bench-ref/README.md for the Python reference)
# env:   DURATION (15s) CONNS (32) THREADS (2) WARMUP (10s) SKIP_PYTHON (unset)
#        BENCH_DB (unset: a fresh database keel_bench is made; set: that existing database's public
#        schema is emptied instead, for a machine where only that database is yours)
#        REG_PORT (18081) INF_PORT (18080) PY_PORT (18765), so runs beside each other do not collide
#        BENCH_REF (../shared/bench-ref) the Python reference folder
#        JFR (unset; a file name: a flight recording of inference-service over the Keel cases, for profiling)
#        INF_JAVA_OPTS (-Xmx1g) the inference JVM's options, to compare collectors or heap sizes
#        CASES (all) a space-separated subset of: noop predict paced v2 batch
#        PACE_MS (2) the wait between one connection's requests in the paced predict case
#        ROUNDS (3) how many times the floor and single-row predict are measured, alternately; the
#               summary takes each one's median (a shared machine's speed drifts within minutes)
#
# It builds the fast-jars if missing, starts registry-service and inference-service on a fresh
# database keel_bench, registers the bench-ref model (the very model.json the Python reference
# serves) as production, and measures with wrk:
#   (a) POST /api/v1/noop            the floor: same service, auth, JSON parsing, no model, no log
#   (b) POST /api/v1/predict         one row, prediction log on; flat out, then at a steady pace
#   (c) POST /v2/models/heart/infer  one row over the Open Inference Protocol
#   (d) POST /api/v1/predict/batch   100 rows
#   (e) the Python reference (pyserve.py) in seed and lean modes, single row and 100-row batch
# then prints requests/s, rows/s, p50/p90/p99/p99.9 and the ratios the goals are stated in.
set -Eeuo pipefail
# a failed step names itself instead of ending the run without a word
trap 'echo "$0: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/inference"
REF_SRC="${BENCH_REF:-$ROOT/../shared/bench-ref}"
OUT="$ROOT/bench/results"
# a private copy of the reference (its folder may be read-only) and of every generated file
WORK="$(mktemp -d /tmp/keel-bench.XXXXXX)"
REF="$WORK/ref"
cp -r "$REF_SRC" "$REF" && chmod -R u+w "$REF"
DURATION="${DURATION:-15s}"; CONNS="${CONNS:-32}"; THREADS="${THREADS:-2}"; WARMUP="${WARMUP:-10s}"
PY=/usr/bin/python3
REG_PORT="${REG_PORT:-18081}"; INF_PORT="${INF_PORT:-18080}"; PY_PORT="${PY_PORT:-18765}"
ADMIN_KEY="keel_bench$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 36)"
DB="${BENCH_DB:-keel_bench}"
mkdir -p "$OUT"
cd "$ROOT"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# --- build and data --------------------------------------------------------------------------
if [ ! -f registry-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f inference-service/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -DskipTests -pl common,registry-service,inference-service package
fi
(cd "$REF" && $PY make_data.py --rows 10000 --seed 42 --out "$WORK/heart_synth.csv")
(cd "$REF" && $PY train.py --data "$WORK/heart_synth.csv" --out "$WORK/model.json")
[ -f "$REF/batch_body.json" ] || (cd "$REF" && $PY make_batch_body.py "$WORK/heart_synth.csv" 100)

if [ -n "${BENCH_DB:-}" ]; then
  psql -h 127.0.0.1 -U postgres -d "$DB" -q -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public"
else
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
fi
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres
export KEEL_ADMIN_KEY="$ADMIN_KEY" KEEL_REGISTRY_URL="http://127.0.0.1:$REG_PORT"

wait_ready() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null && return 0; sleep 0.5; done; echo "not ready: $1" >&2; return 1; }

java -Dquarkus.http.port=$REG_PORT -jar registry-service/target/quarkus-app/quarkus-run.jar > "$OUT/bench-registry.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$REG_PORT/q/health/ready"
KEEL_INFERENCE_NOOP_ENABLED=true KEEL_INFERENCE_RATE_LIMIT_ENABLED=false KEEL_PREDICTIONS_SPILL_DIR="$WORK/spill" \
  java ${INF_JAVA_OPTS:--Xmx1g} ${JFR:+-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true} -Dquarkus.http.port=$INF_PORT -jar inference-service/target/quarkus-app/quarkus-run.jar > "$OUT/bench-inference.log" 2>&1 &
INF_PID=$!; pids+=($INF_PID)
wait_ready "http://127.0.0.1:$INF_PORT/q/health/ready"

# --- register the reference model as production ------------------------------------------------
REG="http://127.0.0.1:$REG_PORT/api/v1"
AUTH=(-H "Authorization: Bearer $ADMIN_KEY")
curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d '{"name":"bench","description":"benchmark"}' "$REG/projects" >/dev/null
KEY=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d '{"name":"bench-client","role":"read"}' \
  "$REG/projects/bench/keys" | $PY -c 'import json,sys; print(json.load(sys.stdin)["key"])')
curl -sf "${AUTH[@]}" -F "artifact=@$WORK/model.json;type=application/json" \
  -F 'metadata={"algorithm":"gbtree","metrics":{"f1":0.9,"accuracy":0.9}};type=application/json' \
  "$REG/models/heart/versions?project=bench" >/dev/null
curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d '{"stage":"production","reason":"benchmark"}' \
  "$REG/models/heart/versions/1/stage?project=bench" >/dev/null
loaded=""
for _ in $(seq 1 60); do
  curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:$INF_PORT/api/v1/models/heart" >/dev/null && { loaded=1; break; }; sleep 0.5
done
[ -n "$loaded" ] || { echo "inference never loaded the production model; see $OUT/bench-inference.log" >&2; exit 1; }

# --- wrk bodies -----------------------------------------------------------------------------------
ROW='{"age": 55, "sex": 1, "cp": 3, "trestbps": 140, "chol": 250, "fbs": 0, "restecg": 1, "thalach": 150, "exang": 0, "oldpeak": 1.5, "slope": 2, "ca": 0, "thal": 2}'
lua() { # file body
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.body = [==[$2]==]
-- finer percentiles than --latency prints, parsed into the results (p90, p99.9)
function done(summary, latency, requests)
  for _, p in pairs({90, 99.9}) do
    io.write(string.format("percentile %g %.3f\\n", p, latency:percentile(p) / 1000))
  end
end
LUA
}
lua $WORK/noop.lua "{\"model\": \"heart\", \"features\": $ROW}"
lua $WORK/predict.lua "{\"model\": \"heart\", \"features\": $ROW}"
# the same request at a steady pace instead of flat out: each connection waits PACE_MS between its
# requests, so the latency is the service's at a known load rather than the queueing of a saturated
# machine (wrk does not count the wait; like any closed-loop client it does not send more requests
# while one is stalled, so its p99 is a lower bound where the service stalls)
cp $WORK/predict.lua $WORK/predict-paced.lua
echo "function delay() return ${PACE_MS:-2} end" >> $WORK/predict-paced.lua
V2=$($PY - "$ROW" <<'PYV2'
import json, sys
row = json.loads(sys.argv[1])
print(json.dumps({"inputs": [{"name": k, "shape": [1], "datatype": "FP32", "data": [v]} for k, v in row.items()]}))
PYV2
)
lua $WORK/v2.lua "$V2"
BATCH=$($PY -c 'import json,sys; b=json.load(open(sys.argv[1])); b["model"]="heart"; print(json.dumps(b))' "$REF/batch_body.json")
lua $WORK/batch.lua "$BATCH"

RESULTS="$OUT/inference-$(date -u +%Y%m%dT%H%M%SZ).tsv"
printf "case\treq_per_s\trows_per_s\tp50_ms\tp99_ms\tnon2xx\tserver_cpu_us_per_req\tdb_cpu_us_per_req\tp90_ms\tp999_ms\n" > "$RESULTS"
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); printf "%.3f", v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); printf "%.3f", v} else if (v ~ /s$/) {sub(/s$/,"",v); printf "%.3f", v*1000} }'; }
# CPU time (user + system, in clock ticks) a process has used: the server's own cost of a request,
# which other work on a shared machine does not inflate the way it does wall-clock throughput
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# the same for every PostgreSQL process (the prediction log's COPY backend among them; other
# databases' work on a shared machine lands here too); a process that ends between pgrep and cat
# (an autovacuum worker, another client's backend) is skipped rather than failing the run
db_ticks() { for p in $(pgrep -u postgres); do cat "/proc/$p/stat" 2>/dev/null || true; done | awk '{ s += $14 + $15 } END { print s + 0 }'; }
TICK=$(getconf CLK_TCK)
warm() { # url script
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$2" "$1" >/dev/null 2>&1 || true
}
# waits until inference-service's prediction log has written everything it holds and no autovacuum
# runs in the bench database, so no case is measured while PostgreSQL still works on the rows of the
# one before
settle() {
  [ -n "${K:-}" ] || return 0
  for _ in $(seq 1 240); do
    if curl -sf "$K/q/metrics" | awk '/^keel_prediction_log_(queue_depth|spill_records)/ { s += $NF } END { exit s > 0 }' \
      && [ "$(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc \
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()")" = 0 ]; then
      return 0
    fi
    sleep 0.5
  done
  echo "the prediction log or PostgreSQL did not settle in 120 s" >&2
}
measure() { # case url script rows server-pid [warmed: skip the warm-up]
  [ -n "${6:-}" ] || warm "$2" "$3"
  settle
  local before after db_before db_after; before=$(cpu_ticks "$5"); db_before=$(db_ticks)
  local raw; raw=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$3" "$2")
  after=$(cpu_ticks "$5"); db_after=$(db_ticks)
  local rps p50 p99 non2xx requests
  rps=$(echo "$raw" | awk '/Requests\/sec/ {print $2}')
  requests=$(echo "$raw" | awk '/requests in/ {print $1}')
  p50=$(to_ms "$(echo "$raw" | awk '$1=="50%" {print $2}')")
  p99=$(to_ms "$(echo "$raw" | awk '$1=="99%" {print $2}')")
  non2xx=$(echo "$raw" | awk '/Non-2xx/ {print $5}'); non2xx=${non2xx:-0}
  local p90 p999   # from the Lua hook of Keel's scripts; "-" for the Python reference's own
  p90=$(echo "$raw" | awk '$1=="percentile" && $2=="90" {print $3}'); p999=$(echo "$raw" | awk '$1=="percentile" && $2=="99.9" {print $3}')
  printf "%s\t%.0f\t%.0f\t%s\t%s\t%s\t%.0f\t%.0f\t%s\t%s\n" "$1" "$rps" "$(awk -v r="$rps" -v n="$4" 'BEGIN{print r*n}')" "$p50" "$p99" \
    "$non2xx" "$(awk -v a="$after" -v b="$before" -v t="$TICK" -v n="$requests" 'BEGIN{print (a-b)/t*1e6/n}')" \
    "$(awk -v a="$db_after" -v b="$db_before" -v t="$TICK" -v n="$requests" 'BEGIN{print (a-b)/t*1e6/n}')" "${p90:--}" "${p999:--}" | tee -a "$RESULTS"
}
K="http://127.0.0.1:$INF_PORT"
CASES="${CASES:-noop predict paced v2 batch}"
wanted() { [[ " $CASES " == *" $1 "* ]]; }
# every Keel case is warmed up before any is measured: the JIT compiles the HTTP and JSON paths
# the cases share during whichever case runs first, and that one should not carry it alone
if wanted noop; then warm "$K/api/v1/noop" $WORK/noop.lua; fi
if wanted predict || wanted paced; then warm "$K/api/v1/predict" $WORK/predict.lua; fi
if wanted v2; then warm "$K/v2/models/heart/infer" $WORK/v2.lua; fi
if wanted batch; then warm "$K/api/v1/predict/batch" $WORK/batch.lua; fi
for _ in $(seq 1 "${ROUNDS:-3}"); do
  if wanted noop; then measure keel-noop "$K/api/v1/noop" $WORK/noop.lua 1 "$INF_PID" warmed; fi
  if wanted predict; then measure keel-predict "$K/api/v1/predict" $WORK/predict.lua 1 "$INF_PID" warmed; fi
done
if wanted paced; then measure keel-predict-paced "$K/api/v1/predict" $WORK/predict-paced.lua 1 "$INF_PID" warmed; fi
if wanted v2; then measure keel-v2-infer "$K/v2/models/heart/infer" $WORK/v2.lua 1 "$INF_PID" warmed; fi
if wanted batch; then measure keel-batch-100 "$K/api/v1/predict/batch" $WORK/batch.lua 100 "$INF_PID" warmed; fi
# every row the service predicted (warm-ups included) must be in the table once it has stopped
METRICS=$(curl -sf "$K/q/metrics")
PREDICTED=$(echo "$METRICS" | awk '/^keel_inference_rows_predicted_total/ { s += $NF } END { printf "%d", s }')
SPILLED=$(echo "$METRICS" | awk '/^keel_prediction_log_rows_spilled_total/ { s += $NF } END { printf "%d", s }')
kill "$INF_PID"; wait "$INF_PID" 2>/dev/null || true   # graceful stop: flushes the prediction log
K=""   # nothing left to settle
LOGGED=$(psql -h 127.0.0.1 -U postgres -d $DB -Atc "SELECT count(*) FROM predictions")

if [ -z "${SKIP_PYTHON:-}" ]; then
  for mode in seed lean; do
    (cd "$REF" && MODEL_PATH="$WORK/model.json" SERVE_MODE=$mode exec $PY -m uvicorn pyserve:app --host 127.0.0.1 \
      --port $PY_PORT --loop uvloop --http httptools --log-level warning > "$OUT/bench-python-$mode.log" 2>&1) &
    PY_PID=$!; pids+=($PY_PID)
    wait_ready "http://127.0.0.1:$PY_PORT/health"
    measure "python-$mode" "http://127.0.0.1:$PY_PORT/predict" "$REF/post.lua" 1 "$PY_PID"
    (cd "$REF" && measure "python-$mode-batch-100" "http://127.0.0.1:$PY_PORT/predict/batch" "$REF/post_batch.lua" 100 "$PY_PID")
    kill "$PY_PID"; wait "$PY_PID" 2>/dev/null || true
  done
fi

echo
echo "rows predicted: $PREDICTED; rows in the prediction log after a graceful stop: $LOGGED; went through the spill file: $SPILLED"
$PY - "$RESULTS" <<'PYSUM'
import csv, statistics, sys
rows = {}
for r in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    rows.setdefault(r["case"], []).append(r)
def v(case, field="req_per_s"):
    """The median over the case's rounds."""
    return statistics.median(float(r[field]) for r in rows[case]) if case in rows else None
def ratio(label, a, b, field="req_per_s"):
    x, y = v(a, field), v(b, field)
    if x and y:
        print(f"{label:58s} {x / y:6.2f}x")
print("(medians over rounds where a case ran more than once)")
if len(rows.get("keel-predict", [])) > 1 and len(rows.get("keel-noop", [])) == len(rows["keel-predict"]):
    print(f"{'predict / no-op floor, round by round':58s} "
          + " ".join(f"{float(p['req_per_s']) / float(n['req_per_s']):.2f}" for p, n in zip(rows["keel-predict"], rows["keel-noop"])))
ratio("predict / no-op floor (goal >= 0.70)", "keel-predict", "keel-noop")
ratio("v2 infer / no-op floor", "keel-v2-infer", "keel-noop")
ratio("predict / python seed mode (goal >= 10)", "keel-predict", "python-seed")
ratio("predict / python lean mode (goal >= 3)", "keel-predict", "python-lean")
ratio("batch rows/s / python seed batch rows/s", "keel-batch-100", "python-seed-batch-100", "rows_per_s")
ratio("batch rows/s / python lean batch rows/s", "keel-batch-100", "python-lean-batch-100", "rows_per_s")
print(f"{'predict p99 ms, flat out (goal < 5)':58s} {v('keel-predict', 'p99_ms')}")
for case in ("keel-noop", "keel-predict"):
    if case in rows and all(r["p90_ms"] != "-" for r in rows[case]):
        print(f"{case + ' p90 / p99 / p99.9 ms, flat out':58s} {v(case, 'p90_ms')} / {v(case, 'p99_ms')} / {v(case, 'p999_ms')}")
if v('keel-predict-paced', 'p99_ms') is not None:
    print(f"{'predict p99 ms at a steady pace (req/s in the table)':58s} {v('keel-predict-paced', 'p99_ms')}")
print()
print("CPU per request (lower is better; less disturbed by other load than req/s): server, PostgreSQL")
for case in rows:
    print(f"  {case:56s} {v(case, 'server_cpu_us_per_req'):8.0f} us {v(case, 'db_cpu_us_per_req'):8.0f} us")
def cpu_ratio(label, a, b):
    x, y = v(a, "server_cpu_us_per_req"), v(b, "server_cpu_us_per_req")
    if x and y:
        print(f"{label:58s} {y / x:6.2f}x")
cpu_ratio("python seed CPU per request / keel predict's", "keel-predict", "python-seed")
cpu_ratio("python lean CPU per request / keel predict's", "keel-predict", "python-lean")
PYSUM
echo "results: $RESULTS"
if [ "$PREDICTED" != "$LOGGED" ]; then
  echo "FAILED: the prediction log lost or repeated rows ($PREDICTED predicted, $LOGGED logged)" >&2
  exit 1
fi
# figures with failed requests in them measure errors, not predictions
if awk -F'\t' 'NR > 1 && $6 != 0 { bad = 1 } END { exit !bad }' "$RESULTS"; then
  echo "FAILED: some cases had non-2xx responses (column non2xx); the figures above are not valid" >&2
  exit 1
fi
