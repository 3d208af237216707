/**
 * Config mistakes as the town office makes them, one case per check: every problem comes back
 * with its path and a Vietnamese sentence, all in one pass.
 */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../functions/config.js";
import { type SchemaProblem, formatProblem } from "../../sheets-schema/catalogue.js";

const HEAD = `agency:
  parent: Công an tỉnh Nghệ An
  issuer: Công an thị xã Cửa Lò
  documentCode: CAX
  place: Cửa Lò
  signer: { authority: Trưởng Công an thị xã, name: Nguyễn Văn An }
programmes:
  - { id: ca-phuong-dien-hinh, catalogue: "builtin:ca-phuong-dien-hinh" }
`;
const WARDS = `wards:
  - id: nghi-hoa
    name: Nghi Hòa
    contacts: [{ name: Trần Thị Lan, email: ca.nghihoa@cualo.example }]
  - id: thu-thuy
    name: Thu Thủy
    aliases: [Phường Thu Thủy]
`;
const GOOD = HEAD + WARDS;

function problems(source: string, env: Record<string, string> = {}): SchemaProblem[] {
  const result = parseConfigText(source, env, { baseDir: "/srv/tieuchi" });
  return result.success ? [] : result.problems;
}

const ward = (yaml: string): string => `${GOOD}${yaml.replace(/^/gmu, "  ")}\n`;

