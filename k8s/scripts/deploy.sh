#!/usr/bin/env bash
# Applies an overlay with the images of one release, waits for every rollout, smoke-tests the
# health endpoints, and rolls every workload back if any of that fails.
#   k8s/scripts/deploy.sh <overlay> <image-owner> <tag>     e.g. k8s/scripts/deploy.sh staging acme 1.4.0
# Needs kubectl pointed at the cluster (KUBECONFIG). The Secrets keel-db and keel-app must exist.
set -euo pipefail

overlay=${1:?overlay (dev, staging, production)}
owner=${2:?image owner on ghcr.io}
tag=${3:?image tag}
namespace=${KEEL_NAMESPACE:-keel}
here=$(cd "$(dirname "$0")" && pwd)
# inference is a StatefulSet (a volume per replica for its prediction-log spill), the rest Deployments
workloads=(deployment/keel-registry statefulset/keel-inference deployment/keel-drift deployment/keel-training deployment/keel-agent)

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
# the overlays name ghcr.io/keel-dev/keel-<service>; point them at this release
kubectl kustomize "$here/../overlays/$overlay" \
  | sed -E "s#image: ghcr\.io/[^/]+/keel-([a-z]+):[^[:space:]]+#image: ghcr.io/${owner,,}/keel-\1:${tag}#" > "$rendered"

for secret in keel-db keel-app; do
  kubectl -n "$namespace" get secret "$secret" > /dev/null || { echo "secret $secret missing in $namespace (k8s/README.md)" >&2; exit 1; }
done

rollback() {
  echo "deployment of $tag to $overlay failed; rolling back" >&2
  for w in "${workloads[@]}"; do
    kubectl -n "$namespace" rollout undo "$w" || true
  done
  for w in "${workloads[@]}"; do
    kubectl -n "$namespace" rollout status "$w" --timeout=10m || true
  done
  exit 1
}

# Pods read keel-config only when they start (envFrom). A workload whose pod template this apply
# changed (a new image) rolls anyway and its new pods read the new configuration; one it left alone
# is restarted when keel-config changed. So each workload rolls once, and `rollout undo` below still
# goes back to the release before this one (it does not restore keel-config).
config() { kubectl -n "$namespace" get configmap keel-config -o jsonpath='{.data}' 2> /dev/null || true; }
generation() { kubectl -n "$namespace" get "$1" -o jsonpath='{.metadata.generation}' 2> /dev/null || true; }
config_before=$(config)
declare -A generation_before
for w in "${workloads[@]}"; do
  generation_before[$w]=$(generation "$w")
done
kubectl apply -f "$rendered"
if [[ -n "$config_before" && "$(config)" != "$config_before" ]]; then
  for w in "${workloads[@]}"; do
    if [[ -n "${generation_before[$w]}" && "$(generation "$w")" == "${generation_before[$w]}" ]]; then
      echo "keel-config changed and $w did not roll: restarting it"
      kubectl -n "$namespace" rollout restart "$w"
    fi
  done
fi
for w in "${workloads[@]}"; do
  kubectl -n "$namespace" rollout status "$w" --timeout=10m || rollback
done
"$here/smoke.sh" || rollback
echo "deployed $tag to $overlay"
