/**
 * The built-in sample workspace: thị xã Cửa Lò's 7 wards as organised in 2023, with
 * self-assessments matching the results reported in the press (Nghi Hương 18/22 and 34/34,
 * Nghi Thu 19/22 and 29/34) and plausible ones for the other wards. One ward (Nghi Hòa) has
 * a realistic mistake, a criterion marked Đạt without evidence, so a new user sees a finding.
 * Three wards show the review cycle: Thu Thủy has sent its first programme for appraisal; Nghi
 * Tân's first programme is appraised 22/22 (with an Ý kiến on TC07 but no difference), so the
 * sample reaches a TỜ TRÌNH; Nghi Hương's second is appraised with one criterion the appraiser
 * does not agree with (34/34 on its own, 33/34 appraised).
 */
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { Answer, Answers, ReviewAnswer } from "../../../sheets-schema/workbook-plan.js";
import { SAMPLE_FROM } from "../../config-fields.js";

export interface SampleWard {
  id: string;
  name: string;
  /** How staff typed the name in the workbook (tone placement varies: "Thuỷ"/"Thủy"). */
  typedName: string;
  aliases: string[];
  email: string;
  /** Criteria not met, per programme id; a code with "~" is still in progress. */
  unmet: Record<string, string[]>;
  /** Staff wrote "Không đạt" rather than "Chưa đạt" (accepted as the same value). */
  saysKhongDat?: boolean;
  /** Criteria marked Đạt whose evidence staff forgot: a realistic mistake for the demo. */
  forgotEvidence?: Record<string, string[]>;
  /** The ward's Trạng thái and the appraiser's Kết luận per programme id (the review cycle's demo). */
  review?: Record<string, ReviewAnswer>;
  /** Programmes the appraiser has appraised: as the ward assessed, except these codes (Chưa đạt, with the reason). */
  appraised?: Record<string, Record<string, string>>;
  /** The appraiser's Ý kiến on criteria appraised as the ward assessed them, per programme id. */
  appraisalNotes?: Record<string, Record<string, string>>;
}

const P1 = "ca-phuong-dien-hinh";
const P2 = "phuong-bao-ve-antq";

export const SAMPLE_WARDS: readonly SampleWard[] = [
  { id: "nghi-hai", name: "Nghi Hải", typedName: "Nghi Hải", aliases: [], email: "ca.nghihai@cualo.example", unmet: { [P1]: ["TC14", "TC20"], [P2]: ["TC23", "TC29"] }, saysKhongDat: true },
  {
    id: "nghi-hoa",
    name: "Nghi Hòa",
    typedName: "Phường Nghi Hoà",
    aliases: ["Nghi Hoà"],
    email: "ca.nghihoa@cualo.example",
    unmet: { [P1]: ["TC05", "~TC10", "TC14", "~TC16", "TC20", "~TC22"], [P2]: ["TC08", "~TC12", "TC17", "~TC21", "TC23", "~TC29", "TC34"] },
    forgotEvidence: { [P1]: ["TC02"] },
  },
  {
    id: "nghi-huong",
    name: "Nghi Hương",
    typedName: "Nghi Hương",
    aliases: [],
    email: "ca.nghihuong@cualo.example",
    unmet: { [P1]: ["TC10", "TC14", "~TC20", "TC22"], [P2]: [] },
    review: { [P2]: { submission: "Đề nghị thẩm định", conclusion: "Đã thẩm định" } },
    appraised: { [P2]: { TC07: "Minh chứng chưa thể hiện kết quả thực hiện; đề nghị bổ sung báo cáo kết quả" } },
  },
  {
    id: "nghi-tan",
    name: "Nghi Tân",
    typedName: "Nghi Tân",
    aliases: [],
    email: "ca.nghitan@cualo.example",
    unmet: { [P1]: [], [P2]: ["TC29"] },
    review: { [P1]: { submission: "Đề nghị thẩm định", conclusion: "Đã thẩm định" } },
    appraised: { [P1]: {} },
    appraisalNotes: { [P1]: { TC07: "Đã bổ sung báo cáo kết quả thực hiện; đạt" } },
  },
  { id: "nghi-thu", name: "Nghi Thu", typedName: "Nghi Thu", aliases: [], email: "ca.nghithu@cualo.example", unmet: { [P1]: ["TC14", "TC20", "~TC22"], [P2]: ["TC12", "TC17", "TC23", "~TC29", "TC34"] } },
  { id: "nghi-thuy", name: "Nghi Thủy", typedName: "Nghi Thuỷ", aliases: ["Nghi Thuỷ"], email: "ca.nghithuy@cualo.example", unmet: { [P1]: ["TC20"], [P2]: ["TC17", "TC23", "TC29", "TC34"] } },
  { id: "thu-thuy", name: "Thu Thủy", typedName: "Thu Thủy", aliases: ["Thu Thuỷ"], email: "ca.thuthuy@cualo.example", unmet: { [P1]: [], [P2]: [] }, review: { [P1]: { submission: "Đề nghị thẩm định" } } },
];

