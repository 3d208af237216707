/**
 * Vietnamese text handling for what ward staff type: NFC normalisation, a folded
 * matching key, and detection of legacy 8-bit font mojibake (TCVN3 / VNI).
 */

/**
 * Normalise a cell string: NFC, non-breaking and odd spaces to plain spaces, trimmed,
 * inner runs of white space collapsed. Idempotent.
 *
 * @example normalizeText("  Nghi  Hu\u031Bo\u031Bng ") === "Nghi Hương"
 */
export function normalizeText(value: string): string {
  return value
    .normalize("NFC")
    .replace(/[\s\u00A0\u2007\u202F\u200B\uFEFF]+/gu, " ")
    .trim();
}

/**
 * The folded key used to compare names, headers and allowed values: NFC, lower case,
 * tone and vowel marks removed, đ→d, punctuation dropped, spaces collapsed.
 * "Hòa" and "Hoà", "Thủy" and "Thuỷ", "ĐẠT" and "dat" fold to the same key.
 *
 * @example foldKey("Chưa  ĐẠT") === "chua dat"
 */
export function foldKey(value: string): string {
  return normalizeText(value)
    .toLowerCase()
    .replace(/đ/gu, "d")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

// Latin-1 characters that occur in correctly encoded Vietnamese text: letters, and symbols
// typed next to numbers or words ("25°C", "120 m²", "«Đơn vị»").
const VIETNAMESE_LATIN1 = new Set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ°²³«»±");
// VNI puts the circumflex after its vowel ("Coâng" for "Công"); no Vietnamese word has "oâ", "aâ" or "eâ".
const VNI_CIRCUMFLEX = /[aeoAEO][âÂ]/u;

/**
 * True when the text looks like Vietnamese typed in a legacy 8-bit font (TCVN3 ".VnTime",
 * VNI) and shown as Latin-1: "Ninh B×nh", "§¹t", "Vieät Nam". We flag, never guess a fix.
 * A character of U+0080–U+00FF that Vietnamese does not use, touching a letter, is the tell.
 */
export function looksLikeLegacyEncoding(value: string): boolean {
  if (VNI_CIRCUMFLEX.test(value)) return true;
  const chars = Array.from(value);
  return chars.some((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80 || code > 0xff || VIETNAMESE_LATIN1.has(ch)) return false;
    if (code < 0xa0) return true; // C1 control characters never belong in typed text
    const before = chars[i - 1] ?? "";
    const after = chars[i + 1] ?? "";
    return /\p{L}/u.test(before) || /\p{L}/u.test(after);
  });
}
