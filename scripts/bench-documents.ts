/**
 * The sample town's documents of one run (2 town reports, 7 ward notices) as DocumentViews, for
 * the bench's PDF section (bench-pdf.ts prints them).
 */
import type { Catalogue } from "../sheets-schema/catalogue.js";
import { aggregateTown } from "../functions/core/aggregate-town.js";
import type { DocumentSettings } from "../functions/core/document-frame.js";
import type { DocumentView } from "../functions/core/document-blocks.js";
import { evaluateWorkbook } from "../functions/core/evaluate-ward.js";
import { buildRunDocuments } from "../functions/core/run-documents.js";
import type { CoreSample } from "./bench-core.js";

export function sampleDocumentViews(samples: readonly CoreSample[], catalogues: readonly Catalogue[], settings: DocumentSettings): DocumentView[] {
  const wards = samples.map(({ workbook, ward }) => {
    const evaluation = evaluateWorkbook(workbook, catalogues, ward);
    return { ward, findings: evaluation.findings, outcome: { ward: { id: ward.id, name: ward.name }, status: "ok" as const, reason: null, scores: evaluation.scores } };
  });
  const summary = aggregateTown(wards.map((w) => w.outcome), catalogues, { period: "2026-W48", generatedAt: "2026-11-27T01:00:00.000Z", previous: null });
  return buildRunDocuments({ summary, wards, catalogues, history: [], settings, issuedAt: new Date("2026-11-27T01:00:00.000Z"), numbers: new Map() }).map((d) => d.view);
}