const DOC_KINDS = ["Kế hoạch", "Báo cáo", "Quyết định", "Biên bản", "Thông báo"] as const;
const DOC_CODES = ["KH-CAP", "BC-CAP", "QĐ-UBND", "BB-CAP", "TB-CAP"] as const;

/** A document reference like "Kế hoạch số 12/KH-CAP ngày 15/3/2023", varied by position. */
function evidenceFor(wardIndex: number, criterionIndex: number, year: number): string {
  const k = (wardIndex + criterionIndex) % DOC_KINDS.length;
  const number = 3 + ((wardIndex * 7 + criterionIndex * 5) % 97);
  const day = 1 + ((wardIndex * 3 + criterionIndex * 11) % 28);
  const month = 1 + ((wardIndex + criterionIndex * 2) % 10);
  return `${DOC_KINDS[k]} số ${number}/${DOC_CODES[k]} ngày ${day}/${month}/${year}`;
}

/** One criterion's sample answer; `year` dates the evidence and the planned completion (the province sample is not 2023). */
export function answerFor(ward: Pick<SampleWard, "unmet" | "saysKhongDat" | "forgotEvidence">, wardIndex: number, catalogue: Catalogue, index: number, year = 2023): Answer {
  const criterion = catalogue.criteria[index]!;
  const unmet = ward.unmet[catalogue.id] ?? [];
  const inProgress = unmet.includes(`~${criterion.code}`);
  const notMet = unmet.includes(criterion.code);
  const points = criterion.maxPoints ?? 0;
  if (inProgress || notMet) {
    return {
      result: inProgress ? "Đang thực hiện" : ward.saysKhongDat ? "Không đạt" : "Chưa đạt",
      ...(criterion.kind === "points" ? { points: Math.round(points * 0.5) } : {}),
      note: inProgress ? `Đang triển khai, dự kiến hoàn thành trong quý IV/${year}` : "Chưa bảo đảm yêu cầu; đã đề ra giải pháp khắc phục",
    };
  }
  const forgot = ward.forgotEvidence?.[catalogue.id]?.includes(criterion.code) ?? false;
  const evidence = !forgot && (criterion.evidenceRequired || (wardIndex + index) % 3 === 0) ? { evidence: evidenceFor(wardIndex, index, year) } : {};
  return {
    result: "Đạt",
    ...(criterion.kind === "points" ? { points: points - ((wardIndex + index) % 3) * 0.5 } : {}),
    ...evidence,
  };
}

/**
 * The sample answers of one ward for every catalogue; with `review`, also the appraiser's cells
 * where the ward is appraised (as `tieuchi init` writes them; see sampleReview for the status cells).
 */
export function sampleAnswers(ward: SampleWard, catalogues: readonly Catalogue[], options: { review?: boolean } = {}): Answers {
  const wardIndex = SAMPLE_WARDS.indexOf(ward);
  const appraisalOf = (id: string): Appraisal | undefined => {
    const disagreements = options.review ? ward.appraised?.[id] : undefined;
    return disagreements ? { disagreements, notes: ward.appraisalNotes?.[id] ?? {} } : undefined;
  };
  return Object.fromEntries(
    catalogues.map((c) => [c.id, Object.fromEntries(c.criteria.map((cr, i) => [cr.code, withAppraisal(answerFor(ward, wardIndex, c, i), appraisalOf(c.id), cr.code)]))]),
  );
}

type Appraisal = { disagreements: Readonly<Record<string, string>>; notes: Readonly<Record<string, string>> };

/** The appraiser agrees with the ward's result, except on the codes listed with a reason; an agreeing Ý kiến where given. */
function withAppraisal(answer: Answer, appraisal: Appraisal | undefined, code: string): Answer {
  if (!appraisal) return answer;
  const reason = appraisal.disagreements[code];
  if (reason !== undefined) return { ...answer, appraisal: "Chưa đạt", appraisalNote: reason };
  const note = appraisal.notes[code];
  if (answer.result === "Đạt") return note === undefined ? { ...answer, appraisal: "Đạt" } : { ...answer, appraisal: "Đạt", appraisalNote: note };
  return { ...answer, appraisal: "Chưa đạt", appraisalNote: note ?? "Thống nhất với kết quả tự đánh giá" };
}

/** The status cells of one ward's tabs (planWardWorkbook's `review` option). */
export function sampleReview(ward: SampleWard): Readonly<Record<string, ReviewAnswer>> {
  return ward.review ?? {};
}

