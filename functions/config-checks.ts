/**
 * Checks across entries of the configuration, run on the raw YAML data beside zod so one pass
 * lists them together with the field problems: ids, names and workbook files unique across
 * wards, and a ward's dates in order.
 */
import { join, resolve } from "node:path";
import { type SchemaProblem, duplicateIndexes } from "../sheets-schema/catalogue.js";
import { foldKey } from "../sheets-schema/text.js";
import { dateProblem } from "./config-fields.js";
import { UNIT_KINDS } from "./core/organisation.js";

type Entry = Record<string, unknown>;

function listAt(data: unknown, key: string): Entry[] {
  const value = typeof data === "object" && data !== null ? (data as Entry)[key] : undefined;
  return Array.isArray(value) ? value.map((v) => (typeof v === "object" && v !== null ? (v as Entry) : {})) : [];
}

/** "phường nghi-hoa (wards[1])", "xã nghi-loc (wards[3])": the entry as its kind names it. */
const label = (ward: Entry, index: number): string => (typeof ward.id === "string" ? `${kindOf(ward)} ${ward.id} (wards[${index}])` : `wards[${index}]`);

/** The entry's kind when it is a valid one, else the default "phường". */
const kindOf = (ward: Entry): string => (typeof ward.kind === "string" && (UNIT_KINDS as readonly string[]).includes(ward.kind) ? ward.kind : "phường");

/** Names and aliases compare on the folded key: "Nghi Hòa" and "Nghi Hoà" are one name. */
function nameClashes(wards: readonly Entry[]): SchemaProblem[] {
  const seen = new Map<string, { ward: number; text: string; path: string }>();
  const problems: SchemaProblem[] = [];
  wards.forEach((ward, index) => {
    const aliases = Array.isArray(ward.aliases) ? (ward.aliases as unknown[]) : [];
    const names: Array<[unknown, string]> = [[ward.name, `wards[${index}].name`], ...aliases.map((a, j): [unknown, string] => [a, `wards[${index}].aliases[${j}]`])];
    for (const [name, path] of names) {
      if (typeof name !== "string" || !foldKey(name)) continue;
      const key = foldKey(name);
      const first = seen.get(key);
      if (!first) seen.set(key, { ward: index, text: name, path });
      else if (first.ward !== index) {
        const what = path.endsWith(".name") ? "tên phường" : "tên khác (alias)";
        problems.push({ path, message: `${what} “${name}” trùng với “${first.text}” của ${label(wards[first.ward]!, first.ward)} ở ${first.path}: không biết tệp ghi tên này là của phường nào; hãy bỏ hoặc sửa một trong hai` });
      }
    }
  });
  return problems;
}

/** Two wards on one workbook: `file` (or the default wards/<id>.xlsx) resolved against the config folder. */
function fileClashes(wards: readonly Entry[], baseDir: string): SchemaProblem[] {
  const seen = new Map<string, number>();
  return wards.flatMap((ward, index) => {
    const file = typeof ward.file === "string" && ward.file ? ward.file : typeof ward.id === "string" ? join("wards", `${ward.id}.xlsx`) : null;
    if (file === null) return [];
    // Case and Unicode form folded: on Windows and macOS these name one file.
    const key = resolve(baseDir, file).normalize("NFC").toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return [];
    }
    if (typeof ward.id === "string" && wards[first]?.id === ward.id) return []; // reported as a duplicate id
    const path = typeof ward.file === "string" ? `wards[${index}].file` : `wards[${index}].id`;
    return [{ path, message: `tệp “${file}” đã là tệp của ${label(wards[first]!, first)}: mỗi phường cần một tệp riêng; hãy sửa khóa file` }];
  });
}

function dateOrderAt(entry: Entry, path: string, who: string): SchemaProblem[] {
  const { effectiveFrom: from, effectiveTo: to } = entry;
  if (typeof from !== "string" || typeof to !== "string" || dateProblem(from) || dateProblem(to) || from <= to) return [];
  return [{ path: `${path}.effectiveTo`, message: `ngày kết thúc ${to} trước ngày bắt đầu ${from} (effectiveFrom): ${who} sẽ không có mặt trong kỳ nào; hãy đổi lại cho đúng thứ tự` }];
}

