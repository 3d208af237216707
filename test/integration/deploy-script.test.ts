import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("scripts/deploy.sh --dry-run", () => {
  it("prints every gcloud command of a Node 24 deployment and runs none", async () => {
    const { stdout } = await run("bash", ["scripts/deploy.sh", "--dry-run"], { env: { PATH: "/usr/bin:/bin", PROJECT: "cua-lo", SERVICE_ACCOUNT: "tieuchi@cua-lo.iam.gserviceaccount.com", STATE_BUCKET: "cua-lo-tieuchi-state" } });
    const lines = stdout.trim().split("\n").filter((l) => l.startsWith("gcloud "));
    const deployed = lines.filter((l) => l.startsWith("gcloud functions deploy")).map((l) => l.split(" ")[3]);
    expect(deployed).toEqual(["sheetsWebhook", "sweepHttp", "sweep", "digest"]);
    expect(lines.filter((l) => l.startsWith("gcloud functions deploy")).every((l) => l.includes("--runtime=nodejs24") && l.includes("--gen2") && l.includes("--project=cua-lo"))).toBe(true);
    expect(lines.find((l) => l.includes("deploy sheetsWebhook"))).toContain("--trigger-http --allow-unauthenticated");
    expect(lines.find((l) => l.includes("deploy sweep "))).toContain("--trigger-topic=tieuchi-sweep");
    expect(lines.find((l) => l.includes("deploy digest"))).toContain("--trigger-topic=tieuchi-digest");
    expect(lines.filter((l) => l.startsWith("gcloud scheduler jobs create pubsub"))).toHaveLength(2);
    expect(stdout).toContain("--time-zone=Asia/Ho_Chi_Minh");
    expect(stdout).toContain("TIEUCHI_CHANNEL_TOKEN=tieuchi-channel-token:latest");
  });

  it("refuses to deploy without its settings, naming them", async () => {
    const error = await run("bash", ["scripts/deploy.sh"], { env: { PATH: "/usr/bin:/bin" } }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain("missing settings: PROJECT SERVICE_ACCOUNT STATE_BUCKET");
  });
});
