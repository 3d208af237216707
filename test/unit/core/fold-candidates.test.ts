import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldCandidateTest } from "../../../functions/core/fold-candidates.js";
import { COLUMNS, parseHeader } from "../../../sheets-schema/layout.js";
import { foldKey } from "../../../sheets-schema/text.js";

const headerKeys = COLUMNS.map((c) => foldKey(c.header));
const isCandidate = foldCandidateTest(headerKeys);
// Letters, marks, spaces, format characters and punctuation staff type, in any mix.
const pieces = ["M", "ã", "a\u0303", " ", "\u00A0", "\u200B", "T", "i", "ê", "u", "C", "h", "í", "K", "ế", "t", "q", "Đ", "đ", "ể", "m", "S", "G", "N", "ộ", "d", "ư", "ơ", "g", ":", "(", "1", "b", "y", "\t", "Ô", "Ì"];
const texts = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((p) => p.join(""));

describe("foldCandidateTest", () => {
  it("never rejects a text that folds to one of the keys (so no header is missed)", () => {
    fc.assert(
      fc.property(texts, (text) => {
        if (headerKeys.includes(foldKey(text))) expect(isCandidate(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    for (const c of COLUMNS) for (const typed of [c.header, c.header.toUpperCase(), ` ${c.header.normalize("NFD")}\u200B `]) expect(isCandidate(typed)).toBe(true);
  });

  it("rejects criterion texts, codes and typed evidence without folding them", () => {
    for (const text of ["TC01", "Chi bộ Công an phường được đánh giá", "Kế hoạch số 12/KH-CAP ngày 15/3/2023", "BẢNG TỰ ĐÁNH GIÁ KẾT QUẢ", "Xây dựng lực lượng"]) {
      expect(isCandidate(text)).toBe(false);
      expect(parseHeader(text)).toBeUndefined();
    }
  });
});
