#!/usr/bin/env bash
# Deploy tieuchi to Google Cloud: the three Cloud Run functions (2nd gen, Node 24), the
# Pub/Sub topics and the Cloud Scheduler jobs that trigger sweep and digest.
#
#   scripts/deploy.sh [--dry-run]
#
# Settings come from the environment (all required unless a default is shown):
#   PROJECT              Google Cloud project id
#   REGION               region, default asia-southeast1
#   SERVICE_ACCOUNT      runtime service account email (see README "Deploy to Google Cloud")
#   STATE_BUCKET         Cloud Storage bucket for durable state
#   CONFIG_FILE          config to ship with the functions, default ./tieuchi.config.yaml
#   SWEEP_SCHEDULE       cron for the sweep, default "*/5 * * * *"
#   DIGEST_SCHEDULE      cron for the digest, default "0 7 * * 1"
# Secrets (Secret Manager, created beforehand): tieuchi-channel-token, tieuchi-smtp-url.
set -euo pipefail

DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --dry-run)" >&2; exit 2 ;;
  esac
done

REGION="${REGION:-asia-southeast1}"
CONFIG_FILE="${CONFIG_FILE:-./tieuchi.config.yaml}"
SWEEP_SCHEDULE="${SWEEP_SCHEDULE:-*/5 * * * *}"
DIGEST_SCHEDULE="${DIGEST_SCHEDULE:-0 7 * * 1}"
TIME_ZONE="Asia/Ho_Chi_Minh"
RUNTIME="nodejs24" # nodejs20 was decommissioned on 2026-10-30

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

run() {
  printf '%q ' "$@"; echo
  if [ "$DRY_RUN" = 0 ]; then "$@"; fi
}

COMMON=(--gen2 --runtime="$RUNTIME" --region="$REGION" --project="$PROJECT" --source=.
  --service-account="$SERVICE_ACCOUNT" --memory=512Mi
  --set-env-vars="TIEUCHI_STATE_BUCKET=$STATE_BUCKET,TIEUCHI_CONFIG=tieuchi.config.yaml"
  --set-secrets="TIEUCHI_CHANNEL_TOKEN=tieuchi-channel-token:latest,TIEUCHI_SMTP_URL=tieuchi-smtp-url:latest")

if [ "$DRY_RUN" = 0 ]; then
  [ -f "$CONFIG_FILE" ] || { echo "config not found: $CONFIG_FILE" >&2; exit 2; }
  npm ci && npm run build
  [ "$(realpath "$CONFIG_FILE")" = "$(realpath ./tieuchi.config.yaml)" ] || cp "$CONFIG_FILE" ./tieuchi.config.yaml
fi

run gcloud pubsub topics create tieuchi-sweep --project="$PROJECT" --quiet || true
run gcloud pubsub topics create tieuchi-digest --project="$PROJECT" --quiet || true

run gcloud functions deploy sheetsWebhook "${COMMON[@]}" --entry-point=sheetsWebhook --trigger-http --allow-unauthenticated --timeout=60s
run gcloud functions deploy sweepHttp "${COMMON[@]}" --entry-point=sweepHttp --trigger-http --no-allow-unauthenticated --timeout=540s
run gcloud functions deploy sweep "${COMMON[@]}" --entry-point=sweep --trigger-topic=tieuchi-sweep --timeout=540s --retry
run gcloud functions deploy digest "${COMMON[@]}" --entry-point=digest --trigger-topic=tieuchi-digest --timeout=540s --retry

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

echo "# webhook URL for google.webhookUrl in the config:"
run gcloud functions describe sheetsWebhook --gen2 --region="$REGION" --project="$PROJECT" --format="value(serviceConfig.uri)"
