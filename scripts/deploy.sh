#!/usr/bin/env bash
# Deploy tieuchi to Google Cloud: the Cloud Run functions (2nd gen, Node 24), their identities
# and roles, the state bucket's lifecycle rule, the Cloud Tasks queue of the ward worker (paced
# by the Sheets quota), the Pub/Sub topics and the Cloud Scheduler jobs.
# Re-running it updates everything in place.
#
#   scripts/deploy.sh [--dry-run]      --dry-run prints every gcloud command and runs none
#
# Settings come from the environment (all required unless a default is shown):
#   PROJECT                  Google Cloud project id
#   REGION                   region, default asia-southeast1
#   SERVICE_ACCOUNT          runtime service account email (README "Deploy to Google Cloud", step 2)
#   STATE_BUCKET             Cloud Storage bucket for durable state
#   TRIGGER_SERVICE_ACCOUNT  identity Eventarc uses to invoke sweep and digest, default tieuchi-trigger@PROJECT
#   BUILD_SERVICE_ACCOUNT    identity Cloud Build builds the functions as, default tieuchi-build@PROJECT
#   CONFIG_FILE              config to ship with the functions, default ./tieuchi.config.yaml
#   SWEEP_SCHEDULE           cron for the sweep, default "*/5 * * * *"
#   DIGEST_SCHEDULE          cron for the digest, default "0 7 * * 1"
#   WEBHOOK_MAX_INSTANCES    ceiling for the webhook's instances, default 10
#   OAUTH_SETUP              1 = the service acts as a Google user (plain Gmail account, README setup B)
#   TASKS_QUEUE              Cloud Tasks queue of the ward worker, default tieuchi-wards
#   TASKS_INVOKER_SERVICE_ACCOUNT  identity the queue calls the worker as (OIDC), default tieuchi-tasks@PROJECT
#   SHEETS_READS_PER_MINUTE, SHEETS_WRITES_PER_MINUTE  Sheets quota per identity, default 60 and 60
#   QUOTA_HEADROOM_PERCENT   share of that quota left for the webhook, the summary and people, default 25
#   WARD_SHEETS_READS, WARD_SHEETS_WRITES  Sheets requests one changed ward costs, default 2 and 1
# Secrets (Secret Manager, created beforehand): tieuchi-channel-token, tieuchi-smtp-url, and with
# OAUTH_SETUP=1 tieuchi-oauth-refresh-token, tieuchi-oauth-client-id, tieuchi-oauth-client-secret.
set -euo pipefail

DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --dry-run)" >&2; exit 2 ;;
  esac
done

REGION="${REGION:-asia-southeast1}"
CONFIG_FILE="${CONFIG_FILE:-./tieuchi.config.yaml}"
SWEEP_SCHEDULE="${SWEEP_SCHEDULE:-*/5 * * * *}"
DIGEST_SCHEDULE="${DIGEST_SCHEDULE:-0 7 * * 1}"
WEBHOOK_MAX_INSTANCES="${WEBHOOK_MAX_INSTANCES:-10}"
OAUTH_SETUP="${OAUTH_SETUP:-0}"
TIME_ZONE="Asia/Ho_Chi_Minh"
RUNTIME="nodejs24" # nodejs20 was decommissioned on 2026-10-30
CLAIMS_MAX_AGE_DAYS=30
TASKS_QUEUE="${TASKS_QUEUE:-tieuchi-wards}"
SHEETS_READS_PER_MINUTE="${SHEETS_READS_PER_MINUTE:-60}"
SHEETS_WRITES_PER_MINUTE="${SHEETS_WRITES_PER_MINUTE:-60}"
QUOTA_HEADROOM_PERCENT="${QUOTA_HEADROOM_PERCENT:-25}"
WARD_SHEETS_READS="${WARD_SHEETS_READS:-2}"
WARD_SHEETS_WRITES="${WARD_SHEETS_WRITES:-1}"

missing=()
for name in PROJECT SERVICE_ACCOUNT STATE_BUCKET; do
  [ -n "${!name:-}" ] || missing+=("$name")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$DRY_RUN" = 1 ]; then
    PROJECT="${PROJECT:-my-project}"; SERVICE_ACCOUNT="${SERVICE_ACCOUNT:-tieuchi@my-project.iam.gserviceaccount.com}"; STATE_BUCKET="${STATE_BUCKET:-my-project-tieuchi-state}"
    echo "# dry run: ${missing[*]} not set; using placeholders" >&2
  else
    echo "missing settings: ${missing[*]} (see the header of $0)" >&2
    exit 2
  fi
