#!/usr/bin/env bash
# Smoke test of a deployed suite: every service answers /q/health/ready and /q/health/live with UP.
# Uses kubectl port-forward, which reaches the pods whatever the NetworkPolicies allow.
#   k8s/scripts/smoke.sh
set -euo pipefail

namespace=${KEEL_NAMESPACE:-keel}
declare -A ports=([keel-inference]=8080 [keel-registry]=8081 [keel-drift]=8082 [keel-training]=8083 [keel-agent]=8084)
failed=0
for svc in "${!ports[@]}"; do
  port=${ports[$svc]}
  local_port=$((port + 10000))
  kubectl -n "$namespace" port-forward "svc/$svc" "$local_port:$port" > /dev/null 2>&1 &
  pf=$!
  ok=0
  for _ in $(seq 1 30); do
    if curl -fsS "http://127.0.0.1:$local_port/q/health/ready" | grep -q '"UP"' \
        && curl -fsS "http://127.0.0.1:$local_port/q/health/live" | grep -q '"UP"'; then
      ok=1
      break
    fi
    sleep 2
  done
  kill "$pf" 2> /dev/null || true
  wait "$pf" 2> /dev/null || true
  if [ "$ok" = 1 ]; then
    echo "$svc: ready and live"
  else
    echo "$svc: NOT healthy" >&2
    failed=1
  fi
done
exit "$failed"
