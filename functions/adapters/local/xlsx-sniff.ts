/**
 * What a file that is not a readable .xlsx actually is, told from its first bytes, so the
 * ward hears a reason it can act on: an old .xls, a password, a truncated copy, a Word file.
 * Every reason says what happened and what to do, in Vietnamese.
 */
import type { SheetsReadKind } from "../../errors.js";

export interface ReadProblem {
  kind: SheetsReadKind;
  reason: string;
}

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_SIGNATURES = ["PK\u0003\u0004", "PK\u0005\u0006", "PK\u0007\u0008"];

const SAVE_AS_XLSX = "Hãy mở tệp bằng Excel, chọn Tệp → Lưu thành và Lưu lại dưới dạng .xlsx (Excel Workbook), rồi thay tệp này bằng tệp mới.";

export const READ_PROBLEMS = {
  empty: { kind: "empty", reason: "tệp rỗng (0 byte), có thể chưa lưu xong hoặc chép bị lỗi. Hãy mở tệp gốc bằng Excel, lưu lại rồi chép lại vào thư mục." },
  legacyXls: { kind: "legacy-xls", reason: `đây là tệp Excel cũ (.xls, Excel 97–2003), không phải .xlsx. ${SAVE_AS_XLSX}` },
  encrypted: {
    kind: "encrypted",
    reason: "tệp được đặt mật khẩu nên không đọc được nội dung. Hãy mở tệp bằng Excel, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu rồi bấm OK) và lưu lại.",
  },
  corrupt: { kind: "corrupt", reason: "tệp bị hỏng hoặc chưa chép hết (tệp nén .xlsx không đầy đủ). Hãy chép lại tệp từ máy đã soạn, hoặc mở tệp gốc bằng Excel và lưu lại." },
  // The zip and its parts are whole, but the XML inside is written in a way no reader here parses.
  unreadableXml: {
    kind: "corrupt",
    reason: "tệp còn nguyên nhưng nội dung bảng tính được một chương trình khác ghi theo cách không đọc được. Hãy mở tệp bằng Excel hoặc LibreOffice, chọn Tệp → Lưu thành và Lưu lại dưới dạng Sổ làm việc Excel (.xlsx), rồi gửi tệp mới.",
  },
  notWorkbookZip: { kind: "not-workbook", reason: `tệp nén này không phải bảng tính Excel (.xlsx). ${SAVE_AS_XLSX}` },
  word: { kind: "not-workbook", reason: "đây là tệp Word, không phải bảng tính Excel (.xlsx). Hãy điền vào tệp Excel tự đánh giá của phường và gửi tệp đó." },
  powerpoint: { kind: "not-workbook", reason: "đây là tệp PowerPoint, không phải bảng tính Excel (.xlsx). Hãy điền vào tệp Excel tự đánh giá của phường và gửi tệp đó." },
  ods: { kind: "not-workbook", reason: "đây là bảng tính LibreOffice (.ods), không phải .xlsx. Hãy mở bằng LibreOffice, chọn Tệp → Lưu thành, kiểu tệp Excel 2007-365 (.xlsx), rồi thay tệp này." },
  pdf: { kind: "not-workbook", reason: "đây là tệp PDF, không phải bảng tính Excel (.xlsx). Hãy gửi tệp Excel tự đánh giá của phường, không gửi bản in PDF." },
  html: { kind: "not-workbook", reason: `đây là trang web (HTML) đặt tên như tệp Excel, không phải .xlsx. ${SAVE_AS_XLSX}` },
  xml2003: { kind: "not-workbook", reason: `đây là bảng tính dạng XML 2003, không phải .xlsx. ${SAVE_AS_XLSX}` },
  text: { kind: "not-workbook", reason: `đây là tệp văn bản (có thể là .csv), không phải bảng tính Excel (.xlsx). ${SAVE_AS_XLSX}` },
  unknown: { kind: "not-workbook", reason: `đây không phải bảng tính Excel (.xlsx). ${SAVE_AS_XLSX}` },
} as const satisfies Record<string, ReadProblem>;

/** True when the bytes start like a zip archive (an .xlsx is one). */
export function isZip(data: Buffer): boolean {
  const head = data.subarray(0, 4).toString("latin1");
  return ZIP_SIGNATURES.includes(head);
}

function hasUtf16Name(data: Buffer, name: string): boolean {
  return data.includes(Buffer.from(name, "utf16le"));
}

/** An OLE2 (Compound File) container: an old .xls or .doc, or an encrypted Office file. */
function oleProblem(data: Buffer): ReadProblem {
  // Directory entries hold stream names in UTF-16LE; an encrypted .xlsx is an OLE2 wrapper.
  if (hasUtf16Name(data, "EncryptedPackage") || hasUtf16Name(data, "EncryptionInfo")) return READ_PROBLEMS.encrypted;
  if (hasUtf16Name(data, "WordDocument")) return READ_PROBLEMS.word;
  if (hasUtf16Name(data, "PowerPoint Document")) return READ_PROBLEMS.powerpoint;
  return READ_PROBLEMS.legacyXls;
}

function textProblem(data: Buffer): ReadProblem {
  const head = data.subarray(0, 2048).toString("utf8").replace(/^\uFEFF/u, "").trimStart().toLowerCase();
  if (head.startsWith("%pdf")) return READ_PROBLEMS.pdf;
  if (head.includes("urn:schemas-microsoft-com:office:spreadsheet")) return READ_PROBLEMS.xml2003;
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.includes("<table") || head.includes("<body")) return READ_PROBLEMS.html;
  // Printable text with line breaks and no NUL bytes: a CSV or a text export.
  const sample = data.subarray(0, 2048);
  if (!sample.includes(0) && /[\r\n]/u.test(head) && /^[\p{L}\p{N}\p{P}\p{S}\p{Z}\s]*$/u.test(head)) return READ_PROBLEMS.text;
  return READ_PROBLEMS.unknown;
}

/** The problem with bytes that are not a zip at all (an .xlsx always is one). */
export function sniffNonZip(data: Buffer): ReadProblem {
  if (data.length === 0) return READ_PROBLEMS.empty;
  if (data.subarray(0, 8).equals(OLE2)) return oleProblem(data);
  return textProblem(data);
}

/** The problem with a readable zip that holds no workbook: a .docx, .pptx, .ods or another archive. */
export function sniffZipWithoutWorkbook(names: ReadonlySet<string>, mimetype: string | null): ReadProblem {
  if (names.has("word/document.xml")) return READ_PROBLEMS.word;
  if (names.has("ppt/presentation.xml")) return READ_PROBLEMS.powerpoint;
  if (mimetype?.startsWith("application/vnd.oasis.opendocument.spreadsheet") === true) return READ_PROBLEMS.ods;
  return READ_PROBLEMS.notWorkbookZip;
}