fi
TRIGGER_SERVICE_ACCOUNT="${TRIGGER_SERVICE_ACCOUNT:-tieuchi-trigger@$PROJECT.iam.gserviceaccount.com}"
BUILD_SERVICE_ACCOUNT="${BUILD_SERVICE_ACCOUNT:-tieuchi-build@$PROJECT.iam.gserviceaccount.com}"
TASKS_INVOKER_SERVICE_ACCOUNT="${TASKS_INVOKER_SERVICE_ACCOUNT:-tieuchi-tasks@$PROJECT.iam.gserviceaccount.com}"

# The queue's pace from the Sheets quota (the same formula as functions/cloud/quota-pacing.ts):
# wards/min = what is left after the headroom, divided by one ward's reads (or writes);
# concurrency = the rate times 10 s of handling, at most a quarter of a minute's wards.
read -r WARDS_PER_MINUTE MAX_DISPATCHES_PER_SECOND MAX_CONCURRENT_DISPATCHES < <(awk -v r="$SHEETS_READS_PER_MINUTE" -v w="$SHEETS_WRITES_PER_MINUTE" \
  -v h="$QUOTA_HEADROOM_PERCENT" -v cr="$WARD_SHEETS_READS" -v cw="$WARD_SHEETS_WRITES" 'BEGIN {
    ur = int(r * (100 - h) / 100); uw = int(w * (100 - h) / 100)
    br = cr > 0 ? ur / cr : 1e9; bw = cw > 0 ? uw / cw : 1e9
    wpm = int(br < bw ? br : bw); if (wpm < 1) wpm = 1
    ps = int(wpm / 60 * 1000) / 1000
    c = ps * 10; c = (c == int(c)) ? c : int(c) + 1; q = int(wpm / 4); if (q < c) c = q; if (c < 1) c = 1
    printf "%d %s %d\n", wpm, ps, c }')

run() {
  printf '%q ' "$@"; echo
  if [ "$DRY_RUN" = 0 ]; then "$@"; fi
}

# Create a service account unless it exists (a dry run prints the creation).
ensure_service_account() {
  local email="$1" display="$2"
  if [ "$DRY_RUN" = 0 ] && gcloud iam service-accounts describe "$email" --project="$PROJECT" >/dev/null 2>&1; then return; fi
  run gcloud iam service-accounts create "${email%%@*}" --project="$PROJECT" --display-name="$display"
}

grant_project_role() {
  run gcloud projects add-iam-policy-binding "$PROJECT" --member="serviceAccount:$1" --role="$2" --condition=None --format=none
}

SECRETS="TIEUCHI_CHANNEL_TOKEN=tieuchi-channel-token:latest,TIEUCHI_SMTP_URL=tieuchi-smtp-url:latest"
if [ "$OAUTH_SETUP" = 1 ]; then
  # Setup B: the functions act as the Google user who ran `tieuchi auth login`; the bucket stays on the service account.
  SECRETS="$SECRETS,TIEUCHI_OAUTH_REFRESH_TOKEN=tieuchi-oauth-refresh-token:latest,TIEUCHI_OAUTH_CLIENT_ID=tieuchi-oauth-client-id:latest,TIEUCHI_OAUTH_CLIENT_SECRET=tieuchi-oauth-client-secret:latest"
fi

# NODE_ENV=production: Express and the Functions Framework never put a stack trace in an answer.
COMMON=(--gen2 --runtime="$RUNTIME" --region="$REGION" --project="$PROJECT" --source=.
  --service-account="$SERVICE_ACCOUNT" --build-service-account="projects/$PROJECT/serviceAccounts/$BUILD_SERVICE_ACCOUNT"
  --memory=512Mi
  --set-secrets="$SECRETS")
BASE_ENV="NODE_ENV=production,TIEUCHI_STATE_BUCKET=$STATE_BUCKET,TIEUCHI_CONFIG=tieuchi.config.yaml"
QUEUE_PATH="projects/$PROJECT/locations/$REGION/queues/$TASKS_QUEUE"

