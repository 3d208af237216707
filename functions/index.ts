/**
 * Cloud Functions registrations only. Each handler decodes its trigger, calls a use case
 * through the cloud composition root (loaded on first use) and maps the result to a reply.
 */
import * as functions from "@google-cloud/functions-framework";
import type { CloudEvent } from "@google-cloud/functions-framework";

import type * as Runtime from "./cloud/runtime.js";

// The composition root (Google clients, templates) loads on the first invocation, not at import.
let runtime: Promise<typeof Runtime> | undefined;
const load = (): Promise<typeof Runtime> => (runtime ??= import("./cloud/runtime.js"));

functions.http("sheetsWebhook", async (req, res) => {
  const answer = await (await load()).onNotification(req.headers);
  res.status(answer.status).send(answer.body);
});

functions.cloudEvent("sweep", async (event: CloudEvent<unknown>) => {
  await (await load()).onSweep(event.id ?? null);
});

functions.http("sweepHttp", async (_req, res) => {
  const answer = await (await load()).onSweepHttp();
  res.status(answer.status).type("application/json").send(answer.body);
});

functions.cloudEvent("digest", async (event: CloudEvent<unknown>) => {
  await (await load()).onDigest(event.id ?? null);
});
