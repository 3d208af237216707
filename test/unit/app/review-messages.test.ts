/**
 * The review cycle's mail, composed from the stepped records of real sample workbooks: the
 * notice to the office once per submission, ONE Trả lại letter per return (the key does not move
 * when the appraiser edits afterwards), and the reminders of both kinds of deadline.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { composeReminders } from "../../../functions/app/compose-messages.js";
import { composeReviewMessages, officeOf } from "../../../functions/app/review-messages.js";
import { runTown, type TownRun } from "../../../functions/app/run-town.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import type { CellValue, RawWorkbook } from "../../../functions/core/cells.js";
import { toA1 } from "../../../functions/core/cells.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues, cellOf, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let config: Config;
let templates: TemplateSet;
const TAB = "CA phường kiểu mẫu";

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const parsed = parseConfigText(`${sampleConfigYaml("2026-11-01")}review:\n  office: [thamdinh@cualo.example]\n`, {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
  templates = await loadTemplates();
});

/** The A1 address of the value beside a label on a tab ("Kết luận thẩm định:"). */
function besideLabel(workbook: RawWorkbook, tab: string, label: string): string {
  const rows = workbook.sheets.find((s) => s.title === tab)?.rows ?? [];
  for (const [r, row] of rows.entries()) {
    const c = row.findIndex((v) => v === label);
    if (c >= 0) return toA1(r, c + 1);
  }
  throw new Error(`no label ${label}`);
}

/** Runs of the sample town stepping one review store; `edit` changes Nghi Tân's workbook. */
function townWith(kv = memoryKeyValueStore(), clock = manualClock("2026-11-20T03:00:00Z")) {
  return async (edit: (w: RawWorkbook) => RawWorkbook = (w) => w): Promise<TownRun> => {
    clock.advance(60_000);
    const sheets = { read: async (ward: { id: string }) => (ward.id === "nghi-tan" ? edit(sampleWorkbook(catalogues, ward.id, { review: true })) : sampleWorkbook(catalogues, ward.id, { review: true })) };
    return runTown(config.wards, catalogues, { sheets, feedback: { write: async () => undefined }, summary: { write: async () => undefined }, state: kvStateStore(kv, { clock }), clock, review: { kv } }, { periodKind: "month" });
  };
}

/** The appraisers return Nghi Tân's first programme: TC07 not met, with the reason (the sample appraised it 22/22). */
const returned = (workbook: RawWorkbook): RawWorkbook => {
  const concluded = withCell(workbook, TAB, besideLabel(workbook, TAB, "Kết luận thẩm định:"), "Trả lại");
  const result = withCell(concluded, TAB, cellOf(concluded, TAB, "TC07", "I"), "Chưa đạt");
  return withCell(result, TAB, cellOf(result, TAB, "TC07", "J"), "Minh chứng chưa thể hiện kết quả thực hiện; đề nghị bổ sung báo cáo kết quả");
};
const set = (a1: (w: RawWorkbook) => string, value: CellValue) => (w: RawWorkbook): RawWorkbook => withCell(w, TAB, a1(w), value);

