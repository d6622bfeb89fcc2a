#!/usr/bin/env bash
# Drift benchmark: Keel (Java, streaming, all methods) and the SciPy/NumPy reference
# (../shared/bench-ref/drift.py, KS + decile PSI) on this machine, in the same run.
#   bench/drift/run.sh            # 100k reference rows, 1M current rows, 20 features
# Needs: a JDK 17, Maven access as for the build; for the reference, Debian's python3-scipy.
# Results: printed, and written to bench/results/drift-<UTC timestamp>.txt (git-ignored).
set -Eeuo pipefail
# a failed step names itself instead of ending the run without a word
trap 'echo "$0: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/../.."
out=bench/results
mkdir -p "$out" /tmp/keel-drift-bench
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$out/drift-$stamp.txt"

./mvnw -B -q install -pl common -DskipTests
./mvnw -B -q compile -pl drift-service
./mvnw -B -q -pl drift-service dependency:build-classpath -Dmdep.outputFile=/tmp/keel-drift-bench/cp.txt >/dev/null
cp="drift-service/target/classes:$(cat /tmp/keel-drift-bench/cp.txt)"
javac -d /tmp/keel-drift-bench -cp "$cp" bench/drift/DriftBench.java

{
  echo "# drift benchmark $stamp on $(nproc) cores, $(uname -m)"
  echo "## keel (java, -Xmx256m: the 1M x 20 current rows could not fit on the heap even once)"
  java -Xmx256m -XX:+UseParallelGC -cp "/tmp/keel-drift-bench:$cp" DriftBench "$@"
  ref=../shared/bench-ref/drift.py
  [ -f "$ref" ] || ref=/work/shared/bench-ref/drift.py
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import scipy' 2>/dev/null && [ -f "$ref" ]; then
    echo "## scipy/numpy reference (ks_2samp + decile PSI, 20 features)"
    /usr/bin/python3 "$ref" --repeats 3
  else
    echo "## scipy/numpy reference skipped: install python3-scipy (Debian) to run it"
  fi
} | tee "$report"
