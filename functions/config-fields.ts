/**
 * Field checks of the configuration that zod has no word for: real calendar dates, the From
 * address, the digest cron expression. Each returns a Vietnamese sentence, or null when fine.
 */
import { Cron } from "croner";
import { z } from "zod";

const DATE_EXAMPLE = "ví dụ 2026-12-31";

/**
 * Why a YYYY-MM-DD text is not a real date, or null. "2026-02-30" and "2026-13-45" are refused.
 *
 * @example dateProblem("2026-02-30") // → "ngày 2026-02-30 không có trên lịch: tháng 2 năm 2026 chỉ có 28 ngày"
 */
export function dateProblem(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(value.trim());
  if (!match) return `“${value}” không phải ngày dạng NĂM-THÁNG-NGÀY (${DATE_EXAMPLE})`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `ngày ${value} không có trên lịch: tháng ${match[2]} không có (tháng từ 01 đến 12; ngày dạng NĂM-THÁNG-NGÀY, ${DATE_EXAMPLE})`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `ngày ${value} không có trên lịch: tháng ${month} năm ${year} chỉ có ${days} ngày`;
  return null;
}

/** A YYYY-MM-DD date that exists on the calendar. */
export const calendarDate = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : `cần ngày dạng NĂM-THÁNG-NGÀY trong dấu nháy kép (${DATE_EXAMPLE})`) })
  .superRefine((value, ctx) => {
    const problem = dateProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const EMAIL_EXAMPLE = "ví dụ: ca.nghihai@cualo.example";
const emailCheck = z.email();

/** An email address (trimmed); the message quotes what was written. */
export const emailAddress = z
  .string()
  .trim()
  .pipe(z.email({ error: (issue) => `“${String(issue.input)}” không phải địa chỉ email hợp lệ (${EMAIL_EXAMPLE})` }));

/** The From address `init` writes: a placeholder domain the office replaces with its own. */
export const SAMPLE_FROM = "Công an thị xã Cửa Lò <tieuchi@catx-cualo.gov.vn>";

/**
 * Why a From header is not usable, or null: `"Công an thị xã" <ca@x.vn>`, `Công an thị xã <ca@x.vn>`
 * and `ca@x.vn` are fine.
 */
export function fromAddressProblem(value: string): string | null {
  const match = /^\s*(?:("[^"]*"|[^<>"]*?)\s*<([^<>\s]+)>|([^<>\s"]+))\s*$/u.exec(value);
  const address = match?.[2] ?? match?.[3];
  if (address !== undefined && /@localhost$/iu.test(address)) return `địa chỉ người gửi “${value}” dùng tên miền localhost nên máy chủ thư nơi nhận sẽ từ chối: dùng địa chỉ thư của đơn vị, ví dụ '${SAMPLE_FROM}'`;
  if (address !== undefined && emailCheck.safeParse(address).success) return null;
  return `địa chỉ người gửi “${value}” không hợp lệ: viết '"Công an thị xã Cửa Lò" <ca@cualo.example>' (cả dòng trong dấu nháy đơn) hoặc chỉ ca@cualo.example`;
}

const CRON_EXAMPLE = `Ví dụ "0 7 * * 1": 7 giờ sáng thứ Hai (phút giờ ngày tháng thứ)`;

const CRON_FIELDS: Record<string, ReadonlyArray<readonly [string, string]>> = {
  "5": [["phút", "từ 0 đến 59"], ["giờ", "từ 0 đến 23"], ["ngày trong tháng", "từ 1 đến 31"], ["tháng", "từ 1 đến 12 hoặc JAN–DEC"], ["thứ trong tuần", "từ 0 đến 7 (0 và 7 là Chủ nhật) hoặc MON–SUN"]],
};
CRON_FIELDS["6"] = [["giây", "từ 0 đến 59"], ...CRON_FIELDS["5"]!];
CRON_FIELDS["7"] = [...CRON_FIELDS["6"]!, ["năm", "một năm, ví dụ 2027"]];

function compiles(expression: string): Cron | null {
  try {
    return new Cron(expression, { paused: true, timezone: "Asia/Ho_Chi_Minh" });
  } catch {
    return null;
  }
}

/**
 * Why a cron expression cannot schedule the digest, or null: which field is wrong, its range,
 * and an example.
 *
 * @example cronProblem("0 25 * * 1") // → "… sai ở trường thứ 2 (giờ): “25” phải từ 0 đến 23. Ví dụ …"
 */
export function cronProblem(expression: string): string | null {
  const shown = `biểu thức cron “${expression}”`;
  const cron = compiles(expression);
  if (cron) {
    const next = cron.nextRun();
    cron.stop();
    return next ? null : `${shown} không bao giờ đến lượt chạy (không có ngày giờ nào khớp). ${CRON_EXAMPLE}.`;
  }
  const parts = expression.trim().split(/\s+/u);
  const fields = CRON_FIELDS[String(parts.length)];
  if (!fields || expression.trim().startsWith("@")) {
    return `${shown} có ${parts.length} trường; cần 5 trường cách nhau bằng dấu cách: phút, giờ, ngày trong tháng, tháng, thứ trong tuần. ${CRON_EXAMPLE}.`;
  }
  const wrong = parts.findIndex((part, i) => {
    const probe = compiles(parts.map((p, j) => (j === i ? p : "*")).join(" "));
    probe?.stop();
    return probe === null;
  });
  const [name, range] = fields[wrong] ?? ["", ""];
  if (wrong < 0) return `${shown} không hợp lệ. ${CRON_EXAMPLE}.`;
  return `${shown} sai ở trường thứ ${wrong + 1} (${name}): “${parts[wrong]}” phải ${range}. ${CRON_EXAMPLE}.`;
}
