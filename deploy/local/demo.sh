#!/usr/bin/env bash
# The whole loop, told to a person, against the suite up.sh started (the same story the system test
# asserts): a project and keys -> synthetic data -> a training run -> gate -> production -> logged
# predictions -> drifted traffic -> a drift report -> the agent diagnoses it, raises an alert and
# proposes retraining -> a person approves -> the retraining run and what became of it -> which
# version inference serves.
#
# Usage: deploy/local/up.sh && deploy/local/demo.sh        (needs curl and jq)
# Env:   KEEL_DEMO_PROJECT (demo-<random>), KEEL_DEMO_WAIT (600 s per training run)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v jq >/dev/null || die "demo.sh needs jq"
for svc in $SERVICES; do
  curl -sf "$(ready_url "$svc")" >/dev/null || die "$svc is not ready; start the suite with deploy/local/up.sh"
done
ADMIN_KEY=${KEEL_ADMIN_KEY:-$(cat "$RUN/admin-key" 2>/dev/null || true)}
[ -n "$ADMIN_KEY" ] || die "no admin key: set KEEL_ADMIN_KEY or start the suite with up.sh (it writes $RUN/admin-key)"

PROJECT=${KEEL_DEMO_PROJECT:-demo-$(date +%s)}
MODEL=heart
WAIT=${KEEL_DEMO_WAIT:-600}
INF=http://localhost:8080 REG=http://localhost:8081 DRIFT=http://localhost:8082
TRN=http://localhost:8083 AGT=http://localhost:8084
SHIFT="age:20,thalach:60,oldpeak:1,chol:80,trestbps:-20,sex:-0.3,fbs:0.3,restecg:0.5"

step=0
say() { step=$((step + 1)); printf '\n\033[1m%2d. %s\033[0m\n' "$step" "$*"; }
detail() { printf '    %s\n' "$*"; }
# call METHOD URL KEY [JSON body] -> prints the body; fails loudly on a non-2xx answer
call() {
  local method=$1 url=$2 key=$3 body=${4:-} out code
  out=$(mktemp)
  if [ -n "$body" ]; then
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' -H 'Accept: application/json' -d "$body")
  else
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $key" -H 'Accept: application/json')
  fi
  if [ "${code:0:1}" != 2 ]; then
    warn "$method $url answered $code: $(cat "$out")"
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}
await_run() { # run id -> prints the finished run
  local id=$1 deadline=$((SECONDS + WAIT)) run status
  while :; do
    run=$(call GET "$TRN/api/v1/training-runs/$id" "$WRITE")
    status=$(jq -r .status <<<"$run")
    case "$status" in
      succeeded|failed|rejected|cancelled) echo "$run"; return 0 ;;
    esac
    [ $SECONDS -lt $deadline ] || die "training run $id still $status after ${WAIT}s"
    printf '    … %s, %s, %s/%s candidates\n' "$status" "$(jq -r '.progress.phase // .phase // "-"' <<<"$run")" \
      "$(jq -r '.progress.candidates_done // 0' <<<"$run")" "$(jq -r '.progress.candidates_total // "?"' <<<"$run")" >&2
    sleep 5
  done
}
served_version() { call GET "$INF/api/v1/models/$MODEL" "$WRITE" 2>/dev/null | jq -r '.version // empty' || true; }
predict_rows() { # JSON array of rows -> count of 200s
  local rows=$1 n ok=0 i
  n=$(jq length <<<"$rows")
  for ((i = 0; i < n; i++)); do
    if call POST "$INF/api/v1/predict" "$WRITE" "$(jq -c --arg m "$MODEL" "{model: \$m, features: .[$i]}" <<<"$rows")" >/dev/null; then
      ok=$((ok + 1))
    fi
  done
  echo "$ok"
}

say "A project and two keys (the bootstrap admin key makes them; the secrets are shown once)"
call POST "$REG/api/v1/projects" "$ADMIN_KEY" "{\"name\": \"$PROJECT\", \"description\": \"demo.sh\", \"gate_thresholds\": {\"f1\": 0.6}}" >/dev/null
WRITE=$(call POST "$REG/api/v1/projects/$PROJECT/keys" "$ADMIN_KEY" '{"name": "pipeline", "role": "write"}' | jq -r .key)
APPROVER=$(call POST "$REG/api/v1/projects/$PROJECT/keys" "$ADMIN_KEY" '{"name": "on-call", "role": "approver"}' | jq -r .key)
KEY_FILE="$RUN/demo-key"   # the console signs in with a project's key, not the bootstrap one
(umask 077 && printf '%s\n' "$WRITE" >"$KEY_FILE")
detail "project $PROJECT, keys 'pipeline' (write) and 'on-call' (approver); the write key is in ${KEY_FILE#"$ROOT"/} (mode 600)"
detail "the registry's deployment gate for this project: a version needs F1 >= 0.6 to enter production"

say "Synthetic heart-disease data (13 features, binary target)"
DATASET=$(call POST "$TRN/api/v1/datasets/synthetic" "$WRITE" '{"name": "heart-pilot", "rows": 1000, "seed": 7}')
DATASET_ID=$(jq -r .id <<<"$DATASET")
detail "dataset $DATASET_ID: $(jq -r '.row_count' <<<"$DATASET") rows, sha256 $(jq -r '.sha256 // .fingerprint // "" | .[0:12]' <<<"$DATASET")"

