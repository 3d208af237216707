/** The fake Drive's .docx → Google Doc conversion and its refusals, on a .docx the renderer made. */
import { describe, expect, it } from "vitest";
import { renderDocumentDocx } from "../../../functions/render/document-docx.js";
import { GoogleApiError } from "../../fakes/google/errors.js";
import { DOCX_MIME, checkDocumentImport, importDocx } from "../../fakes/google/docx-import.js";
import { WARD_VIEW } from "../../fixtures/document-views.js";

describe("fake Drive docx import", () => {
  it("reads the page, the header page number, the first page and the text from the .docx", async () => {
    const imported = importDocx(await renderDocumentDocx(WARD_VIEW));
    expect(imported.documentStyle.pageSize).toEqual({ width: { magnitude: 595.3, unit: "PT" }, height: { magnitude: 841.9, unit: "PT" } });
    expect(imported.documentStyle.marginLeft?.magnitude).toBeCloseTo(85.05, 1);
    expect(imported.documentStyle.useFirstPageHeaderFooter).toBe(true);
    expect(imported.headers).toEqual({ default: true, first: false });
    expect(imported.images).toBe(0);
    expect(imported.text).toContain("Kính gửi: Công an phường Nghi Tân");
  });

  it("refuses media Drive cannot convert to a Doc, and files over 50 MB", () => {
    expect(() => checkDocumentImport(DOCX_MIME, 1000)).not.toThrow();
    expect(() => checkDocumentImport("text/html; charset=utf-8", 10)).not.toThrow();
    expect(() => checkDocumentImport("image/svg+xml", 10)).toThrow(GoogleApiError);
    expect(() => checkDocumentImport(DOCX_MIME, 50 * 1024 * 1024 + 1)).toThrow(/too large/u);
  });

  it("refuses bytes that are not a .docx", () => {
    expect(() => importDocx(Buffer.from("not a zip"))).toThrow(GoogleApiError);
  });
});