describe("composeReviewMessages", () => {
  it("tells the office once of Thu Thủy's submission; nothing for Nghi Tân, appraised", async () => {
    const run = await townWith()();
    const messages = composeReviewMessages(run, config, templates);
    expect(messages.map((m) => [m.to, m.subject])).toEqual([
      [["thamdinh@cualo.example"], "[Tự đánh giá tiêu chí] Phường Thu Thủy đề nghị thẩm định “Công an phường điển hình, kiểu mẫu” (tháng 11/2026)"],
    ]);
    expect(messages[0]?.cc).toEqual(config.recipients.cc);
    expect(messages[0]?.text).toContain("kết quả tự đánh giá: đạt 22/22 tiêu chí");
    expect(messages[0]?.text).toMatch(/^Kính gửi: Bộ phận thẩm định, Công an thị xã Cửa Lò\n/u);
    expect(messages[0]?.text).toContain("Đề nghị Bộ phận thẩm định xem xét từng tiêu chí, ghi ở hai cột “Kết quả thẩm định”, “Ý kiến thẩm định”, rồi chọn “Đã thẩm định” hoặc “Trả lại” ở ô “Kết luận thẩm định:” (trang tính “CA phường kiểu mẫu”, ô C6).");
    expect(messages[0]?.text).not.toContain("đồng chí");
  });

  it("sends the Trả lại letter with each criterion sent back, keyed on the return, not on later edits", async () => {
    const next = townWith();
    await next();
    const first = composeReviewMessages(await next(returned), config, templates).filter((m) => m.key.startsWith("review-return|"));
    expect(first).toHaveLength(1);
    expect(first[0]?.to).toEqual(["ca.nghitan@cualo.example"]);
    expect(first[0]?.subject).toBe("[Tự đánh giá tiêu chí] Phường Nghi Tân: bảng tự đánh giá “Công an phường điển hình, kiểu mẫu” được trả lại để bổ sung (tháng 11/2026)");
    expect(first[0]?.text).toMatch(/\d+\. TC07: .+\n {3}Kết quả thẩm định: Chưa đạt\n {3}Ý kiến thẩm định: Minh chứng chưa thể hiện kết quả thực hiện; đề nghị bổ sung báo cáo kết quả/u);
    expect(first[0]?.html).toContain("<td>Chưa đạt</td>");
    expect(first[0]?.text).toContain("Đề nghị Công an phường Nghi Tân bổ sung minh chứng hoặc sửa kết quả theo ý kiến thẩm định. Ở ô “Trạng thái:” (trang tính “CA phường kiểu mẫu”, ô C5), chọn “Đang cập nhật” khi bắt đầu sửa, sửa xong chọn lại “Đề nghị thẩm định” và lưu tệp");
    expect(first[0]?.html).toContain("chọn “Đang cập nhật” khi bắt đầu sửa");
    expect(first[0]?.text).toMatch(/^Kính gửi: Công an phường Nghi Tân\n\nCơ quan thẩm định đã xem xét bảng tự đánh giá “Công an phường điển hình, kiểu mẫu” của phường Nghi Tân \(tháng 11\/2026\) và trả lại lúc \d\d\/11\/2026 \d\d:\d\d để phường bổ sung, sửa các tiêu chí dưới đây\./u);
    // The appraiser rewords a reason after returning: same return, same key (the ledger sends it once).
    const note = (w: RawWorkbook): string => cellOf(w, TAB, "TC07", "J");
    const later = composeReviewMessages(await next((w) => set(note, "Bổ sung báo cáo kết quả năm 2023")(returned(w))), config, templates).filter((m) => m.key.startsWith("review-return|"));
    expect(later.map((m) => m.key)).toEqual(first.map((m) => m.key));
  });

  it("sends nothing again when the records carry over into the next period (no key holds the period)", async () => {
    const clock = manualClock("2026-11-20T03:00:00Z");
    const next = townWith(memoryKeyValueStore(), clock);
    await next();
    const november = composeReviewMessages(await next(returned), config, templates);
    expect(november.map((m) => m.key.split("|")[0]).sort()).toEqual(["review-return", "review-submitted"]);
    clock.advance(31 * 24 * 3600_000);
    const december = await next(returned);
    expect(december.summary.period).toBe("2026-12");
    expect(composeReviewMessages(december, config, templates).map((m) => m.key)).toEqual(november.map((m) => m.key));
  });

  it("falls back on the leadership as the office", () => {
    expect(officeOf({ recipients: { leadership: ["lanhdao@cualo.example"], cc: [] }, review: { appraisers: [], office: [] } })).toEqual(["lanhdao@cualo.example"]);
  });
});

describe("reminders through the cycle", () => {
  const withDeadlines = (deadlines: Config["schedule"]["deadlines"]): Config => ({ ...config, schedule: { ...config.schedule, deadlines } });

  it("a submission deadline reminds the wards not submitted, never the submitted or appraised ones", async () => {
    const run = await townWith()(returned);
    const reminders = composeReminders(run, withDeadlines([{ date: "2026-11-30", title: "Gửi đề nghị thẩm định", remindDaysBefore: [7], step: "submission" }]), templates, "2026-11-25");
    // Thu Thủy submitted its first programme: only its second, still being updated, is asked for.
    const thuy = reminders.find((m) => m.to[0] === "ca.thuthuy@cualo.example");
    expect(thuy?.text).not.toContain("Công an phường điển hình, kiểu mẫu:");
    expect(thuy?.text).toContain("Phường điển hình phong trào toàn dân BVANTQ: chưa gửi đề nghị thẩm định");
    const tan = reminders.find((m) => m.to[0] === "ca.nghitan@cualo.example");
    expect(tan?.text).toContain("Công an phường điển hình, kiểu mẫu: được trả lại để bổ sung tiêu chí TC07");
    const hai = reminders.find((m) => m.to[0] === "ca.nghihai@cualo.example");
    expect(hai?.text).toContain("chưa gửi đề nghị thẩm định; khi đã hoàn thành, chọn “Đề nghị thẩm định” ở ô “Trạng thái:” (trang tính “CA phường kiểu mẫu”, ô C5).");
  });

  it("an appraisal deadline reminds the office of the wards submitted and not appraised, once per stage", async () => {
    const run = await townWith()();
    const config2 = withDeadlines([{ date: "2026-12-05", title: "Hoàn thành thẩm định", remindDaysBefore: [7, 3], step: "appraisal" }]);
    const [reminder, ...rest] = composeReminders(run, config2, templates, "2026-12-02");
    expect(rest).toEqual([]);
    expect(reminder?.to).toEqual(["thamdinh@cualo.example"]);
    expect(reminder?.subject).toBe("[Tự đánh giá tiêu chí] Còn 3 ngày đến hạn “Hoàn thành thẩm định” (05/12/2026): 1 bảng tự đánh giá chờ thẩm định");
    expect(reminder?.text).toContain("Phường Thu Thủy, “Công an phường điển hình, kiểu mẫu” (đề nghị lúc ");
    expect(composeReminders(run, config2, templates, "2026-12-02")[0]?.key).toBe(reminder?.key);
    expect(composeReminders(run, config2, templates, "2026-11-20")).toEqual([]);
  });
});