describe("config checks, one case per mistake", () => {
  it("accepts the good config", () => {
    expect(problems(GOOD)).toEqual([]);
  });

  it.each([
    ["a ward id used twice", ward("- { id: nghi-hoa, name: Nghi Hòa mới }"), "wards[2].id", "mã phường “nghi-hoa” bị trùng"],
    ["a name that differs only by tone-mark placement", ward("- { id: nghi-hoa-2, name: Nghi Hoà }"), "wards[2].name", "tên phường “Nghi Hoà” trùng với “Nghi Hòa” của phường nghi-hoa (wards[0]) ở wards[0].name"],
    ["an alias that is another ward's name", ward("- { id: nghi-thuy, name: Nghi Thủy, aliases: [Thu Thuỷ] }"), "wards[2].aliases[0]", "tên khác (alias) “Thu Thuỷ” trùng với “Thu Thủy” của phường thu-thuy"],
    ["an alias shared by two wards", ward("- { id: nghi-thuy, name: Nghi Thủy, aliases: [phường thu thủy] }"), "wards[2].aliases[0]", "trùng với “Phường Thu Thủy”"],
    ["a file already another ward's default workbook", ward("- { id: nghi-tan, name: Nghi Tân, file: ./wards/nghi-hoa.xlsx }"), "wards[2].file", "tệp “./wards/nghi-hoa.xlsx” đã là tệp của phường nghi-hoa (wards[0])"],
    ["a file given twice with different spellings", ward("- { id: a, name: A, file: chung/tep.xlsx }\n- { id: b, name: B, file: chung/../chung/TEP.xlsx }"), "wards[3].file", "đã là tệp của phường a (wards[2])"],
    ["an end date before the start date", ward('- { id: nghi-tan, name: Nghi Tân, effectiveFrom: "2024-12-01", effectiveTo: "2024-01-31" }'), "wards[2].effectiveTo", "ngày kết thúc 2024-01-31 trước ngày bắt đầu 2024-12-01"],
    ["30 February", ward('- { id: nghi-tan, name: Nghi Tân, effectiveFrom: "2026-02-30" }'), "wards[2].effectiveFrom", "ngày 2026-02-30 không có trên lịch: tháng 2 năm 2026 chỉ có 28 ngày"],
    ["a date written day first", ward("- { id: nghi-tan, name: Nghi Tân, effectiveTo: 30/11/2024 }"), "wards[2].effectiveTo", "“30/11/2024” không phải ngày dạng NĂM-THÁNG-NGÀY (ví dụ 2026-12-31)"],
    ["a deadline in month 13", `${GOOD}schedule:\n  deadlines: [{ date: "2026-13-45", title: Nộp bảng tự đánh giá }]\n`, "schedule.deadlines[0].date", "tháng 13 không có"],
    ["a deadline on 31 April", `${GOOD}schedule:\n  deadlines: [{ date: "2027-04-31", title: Nộp bảng }]\n`, "schedule.deadlines[0].date", "tháng 4 năm 2027 chỉ có 30 ngày"],
    ["a reminder 0 days before", `${GOOD}schedule:\n  deadlines: [{ date: "2026-12-15", title: Nộp, remindDaysBefore: [7, 0] }]\n`, "schedule.deadlines[0].remindDaysBefore[1]", "cần số ngày từ 1 trở lên"],
    ["a reminder of half a day", `${GOOD}schedule:\n  deadlines: [{ date: "2026-12-15", title: Nộp, remindDaysBefore: [1.5] }]\n`, "schedule.deadlines[0].remindDaysBefore[0]", "cần một số nguyên ngày"],
    ["a reminder typed as text", `${GOOD}schedule:\n  deadlines: [{ date: "2026-12-15", title: Nộp, remindDaysBefore: ["7 ngày"] }]\n`, "schedule.deadlines[0].remindDaysBefore[0]", "cần một số, đang là chữ “7 ngày”"],
    ["the same reminder twice", `${GOOD}schedule:\n  deadlines: [{ date: "2026-12-15", title: Nộp, remindDaysBefore: [3, 3] }]\n`, "schedule.deadlines[0].remindDaysBefore[1]", "mốc 3 ngày bị lặp"],
    ["a From address without its email", `${GOOD}smtp:\n  from: Công an thị xã Cửa Lò\n`, "smtp.from", "địa chỉ người gửi “Công an thị xã Cửa Lò” không hợp lệ"],
    ["a From address with a broken email", `${GOOD}smtp:\n  from: '"Công an thị xã" <ca@cualo>'\n`, "smtp.from", "không hợp lệ: viết '\"Công an thị xã Cửa Lò\" <ca@cualo.example>'"],
    ["an hour 25 in the digest cron", `${GOOD}schedule:\n  digest: "0 25 * * 1"\n`, "schedule.digest", "sai ở trường thứ 2 (giờ): “25” phải từ 0 đến 23. Ví dụ \"0 7 * * 1\""],
    ["a weekday 8 in the digest cron", `${GOOD}schedule:\n  digest: "0 7 * * 8"\n`, "schedule.digest", "trường thứ 5 (thứ trong tuần): “8” phải từ 0 đến 7"],
    ["a cron with four fields", `${GOOD}schedule:\n  digest: "0 7 * *"\n`, "schedule.digest", "có 4 trường; cần 5 trường cách nhau bằng dấu cách"],
    ["a cron written in words", `${GOOD}schedule:\n  digest: "7 giờ sáng thứ Hai"\n`, "schedule.digest", "biểu thức cron “7 giờ sáng thứ Hai”"],
    ["a cron that never fires", `${GOOD}schedule:\n  digest: "0 7 30 2 *"\n`, "schedule.digest", "không bao giờ đến lượt chạy"],
    ["a mistyped key in a contact", GOOD.replace("{ name: Trần", "{ nmae: Trần"), "wards[0].contacts[0].nmae", "khóa “nmae” không có trong cấu hình; có phải “name”?"],
    ["alias for aliases", GOOD.replace("aliases:", "alias:"), "wards[1].alias", "có phải “aliases”?"],
    ["wrong case in effectiveFrom", ward('- { id: nghi-tan, name: Nghi Tân, effectivefrom: "2024-01-01" }'), "wards[2].effectivefrom", "có phải “effectiveFrom”?"],
    ["an unknown top-level key", `${GOOD}mau_sac: xanh\n`, "mau_sac", "các khóa dùng được ở đây: timezone, agency, programmes, wards"],
    ["a programme id used twice", GOOD.replace("wards:", '  - { id: ca-phuong-dien-hinh, catalogue: "builtin:ca-phuong-dien-hinh" }\nwards:'), "programmes[1].id", "mã đề án “ca-phuong-dien-hinh” bị trùng"],
    ["a contact email without its domain", GOOD.replace("ca.nghihoa@cualo.example", "ca.nghihoa@"), "wards[0].contacts[0].email", "“ca.nghihoa@” không phải địa chỉ email hợp lệ"],
    ["a leadership address with a comma", `${GOOD}recipients:\n  leadership: ["lanhdao@cualo,example"]\n`, "recipients.leadership[0]", "“lanhdao@cualo,example” không phải địa chỉ email hợp lệ"],
    ["a cc address with a space", `${GOOD}recipients:\n  cc: [van thu@cualo.example]\n`, "recipients.cc[0]", "không phải địa chỉ email hợp lệ"],
    ["a missing signer name", GOOD.replace(", name: Nguyễn Văn An", ""), "agency.signer.name", "bắt buộc, chưa được ghi"],
    ["a ward name left blank", GOOD.replace("name: Thu Thủy", 'name: "  "'), "wards[1].name", "không được để trống"],
    ["wards written as one line of text", `${HEAD}wards: Nghi Hòa, Thu Thủy\n`, "wards", "cần một danh sách"],
    ["a deadline step that does not exist", `${GOOD}schedule:\n  deadlines: [{ date: "2026-12-15", title: Nộp, step: approval }]\n`, "schedule.deadlines[0].step", "cần một trong các bước: submission (hạn phường gửi đề nghị thẩm định), appraisal (hạn thẩm định)"],
    ["an appraisal deadline nobody is reminded of", `${GOOD}schedule:\n  deadlines: [{ date: "2026-12-15", title: Thẩm định, step: appraisal }]\n`, "schedule.deadlines[0].step", "chưa có ai nhận thư nhắc: ghi địa chỉ thư vào review.office"],
    ["an appraiser address without its domain", `${GOOD}review:\n  appraisers: [thamdinh@]\n`, "review.appraisers[0]", "“thamdinh@” không phải địa chỉ email hợp lệ"],
    ["an office address with a space", `${GOOD}review:\n  office: [doi tham muu@cualo.example]\n`, "review.office[0]", "không phải địa chỉ email hợp lệ"],
    ["a ward contact who is also an appraiser", `${GOOD}review:\n  appraisers: [" CA.NghiHoa@cualo.example "]\n`, "review.appraisers[0]", "vừa là người thẩm định vừa là địa chỉ liên hệ của phường nghi-hoa (wards[0])"],
    ["a mistyped key in review", `${GOOD}review:\n  apraisers: [thamdinh@cualo.example]\n`, "review.apraisers", "có phải “appraisers”?"],
    ["a bad SMTP URL in the environment", `${GOOD}smtp:\n  from: ca@cualo.example\n`, "env.TIEUCHI_SMTP_URL", "không phải địa chỉ máy chủ thư"],
  ])("%s", (_label, source, path, message) => {
    const env = path.startsWith("env.") ? { TIEUCHI_SMTP_URL: "mail.cualo.example:25" } : {};
    const found = problems(source, env);
    expect(found.map((p) => p.path)).toEqual([path]);
    expect(found[0]?.message).toContain(message);
  });

  it.each([
    ['"Công an thị xã Cửa Lò" <ca@cualo.example>'],
    ["Công an thị xã Cửa Lò <ca@cualo.example>"],
    ["ca@cualo.example"],
    ["<ca@cualo.example>"],
  ])("accepts the From address %s", (from) => {
    expect(problems(`${GOOD}smtp:\n  from: '${from}'\n`)).toEqual([]);
  });

  it.each([["0 7 * * 1"], ["30 6 * * MON-FRI"], ["0 0 7 * * 1"], ["@weekly"]])("accepts the cron %s", (digest) => {
    expect(problems(`${GOOD}schedule:\n  digest: "${digest}"\n`)).toEqual([]);
  });

  it("takes review and deadline steps with their defaults: the office falls back on nobody until it is named", () => {
    const result = parseConfigText(`${GOOD}review:\n  appraisers: [thamdinh@cualo.example]\nrecipients:\n  leadership: [lanhdao@cualo.example]\nschedule:\n  deadlines:\n    - { date: "2026-12-10", title: Gửi đề nghị thẩm định }\n    - { date: "2026-12-20", title: Thẩm định, step: appraisal }\n`, {});
    expect(result.success && result.data.review).toEqual({ appraisers: ["thamdinh@cualo.example"], office: [] });
    expect(result.success && result.data.schedule.deadlines.map((d) => d.step)).toEqual(["submission", "appraisal"]);
    const none = parseConfigText(GOOD, {});
    expect(none.success && none.data.review).toEqual({ appraisers: [], office: [] });
  });

  it("accepts a ward whose only name is its own alias, and a one-day ward", () => {
    expect(problems(ward('- { id: nghi-tan, name: Nghi Tân, aliases: [Nghi Tân], effectiveFrom: "2024-01-01", effectiveTo: "2024-01-01" }'))).toEqual([]);
  });
});

