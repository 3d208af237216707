/**
 * Cloud Functions registrations only. Each handler decodes its trigger, calls a use case
 * through the cloud composition root (loaded on first use) and maps the result to a reply.
 * HTTP answers are short plain text; the webhook refuses bad requests before any body is
 * parsed (see cloud/http-front.ts for why that needs a wrapper around the framework).
 */
import * as functions from "@google-cloud/functions-framework";
import type { CloudEvent, HttpFunction } from "@google-cloud/functions-framework";

import type * as Runtime from "./cloud/runtime.js";
import { answerForFailure, guardBeforeBody, installHttpFront, sendPlain } from "./cloud/http-front.js";

// The composition root (Google clients, templates) loads on the first invocation, not at import.
let runtime: Promise<typeof Runtime> | undefined;
const load = (): Promise<typeof Runtime> => (runtime ??= import("./cloud/runtime.js"));

installHttpFront();

const sheetsWebhook: HttpFunction = async (req, res) => {
  const answer = await (await load()).onNotification(req.headers).catch(answerForFailure);
  sendPlain(req, res, answer);
};
functions.http("sheetsWebhook", guardBeforeBody(sheetsWebhook, async (req) => (await import("./cloud/webhook-guard.js")).refuseBadNotification(req)));

functions.cloudEvent("sweep", async (event: CloudEvent<unknown>) => {
  await (await load()).onSweep(event.id ?? null);
});

functions.http("sweepHttp", async (req, res) => {
  const answer = await (await load()).onSweepHttp().catch(answerForFailure);
  if (answer.status !== 200) return sendPlain(req, res, answer);
  res.status(200).type("application/json").send(answer.body);
});

// The ward queue's worker: private (Cloud Tasks calls it with an OIDC token), one ward per task.
functions.http("wardWorker", async (req, res) => {
  const answer = await (await load()).onWardTask(req.body as unknown).catch(answerForFailure);
  sendPlain(req, res, answer);
});

// Closing or reopening a period (private: the office calls it with an identity token, which names who acts, and a JSON body).
functions.http("closePeriod", async (req, res) => {
  const answer = await (await load()).onClosePeriod(req.body as unknown, req.headers.authorization).catch(answerForFailure);
  sendPlain(req, res, answer);
});

functions.cloudEvent("digest", async (event: CloudEvent<unknown>) => {
  await (await load()).onDigest(event.id ?? null);
});
