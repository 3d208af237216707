/**
 * `tieuchi trail [--ward X] [--period P]`: print the recorded changes and the steps of the review
 * cycle and of closing (submitted, returned, appraised, closed, reopened…) in Vietnamese and write
 * the change log as out/nhat-ky/<kỳ hoặc tat-ca>[-<ward>].xlsx and .csv (formulas neutralised).
 */
import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { readConfig, type WardConfig } from "../functions/config.js";
import { trailEventsOf, trailOf } from "../functions/app/trail-store.js";
import { type TrailNames, trailEventLine, trailLine, trailTable } from "../functions/core/change-trail.js";
import { unitLabel } from "../functions/core/organisation.js";
import { tableToCsv } from "../functions/core/output-table.js";
import { foldKey } from "../sheets-schema/text.js";
import { periodLabel, sentenceCase } from "../functions/core/vi-format.js";
import { UsageError } from "../functions/errors.js";
import { writeFileAtomic } from "../functions/adapters/local/files.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import type { Clock } from "../functions/ports.js";
import { type CliContext, type Io, ioOf } from "./cli-io.js";
import { openLocalState } from "./local-state.js";

/** The configured ward `given` names (its id, name or an alias, accents and case ignored). */
function wardNamed(wards: readonly WardConfig[], given: string): WardConfig {
  const key = foldKey(given);
  const ward = wards.find((w) => foldKey(w.id) === key || foldKey(w.name) === key || w.aliases.some((a) => foldKey(a) === key));
  if (ward) return ward;
  throw new UsageError(`không có phường “${given}” trong cấu hình. Các phường: ${wards.map((w) => w.name).join(", ")}.`);
}

/** `tieuchi trail`: exit 0 (no change recorded is not an error). */
export async function commandTrail(options: { dir: string; period: string | undefined; ward: string | undefined }, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const paths = workspacePaths(options.dir);
  const config = await readConfig(paths.config, ctx.env);
  const ward = options.ward === undefined ? undefined : wardNamed(config.wards, options.ward);
  const { kv } = await openLocalState(options.dir, clock, (line) => ioOf(ctx).err(line));
  const filter = { ...(options.period ? { period: options.period } : {}), ...(ward ? { ward: ward.id } : {}) };
  const [changes, allEvents] = await Promise.all([trailOf(kv, filter), trailEventsOf(kv, filter)]);
  // The closing of a period belongs to every ward's trail; a ward's filter keeps it.
  const events = allEvents.filter((e) => ward === undefined || e.ward === null || e.ward === ward.id);
  const names: TrailNames = {
    ward: (id) => sentenceCase(unitLabel(config.wards.find((w) => w.id === id) ?? { name: id })),
    programme: (id) => config.catalogues.find((c) => c.id === id)?.shortName ?? id,
  };
  const scope = `${options.period ? periodLabel(options.period) : "mọi kỳ"}${ward ? `, ${unitLabel(ward)}` : ""}`;
  if (!changes.length && !events.length) {
    io.out(`Chưa ghi nhận thay đổi nào (${scope}). Nhật ký ghi lại mỗi lần “tieuchi run” thấy kết quả, điểm, minh chứng hoặc thẩm định của một tiêu chí khác lần đọc trước, và mỗi bước đề nghị, trả lại, thẩm định, chốt, mở lại.`);
    return 0;
  }
  io.out(`Nhật ký thay đổi (${scope}): ${changes.length} thay đổi${events.length ? `, ${events.length} bước thẩm định và chốt kỳ` : ""}.`);
  const lines = [...changes.map((c) => ({ at: c.at, text: trailLine(c, names) })), ...events.map((e) => ({ at: e.at, text: trailEventLine(e, names) }))];
  lines.sort((a, b) => a.at.localeCompare(b.at)).forEach((l) => io.out(`  ${l.text}`));
  const table = trailTable(changes, names, events);
  const folder = join(paths.out, "nhat-ky");
  const base = join(folder, `${options.period ?? "tat-ca"}${ward ? `-${ward.id}` : ""}`);
  await mkdir(folder, { recursive: true });
  const { renderTableXlsx } = await import("../functions/adapters/local/table-xlsx.js"); // exceljs only for this command
  await writeFileAtomic(`${base}.xlsx`, await renderTableXlsx(table, { creator: "tieuchi", created: clock.now() }), { durable: false });
  await writeFileAtomic(`${base}.csv`, tableToCsv(table), { durable: false });
  const rel = (p: string): string => relative(ctx.cwd, p) || p;
  io.out(`Đã ghi ${rel(`${base}.xlsx`)} (mở bằng Excel) và ${rel(`${base}.csv`)}.`);
  return 0;
}
