/**
 * `tieuchi report`: compose the local report ports (documents in out/reports, mail over SMTP
 * or into out/outbox, the ledger in .tieuchi) and print what was written and sent.
 */
import { join, relative } from "node:path";
import { activeWards } from "../functions/config.js";
import { currentPeriod, formatLocalDateTime, organisationDate, periodTense } from "../functions/core/period.js";
import { periodLabel, sentenceCase } from "../functions/core/vi-format.js";
import { produceReport, type ReportPorts, type ReportResult } from "../functions/app/produce-report.js";
import { createOutboxMailer } from "../functions/adapters/mail/outbox-mailer.js";
import { createSmtpMailer } from "../functions/adapters/mail/smtp-mailer.js";
import { digestFiles } from "../functions/adapters/mail/digest-files.js";
import { findChromium, localDocumentStore } from "../functions/adapters/local/document-files.js";
import { localFeedbackSink, localSummarySink, workspacePaths } from "../functions/adapters/local/workspace.js";
import { loadTemplates } from "../functions/render/templates.js";
import { fullListFile } from "../functions/core/output-bounds.js";
import { unitKindOf } from "../functions/core/organisation.js";
import type { Clock, DocumentStore, StateStore } from "../functions/ports.js";
import type { CliContext, Io } from "./cli-io.js";
import { dryRunKv } from "./dry-run-kv.js";
import { SENT_LINES, deliveryLines, type MailDestination } from "./delivery-lines.js";
import { documentLines } from "./document-lines.js";
import { localClaims } from "./mail-claims.js";
import { type RunSetup, workbookAuthor } from "./run-command.js";

export interface ReportOptions {
  period?: string;
  dryRun: boolean;
}

/** Mail only written to the outbox (no SMTP server, so no smtp.from is required) still names the office. */
const outboxFrom = (issuer: string): string => `${issuer} <tieuchi@chua-cau-hinh-smtp.invalid>`;

/** A dry run reads everything and writes nothing: no files, no snapshot, no mail. */
function dryRunPorts(state: StateStore): Pick<ReportPorts, "feedback" | "summary" | "state" | "documents"> {
  const documents: DocumentStore = { publish: async (period, d) => ({ location: join("out", "reports", period, `${d.name}.html`), pdf: null, docx: null }) };
  return {
    feedback: { write: async () => undefined },
    summary: { write: async () => undefined },
    state: { ...state, saveSnapshot: async () => undefined },
    documents,
  };
}

export async function runReport(setup: RunSetup, ctx: CliContext, io: Io, clock: Clock, options: ReportOptions): Promise<number> {
  const { dir, config, sheets } = setup;
  const paths = workspacePaths(dir);
  const templates = await loadTemplates();
  const chromium = options.dryRun ? null : findChromium(ctx.env);
  const from = config.smtp?.from ?? outboxFrom(config.agency.issuerName ?? config.agency.issuer);
  const mailer = config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from }) : createOutboxMailer({ dir: join(paths.out, "outbox"), from });
  const { state, ledger } = setup.local;
  const ports: ReportPorts = {
    sheets,
    clock,
    templates,
    fullListOf: fullListFile,
    // The review cycle steps in a report's run too (its Trả lại letters and notices are sent here).
    // A dry run steps it over a read-only view (dryRunKv): it says which letters it would send, writes no record.
    review: { kv: options.dryRun ? dryRunKv(setup.local.kv) : setup.local.kv, whoChanged: workbookAuthor(config) },
    ...(options.dryRun
      ? { ...dryRunPorts(state), mail: null }
      : {
          feedback: localFeedbackSink(config, config.catalogues),
          summary: localSummarySink(dir, config.wards.map(unitKindOf)),
          state,
          // Only the wards whose workbook changed since the last run or start are read again.
          cache: sheets,
          documents: localDocumentStore({ outDir: paths.out, templates, chromium }),
          numbers: setup.local.kv,
          trail: setup.local.kv,
          mail: { mailer, ledger, claims: localClaims() },
          digestFiles: digestFiles({ readLocalFiles: true }),
        }),
  };
  try {
    // The wards in force during the period (the organisation changes: merged wards drop out later).
    // Without --period: the running period of the kind the config names (schedule.period).
    const period = options.period ?? currentPeriod(config.schedule.period, clock.now());
    const wards = activeWards(config.wards, organisationDate(period, clock.now()));
    const result = await produceReport(config, wards, ports, { period });
    printReport(result, { dir, ctx, io, dryRun: options.dryRun, chromium, mailer: mailer.kind, smtp: config.smtpUrl, frozen: periodTense(period, clock.now()) === "closed" ? "đã kết thúc" : "đã chốt" });
    return result.delivery?.failed.length ? 1 : 0;
  } finally {
    await mailer.close();
  }
}

/** `frozen`: why a stored period is not recomputed — it ended, or it was closed with `tieuchi close`. */
function printReport(result: ReportResult, o: { dir: string; ctx: CliContext; io: Io; dryRun: boolean; chromium: string | null; mailer: "smtp" | "outbox"; smtp: string | null; frozen: string }): void {
  const { io } = o;
  const rel = (p: string): string => relative(o.ctx.cwd, p) || p;
  const period = result.run.summary.period;
  if (result.archivedFrom) {
    io.out(`${sentenceCase(periodLabel(period))} ${o.frozen}: dựng lại báo cáo từ số liệu đã lưu lúc ${formatLocalDateTime(new Date(result.archivedFrom))}, không đọc lại các bảng tự đánh giá; số liệu đã lưu giữ nguyên.`);
  }
  io.out(`${o.dryRun ? "[Chạy thử] Sẽ tạo" : "Đã tạo"} ${result.documents.length} báo cáo ${periodLabel(period)}:`);
  const kinds = result.run.wards.map((w) => unitKindOf(w.ward));
  documentLines(result.documents, { show: o.dryRun ? (p) => p : rel, kinds, period: periodLabel(period) }).forEach((line) => io.out(line));
  if (!o.dryRun && !o.chromium) io.out("  (Không tìm thấy Chromium nên chỉ xuất HTML; cài gói chromium hoặc đặt TIEUCHI_CHROMIUM để có thêm PDF.)");
  if (result.archivedFrom) {
    io.out(`Kỳ ${o.frozen} nên không gửi thư (thư báo lỗi và thư nhắc hạn chỉ gửi trong kỳ đang chạy, chưa chốt).`);
    return;
  }
  if (o.dryRun || !result.delivery) {
    io.out(`[Chạy thử] Sẽ gửi ${result.messages.length} thư (không gửi, không ghi sổ):`);
    result.messages.slice(0, SENT_LINES).forEach((m) => io.out(`  → ${m.to.join(", ")}: ${m.subject}`));
    if (result.messages.length > SENT_LINES) io.out(`  … và ${result.messages.length - SENT_LINES} thư khác.`);
    return;
  }
  const to: MailDestination = o.mailer === "smtp" ? { kind: "smtp", host: hostOf(o.smtp) } : { kind: "outbox", folder: `${rel(join(workspacePaths(o.dir).out, "outbox"))}/` };
  deliveryLines(result.delivery, result.messages, to).forEach((line) => io.out(line));
}

/** host:port of an SMTP URL, never its credentials. */
function hostOf(url: string | null): string {
  if (!url) return "";
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return "(không rõ)";
  }
}
