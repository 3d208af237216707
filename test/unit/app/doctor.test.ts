import { describe, expect, it } from "vitest";
import { type DoctorCheck, doctorExitCode, formatDoctorReport } from "../../../functions/app/doctor.js";
import { apiCheck, channelTokenCheck, identityCheck, quotaCheck } from "../../../functions/app/doctor-checks.js";

const ok: DoctorCheck = { id: "identity", ok: true, title: "Danh tính làm việc với Google", detail: "tieuchi@p.iam.gserviceaccount.com (tài khoản dịch vụ)", fix: null };
const broken: DoctorCheck = { id: "api-sheets", ok: false, title: "Google Sheets API đã bật", detail: "Google Sheets API chưa được bật cho dự án", fix: "bật Google Sheets API tại https://…" };

describe("doctor report", () => {
  it("prints ✓/✗ per check and the fix under each failed one", () => {
    expect(formatDoctorReport([ok, broken])).toMatchInlineSnapshot(`
      "✓ Danh tính làm việc với Google: tieuchi@p.iam.gserviceaccount.com (tài khoản dịch vụ)
      ✗ Google Sheets API đã bật: Google Sheets API chưa được bật cho dự án
          Cách xử lý: bật Google Sheets API tại https://…

      Còn 1/2 mục cần xử lý."
    `);
  });

  it("exits 0 only when every check passed", () => {
    expect(doctorExitCode([ok])).toBe(0);
    expect(doctorExitCode([ok, broken])).toBe(1);
  });

  it("judges the channel token and the quota headroom", () => {
    expect(channelTokenCheck("có dấu tiếng Việt 0123456789").ok).toBe(false);
    expect(channelTokenCheck("short").ok).toBe(false);
    expect(channelTokenCheck("a".repeat(32)).ok).toBe(true);
    expect(quotaCheck(480).ok).toBe(true);
    expect(quotaCheck(481)).toMatchObject({ ok: false, fix: expect.stringContaining("Read requests per minute per user") });
  });

  it("says the machine has no Google credentials, in Vietnamese, instead of blaming the network or an API", () => {
    const none = { ok: false as const, failure: { kind: "noCredentials" as const } };
    const api = apiCheck("api-sheets", none);
    expect(api).toMatchObject({ ok: false, detail: expect.stringContaining("chưa có thông tin đăng nhập Google") });
    expect(api.fix).toContain("gcloud auth application-default login");
    expect(identityCheck(none, null).detail).toContain("chưa có thông tin đăng nhập Google");
    expect(JSON.stringify([api, identityCheck(none, null)])).not.toMatch(/Could not load|network/i);
  });
});
