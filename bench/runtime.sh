#!/usr/bin/env bash
# Builds and runs the runtime JMH benchmarks (bench/runtime-jmh): Keel's pure-Java XGBoost runtime
# against xgboost4j on the same 100-tree depth-6 binary:logistic model, then prints ns/row for both
# and the ratios the runtime is held to:
#   single row  >= 30x faster than xgboost4j's 1-row DMatrix path
#   batch       no slower per row than xgboost4j's 1,000-row batch (nthread=1)
# Usage: bench/runtime.sh [extra JMH args]      (defaults suit 2 shared, noisy cores)
#   JMH_ARGS='-f 1 -wi 5 -i 10 -w 2s -r 2s' bench/runtime.sh     for steadier figures
set -Eeuo pipefail
# a failed step names itself instead of ending the run without a word
trap 'echo "$0: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MVN=mvn
[[ -x ./mvnw ]] && MVN=./mvnw

echo "== building bench/runtime-jmh"
"$MVN" -B -q -Pbench -pl bench/runtime-jmh -am package -DskipTests

OUT="$ROOT/bench/runtime-jmh/target/results"
mkdir -p "$OUT"
CSV="$OUT/jmh-$(date +%Y%m%d-%H%M%S).csv"
JMH_ARGS="${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}"

echo "== $(date -Iseconds) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')"
# shellcheck disable=SC2086
java -jar bench/runtime-jmh/target/benchmarks.jar RuntimeVsXgboost4jBenchmark $JMH_ARGS -rf csv -rff "$CSV" "$@"

echo
echo "== summary (ns/row; JMH average time, ± 99.9% error) — $CSV"
awk -F, '
  NR == 1 { next }
  {
    name = $1; gsub(/"/, "", name); sub(/.*\./, "", name)
    score[name] = $5; err[name] = $6
  }
  function show(label, key) {
    if (key in score) printf "  %-44s %12.0f ± %.0f\n", label, score[key], err[key]
  }
  function ratio(label, num, den, goal) {
    if ((num in score) && (den in score) && score[den] > 0)
      printf "  %-44s %12.2f   (%s)\n", label, score[num] / score[den], goal
  }
  END {
    print "single row"
    show("runtime predictValue(float[])", "runtimeSingleRow")
    show("runtime from named features (toRow + predict)", "runtimeSingleRowFromNamedFeatures")
    show("xgboost4j 1-row DMatrix + predict, nthread=1", "xgboost4jSingleRowDMatrix")
    show("xgboost4j inplace_predict, nthread=1", "xgboost4jSingleRowInplace")
    ratio("speed-up vs xgboost4j DMatrix path (x)", "xgboost4jSingleRowDMatrix", "runtimeSingleRow", "goal >= 30")
    ratio("speed-up vs xgboost4j inplace_predict (x)", "xgboost4jSingleRowInplace", "runtimeSingleRow", "reference")
    print "batch of 1,000 rows"
    show("runtime predictBatch (1 thread)", "runtimeBatch")
    show("xgboost4j DMatrix + predict, nthread=1", "xgboost4jBatchDMatrixOneThread")
    show("xgboost4j inplace_predict, nthread=1", "xgboost4jBatchInplaceOneThread")
    show("xgboost4j DMatrix + predict, default nthread", "xgboost4jBatchDMatrixDefaultThreads")
    ratio("runtime / xgboost4j DMatrix nthread=1", "runtimeBatch", "xgboost4jBatchDMatrixOneThread", "goal <= 1")
    ratio("runtime / xgboost4j inplace nthread=1", "runtimeBatch", "xgboost4jBatchInplaceOneThread", "reference")
    ratio("runtime / xgboost4j DMatrix default nthread", "runtimeBatch", "xgboost4jBatchDMatrixDefaultThreads", "reference: all cores vs 1")
  }' "$CSV"