if [ "$DRY_RUN" = 0 ]; then
  [ -f "$CONFIG_FILE" ] || { echo "config not found: $CONFIG_FILE" >&2; exit 2; }
  npm ci && npm run build
  [ "$(realpath "$CONFIG_FILE")" = "$(realpath ./tieuchi.config.yaml)" ] || cp "$CONFIG_FILE" ./tieuchi.config.yaml
fi

echo "# identities: Cloud Build builds as $BUILD_SERVICE_ACCOUNT (new projects no longer give the default"
echo "# Compute Engine account Editor, so builds need their own account); Eventarc invokes sweep and digest"
echo "# as $TRIGGER_SERVICE_ACCOUNT, never as the default Compute Engine account."
ensure_service_account "$BUILD_SERVICE_ACCOUNT" "tieuchi build"
ensure_service_account "$TRIGGER_SERVICE_ACCOUNT" "tieuchi triggers"
ensure_service_account "$TASKS_INVOKER_SERVICE_ACCOUNT" "tieuchi ward queue"
# The runtime account enqueues ward tasks and has the queue present the invoker's OIDC token.
grant_project_role "$SERVICE_ACCOUNT" roles/cloudtasks.enqueuer
run gcloud iam service-accounts add-iam-policy-binding "$TASKS_INVOKER_SERVICE_ACCOUNT" --project="$PROJECT" \
  --member="serviceAccount:$SERVICE_ACCOUNT" --role=roles/iam.serviceAccountUser --format=none
grant_project_role "$BUILD_SERVICE_ACCOUNT" roles/cloudbuild.builds.builder
grant_project_role "$TRIGGER_SERVICE_ACCOUNT" roles/eventarc.eventReceiver
# Whoever runs this script needs roles/iam.serviceAccountUser on the build, runtime and trigger accounts.

echo "# state bucket: claim objects (claims/) are deleted ${CLAIMS_MAX_AGE_DAYS} days after they were written"
LIFECYCLE_FILE="$(mktemp)"
trap 'rm -f "$LIFECYCLE_FILE"' EXIT
printf '{"rule": [{"action": {"type": "Delete"}, "condition": {"age": %d, "matchesPrefix": ["claims/"]}}]}\n' "$CLAIMS_MAX_AGE_DAYS" >"$LIFECYCLE_FILE"
echo "# lifecycle rule: $(cat "$LIFECYCLE_FILE")"
run gcloud storage buckets update "gs://$STATE_BUCKET" --project="$PROJECT" --lifecycle-file="$LIFECYCLE_FILE"

echo "# ward queue: Sheets quota ${SHEETS_READS_PER_MINUTE} reads/min and ${SHEETS_WRITES_PER_MINUTE} writes/min per identity, ${QUOTA_HEADROOM_PERCENT}% kept back,"
echo "# a ward costs ${WARD_SHEETS_READS} reads + ${WARD_SHEETS_WRITES} writes: ${WARDS_PER_MINUTE} wards/min, ${MAX_DISPATCHES_PER_SECOND}/s, ${MAX_CONCURRENT_DISPATCHES} at once"
if [ "$DRY_RUN" = 0 ] && gcloud tasks queues describe "$TASKS_QUEUE" --location="$REGION" --project="$PROJECT" >/dev/null 2>&1; then
  queue_verb=update
else
  queue_verb=create
fi
# Failed handlings (a read or write that did not go through: 503) are retried with backoff for a day.
run gcloud tasks queues "$queue_verb" "$TASKS_QUEUE" --location="$REGION" --project="$PROJECT" \
  --max-dispatches-per-second="$MAX_DISPATCHES_PER_SECOND" --max-concurrent-dispatches="$MAX_CONCURRENT_DISPATCHES" \
  --max-attempts=-1 --max-retry-duration=86400s --min-backoff=10s --max-backoff=300s --max-doublings=4

run gcloud pubsub topics create tieuchi-sweep --project="$PROJECT" --quiet || true
run gcloud pubsub topics create tieuchi-digest --project="$PROJECT" --quiet || true

