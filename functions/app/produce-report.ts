/**
 * Use case: the report of a period. Process the wards, render the town report per
 * programme and the report of each ward, publish them, then send the digest, ward feedback
 * and due reminders, each exactly once (ledger). The same use case serves both runtimes.
 */
import { pathToFileURL } from "node:url";
import { buildTownReportView, buildWardReportView, type DocumentSettings } from "../core/report-views.js";
import { localDate, periodDates, periodTense } from "../core/period.js";
import { periodLabel } from "../core/vi-format.js";
import type { Snapshot } from "../core/aggregate-town.js";
import type { ProgrammeScore } from "../core/score-ward.js";
import { renderBarChartSvg, renderTrendChartSvg } from "../render/charts.js";
import type { TemplateSet } from "../render/templates.js";
import type { Config, WardConfig } from "../config.js";
import type { Clock, DocumentStore, DocumentToPublish, MailMessage, StateStore } from "../ports.js";
import { composeDigest, composeFeedback, composeReminders } from "./compose-messages.js";
import { runTown, type TownPorts, type TownRun } from "./run-town.js";
import { storedRunOf } from "./stored-run.js";
import { type MailPorts, sendOnce, type SendReport } from "./send-mail.js";

/** What publishing a report needs, whatever produced the town run. */
export interface PublishPorts {
  state: Pick<StateStore, "listSnapshots">;
  clock: Clock;
  documents: DocumentStore;
  templates: TemplateSet;
  /** Null for a dry run: messages are composed, nothing is sent. */
  mail: MailPorts | null;
  /** Where town staff find a ward's full list of findings (the local out/kiem-tra files); absent: nowhere. */
  fullListOf?: (wardId: string) => string | null;
}

export interface ReportPorts extends TownPorts, PublishPorts {
  state: StateStore;
}

export interface PublishedDocument {
  key: string;
  title: string;
  location: string;
  pdf: string | null;
}

export interface ReportResult {
  run: TownRun;
  documents: PublishedDocument[];
  messages: MailMessage[];
  delivery: SendReport | null;
  /** When the figures of a closed period re-rendered from its snapshot were computed; null for a run of the current period. */
  archivedFrom: string | null;
}

const TREND_PERIODS = 8;

async function townCharts(run: TownRun, history: readonly Snapshot[], programmeId: string): Promise<{ bar: string; trend: string | null }> {
  const p = run.summary.programmes.find((x) => x.id === programmeId)!;
  const bar = await renderBarChartSvg({ title: p.shortName, categories: p.wards.map((w) => w.name), met: p.wards.map((w) => w.met), total: p.criteria, recognised: p.wards.map((w) => w.recognised) });
  const snaps = history.filter((s) => s.programmes.some((x) => x.id === programmeId)).slice(-TREND_PERIODS);
  if (snaps.length < 2) return { bar, trend: null };
  const trend = await renderTrendChartSvg({
    title: p.shortName,
    periods: snaps.map((s) => periodLabel(s.period)),
    series: p.wards.map((w) => ({ name: w.name, values: snaps.map((s) => s.programmes.find((x) => x.id === programmeId)?.wards.find((x) => x.id === w.id)?.met ?? null) })),
    total: p.criteria,
  });
  return { bar, trend };
}

async function publishDocuments(run: TownRun, config: Config, ports: PublishPorts, issuedAt: Date): Promise<PublishedDocument[]> {
  const settings: DocumentSettings = { agency: config.agency, reports: config.reports };
  const period = run.summary.period;
  const history = (await ports.state.listSnapshots()).filter((s) => s.period <= period);
  const documents: DocumentToPublish[] = [];
  for (const programme of run.summary.programmes) {
    const catalogue = config.catalogues.find((c) => c.id === programme.id)!;
    const scores = new Map<string, ProgrammeScore>(run.wards.flatMap((w) => w.outcome.scores.filter((s) => s.programmeId === programme.id).map((s) => [w.ward.id, s] as const)));
    const view = buildTownReportView({ summary: run.summary, programme, catalogue, scores, settings, issuedAt, charts: await townCharts(run, history, programme.id) });
    documents.push({ key: `town/${programme.id}/${period}`, name: `bao-cao-${programme.id}`, title: `Báo cáo ${catalogue.shortName} (${periodLabel(period)})`, html: ports.templates.render("town-report", view) });
  }
  for (const w of run.wards) {
    const view = buildWardReportView({
      ward: w.ward, period, catalogues: config.catalogues, scores: w.outcome.scores, findings: w.findings, history, settings, issuedAt,
      fullList: ports.fullListOf?.(w.ward.id) ?? null, status: { status: w.outcome.status, reason: w.outcome.reason },
    });
    documents.push({ key: `ward/${w.ward.id}/${period}`, name: `phuong-${w.ward.id}`, title: `Báo cáo phường ${w.ward.name} (${periodLabel(period)})`, html: ports.templates.render("ward-report", view) });
  }
  // Published together: the store decides how many it handles at once.
  return Promise.all(documents.map(async (d) => ({ key: d.key, title: d.title, ...(await ports.documents.publish(period, d)) })));
}

/**
 * Produce and deliver the report of a period: process the wards, then publish.
 *
 * @example await produceReport(config, wards, ports, { period: "2026-W48" })
 */
export async function produceReport(config: Config, wards: readonly WardConfig[], ports: ReportPorts, options: { period?: string } = {}): Promise<ReportResult> {
  const now = ports.clock.now();
  if (options.period !== undefined && periodTense(options.period, now) === "closed" && periodDates(options.period) !== null) {
    const stored = await storedRunOf(config, options.period, ports.state);
    return publishReport(config, stored.run, ports, { archived: stored.generatedAt });
  }
  return publishReport(config, await runTown(wards, config.catalogues, ports, options), ports);
}

/**
 * Publish the documents of a town run and send its messages, each exactly once. A run of a
 * closed period rebuilt from its snapshot (`archived`: when it was computed) republishes the
 * documents as they were issued then and sends nothing: its feedback and reminders are history.
 */
export async function publishReport(config: Config, run: TownRun, ports: PublishPorts, options: { archived?: Date } = {}): Promise<ReportResult> {
  const issuedAt = options.archived ?? ports.clock.now();
  const documents = await publishDocuments(run, config, ports, issuedAt);
  if (options.archived) return { run, documents, messages: [], delivery: null, archivedFrom: options.archived.toISOString() };
  // A local report is a file path: give mail clients a file:// URL they can open.
  const link = (location: string): string => (/^[a-z][a-z0-9+.-]*:\/\//iu.test(location) ? location : pathToFileURL(location).href);
  const links = new Map(documents.filter((d) => d.key.startsWith("town/")).map((d) => [d.key.split("/")[1]!, link(d.location)]));
  const digest = await composeDigest(run, config, ports.templates, links);
  const messages = [
    ...(digest ? [digest] : []),
    ...composeFeedback(run, config, ports.templates),
    ...composeReminders(run, config, ports.templates, localDate(issuedAt)),
  ];
  const delivery = ports.mail ? await sendOnce(messages, { ...ports.mail, clock: ports.clock }) : null;
  return { run, documents, messages, delivery, archivedFrom: null };
}
