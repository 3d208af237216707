/**
 * Vietnamese text handling for what ward staff type: NFC normalisation, a folded
 * matching key, and detection of legacy 8-bit font mojibake (TCVN3 / VNI).
 */

// Unicode format characters (General Category Cf): U+200B–U+200F, U+2060, U+FEFF, U+00AD, bidi
// marks… Text pasted from Word or the web carries them; they show nothing, so the clerk never sees them.
const FORMAT_CHARS = /\p{Cf}/gu;

/**
 * Remove every Unicode format character (category Cf): zero-width spaces and joiners, word
 * joiner, byte order mark, soft hyphen, bidi marks. What is left is what the clerk sees.
 *
 * @example removeFormatChars("TC02\u2060") === "TC02"
 */
export function removeFormatChars(value: string): string {
  return value.replace(FORMAT_CHARS, "");
}

/**
 * Normalise a cell string: NFC, format characters (Cf) removed, non-breaking and odd spaces
 * to plain spaces, trimmed, inner runs of white space collapsed. Idempotent.
 *
 * @example normalizeText("  Nghi  Hu\u031Bo\u031Bng ") === "Nghi Hương"
 */
export const normalizeText = memoised((value: string): string => {
  if (isPlainText(value)) return value;
  // Removed before NFC: a format character between a letter and its mark would otherwise keep them apart.
  return collapseSpaces(removeFormatChars(value).normalize("NFC"));
});

/** NFC and spaces as normalizeText does, but format characters kept: the text as typed, for messages. */
export const normalizeKeepingFormatChars = memoised((value: string): string => {
  if (isPlainText(value)) return value;
  return collapseSpaces(value.normalize("NFC"));
});

/**
 * A bounded memo of a pure function of text. Ward workbooks repeat the same texts (criteria
 * copied from the template, headers, allowed values, names): each is worked out once
 * (issue 11: normalising and folding were most of the parsing cost). Long texts are not kept.
 *
 * @example const upper = memoised((s: string) => s.toUpperCase()); upper("a") === "A"
 */
export function memoised<T>(fn: (value: string) => T): (value: string) => T {
  const memo = new Map<string, T>();
  return (value) => {
    const known = memo.get(value);
    if (known !== undefined) return known;
    const result = fn(value);
    if (value.length <= MEMO_MAX_LENGTH) {
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(value, result);
    }
    return result;
  };
}

const MEMO_ENTRIES = 8192;
const MEMO_MAX_LENGTH = 1024;

// Any character outside: printable ASCII and space, Latin-1 symbols (not NBSP or the soft hyphen),
// precomposed Latin letters, the dashes, curly quotes and ellipsis of U+2010–U+2027 (each and each
// pair checked against NFC). BMP only, so no "u" flag: a surrogate is outside the class too.
const NOT_PLAIN_CHAR = /[^ -~\u00A1-\u00AC\u00AE-\u024F\u1E00-\u1EFF\u2010-\u2027]/;

/**
 * True when normalising would return the text unchanged: only the characters above (NFC as they
 * are, nothing composes with them, no format characters among them), single spaces between words.
 * Most typed cells are like this; the check spares them the replacements.
 */
function isPlainText(value: string): boolean {
  return !NOT_PLAIN_CHAR.test(value) && !value.includes("  ") && value.charCodeAt(0) !== 32 && value.charCodeAt(value.length - 1) !== 32;
}

function collapseSpaces(value: string): string {
  // \s includes U+FEFF, which is a format character, not a space: kept for normalizeKeepingFormatChars.
  // (String.prototype.trim would remove a leading U+FEFF too: after collapsing, only single spaces are left to drop.)
  return value.replace(/(?:(?!\uFEFF)[\s\u00A0\u2007\u202F])+/gu, " ").replace(/^ | $/gu, "");
}

/**
 * Text for a message that quotes what staff typed: every invisible character (format
 * characters, control characters) shown as its code point, so "TC02" followed by a word
 * joiner never reads as “TC02”.
 *
 * @example showInvisible("TC02\u2060") === "TC02⟨U+2060⟩"
 */
export function showInvisible(value: string): string {
  return value.replace(/[\p{Cf}\p{Cc}]/gu, (ch) => `⟨U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}⟩`);
}

/**
 * The folded key used to compare names, headers and allowed values: NFC, lower case,
 * tone and vowel marks removed, đ→d, punctuation dropped, spaces collapsed.
 * "Hòa" and "Hoà", "Thủy" and "Thuỷ", "ĐẠT" and "dat" fold to the same key.
 *
 * @example foldKey("Chưa  ĐẠT") === "chua dat"
 */
export const foldKey = memoised((value: string): string => foldUncached(value));

function foldUncached(value: string): string {
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
export const looksLikeLegacyEncoding = memoised((value: string): boolean => {
  // One scan decides most cells: without â/Â no VNI circumflex, without a non-Vietnamese Latin-1 character no tell.
  let circumflex = false;
  let foreign = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80 || code > 0xff) continue;
    if (code === 0xe2 || code === 0xc2) circumflex = true;
    else if (!VIETNAMESE_LATIN1.has(value.charAt(i))) foreign = true;
  }
  if (circumflex && VNI_CIRCUMFLEX.test(value)) return true;
  if (!foreign) return false;
  const chars = Array.from(value);
  return chars.some((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80 || code > 0xff || VIETNAMESE_LATIN1.has(ch)) return false;
    if (code < 0xa0) return true; // C1 control characters never belong in typed text
    const before = chars[i - 1] ?? "";
    const after = chars[i + 1] ?? "";
    return /\p{L}/u.test(before) || /\p{L}/u.test(after);
  });
});
