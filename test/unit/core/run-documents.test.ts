/** Every document of a run: keys, names, titles and numbers; what to number, per kind and Vietnam year. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type TownSummary, type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import type { DocumentSettings } from "../../../functions/core/document-frame.js";
import { buildRunDocuments, numberRequests } from "../../../functions/core/run-documents.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let outcomes: WardOutcome[];
let summary: TownSummary;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  outcomes = degradedOutcomes(sampleOutcomes(catalogues), catalogues).slice(-3);
  summary = aggregateTown(outcomes, catalogues, { period: "2026-12", generatedAt: "2026-12-31T18:00:00.000Z", previous: null });
});

const withNumbering = (mode: "blank" | "sequence"): DocumentSettings => ({ ...DOCUMENT_SETTINGS, reports: { ...DOCUMENT_SETTINGS.reports, numbering: { mode, start: 7 } } });

describe("buildRunDocuments", () => {
  it("lists the town report of each programme, then a notice per ward, numbered by key", () => {
    const wards = outcomes.map((o) => ({ ward: o.ward, outcome: o, findings: [] }));
    const numbers = new Map([["town/phuong-bao-ve-antq/2026-12", 8], ["ward/thu-thuy/2026-12", 7]]);
    const docs = buildRunDocuments({ summary, wards, catalogues, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, numbers });
    expect(docs.map((d) => [d.key, d.name, d.title, d.view.frame.number])).toEqual([
      ["town/ca-phuong-dien-hinh/2026-12", "bao-cao-ca-phuong-dien-hinh", `Báo cáo ${catalogues[0]!.shortName} (tháng 12/2026)`, "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/BC-CATX"],
      ["town/phuong-bao-ve-antq/2026-12", "bao-cao-phuong-bao-ve-antq", `Báo cáo ${catalogues[1]!.shortName} (tháng 12/2026)`, "Số: 08/BC-CATX"],
      ["ward/nghi-hai/2026-12", "phuong-nghi-hai", "Thông báo phường Nghi Hải (tháng 12/2026)", "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/TB-CATX"],
      ["ward/thu-thuy/2026-12", "phuong-thu-thuy", "Thông báo phường Thu Thủy (tháng 12/2026)", "Số: 07/TB-CATX"],
      ["ward/nghi-tan/2026-12", "phuong-nghi-tan", "Thông báo phường Nghi Tân (tháng 12/2026)", "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/TB-CATX"],
    ]);
    expect(docs.map((d) => d.kind)).toEqual(["town-report", "town-report", "ward-notice", "ward-notice", "ward-notice"]);
  });

  it("names a notice by the unit's kind", () => {
    const wards = outcomes.map((o, i) => ({ ward: { ...o.ward, kind: (["xã", "đặc khu", "phường"] as const)[i] }, outcome: o, findings: [] }));
    const docs = buildRunDocuments({ summary, wards, catalogues, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, numbers: new Map() });
    expect(docs.slice(2).map((d) => [d.name, d.title, d.view.recipient])).toEqual([
      ["xa-nghi-hai", "Thông báo xã Nghi Hải (tháng 12/2026)", "Kính gửi: Công an xã Nghi Hải"],
      ["dac-khu-thu-thuy", "Thông báo đặc khu Thu Thủy (tháng 12/2026)", "Kính gửi: Công an đặc khu Thu Thủy"],
      ["phuong-nghi-tan", "Thông báo phường Nghi Tân (tháng 12/2026)", "Kính gửi: Công an phường Nghi Tân"],
    ]);
  });
});

describe("numberRequests", () => {
  it("asks for nothing in blank mode", () => {
    expect(numberRequests({ summary, wardIds: ["nghi-hai"], issuedAt: ISSUED_AT, settings: withNumbering("blank") })).toEqual([]);
  });

  it("asks per document with its kind and the issue year in Vietnam time", () => {
    // 01:00 on 1 January 2027 in Vietnam is still 2026 in UTC.
    const requests = numberRequests({ summary, wardIds: ["nghi-hai"], issuedAt: new Date("2026-12-31T18:00:00Z"), settings: withNumbering("sequence") });
    expect(requests).toEqual([
      { key: "town/ca-phuong-dien-hinh/2026-12", kind: "town-report", year: 2027, start: 7 },
      { key: "town/phuong-bao-ve-antq/2026-12", kind: "town-report", year: 2027, start: 7 },
      { key: "ward/nghi-hai/2026-12", kind: "ward-notice", year: 2027, start: 7 },
    ]);
  });
});
