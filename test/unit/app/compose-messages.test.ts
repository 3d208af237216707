import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type DigestOptions, type DigestSource, composeDigest, composeFeedback } from "../../../functions/app/compose-messages.js";
import { digestKeyContent, findingsFingerprint } from "../../../functions/app/content-keys.js";
import { type TownRun, type WardRun, processWard } from "../../../functions/app/run-town.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import { aggregateTown } from "../../../functions/core/aggregate-town.js";
import type { Finding } from "../../../functions/core/findings.js";
import { MESSAGES_VI, type MessageTable, findingMessage } from "../../../functions/core/messages.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { P1, P2, builtinCatalogues, cellOf, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

const PERIOD = "2026-W48";
let catalogues: Catalogue[];
let config: Config;
let templates: TemplateSet;
let run: TownRun;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-11-01"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
  templates = await loadTemplates();
  run = await townRun((wardId) => sampleWorkbook(catalogues, wardId));
});

async function townRun(workbookOf: (wardId: string) => ReturnType<typeof sampleWorkbook>): Promise<TownRun> {
  const wards = await Promise.all(config.wards.map((w) => processWard(w, catalogues, { read: async () => workbookOf(w.id) })));
  return { summary: aggregateTown(wards.map((w) => w.outcome), catalogues, { period: PERIOD, generatedAt: "2026-11-27T03:00:00.000Z", previous: null }), wards };
}

/** The same findings, each carrying the sentence an older (or newer) release wrote for it. */
function withSentences(wards: readonly WardRun[], table: MessageTable): WardRun[] {
  return wards.map((w) => ({ ...w, findings: w.findings.map((f): Finding => Object.assign({ message: findingMessage(f, table) }, f)) }));
}

const reworded: MessageTable = {
  ...MESSAGES_VI,
  "evidence-missing": ({ params }) => `Tiêu chí ${params.criterion} đã đánh giá Đạt mà thiếu minh chứng: ghi số, ngày văn bản vào cột Minh chứng.`,
};

const keysOf = (r: TownRun): string[] => composeFeedback(r, config, templates).map((m) => m.key);

describe("ward feedback keys", () => {
  it("stay the same when a release rewords a message", () => {
    const before = keysOf({ ...run, wards: withSentences(run.wards, MESSAGES_VI) });
    const after = keysOf({ ...run, wards: withSentences(run.wards, reworded) });
    expect(before.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
    expect(keysOf(run)).toEqual(before);
    const hoa = run.wards.find((w) => w.ward.id === "nghi-hoa")!;
    expect(findingMessage(hoa.findings[0]!, reworded)).not.toBe(findingMessage(hoa.findings[0]!));
  });

  it("change when the findings change: another cell, another value typed", async () => {
    const tab = catalogues[0]!.tabTitle;
    const typed = (value: string) => (wardId: string) => {
      const wb = sampleWorkbook(catalogues, wardId);
      return wardId === "nghi-hoa" ? withCell(wb, tab, cellOf(wb, tab, "TC05", "D"), value) : wb;
    };
    const [a, b] = [typed("dat roi"), typed("xong")];
    const keyOf = async (workbookOf: typeof a) => composeFeedback(await townRun(workbookOf), config, templates).find((m) => m.to.includes("ca.nghihoa@cualo.example"))!.key;
    const base = composeFeedback(run, config, templates).find((m) => m.to.includes("ca.nghihoa@cualo.example"))!.key;
    const [keyA, keyB] = [await keyOf(a), await keyOf(b)];
    expect(new Set([base, keyA, keyB]).size).toBe(3);
  });

  it("hash the findings' data: codes, places and params", () => {
    const findings = run.wards.flatMap((w) => w.findings);
    expect(findingsFingerprint(withSentences([{ ...run.wards[0]!, findings }], reworded)[0]!.findings)).toBe(findingsFingerprint(findings));
    const reordered = findings.map((f): Finding => JSON.parse(JSON.stringify({ params: f.params, code: f.code, criterion: f.criterion, cell: f.cell, tab: f.tab, severity: f.severity })) as Finding);
    expect(findingsFingerprint(reordered)).toBe(findingsFingerprint(findings));
    const moved = findings.map((f, i) => (i === 0 ? { ...f, cell: "Z99" } : f));
    expect(findingsFingerprint(moved)).not.toBe(findingsFingerprint(findings));
  });
});

describe("findings kept in older state", () => {
  it("are mailed with the sentence they were stored with (no params yet)", () => {
    const legacy = run.wards.map((w) => ({
      ...w,
      findings: w.findings.map(({ params: _params, ...f }) => ({ ...f, message: "Câu đã lưu ở phiên bản trước." }) as unknown as Finding),
    }));
    const messages = composeFeedback({ ...run, wards: legacy }, config, templates);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]!.text).toContain("Câu đã lưu ở phiên bản trước.");
  });
});

describe("the digest key", () => {
  const sources = (root: string): DigestSource[] =>
    [P1, P2].map((id) => ({ programmeId: id, title: `Báo cáo ${id}`, location: `${root}/out/reports/${PERIOD}/bao-cao-${id}.html`, pdf: null }));
  const options = (root: string): DigestOptions => ({ documents: sources(root), files: null, runtime: "local" });

  it("is the same when the workspace folder is renamed, and the body never shows the path", async () => {
    const here = await composeDigest(run, config, templates, options("/home/canbo/tieuchi"));
    const moved = await composeDigest(run, config, templates, options("/mnt/usb/tieu chi 2026"));
    expect(moved?.key).toBe(here?.key);
    for (const m of [here!, moved!]) {
      expect(m.html + m.text).not.toMatch(/file:|\/out\/|\/home\/|\/mnt\//u);
      expect(m.text).toContain(`tệp “bao-cao-${P1}.html” trong thư mục báo cáo của kỳ`);
    }
  });

  it("changes with the figures and with which reports were published", async () => {
    const links = options("/home/canbo/tieuchi");
    const base = digestKeyContent(run.summary, [P1, P2]);
    const tab = catalogues[0]!.tabTitle;
    const fewer = await townRun((wardId) => {
      const wb = sampleWorkbook(catalogues, wardId);
      return wardId === "nghi-tan" ? withCell(wb, tab, cellOf(wb, tab, "TC01", "D"), "Chưa đạt") : wb;
    });
    expect(digestKeyContent(fewer.summary, [P1, P2])).not.toEqual(base);
    expect(digestKeyContent(run.summary, [P1])).not.toEqual(base);
    const keys = await Promise.all([composeDigest(run, config, templates, links), composeDigest(fewer, config, templates, links)]);
    expect(keys[0]?.key).not.toBe(keys[1]?.key);
  });

  it("holds figures and document keys, no link, path or sentence", () => {
    const text = JSON.stringify(digestKeyContent(run.summary, [P1, P2]));
    expect(text).toContain(`"document":"town/${P1}/${PERIOD}"`);
    expect(text).not.toMatch(/file:|\/out\/|phường|Tuần/u);
  });
});