/** The sample config file, with Vietnamese comments for the town staff office. */
/** The next 30/11 (wards' yearly deadline in the movement's classification) on or after today. */
export function nextWardDeadline(today: string): string {
  const year = Number(today.slice(0, 4));
  return today <= `${year}-11-30` ? `${year}-11-30` : `${year + 1}-11-30`;
}

export function sampleConfigYaml(today: string): string {
  const wards = SAMPLE_WARDS.map(
    (w) => `  - id: ${w.id}
    name: ${w.name}
    aliases: [${w.aliases.join(", ")}]
    effectiveFrom: "2023-01-01"
    contacts:
      - name: Công an phường ${w.name}
        email: ${w.email}`,
  ).join("\n");
  return `# Cấu hình tieuchi cho Công an thị xã Cửa Lò (dữ liệu mẫu theo tổ chức năm 2023).
# Sửa tệp này rồi chạy lại “tieuchi run”. Ngày dạng NĂM-THÁNG-NGÀY trong dấu nháy kép (ví dụ "2026-12-31"); múi giờ Asia/Ho_Chi_Minh.
timezone: Asia/Ho_Chi_Minh

# Cơ quan ban hành báo cáo (thể thức theo Nghị định 30/2020/NĐ-CP).
agency:
  parent: CÔNG AN TỈNH NGHỆ AN
  issuer: CÔNG AN THỊ XÃ CỬA LÒ
  issuerName: Công an thị xã Cửa Lò   # cách viết trong câu văn
  documentCode: CATX          # chữ viết tắt trong "Số: 05/BC-CATX" (cần xác minh)
  place: Cửa Lò
  signer:
    authority: KT. TRƯỞNG CÔNG AN
    title: PHÓ TRƯỞNG CÔNG AN
    rank: Thượng tá
    name: Nguyễn Văn Hùng

# Cấp của đơn vị chủ quản: thị xã (tổ chức năm 2023; từ 01/07/2025 là tỉnh, xem "tieuchi init --sample province").
organisation:
  level: thị xã
  name: Cửa Lò

# Các đề án và bộ tiêu chí. "builtin:<mã>" là bộ tiêu chí mẫu kèm theo phần mềm;
# thay bằng đường dẫn tới tệp YAML của bộ tiêu chí chính thức khi có.
programmes:
  - id: ca-phuong-dien-hinh
    catalogue: builtin:ca-phuong-dien-hinh
  - id: phuong-bao-ve-antq
    catalogue: builtin:phuong-bao-ve-antq

# Danh sách phường. Tệp tự đánh giá của mỗi phường: wards/<id>.xlsx (hoặc ghi khóa “file:”).
# effectiveFrom/effectiveTo: thời gian phường thuộc đơn vị (ví dụ khi sáp nhập).
# kind: loại đơn vị (xã, phường, đặc khu, thị trấn), mặc định phường; group: nhóm (cụm thi đua) nếu có.
wards:
${wards}

# Báo cáo: số văn bản (blank: để trống cho văn thư cấp số khi ban hành; sequence: tự cấp số theo
# loại văn bản và năm, bắt đầu từ start), nơi nhận, lưu.
reports:
  numbering:
    mode: blank
  distribution:
    - Lãnh đạo Công an tỉnh (để báo cáo);
    - Thường trực Thị ủy, UBND thị xã (để báo cáo);
    - Lãnh đạo Công an thị xã;
    - Công an các phường;
  archive: VT, TM

# Lịch gửi thư (giờ Việt Nam). digest: biểu thức cron, ví dụ "0 7 * * 1" = 7 giờ sáng thứ Hai.
# period: kỳ báo cáo: week (tuần), month (tháng), quarter (quý), half (6 tháng) hoặc year (năm).
# deadlines: hạn nộp; thư nhắc gửi cho phường còn thiếu hoặc còn lỗi vào các ngày trước hạn.
schedule:
  digest: "0 7 * * 1"
  period: week
  deadlines:
    - date: "${nextWardDeadline(today)}"
      title: Phường hoàn thành tự đánh giá, phân loại tiêu chí
      remindDaysBefore: [7, 3, 1]

# Thư điện tử. Máy chủ thư đặt trong biến môi trường TIEUCHI_SMTP_URL (ví dụ smtp://mail.cualo.gov.vn:587);
# khi chưa đặt, thư được ghi vào thư mục out/outbox để xem trước, chưa gửi đi.
# from: người gửi các thư. THAY tên miền catx-cualo.gov.vn bằng tên miền thư của đơn vị.
smtp:
  from: "${SAMPLE_FROM}"

# Người nhận báo cáo tiến độ.
recipients:
  leadership:
    - lanhdao@cualo.example
  cc:
    - doithammuu@cualo.example
`;
}
