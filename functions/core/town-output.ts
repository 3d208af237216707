/**
 * Plain outputs of the town picture: summary.json, summary.csv and the terminal table.
 * Pure formatting; the Vietnamese labels are what town staff read.
 */
import type { ProgrammeSummary, TownSummary } from "./aggregate-town.js";
import { numberVi } from "./vi-format.js";
import { MET_ALL_LABEL, WARD_STATUS_LABEL } from "./vocabulary.js";

/** summary.json: the documented shape first, richer fields after it. */
export function toSummaryJson(summary: TownSummary): unknown {
  return {
    period: summary.period,
    generatedAt: summary.generatedAt,
    previousPeriod: summary.previousPeriod,
    programmes: summary.programmes.map((p) => ({
      id: p.id,
      name: p.name,
      criteria: p.criteria,
      wards: p.wards.map((w) => ({
        id: w.id,
        name: w.name,
        met: w.met,
        total: w.total,
        recognised: w.recognised,
        errors: w.errors,
        status: w.status,
        points: w.points,
        maxPoints: w.maxPoints,
        band: w.band,
        warnings: w.warnings,
        leftOut: w.leftOut,
        change: w.change,
      })),
      recognisedCount: p.recognisedCount,
      ranking: p.ranking.map((r) => ({ code: r.code, notMet: r.notMet, wards: r.wards })),
      completeness: p.completeness,
      change: p.change,
    })),
  };
}

/** One CSV field, quoted when it needs to be (RFC 4180). */
export function csvField(value: string | number | boolean | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n;]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/** CSV text with a UTF-8 BOM so Excel on Windows shows the Vietnamese correctly. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** summary.csv: one line per programme and ward. */
export function toSummaryCsv(summary: TownSummary): string {
  const header = ["Kỳ", "Mã đề án", "Đề án", "Mã phường", "Phường", "Số tiêu chí đạt", "Tổng số tiêu chí", "Điểm tự chấm", "Điểm tối đa", "Xếp loại", MET_ALL_LABEL, "Số lỗi", "Số cảnh báo", "Tình trạng"];
  const rows = summary.programmes.flatMap((p) =>
    p.wards.map((w) => [
      summary.period, p.id, p.shortName, w.id, w.name, w.met, w.total,
      w.points === null ? null : numberVi(w.points), w.maxPoints, w.band, w.recognised ? "Có" : "Không", w.errors, w.warnings, WARD_STATUS_LABEL[w.status],
    ]),
  );
  return toCsv([header, ...rows]);
}

function width(text: string): number {
  return Array.from(text.normalize("NFC")).length;
}

function pad(text: string, size: number, align: "left" | "right" = "left"): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return align === "left" ? text + fill : fill + text;
}

function wardCell(p: ProgrammeSummary, wardId: string): string {
  const w = p.wards.find((x) => x.id === wardId);
  if (!w) return "";
  if (w.status !== "ok") return WARD_STATUS_LABEL[w.status];
  if (!w.filled) return "chưa điền";
  const change = w.change && w.change.met !== 0 ? ` (${w.change.met > 0 ? "+" : ""}${w.change.met})` : "";
  return `${w.met}/${w.total}${w.recognised ? " ✓" : ""}${change}`;
}

/**
 * The ward × programme table printed by `tieuchi run`, with a totals line.
 *
 * @example formatTownTable(summary) // "Phường      CA phường kiểu mẫu  …  Lỗi\nNghi Hải    20/22 …"
 */
export function formatTownTable(summary: TownSummary): string {
  const programmes = summary.programmes;
  const wards = programmes[0]?.wards ?? [];
  const errorsOf = (id: string): number => programmes.reduce((sum, p) => sum + (p.wards.find((w) => w.id === id)?.errors ?? 0), 0);
  const header = ["Phường", ...programmes.map((p) => p.tabTitle), "Lỗi"];
  const body = wards.map((w) => [w.name, ...programmes.map((p) => wardCell(p, w.id)), String(errorsOf(w.id))]);
  const footer = [MET_ALL_LABEL, ...programmes.map((p) => `${p.recognisedCount}/${p.wardCount} phường`), ""];
  const rows = [header, ...body, footer];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? ""))));
  const line = (r: string[]): string => r.map((cell, c) => pad(cell, widths[c] ?? 0, c === r.length - 1 ? "right" : "left")).join("  ").trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(header), rule, ...body.map(line), rule, line(footer)].join("\n");
}
