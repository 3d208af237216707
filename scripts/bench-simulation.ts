/**
 * The fan-out simulation: a province (130 units) or the nation (3,321) on the strict fake
 * Google and a virtual clock. After the first pass (every unit read once), edits arrive over a
 * working day or all at once before a deadline; the sweep runs every 5 minutes and enqueues one
 * Cloud Task per changed unit, and so does the webhook on Drive's pushes; the queue, paced from the Sheets quota, dispatches to the
 * worker. Reported: every edit covered by a later Kiểm tra write (none lost), no Kiểm tra
 * write without a new edit (none processed twice), quota refusals and what was left of them,
 * edit → Kiểm tra p50/p95 in virtual time, and peak Sheets use per minute of the identity.
 */
import { performance } from "node:perf_hooks";
import { handleNotification, sweep } from "../functions/app/cloud-handlers.js";
import { decodePushHeaders } from "../functions/adapters/google/push-headers.js";
import { STATE_KEYS } from "../functions/app/cloud-ward.js";
import type { WardState } from "../functions/app/ward-state.js";
import { queuePace } from "../functions/cloud/quota-pacing.js";
import { fakeServiceAccount } from "../test/fakes/google/identities.js";
import type { BenchRow } from "./bench-table.js";
import { INPUT_TAB, type SimWorld, simulationWorld, type TabWrite } from "./simulation-world.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SWEEP_EVERY_MS = 5 * MINUTE;
/** Drive's pushes are looked at least this often (they arrive seconds after Drive records a change). */
const PUSH_POLL_MS = 15_000;

/** Drive's due push notifications, through the webhook's use case (as sheetsWebhook would handle them). */
async function deliverPushes(world: SimWorld): Promise<void> {
  for (const push of world.fake.drive.dueNotifications()) {
    const decoded = decodePushHeaders(Object.fromEntries(Object.entries(push.headers).map(([k, v]) => [k.toLowerCase(), v])));
    if (decoded.ok) await handleNotification(decoded.notification, world.config, world.webhookPorts, world.settings);
  }
}

type Scenario = "working-day" | "deadline";

interface SimulationResult {
  units: number;
  scenario: Scenario;
  edits: number;
  covered: number;
  lost: number;
  processedTwice: number;
  /** Deliveries Cloud Tasks repeated (the worker answered them without a Kiểm tra write). */
  duplicateDeliveries: number;
  /** Sheets 429s (each retried by the adapters) and Cloud Storage's one-write-per-second refusals. */
  quotaRefusals: number;
  storageRefusals: number;
  /** Tasks dropped after their last attempt, and units whose state still holds an error. */
  leftUnhandled: number;
  p50Ms: number;
  p95Ms: number;
  peakReadsPerMinute: number;
  peakWritesPerMinute: number;
  virtualMs: number;
  wallMs: number;
}


interface Edit {
  wardId: string;
  at: number;
}

/** Seeded uniform numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Working day: each unit edits `perUnit` times between 08:00 and 17:00 (UTC+7); deadline: every unit within 30 minutes. */
function editsOf(world: SimWorld, scenario: Scenario, from: number, perUnit: number, random: () => number): Edit[] {
  const edits: Edit[] = [];
  for (const ward of world.config.wards) {
    const count = scenario === "deadline" ? 1 : perUnit;
    for (let i = 0; i < count; i++) edits.push({ wardId: ward.id, at: from + Math.floor(random() * (scenario === "deadline" ? 30 * MINUTE : 9 * 60 * MINUTE)) });
  }
  return edits.sort((a, b) => a.at - b.at);
}

