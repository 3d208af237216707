/**
 * The worker behind the ward queue: one task, one ward. Cloud Tasks delivers at least once
 * and in any order, so a task whose change the ward's recorded read already covers costs no
 * Sheets request, and the ward's state is updated by compare-and-set in the order of reads
 * (cloud-ward.ts). The answer tells Cloud Tasks what to do: 2xx done, 503 try again later
 * with the queue's backoff (a read or write that did not go through); bad data is done.
 */
import { localDate } from "../core/period.js";
import { activeWards, type Config } from "../config.js";
import type { WardFile } from "../ports.js";
import { type CloudWardPorts, needsRead, processWardIfChanged, STATE_KEYS, type WardState } from "./cloud-ward.js";
import { parseWardTask } from "./ward-tasks.js";

export interface WorkerAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** Handles one ward task's body (already parsed JSON). */
export async function handleWardTask(body: unknown, config: Config, ports: CloudWardPorts): Promise<WorkerAnswer> {
  const task = parseWardTask(body);
  // Only our queue can call the worker (OIDC): a body that is not a task never becomes one, so it is done.
  if (!task) return { status: 200, body: "ignored: not a ward task" };
  const ward = activeWards(config.wards, localDate(ports.clock.now())).find((w) => w.id === task.wardId);
  if (!ward) return { status: 200, body: "ignored: no such active ward" };
  const file: WardFile | null = task.version !== null && task.modifiedTime !== null ? { id: "", name: "", version: task.version, modifiedTime: task.modifiedTime, lastModifyingUser: null } : null;
  const state = (await ports.kv.get<WardState>(STATE_KEYS.ward(ward.id)))?.value ?? null;
  if (file && !needsRead(state, file)) return { status: 200, body: "covered" };
  const result = await processWardIfChanged(ward, config.catalogues, ports, { file });
  if (result.status === "failed" && result.transient) return { status: 503, body: "retry later", headers: { "Retry-After": "60" } };
  return { status: 200, body: result.status };
}
