/**
 * Mistakes as ward staff make them, on the workbook as a reader delivers it: merging a note
 * across rows, copying a tab "to try", typing 9/10 in a points cell, pasting codes from Word.
 * Each case says what the clerk did, then what they must be told (and what must stay silent).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { CellValue, RawSheet, RawWorkbook } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { Finding } from "../../../functions/core/findings.js";
import { findingMessage } from "../../../functions/core/messages.js";
import type { WardIdentity } from "../../../functions/core/ward-identity.js";
import { P1, P2, allMetWorkbook, builtinCatalogues, withCell } from "../../fixtures/workbooks.js";

const TAB1 = "CA phường kiểu mẫu";
const TAB2 = "Phong trào toàn dân BVANTQ";
const WARD: WardIdentity = { id: "nghi-huong", name: "Nghi Hương", aliases: [] };

let catalogues: Catalogue[];
let clean: RawWorkbook;
beforeAll(async () => {
  catalogues = await builtinCatalogues();
  clean = allMetWorkbook(catalogues);
});

type Change = (wb: RawWorkbook) => RawWorkbook;
const all = (...changes: Change[]): Change => (wb) => changes.reduce((acc, change) => change(acc), wb);
const set = (tab: string, a1: string, value: CellValue): Change => (wb) => withCell(wb, tab, a1, value);
const onTab = (tab: string, edit: (s: RawSheet) => RawSheet): Change => (wb) => ({ sheets: wb.sheets.map((s) => (s.title === tab ? edit(s) : s)) });

/** Merge a range. `reader: "exceljs"` repeats the top-left value in every cell, as exceljs reads it; "empty" leaves them empty (openpyxl, LibreOffice). */
const merge = (tab: string, range: string, reader: "exceljs" | "empty" = "exceljs"): Change =>
  onTab(tab, (s) => {
    const [from = "", to = from] = range.split(":");
    const [c1, r1] = [from.charCodeAt(0) - 65, Number(from.slice(1)) - 1];
    const [c2, r2] = [to.charCodeAt(0) - 65, Number(to.slice(1)) - 1];
    const rows = s.rows.map((r) => [...r]);
    const top = rows[r1]?.[c1] ?? null;
    for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) if (r !== r1 || c !== c1) (rows[r] ??= [])[c] = reader === "exceljs" ? top : null;
    return { ...s, rows, merges: [...(s.merges ?? []), range] };
  });
const format = (tab: string, a1: string, code: string): Change => onTab(tab, (s) => ({ ...s, numberFormats: { ...s.numberFormats, [a1]: code } }));
const copyTab = (tab: string, title: string, edit: Change = (wb) => wb): Change => (wb) => {
  const sheet = wb.sheets.find((s) => s.title === tab);
  return sheet ? edit({ sheets: [...wb.sheets, { ...sheet, title }] }) : wb;
};
const renameTab = (tab: string, title: string): Change => onTab(tab, (s) => ({ ...s, title }));
const deleteTab = (tab: string): Change => (wb) => ({ sheets: wb.sheets.filter((s) => s.title !== tab) });

type Expected = Pick<Finding, "code" | "severity" | "tab" | "cell"> & { says?: RegExp; never?: RegExp };
interface Case {
  did: string;
  change: Change;
  /** Exactly the findings expected (code, severity, tab, cell), in order. */
  told: Expected[];
}

const evaluate = (wb: RawWorkbook) => evaluateWorkbook(wb, catalogues, WARD);