/** Runs sweeps, edits and dispatches in virtual time until every edit is covered (or `untilMs`). */
async function drive(world: SimWorld, edits: Edit[], untilMs: number, peak: { reads: number; writes: number }): Promise<void> {
  const { clock, fake } = world;
  let next = 0;
  let nextSweep = Math.ceil(clock.ms() / SWEEP_EVERY_MS) * SWEEP_EVERY_MS;
  let counter = 0;
  // Done when every edit is in, the queue is empty, and two sweeps have run since the last edit (Drive's lag included).
  const quietFrom = Math.max(clock.ms(), edits.at(-1)?.at ?? 0) + 2 * SWEEP_EVERY_MS + 2 * MINUTE;
  const idle = (): boolean => next >= edits.length && fake.tasks.dispatcher.backlog === 0 && clock.ms() > quietFrom;
  while (!idle() && clock.ms() < untilMs) {
    while (next < edits.length && edits[next]!.at <= clock.ms()) {
      const edit = edits[next++]!;
      fake.sheets.setValues(world.ids.get(edit.wardId)!, INPUT_TAB, "H7", [[`Sửa lần ${++counter}`]]);
    }
    if (clock.ms() >= nextSweep) {
      await sweep(world.config, world.ports, world.settings);
      nextSweep += SWEEP_EVERY_MS;
    }
    await deliverPushes(world);
    fake.tasks.dispatcher.dispatchDue();
    await fake.tasks.dispatcher.settle();
    if (!process.env.SIM_DEBUG) fake.resetLog(); // the request log (bodies included) would grow by gigabytes
    const usage = fake.quotas.sheetsUsage(fakeServiceAccount);
    peak.reads = Math.max(peak.reads, usage.read);
    peak.writes = Math.max(peak.writes, usage.write);
    const due = [edits[next]?.at, nextSweep, fake.tasks.dispatcher.nextDueAt() ?? undefined].filter((t): t is number => t !== undefined);
    clock.advance(Math.max(1, Math.min(clock.ms() + PUSH_POLL_MS, ...due) - clock.ms()));
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Each edit's latency to the first Kiểm tra write whose read began after it; writes that covered no new edit. */
function coverage(edits: Edit[], writes: TabWrite[], from: number): { latencies: number[]; lost: number; twice: number } {
  const byWard = new Map<string, TabWrite[]>();
  for (const w of writes) byWard.set(w.wardId, [...(byWard.get(w.wardId) ?? []), w]);
  const latencies: number[] = [];
  let lost = 0;
  for (const edit of edits) {
    const write = (byWard.get(edit.wardId) ?? []).find((w) => w.readAt >= edit.at);
    if (write) latencies.push(write.doneAt - edit.at);
    else lost++;
  }
  let twice = 0;
  for (const [wardId, list] of byWard) {
    list.sort((a, b) => a.readAt - b.readAt);
    list.forEach((w, i) => {
      const since = i === 0 ? from : list[i - 1]!.readAt;
      if (!edits.some((e) => e.wardId === wardId && e.at >= since && e.at < w.readAt)) twice++;
    });
  }
  return { latencies: latencies.sort((a, b) => a - b), lost, twice };
}

/** The first pass after provisioning: every unit read once and its Kiểm tra tab created, the queue drained. */
export async function firstPass(world: SimWorld): Promise<void> {
  await drive(world, [], world.clock.ms() + 6 * 60 * MINUTE + (world.config.wards.length / queuePace().wardsPerMinute) * 2 * MINUTE, { reads: 0, writes: 0 });
}

/** One scenario on a settled world, from the next 08:00 (UTC+7): edits, sweeps and dispatch until all is quiet. */
async function measure(world: SimWorld, scenario: Scenario, random: () => number, perUnit: number): Promise<SimulationResult> {
  const started = performance.now();
  const day = 24 * 60 * MINUTE;
  const from = Math.ceil((world.clock.ms() - HOUR) / day) * day + HOUR; // 01:00 UTC
  world.clock.advance(from - world.clock.ms());
  world.writes.length = 0;
  const dispatched = world.fake.tasks.dispatcher.log.length;
  const refusals = world.fake.quotas.refusals.length;
  const dropped = world.fake.tasks.dispatcher.dropped.length;
  const edits = editsOf(world, scenario, from, perUnit, random);
  const peak = { reads: 0, writes: 0 };
  await drive(world, edits, from + 20 * HOUR, peak);
  const { latencies, lost, twice } = coverage(edits, world.writes, from);
  const states = await Promise.all(world.config.wards.map((w) => world.ports.kv.get<WardState>(STATE_KEYS.ward(w.id))));
  const newRefusals = world.fake.quotas.refusals.slice(refusals);
  return {
    units: world.config.wards.length,
    scenario,
    edits: edits.length,
    covered: edits.length - lost,
    lost,
    processedTwice: twice,
    duplicateDeliveries: world.fake.tasks.dispatcher.log.slice(dispatched).filter((d) => d.duplicate).length,
    quotaRefusals: newRefusals.filter((r) => r.api === "sheets").length,
    storageRefusals: newRefusals.filter((r) => r.api === "storage").length,
    leftUnhandled: world.fake.tasks.dispatcher.dropped.length - dropped + states.filter((s) => s?.value.lastError).length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    peakReadsPerMinute: peak.reads,
    peakWritesPerMinute: peak.writes,
    virtualMs: world.clock.ms() - from,
    wallMs: performance.now() - started,
  };
}

/**
 * The scenarios one after another (a day each) on one world, after its first pass (every unit
 * read once, not measured): the same seed gives the same edits, duplicates and order.
 */
export async function simulate(options: { units: number; scenarios: readonly Scenario[]; seed?: number; editsPerUnit?: number; duplicateRate?: number; progress?: (line: string) => void }): Promise<SimulationResult[]> {
  const seed = options.seed ?? 11;
  const world = await simulationWorld({ units: options.units, startIso: "2026-12-01T00:30:00Z", seed, duplicateRate: options.duplicateRate ?? 0.05, driveLagMs: MINUTE });
  try {
    await firstPass(world);
    options.progress?.(`${options.units} units: first pass done at ${world.clock.now().toISOString()}`);
    const random = seeded(seed);
    const results: SimulationResult[] = [];
    for (const scenario of options.scenarios) {
      const result = await measure(world, scenario, random, options.editsPerUnit ?? 2);
      results.push(result);
      options.progress?.(`${options.units} units: ${scenario} done at ${world.clock.now().toISOString()}: ${JSON.stringify(result)}`);
    }
    return results;
  } finally {
    await world.close();
  }
}

/** The rows of one simulated scenario. */
function rowsOf(r: SimulationResult): BenchRow[] {
  const label = `${r.units} units, ${r.scenario}`;
  const row = (figure: string, value: number, unit: string, extra: Partial<BenchRow> = {}): BenchRow => ({ section: "simulation", figure: `${label}: ${figure}`, value, unit, runs: 1, ...extra });
  const quota = { label: "Sheets quota per identity", value: 60 };
  return [
    row("edit → Kiểm tra p50 (virtual time)", r.p50Ms, "ms"),
    row("edit → Kiểm tra p95 (virtual time)", r.p95Ms, "ms"),
    row("edits processed", r.covered, "count", { baseline: { label: "edits made", value: r.edits }, target: "all" }),
    row("edits lost", r.lost, "count", { target: "0" }),
    row("edits processed twice", r.processedTwice, "count", { target: "0", note: `${r.duplicateDeliveries} duplicate deliveries absorbed` }),
    row("429s left unhandled", r.leftUnhandled, "count", { target: "0", note: `${r.quotaRefusals} Sheets 429s retried, ${r.storageRefusals} Cloud Storage 1/s refusals retried` }),
    row("peak Sheets reads/min", r.peakReadsPerMinute, "calls/min", { baseline: quota, target: "ratio ≤ 1" }),
    row("peak Sheets writes/min", r.peakWritesPerMinute, "calls/min", { baseline: quota, target: "ratio ≤ 1" }),
    row("wall time", r.wallMs, "ms", { note: `${(r.virtualMs / MINUTE).toFixed(0)} virtual minutes` }),
  ];
}

/**
 * Rows for `npm run bench` (section "simulation"): the province (130 units) in both scenarios,
 * and unless `quick` the nation (3,321 units). Each scenario runs once from a fresh world.
 */
export async function benchSimulation(options: { quick: boolean; units?: number[]; progress?: (line: string) => void }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const units of options.units ?? (options.quick ? [130] : [130, 3321])) {
    const results = await simulate({ units, scenarios: ["working-day", "deadline"], editsPerUnit: units > 1000 ? 1 : 2, ...(options.progress ? { progress: options.progress } : {}) });
    rows.push(...results.flatMap(rowsOf));
  }
  return rows;
}

if (process.argv[1]?.endsWith("bench-simulation.js")) {
  const units = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const progress = (line: string): void => void process.stderr.write(`${line}\n`);
  for (const row of await benchSimulation({ quick: false, progress, ...(units.length ? { units } : {}) })) {
    const ratio = row.baseline ? ` (${((row.value / row.baseline.value) * 100).toFixed(0)}% of ${row.baseline.label} ${row.baseline.value})` : "";
    console.log(`${row.figure.padEnd(72)} ${row.value.toFixed(0).padStart(9)} ${row.unit}${ratio}${row.note ? `  ${row.note}` : ""}`);
  }
}