describe("a config with many mistakes", () => {
  const MESSY = `agency:
  parent: Công an tỉnh Nghệ An
  issuer: Công an thị xã Cửa Lò
  documentCode: CAX
  place: Cửa Lò
  signer: { authority: Trưởng Công an thị xã }
programmes:
  - { id: ca-phuong-dien-hinh, catalogue: "builtin:ca-phuong-dien-hinh" }
  - { id: ca-phuong-dien-hinh, catalogue: "builtin:phuong-bao-ve-antq" }
wards:
  - id: nghi-hoa
    name: Nghi Hòa
    contacts: [{ name: Trần Thị Lan, emial: ca.nghihoa@cualo.example }]
  - id: nghi-hoa-moi
    name: Nghi Hoà
    file: wards/nghi-hoa.xlsx
    effectiveFrom: "2024-12-01"
    effectiveTo: "2024-02-30"
  - id: Thu-Thuy
    name: Thu Thủy
    alias: [Thu Thuỷ]
schedule:
  digest: "0 7 * * 8"
  deadlines:
    - { date: "2026-13-45", title: Nộp bảng tự đánh giá, remindDaysBefore: [7, 0] }
recipients:
  leadership: [lanhdao@cualo]
smtp:
  from: Công an thị xã Cửa Lò
`;

  it("lists every problem with its path in one pass", () => {
    expect(problems(MESSY).map(formatProblem)).toMatchInlineSnapshot(`
      [
        "agency.signer.name (dòng 6): bắt buộc, chưa được ghi",
        "programmes[1].id (dòng 9): mã đề án “ca-phuong-dien-hinh” bị trùng",
        "wards[0].contacts[0].email (dòng 13): bắt buộc, chưa được ghi",
        "wards[0].contacts[0].emial (dòng 13): khóa “emial” không có trong cấu hình; có phải “email”?",
        "wards[1].name (dòng 15): tên phường “Nghi Hoà” trùng với “Nghi Hòa” của phường nghi-hoa (wards[0]) ở wards[0].name: không biết tệp ghi tên này là của phường nào; hãy bỏ hoặc sửa một trong hai",
        "wards[1].file (dòng 16): tệp “wards/nghi-hoa.xlsx” đã là tệp của phường nghi-hoa (wards[0]): mỗi phường cần một tệp riêng; hãy sửa khóa file",
        "wards[1].effectiveTo (dòng 18): ngày 2024-02-30 không có trên lịch: tháng 2 năm 2024 chỉ có 29 ngày",
        "wards[2].id (dòng 19): mã “Thu-Thuy” chỉ được gồm chữ thường không dấu, chữ số và “-” (mã dùng làm tên tệp), ví dụ nghi-hoa",
        "wards[2].alias (dòng 21): khóa “alias” không có trong cấu hình; có phải “aliases”?",
        "schedule.digest (dòng 23): biểu thức cron “0 7 * * 8” sai ở trường thứ 5 (thứ trong tuần): “8” phải từ 0 đến 7 (0 và 7 là Chủ nhật) hoặc MON–SUN. Ví dụ "0 7 * * 1": 7 giờ sáng thứ Hai (phút giờ ngày tháng thứ).",
        "schedule.deadlines[0].date (dòng 25): ngày 2026-13-45 không có trên lịch: tháng 13 không có (tháng từ 01 đến 12; ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-12-31)",
        "schedule.deadlines[0].remindDaysBefore[1] (dòng 25): cần số ngày từ 1 trở lên",
        "recipients.leadership[0] (dòng 27): “lanhdao@cualo” không phải địa chỉ email hợp lệ (ví dụ: ca.nghihai@cualo.example)",
        "smtp.from (dòng 29): địa chỉ người gửi “Công an thị xã Cửa Lò” không hợp lệ: viết '"Công an thị xã Cửa Lò" <ca@cualo.example>' (cả dòng trong dấu nháy đơn) hoặc chỉ ca@cualo.example",
      ]
    `);
  });
});