const MERGES: Case[] = [
  { did: "merges Ghi chú of TC06 down across the group II heading to TC07 and writes one note (read by exceljs)", change: all(set(TAB1, "H14", "Chung cho hai tiêu chí"), merge(TAB1, "H14:H16")), told: [] },
  { did: "the same merged note, read by a reader that leaves covered cells empty", change: all(set(TAB1, "H14", "Chung cho hai tiêu chí"), merge(TAB1, "H14:H16", "empty")), told: [] },
  { did: "writes a note on the group II heading and merges it down over TC07–TC09", change: all(set(TAB1, "H15", "Cả nhóm II đang rà soát"), merge(TAB1, "H15:H18")), told: [] },
  { did: "merges Minh chứng with Ghi chú on one row to have a wider cell", change: merge(TAB1, "G9:H9"), told: [] },
  { did: "merges the ward-name cell over three columns", change: merge(TAB1, "C3:E3"), told: [] },
  { did: "merges the whole title row", change: merge(TAB1, "A1:H1"), told: [] },
  {
    did: "merges one “Đạt” in Kết quả over TC03–TC05",
    change: merge(TAB1, "D11:D13"),
    told: [
      { code: "merged-cell", severity: "error", tab: TAB1, cell: "D12", says: /Ô D12 nằm trong vùng gộp ô D11:D13.*ô D11, không tính cho tiêu chí TC04.*bỏ gộp ô/u },
      { code: "merged-cell", severity: "error", tab: TAB1, cell: "D13" },
    ],
  },
  {
    did: "merges one Minh chứng over TC01 and TC02, both Đạt",
    change: merge(TAB1, "G9:G10", "empty"),
    told: [{ code: "merged-cell", severity: "error", tab: TAB1, cell: "G10", says: /Minh chứng chỉ thuộc về ô G9/u, never: /chưa có minh chứng/u }],
  },
  {
    did: "merges Kết quả from the group II heading down over TC07 and types “Đạt” on the heading",
    change: all(set(TAB1, "D15", "Đạt"), merge(TAB1, "D15:D16")),
    told: [{ code: "merged-cell", severity: "error", tab: TAB1, cell: "D16" }],
  },
  {
    did: "merges the Mã tiêu chí of TC06 with the row below and types a result there",
    change: all(set(TAB1, "D42", null), merge(TAB1, "B14:B15", "empty"), set(TAB1, "D15", "Đạt")),
    told: [{ code: "merged-cell", severity: "error", tab: TAB1, cell: "B15", never: /không có Mã tiêu chí/u }],
  },
];

