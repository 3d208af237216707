import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldKey, looksLikeLegacyEncoding, normalizeKeepingFormatChars, normalizeText } from "../../../sheets-schema/text.js";

// The definitions as they were before the fast paths and memos (issue 11): the reference.
const collapse = (v: string): string => v.replace(/(?:(?!\uFEFF)[\s\u00A0\u2007\u202F])+/gu, " ").replace(/^ | $/gu, "");
const referenceNormalize = (v: string): string => collapse(v.replace(/\p{Cf}/gu, "").normalize("NFC"));
const referenceKeeping = (v: string): string => collapse(v.normalize("NFC"));
const referenceFold = (v: string): string => referenceNormalize(v).toLowerCase().replace(/đ/gu, "d").normalize("NFD").replace(/\p{M}+/gu, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
const LATIN1_OK = new Set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ°²³«»±");
function referenceLegacy(value: string): boolean {
  if (/[aeoAEO][âÂ]/u.test(value)) return true;
  const chars = Array.from(value);
  return chars.some((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80 || code > 0xff || LATIN1_OK.has(ch)) return false;
    if (code < 0xa0) return true;
    return /\p{L}/u.test(chars[i - 1] ?? "") || /\p{L}/u.test(chars[i + 1] ?? "");
  });
}

// Plain letters next to everything that makes a text not plain: marks to compose, spaces of every kind,
// format characters, C1 controls, Latin-1 mojibake, curly quotes, astral characters.
const pieces = ["a", "Đ", "ư", "ờ", "ng", " ", "  ", "\u00A0", "\u2007", "\u202F", "\t", "\n", "\u0301", "\u0323", "\u031B", "\u200B", "\u2060", "\uFEFF", "\u00AD", "\u0085", "§", "¹", "×", "â", "Â", "oâ", "“", "”", "–", "…", "\u212B", "\u{1F600}", "\u{10400}", "#", "1", ";"];
const texts = fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((p) => p.join(""));

describe("text fast paths", () => {
  it("normalise, fold and flag legacy fonts exactly as the plain definitions do", () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(normalizeText(text)).toBe(referenceNormalize(text));
        expect(normalizeKeepingFormatChars(text)).toBe(referenceKeeping(text));
        expect(foldKey(text)).toBe(referenceFold(text));
        expect(looksLikeLegacyEncoding(text)).toBe(referenceLegacy(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("give the same answer from the memo as the first time, for long texts too", () => {
    const long = `${"Chi bộ Công an phường “Hoàn thành tốt”  ".repeat(60)}\u200B`;
    for (const text of [long, "Ninh B×nh", " Nghi  Hương "]) {
      expect([normalizeText(text), normalizeText(text)]).toEqual([referenceNormalize(text), referenceNormalize(text)]);
      expect([looksLikeLegacyEncoding(text), looksLikeLegacyEncoding(text)]).toEqual([referenceLegacy(text), referenceLegacy(text)]);
    }
  });
});
