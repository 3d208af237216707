/**
 * Which charts a programme's results are drawn as, so that a chart stays readable at 7, 130 or
 * 3,000 units: up to CHART_CAP units, one bar per unit; above, the top and bottom units by
 * criteria met (named), the distribution of units by criteria met, and a summary per group. No
 * bar chart has more than CHART_CAP categories, so none grows with the number of units; the
 * full list belongs in the annex table. A unit without a usable self-assessment is never a 0: a
 * labelled gap in a per-unit chart, its own bucket in the distribution. Pure.
 */
import { type ProgrammeSummary, type Snapshot, type WardRow, isAssessed, wasAssessed } from "./aggregate-town.js";
import type { BarChartSpec, TrendChartSpec } from "./document-blocks.js";
import { type UnitKind, unitKindOf, unitLabel, unitsNoun } from "./organisation.js";
import { recognisedOf } from "./review-summary.js";
import { numberVi, sentenceCase } from "./vi-format.js";
import { MET_ALL_LABEL, WARD_STATUS_SHORT, periodLabel } from "./vocabulary.js";

/** The most categories a bar chart gets, at any number of units. */
export const CHART_CAP = 25;
/** How many units the top and the bottom charts name. */
const EDGE = 10;
/** Up to this many units, the trend draws one line per unit. */
const TREND_LINES = 8;
const NOT_SENT = WARD_STATUS_SHORT.missing;
const UNREADABLE = WARD_STATUS_SHORT.unreadable;
const UNITS_AXIS = "Số đơn vị";

/** What the organisation says about a unit beyond its figures: its kind and its group (cụm, former district). */
export interface UnitInfo {
  kind?: UnitKind | undefined;
  group?: string | undefined;
}

/** Unit facts by unit (ward) id; a unit missing from it is a phường without a group. */
export type UnitIndex = ReadonlyMap<string, UnitInfo>;

/**
 * The unit index of configured units (config.wards).
 *
 * @example unitIndexOf([{ id: "nghi-loc", kind: "xã", group: "Cụm 1" }]).get("nghi-loc") // → { kind: "xã", group: "Cụm 1" }
 */
export function unitIndexOf(units: ReadonlyArray<{ id: string } & UnitInfo>): UnitIndex {
  return new Map(units.map((u) => [u.id, { kind: u.kind, group: u.group }]));
}

interface Unit {
  row: WardRow;
  label: string;
  kind: UnitKind;
  group: string | null;
}

const collator = new Intl.Collator("vi");
const groupOrder = new Intl.Collator("vi", { numeric: true });

function unitsOf(programme: ProgrammeSummary, index: UnitIndex): Unit[] {
  const kinds = programme.wards.map((w) => unitKindOf(index.get(w.id) ?? {}));
  const mixed = new Set(kinds).size > 1;
  return programme.wards.map((row, i) => {
    const info = index.get(row.id) ?? {};
    const kind = kinds[i]!;
    return { row, kind, label: mixed ? unitLabel({ name: row.name, kind }) : row.name, group: info.group ?? null };
  });
}

interface BarEntry {
  label: string;
  value: number | null;
  highlight: boolean;
  /** Why the value is a gap, when it is not "Chưa gửi". */
  gap?: string;
}

function barChart(title: string, entries: readonly BarEntry[], max: number, extra: Partial<BarChartSpec> = {}): BarChartSpec {
  const gaps = entries.map((e) => e.gap ?? null);
  return {
    kind: "bar",
    title,
    categories: entries.map((e) => e.label),
    values: entries.map((e) => e.value),
    max,
    highlight: entries.map((e) => e.highlight),
    gapLabel: NOT_SENT,
    ...(gaps.some((g) => g !== null) ? { gapLabels: gaps } : {}),
    ...extra,
  };
}

const unitBar = (u: Unit): BarEntry => ({
  label: u.label,
  value: isAssessed(u.row) ? u.row.met : null,
  highlight: recognisedOf(u.row),
  ...(u.row.status === "unreadable" ? { gap: UNREADABLE } : {}),
});