# The webhook is public: Drive's push notifications carry no Google identity, so Cloud Run must
# let allUsers invoke it, and the channel token (checked before anything else) is what guards it.
# With the "Domain restricted sharing" org policy (constraints/iam.allowedPolicyMemberDomains)
# the allUsers grant is refused and the deploy stops with a FAILED_PRECONDITION on setIamPolicy.
# Then either (a) have the organisation admin allow it for this project only: an org policy
# override on this project with "allow all" for iam.allowedPolicyMemberDomains (or, on newer
# organisations, a tag-based condition), or (b) keep the function private and front it with an
# external Application Load Balancer (serverless NEG) or API Gateway whose own identity is
# granted roles/run.invoker; put that front's URL into google.webhookUrl. README step 5 says more.
# The worker is private: only the queue's OIDC token (the invoker account) may call it. One ward
# per instance at a time; as many instances as the queue dispatches at once.
run gcloud functions deploy wardWorker "${COMMON[@]}" --set-env-vars="$BASE_ENV" --entry-point=wardWorker --trigger-http \
  --no-allow-unauthenticated --timeout=300s --concurrency=1 --max-instances="$MAX_CONCURRENT_DISPATCHES"
run gcloud functions add-invoker-policy-binding wardWorker --region="$REGION" --project="$PROJECT" \
  --member="serviceAccount:$TASKS_INVOKER_SERVICE_ACCOUNT"
if [ "$DRY_RUN" = 0 ]; then
  WORKER_URL="$(gcloud functions describe wardWorker --gen2 --region="$REGION" --project="$PROJECT" --format="value(serviceConfig.uri)")"
else
  WORKER_URL="https://wardworker-PROJECTHASH.$REGION.run.app"
fi
ENV_VARS="$BASE_ENV,TIEUCHI_TASKS_QUEUE=$QUEUE_PATH,TIEUCHI_WORKER_URL=$WORKER_URL,TIEUCHI_TASKS_INVOKER=$TASKS_INVOKER_SERVICE_ACCOUNT"
COMMON+=(--set-env-vars="$ENV_VARS")

run gcloud functions deploy sheetsWebhook "${COMMON[@]}" --entry-point=sheetsWebhook --trigger-http --allow-unauthenticated \
  --timeout=60s --max-instances="$WEBHOOK_MAX_INSTANCES"
run gcloud functions deploy sweepHttp "${COMMON[@]}" --entry-point=sweepHttp --trigger-http --no-allow-unauthenticated \
  --timeout=540s --max-instances=1
# Closing and reopening a period (issue 12): private; the office calls it with an identity token
# (grant roles/run.invoker to whoever may close). One instance: two closes never interleave.
run gcloud functions deploy closePeriod "${COMMON[@]}" --entry-point=closePeriod --trigger-http --no-allow-unauthenticated \
  --timeout=540s --max-instances=1
# One instance at most, so two sweeps (or two digests) never overlap; a trigger arriving while one
# runs waits or is redelivered by Pub/Sub (--retry).
for fn in sweep digest; do
  run gcloud functions deploy "$fn" "${COMMON[@]}" --entry-point="$fn" --trigger-topic="tieuchi-$fn" \
    --trigger-service-account="$TRIGGER_SERVICE_ACCOUNT" --timeout=540s --max-instances=1 --retry
  # Eventarc's push subscription calls the function's Cloud Run service as the trigger account.
  run gcloud functions add-invoker-policy-binding "$fn" --region="$REGION" --project="$PROJECT" \
    --member="serviceAccount:$TRIGGER_SERVICE_ACCOUNT"
done

for job in sweep digest; do
  schedule="$SWEEP_SCHEDULE"; [ "$job" = digest ] && schedule="$DIGEST_SCHEDULE"
  if [ "$DRY_RUN" = 0 ] && gcloud scheduler jobs describe "tieuchi-$job" --location="$REGION" --project="$PROJECT" >/dev/null 2>&1; then
    verb=update
  else
    verb=create
  fi
  run gcloud scheduler jobs "$verb" pubsub "tieuchi-$job" --location="$REGION" --project="$PROJECT" \
    --schedule="$schedule" --time-zone="$TIME_ZONE" --topic="tieuchi-$job" --message-body="{}"
done

echo "# webhook URL for google.webhookUrl in the config (then check everything: npx tieuchi doctor):"
run gcloud functions describe sheetsWebhook --gen2 --region="$REGION" --project="$PROJECT" --format="value(serviceConfig.uri)"