const COPIES: Case[] = [
  {
    did: "copies the tab to try (Excel “(2)”), changes TC03 to Chưa đạt in the copy",
    change: copyTab(TAB1, `${TAB1} (2)`, set(`${TAB1} (2)`, "D11", "Chưa đạt")),
    told: [{ code: "tab-copy", severity: "error", tab: TAB1, cell: "A1", says: /“CA phường kiểu mẫu \(2\)” là bản sao.*chỉ tính trang tính “CA phường kiểu mẫu”.*chép các thay đổi sang trang tính “CA phường kiểu mẫu”, rồi xóa trang tính “CA phường kiểu mẫu \(2\)”/u }],
  },
  { did: "copies the tab and leaves the copy as it is", change: copyTab(TAB1, `${TAB1} (2)`), told: [{ code: "tab-copy", severity: "warning", tab: TAB1, cell: "A1", says: /Hãy xóa trang tính “CA phường kiểu mẫu \(2\)”/u }] },
  { did: "copies the tab in LibreOffice (“_2”) and types evidence there", change: copyTab(TAB2, `${TAB2}_2`, set(`${TAB2}_2`, "G9", "Nghị quyết 05")), told: [{ code: "tab-copy", severity: "error", tab: TAB2, cell: "A1" }] },
  { did: "copies the tab in Google Sheets (“Bản sao của …”)", change: copyTab(TAB1, `Bản sao của ${TAB1}`, set(`Bản sao của ${TAB1}`, "D11", "Đang thực hiện")), told: [{ code: "tab-copy", severity: "error", tab: TAB1, cell: "A1" }] },
  { did: "copies the second programme's tab and names the copy “Nháp”", change: copyTab(TAB2, "Nháp", set("Nháp", "D9", "Chưa đạt")), told: [{ code: "tab-copy", severity: "error", tab: TAB2, cell: "A1", says: /“Nháp” là bản sao của trang tính “Phong trào toàn dân BVANTQ”/u }] },
  {
    did: "works in the copy and deletes the original",
    change: all(copyTab(TAB1, `${TAB1} (2)`), deleteTab(TAB1)),
    told: [{ code: "tab-copy-only", severity: "error", tab: TAB1, cell: "A1", says: /Không tìm thấy trang tính “CA phường kiểu mẫu”; trang tính “CA phường kiểu mẫu \(2\)” có vẻ là trang tính này/u }],
  },
  {
    did: "renames the tab to something short",
    change: renameTab(TAB1, "CA phuong"),
    told: [{ code: "tab-copy-only", severity: "error", tab: TAB1, cell: "A1", says: /Hãy đổi tên trang tính “CA phuong” thành “CA phường kiểu mẫu”/u }],
  },
  {
    did: "deletes the tab altogether",
    change: deleteTab(TAB1),
    told: [{ code: "tab-missing", severity: "error", tab: TAB1, cell: "A1" }],
  },
  { did: "renames the tab with different capitals and nothing else", change: renameTab(TAB1, "CA PHƯỜNG KIỂU MẪU"), told: [] },
  { did: "copies the Hướng dẫn tab to keep notes in it", change: copyTab("Hướng dẫn", "Hướng dẫn (2)", set("Hướng dẫn (2)", "A22", "Ghi nhớ của cán bộ")), told: [] },
  { did: "adds a tab of their own with a table that has a Mã tiêu chí column", change: (wb) => ({ sheets: [...wb.sheets, { title: "Theo dõi", rows: [["Mã tiêu chí", "Kết quả", "Ghi chú"], ["KH01", "Xong", null]] }] }), told: [] },
  {
    did: "copies both programme tabs and edits only the second copy",
    change: all(copyTab(TAB1, `${TAB1} (2)`), copyTab(TAB2, `${TAB2} (2)`, set(`${TAB2} (2)`, "D10", "Chưa đạt"))),
    told: [
      { code: "tab-copy", severity: "warning", tab: TAB1, cell: "A1" },
      { code: "tab-copy", severity: "error", tab: TAB2, cell: "A1" },
    ],
  },
];

