import { describe, expect, it } from "vitest";
import { emptySendReport } from "../../../functions/app/send-mail.js";
import type { MailMessage } from "../../../functions/ports.js";
import { deliveryLines } from "../../../scripts/delivery-lines.js";

const message = (key: string, subject: string): MailMessage => ({ key, to: [`${key}@cualo.example`], cc: [], subject, text: "", html: "", attachments: [] });
const messages = [message("a", "Thư A"), message("b", "Thư B"), message("c", "Thư C"), message("d", "Thư D"), message("e", "Thư E")];

describe("deliveryLines", () => {
  it("says what went out, what failed and whether it will be tried again, and what another run is sending", () => {
    const lines = deliveryLines(
      {
        ...emptySendReport(),
        sent: [{ key: "a", messageId: "<a@tieuchi.local>", via: "smtp" }],
        failed: [
          { key: "b", error: "Không gửi được thư tới b@cualo.example: máy chủ thư từ chối (552 5.3.4 Message too big)", permanent: true },
          { key: "c", error: "Không gửi được thư tới c@cualo.example: máy chủ thư từ chối (451 4.3.0 Try later)", permanent: false, retryAt: "2026-11-27T03:01:00.000Z" },
        ],
        busy: ["d"],
        deferred: [{ key: "e", error: "máy chủ thư từ chối (421 bận)", retryAt: "2026-11-27T03:02:00.000Z" }],
        refused: [{ key: "x", error: "550", failedAt: "2026-11-20T00:00:00.000Z" }],
      },
      messages,
      { kind: "smtp", host: "127.0.0.1:2525" },
    );
    expect(lines).toEqual([
      "Thư: đã gửi 1 thư qua máy chủ thư 127.0.0.1:2525; 0 thư đã gửi trước đó nên bỏ qua; 2 thư lỗi; 1 thư đang do một lần chạy khác gửi nên bỏ qua; 1 thư chờ đến giờ gửi lại; 1 thư máy chủ thư đã từ chối hẳn ở lần chạy trước (đã báo) nên không gửi lại.",
      "  ✓ a@cualo.example: Thư A",
      "  ✗ Thư B: Không gửi được thư tới b@cualo.example: máy chủ thư từ chối (552 5.3.4 Message too big) (máy chủ thư từ chối hẳn: không gửi lại thư này cho đến khi nội dung thay đổi; kiểm tra địa chỉ người nhận hoặc dung lượng thư)",
      "  ✗ Thư C: Không gửi được thư tới c@cualo.example: máy chủ thư từ chối (451 4.3.0 Try later) (sẽ gửi lại ở lần chạy sau, từ 10:01 ngày 27/11/2026)",
      "  … Thư D: đang được một lần chạy khác gửi",
      "  … Thư E: chờ gửi lại từ 10:02 ngày 27/11/2026 (lần trước: máy chủ thư từ chối (421 bận))",
    ]);
  });

  it("keeps the one summary line when everything was sent before", () => {
    expect(deliveryLines({ ...emptySendReport(), skipped: ["a", "b"] }, messages, { kind: "smtp", host: "127.0.0.1" })).toEqual(["Thư: đã gửi 0 thư qua máy chủ thư 127.0.0.1; 2 thư đã gửi trước đó nên bỏ qua; 0 thư lỗi."]);
  });

  it("says mail written to the outbox was not sent, as the vocabulary asks", () => {
    const sent = [{ key: "a", messageId: "<a@tieuchi.local>", via: "out/outbox/a.eml" }, { key: "b", messageId: "<b@tieuchi.local>", via: "out/outbox/b.eml" }];
    expect(deliveryLines({ ...emptySendReport(), sent }, messages, { kind: "outbox", folder: "ws/out/outbox/" })[0]).toBe(
      "Thư: đã ghi 2 thư vào thư mục ws/out/outbox/ (chưa cấu hình máy chủ thư nên chưa gửi đi; mở tệp .eml bằng trình đọc thư); 0 thư đã gửi trước đó nên bỏ qua; 0 thư lỗi.",
    );
  });
});

describe("deliveryLines at a province's size", () => {
  const many = Array.from({ length: 130 }, (_, i) => message(`m${i}`, `Thư ${i}`));
  const sent = many.map((m, i) => ({ key: m.key, messageId: `<${m.key}@tieuchi.local>`, via: "smtp", ...(i === 77 ? { rejected: ["sai@cualo.example"] } : {}) }));

  it("lists the first ten letters sent, every one with a refused recipient, and counts the rest", () => {
    const lines = deliveryLines({ ...emptySendReport(), sent }, many, { kind: "smtp", host: "127.0.0.1" });
    expect(lines.filter((l) => l.startsWith("  ✓"))).toHaveLength(11);
    expect(lines).toContain("  ✓ m77@cualo.example: Thư 77");
    expect(lines).toContain("    ! Máy chủ thư từ chối người nhận: sai@cualo.example (các người nhận khác đã nhận; kiểm tra lại địa chỉ trong cấu hình).");
    expect(lines.at(-1)).toBe("  … và 119 thư khác đã gửi.");
  });

  it("names the outbox folder for the letters not listed", () => {
    const lines = deliveryLines({ ...emptySendReport(), sent: sent.slice(0, 12).map(({ key, messageId }) => ({ key, messageId, via: "outbox" })) }, many, { kind: "outbox", folder: "ws/out/outbox/" });
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe("  … và 2 thư khác đã ghi vào thư mục ws/out/outbox/.");
  });
});
