import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { queuePace } from "../../functions/cloud/quota-pacing.js";

const run = promisify(execFile);
const ENV = { PATH: "/usr/bin:/bin", PROJECT: "cua-lo", SERVICE_ACCOUNT: "tieuchi@cua-lo.iam.gserviceaccount.com", STATE_BUCKET: "cua-lo-tieuchi-state" };

async function dryRun(env: Record<string, string> = {}): Promise<{ stdout: string; lines: string[]; deployOf: (fn: string) => string }> {
  const { stdout } = await run("bash", ["scripts/deploy.sh", "--dry-run"], { env: { ...ENV, ...env } });
  const lines = stdout.trim().split("\n").filter((l) => l.startsWith("gcloud "));
  const deployOf = (fn: string) => lines.find((l) => l.startsWith(`gcloud functions deploy ${fn} `)) ?? "";
  return { stdout, lines, deployOf };
}

describe("scripts/deploy.sh --dry-run", () => {
  it("prints every gcloud command of a Node 24 deployment and runs none", async () => {
    const { stdout } = await run("bash", ["scripts/deploy.sh", "--dry-run"], { env: { PATH: "/usr/bin:/bin", PROJECT: "cua-lo", SERVICE_ACCOUNT: "tieuchi@cua-lo.iam.gserviceaccount.com", STATE_BUCKET: "cua-lo-tieuchi-state" } });
    const lines = stdout.trim().split("\n").filter((l) => l.startsWith("gcloud "));
    const deployed = lines.filter((l) => l.startsWith("gcloud functions deploy")).map((l) => l.split(" ")[3]);
    expect(deployed).toEqual(["wardWorker", "sheetsWebhook", "sweepHttp", "closePeriod", "sweep", "digest"]);
    expect(lines.filter((l) => l.startsWith("gcloud functions deploy")).every((l) => l.includes("--runtime=nodejs24") && l.includes("--gen2") && l.includes("--project=cua-lo"))).toBe(true);
    expect(lines.find((l) => l.includes("deploy sheetsWebhook"))).toContain("--trigger-http --allow-unauthenticated");
    expect(lines.find((l) => l.includes("deploy sweep "))).toContain("--trigger-topic=tieuchi-sweep");
    expect(lines.find((l) => l.includes("deploy digest"))).toContain("--trigger-topic=tieuchi-digest");
    expect(lines.filter((l) => l.startsWith("gcloud scheduler jobs create pubsub"))).toHaveLength(2);
    expect(stdout).toContain("--time-zone=Asia/Ho_Chi_Minh");
    expect(stdout).toContain("TIEUCHI_CHANNEL_TOKEN=tieuchi-channel-token:latest");
  });

  it("gives the event functions their own trigger identity, with the roles it needs", async () => {
    const { lines, deployOf } = await dryRun();
    const trigger = "tieuchi-trigger@cua-lo.iam.gserviceaccount.com";
    for (const fn of ["sweep", "digest"]) {
      expect(deployOf(fn)).toContain(`--trigger-service-account=${trigger}`);
      expect(lines).toContain(`gcloud functions add-invoker-policy-binding ${fn} --region=asia-southeast1 --project=cua-lo --member=serviceAccount:${trigger} `);
    }
    expect(lines.some((l) => l.includes("add-iam-policy-binding cua-lo") && l.includes(`serviceAccount:${trigger}`) && l.includes("--role=roles/eventarc.eventReceiver"))).toBe(true);
    expect(deployOf("sheetsWebhook")).not.toContain("--trigger-service-account");
  });

  it("builds with a build service account of its own, granted the Cloud Build role", async () => {
    const { lines } = await dryRun({ BUILD_SERVICE_ACCOUNT: "builder@cua-lo.iam.gserviceaccount.com" });
    const deploys = lines.filter((l) => l.startsWith("gcloud functions deploy"));
    expect(deploys.every((l) => l.includes("--build-service-account=projects/cua-lo/serviceAccounts/builder@cua-lo.iam.gserviceaccount.com"))).toBe(true);
    expect(lines.some((l) => l.includes("serviceAccount:builder@cua-lo.iam.gserviceaccount.com") && l.includes("--role=roles/cloudbuild.builds.builder"))).toBe(true);
  });

  it("never lets two sweeps or two digests overlap, and caps the webhook", async () => {
    const { deployOf } = await dryRun();
    for (const fn of ["sweep", "digest", "sweepHttp", "closePeriod"]) expect(deployOf(fn)).toContain("--max-instances=1");
    expect(deployOf("closePeriod")).toContain("--trigger-http --no-allow-unauthenticated");
    expect(deployOf("sheetsWebhook")).toContain("--max-instances=10");
    expect((await dryRun({ WEBHOOK_MAX_INSTANCES: "3" })).deployOf("sheetsWebhook")).toContain("--max-instances=3");
  });

  it("deletes claim objects after 30 days with a lifecycle rule on the state bucket", async () => {
    const { stdout, lines } = await dryRun();
    expect(lines.some((l) => l.startsWith("gcloud storage buckets update gs://cua-lo-tieuchi-state") && l.includes("--lifecycle-file="))).toBe(true);
    const rule = JSON.parse(/# lifecycle rule: (.*)/.exec(stdout)![1]!) as unknown;
    expect(rule).toEqual({ rule: [{ action: { type: "Delete" }, condition: { age: 30, matchesPrefix: ["claims/"] } }] });
  });

  it("explains the webhook's public access under the domain restricted sharing policy", async () => {
    const script = await readFile("scripts/deploy.sh", "utf8");
    expect(script).toContain("iam.allowedPolicyMemberDomains");
    expect(script).toMatch(/load balancer|API Gateway/i);
  });

  it("passes the user's OAuth secrets only in the user setup, and answers without stack traces", async () => {
    const plain = await dryRun();
    expect(plain.deployOf("sweep")).not.toContain("TIEUCHI_OAUTH_REFRESH_TOKEN");
    expect(plain.deployOf("sweep")).toContain("NODE_ENV=production");
    const user = await dryRun({ OAUTH_SETUP: "1" });
    for (const fn of ["sheetsWebhook", "sweepHttp", "sweep", "digest"]) {
      expect(user.deployOf(fn)).toContain("TIEUCHI_OAUTH_REFRESH_TOKEN=tieuchi-oauth-refresh-token:latest");
      expect(user.deployOf(fn)).toContain("TIEUCHI_OAUTH_CLIENT_ID=tieuchi-oauth-client-id:latest");
    }
  });

  it("creates the ward queue paced by the Sheets quota, and a private worker only the queue's account may call", async () => {
    const { lines, deployOf } = await dryRun();
    const pace = queuePace();
    const queue = lines.find((l) => l.startsWith("gcloud tasks queues create tieuchi-wards "));
    expect(queue).toContain(`--max-dispatches-per-second=${pace.maxDispatchesPerSecond} `);
    expect(queue).toContain(`--max-concurrent-dispatches=${pace.maxConcurrentDispatches} `);
    expect(queue).toContain("--location=asia-southeast1 --project=cua-lo");
    expect(queue).toMatch(/--max-attempts=-1 --max-retry-duration=86400s --min-backoff=10s --max-backoff=300s --max-doublings=4/);
    expect(pace).toEqual({ wardsPerMinute: 22, maxDispatchesPerSecond: 0.366, maxConcurrentDispatches: 4 });
    expect(deployOf("wardWorker")).toContain("--trigger-http --no-allow-unauthenticated");
    expect(deployOf("wardWorker")).toContain(`--max-instances=${pace.maxConcurrentDispatches}`);
    const invoker = "tieuchi-tasks@cua-lo.iam.gserviceaccount.com";
    expect(lines).toContain(`gcloud functions add-invoker-policy-binding wardWorker --region=asia-southeast1 --project=cua-lo --member=serviceAccount:${invoker} `);
    expect(lines.some((l) => l.includes("--role=roles/cloudtasks.enqueuer") && l.includes("serviceAccount:tieuchi@cua-lo.iam.gserviceaccount.com"))).toBe(true);
    expect(lines.some((l) => l.startsWith(`gcloud iam service-accounts add-iam-policy-binding ${invoker}`) && l.includes("--role=roles/iam.serviceAccountUser"))).toBe(true);
    for (const fn of ["sheetsWebhook", "sweep", "sweepHttp", "digest"]) {
      expect(deployOf(fn)).toContain("TIEUCHI_TASKS_QUEUE=projects/cua-lo/locations/asia-southeast1/queues/tieuchi-wards");
      expect(deployOf(fn)).toContain(`TIEUCHI_TASKS_INVOKER=${invoker}`);
    }
  });

  it("derives the queue's pace with the same formula as the code, for other quotas and costs", async () => {
    const settings = { SHEETS_READS_PER_MINUTE: "300", SHEETS_WRITES_PER_MINUTE: "120", QUOTA_HEADROOM_PERCENT: "40", WARD_SHEETS_READS: "1", WARD_SHEETS_WRITES: "2" };
    const { lines } = await dryRun({ ...settings, TASKS_QUEUE: "hang-doi" });
    const pace = queuePace({ readsPerMinute: 300, writesPerMinute: 120, headroom: 0.4 }, { reads: 1, writes: 2 });
    const queue = lines.find((l) => l.startsWith("gcloud tasks queues create hang-doi ")) ?? "";
    expect(queue).toContain(`--max-dispatches-per-second=${pace.maxDispatchesPerSecond} --max-concurrent-dispatches=${pace.maxConcurrentDispatches} `);
    expect(pace.wardsPerMinute).toBe(36);
  });

  it("refuses to deploy without its settings, naming them", async () => {
    const error = await run("bash", ["scripts/deploy.sh"], { env: { PATH: "/usr/bin:/bin" } }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain("missing settings: PROJECT SERVICE_ACCOUNT STATE_BUCKET");
  });
});