const DATES: Case[] = [
  { did: "types 9/10 in Điểm tự chấm in LibreOffice (English locale, 10 September)", change: all(set(TAB2, "E37", 46275), format(TAB2, "E37", "MM/DD/YY")), told: [{ code: "points-date", severity: "error", tab: TAB2, cell: "E37", says: /Điểm tự chấm “9\/10”.*ví dụ 9\)/u, never: /46275|nằm ngoài/u }] },
  { did: "types 9/10 in LibreOffice (Vietnamese locale, 9 October)", change: all(set(TAB2, "E37", 46304), format(TAB2, "E37", "DD/MM/YY")), told: [{ code: "points-date", severity: "error", tab: TAB2, cell: "E37", says: /“9\/10”/u }] },
  { did: "types 9/10 in Excel (shown as 10-Sep)", change: all(set(TAB2, "E37", 46275), format(TAB2, "E37", "d-mmm")), told: [{ code: "points-date", severity: "error", tab: TAB2, cell: "E37", says: /“9\/10”.*ví dụ 9\)/u }] },
  { did: "types 8.5 where the date separator is a dot (8 May)", change: all(set(TAB2, "E37", 46150), format(TAB2, "E37", "DD.MM.YYYY")), told: [{ code: "points-date", severity: "error", tab: TAB2, cell: "E37", says: /“8\.5”.*ví dụ 8,5\)/u }] },
  { did: "retypes 9 into the cell still formatted as a date", change: all(set(TAB2, "E37", 9), format(TAB2, "E37", "dd/mm/yyyy")), told: [{ code: "points-date", severity: "error", tab: TAB2, cell: "E37", says: /“9”.*định dạng ô là Số/u }] },
  { did: "types 9:10, turned into a time", change: all(set(TAB2, "E37", 9 / 24 + 10 / 1440), format(TAB2, "E37", "h:mm")), told: [{ code: "points-date", severity: "error", tab: TAB2, cell: "E37", says: /“9:10”.*ví dụ 9\)/u }] },
  { did: "types 9/10 in the Google spreadsheet (vi_VN, read as a bare serial number)", change: set(TAB2, "E37", 46304), told: [{ code: "points-date", severity: "error", tab: TAB2, cell: "E37", says: /“9\/10”.*ví dụ 9\)/u, never: /46304/u }] },
  { did: "types 12 where the maximum is 10 (a number, not a date)", change: set(TAB2, "E37", 12), told: [{ code: "points-out-of-range", severity: "error", tab: TAB2, cell: "E37" }] },
  { did: "types 8,5 in a cell formatted with one decimal", change: all(set(TAB2, "E37", 8.5), format(TAB2, "E37", "0.0")), told: [] },
  { did: "types 9/10 into a cell formatted as Text (kept as text, not a date)", change: set(TAB2, "E37", "9/10"), told: [{ code: "points-not-number", severity: "error", tab: TAB2, cell: "E37", says: /“9\/10” không phải là số\. Hãy chỉ nhập số điểm: nhập 9 \(một số từ 0 đến 10/u }] },
  { did: "types '8,5/10 with an apostrophe in front (text)", change: set(TAB2, "E37", "8,5/10"), told: [{ code: "points-not-number", severity: "error", tab: TAB2, cell: "E37", says: /nhập 8,5 /u }] },
  { did: "types “9 điểm” in Điểm tự chấm", change: set(TAB2, "E37", "9 điểm"), told: [{ code: "points-not-number", severity: "error", tab: TAB2, cell: "E37", says: /nhập 9 /u }] },
  { did: "types “chín” in Điểm tự chấm (no number to suggest)", change: set(TAB2, "E37", "chín"), told: [{ code: "points-not-number", severity: "error", tab: TAB2, cell: "E37", says: /ví dụ 8,5/u, never: /nhập chín/u }] },
  { did: "types 8,5 as text (Vietnamese decimal comma, cell formatted as Text)", change: set(TAB2, "E37", "8,5"), told: [] },
  { did: "types a date in Minh chứng (a date there is fine)", change: all(set(TAB1, "G9", 46304), format(TAB1, "G9", "DD/MM/YYYY")), told: [] },
];

const INVISIBLES: Case[] = [
  { did: "pastes TC02 from Word with a word joiner", change: set(TAB1, "B10", "TC02\u2060"), told: [{ code: "invisible-characters", severity: "warning", tab: TAB1, cell: "B10", says: /“TC02⟨U\+2060⟩”.*đọc là “TC02”/u }] },
  { did: "pastes TC02 with a zero-width non-joiner inside", change: set(TAB1, "B10", "TC\u200C02"), told: [{ code: "invisible-characters", severity: "warning", tab: TAB1, cell: "B10" }] },
  { did: "pastes TC02 with a byte order mark in front", change: set(TAB1, "B10", "\uFEFFTC02"), told: [{ code: "invisible-characters", severity: "warning", tab: TAB1, cell: "B10" }] },
  { did: "pastes TC02 with a soft hyphen and a left-to-right mark", change: set(TAB1, "B10", "\u200ETC\u00AD02"), told: [{ code: "invisible-characters", severity: "warning", tab: TAB1, cell: "B10", says: /⟨U\+200E⟩TC⟨U\+00AD⟩02/u }] },
  { did: "pastes “Đạt” with a zero-width joiner", change: set(TAB1, "D11", "Đạt\u200D"), told: [{ code: "invisible-characters", severity: "warning", tab: TAB1, cell: "D11" }] },
  { did: "pastes points with a word joiner", change: set(TAB2, "E37", "9\u2060"), told: [{ code: "invisible-characters", severity: "warning", tab: TAB2, cell: "E37" }] },
  { did: "pastes evidence with zero-width spaces (free text: silently cleaned)", change: set(TAB1, "G9", "Kế\u200Bhoạch số 1"), told: [] },
  {
    did: "pastes a wrong code with a word joiner",
    change: set(TAB1, "B10", "TC2\u2060"),
    told: [
      { code: "criterion-missing", severity: "error", tab: TAB1, cell: "B7" },
      { code: "criterion-unknown", severity: "error", tab: TAB1, cell: "B10", says: /Mã tiêu chí “TC2⟨U\+2060⟩”/u, never: /“TC2”/u },
      { code: "invisible-characters", severity: "warning", tab: TAB1, cell: "B10" },
    ],
  },
  { did: "pastes the ward name from an email with a zero-width space", change: all(set(TAB1, "C3", "Nghi\u200B Hương"), set(TAB2, "C3", "Nghi Hương\u2060")), told: [{ code: "invisible-characters", severity: "warning", tab: TAB1, cell: "C3" }, { code: "invisible-characters", severity: "warning", tab: TAB2, cell: "C3" }] },
  { did: "retypes a header with a soft hyphen from Word", change: set(TAB1, "G7", "Minh\u00AD chứng"), told: [] },
];