say "Train: gradient-boosted trees, cross-validated grid search"
RUN_ID=$(call POST "$TRN/api/v1/training-runs" "$WRITE" \
  "{\"model_name\": \"$MODEL\", \"dataset_id\": $DATASET_ID, \"families\": [\"gradient_boosting\"], \"search\": {\"strategy\": \"grid\", \"budget\": 2}}" | jq -r .id)
RUN=$(await_run "$RUN_ID")
detail "run $RUN_ID $(jq -r .status <<<"$RUN"): version $(jq -r .registered_version <<<"$RUN"), test F1 $(jq -r '.test_metrics.f1' <<<"$RUN"), ROC-AUC $(jq -r '.test_metrics.roc_auc' <<<"$RUN")"
detail "two gates: training's quality gate (test F1 >= $(jq -r '.gate_result.min_f1 // "?"' <<<"$RUN"), KEEL_TRAINING_GATE_MIN_F1) decides whether"
detail "to ask for production, then the registry's deployment gate (this project's F1 >= 0.6, step 1) checks the promotion"
detail "verdict: $(jq -r '.gate_result.reason // .gate_result.decision // (.gate_result | tostring)' <<<"$RUN")"

say "The registry's production version, and inference serving it"
call GET "$REG/api/v1/models/$MODEL/production" "$WRITE" | jq -r '"    production: version \(.version), sha256 \(.artifact.sha256[0:12])…"'
for _ in $(seq 1 60); do [ -n "$(served_version)" ] && break; sleep 1; done
detail "inference serves version $(served_version)"

say "300 predictions of ordinary traffic, each logged"
CLEAN=$(call GET "$TRN/api/v1/synthetic/heart-disease?rows=300&seed=11" "$WRITE" | jq -c .instances)
detail "$(predict_rows "$CLEAN") of 300 answered 200"

say "300 predictions of drifted traffic ($SHIFT)"
DRIFTED=$(call GET "$TRN/api/v1/synthetic/heart-disease?rows=300&seed=12&drift=$SHIFT" "$WRITE" | jq -c .instances)
detail "$(predict_rows "$DRIFTED") of 300 answered 200"
sleep 2   # the prediction log writes in batches, off the request path

say "A drift report over the last 300 predictions"
REPORT=$(call POST "$DRIFT/api/v1/drift/reports" "$WRITE" "{\"model_name\": \"$MODEL\", \"window\": {\"last_n\": 300}}")
REPORT_ID=$(jq -r .id <<<"$REPORT")
detail "report $REPORT_ID: dataset drift $(jq -r .dataset_drift <<<"$REPORT"), share $(jq -r .drift_share <<<"$REPORT"), severity $(jq -r .severity <<<"$REPORT")"
jq -r '.features | sort_by(-.score) | .[0:5][] | "      \(.name): \(.method) score \(.score * 1000 | round / 1000) drifted \(.drifted)"' <<<"$REPORT"
detail "the page a person reads, in a browser: $AGT/console/drift/reports/$REPORT_ID (the console: sign in with ${KEY_FILE#"$ROOT"/})"
detail "the same page over the API: curl -H \"Authorization: Bearer \$(cat ${KEY_FILE#"$ROOT"/})\" $DRIFT/api/v1/drift/reports/$REPORT_ID.html"

say "The agent diagnoses it"
DIAG=$(call POST "$AGT/api/v1/agent/signals" "$WRITE" \
  "{\"kind\": \"data_drift\", \"model_name\": \"$MODEL\", \"source\": \"demo\", \"evidence\": {\"report_id\": $REPORT_ID}}")
detail "$(jq -r .explanation <<<"$DIAG")"
jq -r '.actions[] | "      \(.action) (\(.risk) risk): \(.status)"' <<<"$DIAG"
ACTION=$(jq -r '[.actions[] | select(.action == "retrain_model")][0].id // empty' <<<"$DIAG")
call GET "$AGT/api/v1/agent/alerts?model_name=$MODEL" "$WRITE" | jq -r '.items[] | "    alert \(.id): \(.severity) \(.kind), \(.status): \(.title)"'

if [ -z "$ACTION" ]; then
  say "No retraining proposed (the drift was not critical); the story ends here"
  exit 0
fi

say "A person approves the retraining proposal $ACTION"
APPROVED=$(call POST "$AGT/api/v1/agent/actions/$ACTION/approve" "$APPROVER" '{"comment": "drift confirmed in the demo"}')
RETRAIN_RUN=$(jq -r '.result.training_run_id' <<<"$APPROVED")
detail "decided by $(jq -r .decided_by <<<"$APPROVED"): $(jq -r .status <<<"$APPROVED"), training run $RETRAIN_RUN"

say "The retraining run (champion/challenger decides the promotion)"
RUN2=$(await_run "$RETRAIN_RUN")
detail "run $RETRAIN_RUN $(jq -r .status <<<"$RUN2"): version $(jq -r .registered_version <<<"$RUN2")"
detail "verdict (training's quality gate, champion/challenger, then the registry's deployment gate):"
detail "$(jq -r '.gate_result.reason // (.gate_result | tostring)' <<<"$RUN2")"

say "What serves now"
sleep 3
detail "registry production: version $(call GET "$REG/api/v1/models/$MODEL/production" "$WRITE" | jq -r .version)"
detail "inference serves: version $(served_version)"
call GET "$REG/api/v1/models/$MODEL/history" "$WRITE" | jq -r '.items[] | "      v\(.version) \(.from_stage) → \(.to_stage) by \(.actor): \(.reason)"'
printf '\nDone: project %s. Every step is in the database (agent_actions, alerts, stage_transitions, predictions).\n' "$PROJECT"
