/**
 * Every document of a period's run, as data: the town report of each programme and the notice
 * to each ward, with the key each is published and numbered under, its file name and title.
 * The use case allocates the numbers (I/O) for `numberRequests(…)` and passes them back in;
 * renderers walk the views. Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { Snapshot, TownSummary, WardOutcome } from "./aggregate-town.js";
import type { UnitIndex } from "./chart-selection.js";
import type { DocumentKind, DocumentView } from "./document-blocks.js";
import type { DocumentSettings, NumberRequest } from "./document-frame.js";
import type { Finding } from "./findings.js";
import { type UnitKind, unitKindOf, unitLabel } from "./organisation.js";
import { localDate } from "./period.js";
import { buildRecognitionProposal, proposalOf } from "./recognition-proposal.js";
import type { ProgrammeScore } from "./score-ward.js";
import { buildTownDocument } from "./town-document.js";
import { buildWardDocument } from "./ward-document.js";
import type { WardTrail } from "./ward-review.js";
import type { Runtime } from "./vocabulary.js";
import { periodLabel } from "./vi-format.js";

/** One document to publish. */
export interface RunDocument {
  /** "town/<programme>/<period>", "proposal/<programme>/<period>", "ward/<ward>/<period>": where it is published and numbered. */
  key: string;
  /** File name without extension: "bao-cao-<programme>", "to-trinh-<programme>", "phuong-<ward>" ("xa-<ward>" for a xã). */
  name: string;
  /** "Báo cáo Công an phường điển hình, kiểu mẫu (tháng 11/2026)". */
  title: string;
  kind: DocumentKind;
  view: DocumentView;
}

export interface RunDocumentsInput {
  summary: TownSummary;
  wards: ReadonlyArray<{ ward: { id: string; name: string; kind?: UnitKind | undefined }; outcome: WardOutcome; findings: readonly Finding[] }>;
  catalogues: readonly Catalogue[];
  /** Stored snapshots; each document keeps those of its period's kind before it. */
  history: readonly Snapshot[];
  settings: DocumentSettings;
  issuedAt: Date;
  /** Numbers allocated by key (sequence mode); a document without one is left blank. */
  numbers: ReadonlyMap<string, number>;
  units?: UnitIndex;
  runtime?: Runtime;
  /** Where town staff find a ward's full list of findings; absent: nowhere. */
  fullListOf?: (wardId: string) => string | null;
  /** This period's trail of a ward (its notice lists the newest entries); absent: no history table. */
  trailOf?: (wardId: string) => WardTrail | null;
}

/** The file name prefix of a unit's notice: "phuong-nghi-hoa", "xa-nghi-loc". */
const NOTICE_PREFIX: Record<UnitKind, string> = { "phường": "phuong", "xã": "xa", "đặc khu": "dac-khu", "thị trấn": "thi-tran" };

const townKey = (programmeId: string, period: string): string => `town/${programmeId}/${period}`;
const proposalKey = (programmeId: string, period: string): string => `proposal/${programmeId}/${period}`;
const wardKey = (wardId: string, period: string): string => `ward/${wardId}/${period}`;

/**
 * What to number for a run, in the order documents are listed (programmes, their recognition
 * proposals where a unit qualifies, then wards); empty in blank mode.
 *
 * @example numberRequests({ summary, wardIds: ["nghi-hoa"], issuedAt, settings })[1] // → { key: "ward/nghi-hoa/2026-11", kind: "ward-notice", year: 2026, start: 1 }
 */
export function numberRequests(input: { summary: TownSummary; wardIds: readonly string[]; issuedAt: Date; settings: DocumentSettings }): NumberRequest[] {
  const { numbering } = input.settings.reports;
  if (numbering.mode === "blank") return [];
  const year = Number(localDate(input.issuedAt).slice(0, 4));
  const period = input.summary.period;
  return [
    ...input.summary.programmes.map((p) => ({ key: townKey(p.id, period), kind: "town-report" as const, year, start: numbering.start })),
    ...input.summary.programmes.filter((p) => proposalOf(p).length).map((p) => ({ key: proposalKey(p.id, period), kind: "recognition-proposal" as const, year, start: numbering.start })),
    ...input.wardIds.map((id) => ({ key: wardKey(id, period), kind: "ward-notice" as const, year, start: numbering.start })),
  ];
}

function trailOf(input: RunDocumentsInput, wardId: string): { trail?: WardTrail } {
  const trail = input.trailOf?.(wardId) ?? null;
  return trail ? { trail } : {};
}

/**
 * The documents of a run: one town report per programme, its recognition proposal (TỜ TRÌNH)
 * when at least one unit qualifies on appraised results, one notice per ward.
 *
 * @example buildRunDocuments({ summary, wards, catalogues, history, settings, issuedAt, numbers: new Map() }).map((d) => d.name)
 * // → ["bao-cao-ca-phuong-dien-hinh", "bao-cao-phuong-bao-ve-antq", "phuong-nghi-hai", …]
 */
export function buildRunDocuments(input: RunDocumentsInput): RunDocument[] {
  const { summary, settings, issuedAt } = input;
  const period = summary.period;
  const extra = input.runtime ? { runtime: input.runtime } : {};
  const units = input.units ? { units: input.units } : {};
  const towns = summary.programmes.flatMap((programme): RunDocument[] => {
    const catalogue = input.catalogues.find((c) => c.id === programme.id);
    if (!catalogue) return [];
    const scores = new Map<string, ProgrammeScore>(input.wards.flatMap((w) => w.outcome.scores.filter((s) => s.programmeId === programme.id).map((s) => [w.ward.id, s] as const)));
    const key = townKey(programme.id, period);
    const view = buildTownDocument({ summary, programme, catalogue, scores, history: input.history, settings, issuedAt, number: input.numbers.get(key) ?? null, ...units, ...extra });
    return [{ key, name: `bao-cao-${programme.id}`, title: `Báo cáo ${catalogue.shortName} (${periodLabel(period)})`, kind: "town-report", view }];
  });
  const proposals = summary.programmes.flatMap((programme): RunDocument[] => {
    const catalogue = input.catalogues.find((c) => c.id === programme.id);
    if (!catalogue || !proposalOf(programme).length) return [];
    const key = proposalKey(programme.id, period);
    const view = buildRecognitionProposal({ summary, programme, catalogue, settings, issuedAt, number: input.numbers.get(key) ?? null, ...units });
    return [{ key, name: `to-trinh-${programme.id}`, title: `Tờ trình đề nghị công nhận ${catalogue.shortName} (${periodLabel(period)})`, kind: "recognition-proposal", view }];
  });
  const notices = input.wards.map((w): RunDocument => {
    const key = wardKey(w.ward.id, period);
    const view = buildWardDocument({
      ward: w.ward, period, catalogues: input.catalogues, scores: w.outcome.scores, findings: w.findings, history: input.history, settings, issuedAt,
      number: input.numbers.get(key) ?? null, fullList: input.fullListOf?.(w.ward.id) ?? null, status: { status: w.outcome.status, reason: w.outcome.reason }, ...extra,
      ...(w.outcome.review ? { review: w.outcome.review } : {}), ...trailOf(input, w.ward.id),
    });
    return { key, name: `${NOTICE_PREFIX[unitKindOf(w.ward)]}-${w.ward.id}`, title: `Thông báo ${unitLabel(w.ward)} (${periodLabel(period)})`, kind: "ward-notice", view };
  });
  return [...towns, ...proposals, ...notices];
}