describe.each([
  ["merged cells", MERGES],
  ["copies of a programme tab", COPIES],
  ["points turned into dates", DATES],
  ["invisible characters", INVISIBLES],
])("%s", (_group, cases) => {
  it.each(cases)("the clerk $did", ({ change, told }) => {
    const findings = evaluate(change(clean)).findings;
    expect(findings.map(({ code, severity, tab, cell }) => ({ code, severity, tab, cell }))).toEqual(told.map(({ code, severity, tab, cell }) => ({ code, severity, tab, cell })));
    told.forEach((expected, i) => {
      const message = findingMessage(findings[i]!);
      if (expected.says) expect(message).toMatch(expected.says);
      if (expected.never) expect(message).not.toMatch(expected.never);
      expect(message).not.toMatch(/\p{Cf}/u);
    });
  });
});

describe("what counts", () => {
  it("counts the tab titled as the catalogue says, never the edited copy", () => {
    const wb = copyTab(TAB1, `${TAB1} (2)`, set(`${TAB1} (2)`, "D11", "Chưa đạt"))(clean);
    const score = evaluate(wb).scores.find((s) => s.programmeId === P1);
    expect(score).toMatchObject({ met: 22, recognised: false, errors: 1 });
  });

  it("counts the criterion whose code only differs by invisible characters", () => {
    const score = evaluate(set(TAB1, "B10", "TC02\u2060")(clean)).scores.find((s) => s.programmeId === P1);
    expect(score).toMatchObject({ met: 22, recognised: true, warnings: 1 });
  });

  it("counts the anchor row of a merged Kết quả and leaves the covered rows out", () => {
    const score = evaluate(merge(TAB1, "D11:D13")(clean)).scores.find((s) => s.programmeId === P1);
    expect(score).toMatchObject({ met: 20, leftOut: ["TC04", "TC05"] });
  });

  it("counts 8,5 typed as text as 8,5 points", () => {
    const score = (wb: RawWorkbook) => evaluate(wb).scores.find((s) => s.programmeId === P2)?.points ?? 0;
    expect(score(set(TAB2, "E37", "8,5")(clean))).toBe(score(set(TAB2, "E37", 8.5)(clean)));
    expect(score(set(TAB2, "E37", "8,5")(clean))).toBe(score(clean) - 1.5);
  });

  it("counts no points from a date", () => {
    const wb = all(set(TAB2, "E37", 46275), format(TAB2, "E37", "MM/DD/YY"))(clean);
    const score = evaluate(wb).scores.find((s) => s.programmeId === P2);
    expect(score?.leftOut).toEqual(["TC25"]);
    expect(score?.points).toBe((score?.maxPoints ?? 0) - 10);
  });
});