/** Assessed units, most criteria met first, then most points, then by name. */
function ranked(units: readonly Unit[]): Unit[] {
  return units
    .filter((u) => isAssessed(u.row))
    .sort((a, b) => b.row.met - a.row.met || (b.row.points ?? 0) - (a.row.points ?? 0) || collator.compare(a.row.name, b.row.name) || collator.compare(a.label, b.label));
}

/** "; còn 5 xã, phường khác cũng đạt 22/22" when the cut at the edge splits a tie. */
function tieNote(all: readonly Unit[], shown: readonly Unit[], edge: Unit | undefined, total: number): string {
  if (!edge) return "";
  const tied = all.filter((u) => u.row.met === edge.row.met && !shown.includes(u));
  return tied.length ? `; còn ${numberVi(tied.length, 0)} ${unitsNoun(tied.map((u) => u.kind))} khác cũng đạt ${edge.row.met}/${total}` : "";
}

function rankCharts(programme: ProgrammeSummary, units: readonly Unit[], noun: string): BarChartSpec[] {
  const order = ranked(units);
  const total = programme.criteria;
  if (order.length <= CHART_CAP) {
    return order.length ? [barChart(`${programme.shortName}: ${order.length} ${noun} đã gửi bảng tự đánh giá`, order.map(unitBar), total)] : [];
  }
  const top = order.slice(0, EDGE);
  const bottom = order.slice(-EDGE);
  return [
    barChart(`${programme.shortName}: ${EDGE} ${noun} đạt nhiều tiêu chí nhất${tieNote(order, top, top.at(-1), total)}`, top.map(unitBar), total),
    barChart(`${programme.shortName}: ${EDGE} ${noun} đạt ít tiêu chí nhất${tieNote(order, bottom, bottom[0], total)}`, bottom.map(unitBar), total),
  ];
}

/**
 * Buckets of criteria met, at most CHART_CAP − 2 of them: one per count when they fit, else
 * ranges of equal width; the full count is always a bucket of its own.
 */
function metBuckets(total: number): Array<{ from: number; to: number }> {
  const room = CHART_CAP - 2 - 1;
  const width = Math.max(1, Math.ceil(total / room));
  const buckets: Array<{ from: number; to: number }> = [];
  for (let from = 0; from < total; from += width) buckets.push({ from, to: Math.min(total - 1, from + width - 1) });
  buckets.push({ from: total, to: total });
  return buckets;
}

function distributionChart(programme: ProgrammeSummary, units: readonly Unit[], noun: string): BarChartSpec {
  const total = programme.criteria;
  const counts = metBuckets(total).map((b) => ({
    label: b.from === b.to ? `${b.from}/${total}` : `${b.from}–${b.to}/${total}`,
    value: units.filter((u) => isAssessed(u.row) && u.row.met >= b.from && u.row.met <= b.to).length,
    highlight: b.from === total,
  }));
  const unreadable = units.filter((u) => u.row.status === "unreadable").length;
  const notSent = units.filter((u) => !isAssessed(u.row) && u.row.status !== "unreadable").length;
  const entries = [...counts, { label: NOT_SENT, value: notSent, highlight: false }, ...(unreadable ? [{ label: UNREADABLE, value: unreadable, highlight: false }] : [])];
  const max = Math.max(1, ...entries.map((e) => e.value));
  return barChart(`${programme.shortName}: phân bố ${numberVi(units.length, 0)} ${noun} theo số tiêu chí đạt`, entries, max, { axisName: UNITS_AXIS, fullMark: false });
}


/** Groups as configured (cụm, former district); without groups, the kinds when they are mixed. */
function groupsOf(units: readonly Unit[]): Map<string, Unit[]> {
  const byGroup = new Map<string, Unit[]>();
  const configured = units.some((u) => u.group !== null);
  for (const u of units) {
    const key = configured ? (u.group ?? "Chưa xếp nhóm") : sentenceCase(u.kind);
    const members = byGroup.get(key);
    if (members) members.push(u);
    else byGroup.set(key, [u]);
  }
  return byGroup;
}