function dateOrder(data: unknown, wards: readonly Entry[]): SchemaProblem[] {
  const organisation = typeof data === "object" && data !== null ? (data as Entry).organisation : undefined;
  const own = typeof organisation === "object" && organisation !== null ? dateOrderAt(organisation as Entry, "organisation", "đơn vị chủ quản") : [];
  return [...own, ...wards.flatMap((ward, index) => dateOrderAt(ward, `wards[${index}]`, kindOf(ward)))];
}

function duplicateStages(data: unknown): SchemaProblem[] {
  const schedule = typeof data === "object" && data !== null ? (data as Entry).schedule : undefined;
  return listAt(schedule, "deadlines").flatMap((deadline, index) => {
    const days = Array.isArray(deadline.remindDaysBefore) ? (deadline.remindDaysBefore as unknown[]) : [];
    const repeated = days.flatMap((d, j) => (typeof d === "number" && days.indexOf(d) !== j ? [j] : []));
    return repeated.map((j) => ({ path: `schedule.deadlines[${index}].remindDaysBefore[${j}]`, message: `mốc ${String(days[j])} ngày bị lặp` }));
  });
}

const emailsAt = (data: unknown, section: string, key: string): unknown[] => {
  const parent = typeof data === "object" && data !== null ? (data as Entry)[section] : undefined;
  const list = typeof parent === "object" && parent !== null ? (parent as Entry)[key] : undefined;
  return Array.isArray(list) ? list : [];
};

/** An appraisal deadline reminds the office: review.office, or else recipients.leadership, must name someone. */
function appraisalWithoutOffice(data: unknown): SchemaProblem[] {
  if (emailsAt(data, "review", "office").length || emailsAt(data, "recipients", "leadership").length) return [];
  const schedule = typeof data === "object" && data !== null ? (data as Entry).schedule : undefined;
  return listAt(schedule, "deadlines").flatMap((deadline, index) =>
    deadline.step === "appraisal"
      ? [{ path: `schedule.deadlines[${index}].step`, message: "hạn thẩm định nhắc cơ quan thẩm định nhưng chưa có ai nhận thư nhắc: ghi địa chỉ thư vào review.office (hoặc recipients.leadership)" }]
      : [],
  );
}

/** An address both appraises and is a ward's contact: the ward could then appraise itself. */
function appraiserIsContact(data: unknown, wards: readonly Entry[]): SchemaProblem[] {
  const contacts = new Map<string, string>();
  wards.forEach((ward, index) => {
    const list = Array.isArray(ward.contacts) ? (ward.contacts as unknown[]) : [];
    for (const c of list) {
      const email = typeof c === "object" && c !== null ? (c as Entry).email : undefined;
      if (typeof email === "string" && !contacts.has(email.trim().toLowerCase())) contacts.set(email.trim().toLowerCase(), label(ward, index));
    }
  });
  return emailsAt(data, "review", "appraisers").flatMap((email, index) => {
    const owner = typeof email === "string" ? contacts.get(email.trim().toLowerCase()) : undefined;
    return owner ? [{ path: `review.appraisers[${index}]`, message: `“${String(email).trim()}” vừa là người thẩm định vừa là địa chỉ liên hệ của ${owner}: phường không được tự thẩm định kết quả của mình; hãy bỏ địa chỉ này ở một trong hai nơi` }] : [];
  });
}

/**
 * Every check across entries of raw config data. Paths resolve against `baseDir` (the config's
 * folder) only to compare workbook files.
 *
 * @example crossCheckConfig({ wards: [{ id: "a", name: "Nghi Hòa" }, { id: "b", name: "Nghi Hoà" }] }, "/ws")
 * // → [{ path: "wards[1].name", message: "tên phường “Nghi Hoà” trùng với “Nghi Hòa” …" }]
 */
export function crossCheckConfig(data: unknown, baseDir: string): SchemaProblem[] {
  const wards = listAt(data, "wards");
  const programmes = listAt(data, "programmes");
  return [
    ...duplicateIndexes(wards.map((w) => w.id)).map((i) => ({ path: `wards[${i}].id`, message: `mã phường “${String(wards[i]?.id)}” bị trùng: mỗi phường cần một mã riêng` })),
    ...nameClashes(wards),
    ...fileClashes(wards, baseDir),
    ...dateOrder(data, wards),
    ...duplicateIndexes(programmes.map((p) => p.id)).map((i) => ({ path: `programmes[${i}].id`, message: `mã đề án “${String(programmes[i]?.id)}” bị trùng` })),
    ...duplicateStages(data),
    ...appraisalWithoutOffice(data),
    ...appraiserIsContact(data, wards),
  ];
}