function groupCharts(programme: ProgrammeSummary, units: readonly Unit[]): BarChartSpec[] {
  // Groups in their natural order ("Cụm 2" before "Cụm 10"), as the office lists them.
  const named = [...groupsOf(units)].sort(([a], [b]) => groupOrder.compare(a, b));
  const groups = named.map(([name, members]) => {
    const assessed = members.filter((u) => isAssessed(u.row));
    const average = assessed.length ? Math.round((assessed.reduce((sum, u) => sum + u.row.met, 0) / assessed.length) * 10) / 10 : null;
    return { label: `${name} (${assessed.length}/${members.length} đã gửi)`, value: average, highlight: members.every((u) => u.row.recognised) };
  });
  if (groups.length < 2) return [];
  const title = `${programme.shortName}: bình quân số tiêu chí đạt theo nhóm`;
  if (groups.length <= CHART_CAP) return [barChart(title, groups, programme.criteria)];
  const order = groups.filter((g) => g.value !== null).sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || collator.compare(a.label, b.label));
  return [barChart(`${title}, ${EDGE} nhóm cao nhất`, order.slice(0, EDGE), programme.criteria), barChart(`${title}, ${EDGE} nhóm thấp nhất`, order.slice(-EDGE), programme.criteria)];
}

/**
 * The bar charts of one programme's results, bounded at any number of units.
 *
 * @example selectTownCharts(programme, new Map()) // 7 wards → [one bar per ward]
 * @example selectTownCharts(province, units) // 130 units → [top 10, bottom 10, distribution, per group]
 */
export function selectTownCharts(programme: ProgrammeSummary, index: UnitIndex = new Map()): BarChartSpec[] {
  const units = unitsOf(programme, index);
  const noun = unitsNoun(units.map((u) => u.kind));
  if (units.length <= CHART_CAP) return [barChart(`${programme.shortName}: số tiêu chí đạt của từng ${noun}`, units.map(unitBar), programme.criteria)];
  return [...rankCharts(programme, units, noun), distributionChart(programme, units, noun), ...groupCharts(programme, units)];
}

/**
 * The one chart of a programme an email carries (its size must not grow with the units): the
 * per-unit chart up to CHART_CAP units, else the distribution of units by criteria met.
 */
export function selectDigestChart(programme: ProgrammeSummary, index: UnitIndex = new Map()): BarChartSpec {
  const charts = selectTownCharts(programme, index);
  return charts.find((c) => c.axisName === UNITS_AXIS) ?? charts[0]!;
}

/**
 * The trend of a programme over its last periods (snapshots ≤ the current period, of one period
 * kind, oldest first), or null with fewer than two: one line per unit up to TREND_LINES units,
 * else one line of how many units met every criterion. A unit not assessed in a period is a gap.
 */
export function selectTrendChart(programme: ProgrammeSummary, history: readonly Snapshot[], index: UnitIndex = new Map()): TrendChartSpec | null {
  const snaps = history.flatMap((s) => s.programmes.filter((p) => p.id === programme.id).map((p) => ({ period: s.period, wards: new Map(p.wards.map((w) => [w.id, w])) })));
  if (snaps.length < 2) return null;
  const units = unitsOf(programme, index);
  const periods = snaps.map((s) => periodLabel(s.period));
  if (units.length <= TREND_LINES) {
    const series = units.map((u) => ({ name: u.label, values: snaps.map((s) => { const w = s.wards.get(u.row.id); return w && wasAssessed(w) ? w.met : null; }) }));
    return { kind: "trend", title: `${programme.shortName}: số tiêu chí đạt qua các kỳ`, periods, series, max: programme.criteria };
  }
  const noun = unitsNoun(units.map((u) => u.kind));
  const values = snaps.map((s) => [...s.wards.values()].filter((w) => w.recognised).length);
  return {
    kind: "trend",
    title: `${programme.shortName}: số ${noun} ${MET_ALL_LABEL.toLowerCase()} qua các kỳ`,
    periods,
    series: [{ name: `Số ${noun} ${MET_ALL_LABEL.toLowerCase()}`, values }],
    max: Math.max(units.length, ...values),
    axisName: UNITS_AXIS,
    fullMark: false,
  };
}
