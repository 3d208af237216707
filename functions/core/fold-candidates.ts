/**
 * A cheap, exact pre-check before folding text against a small vocabulary of folded keys
 * (column headers, the ward-name label). Folding (NFC, marks removed, case, punctuation) is
 * the costly step of parsing; most cells of a tab's first rows are criterion texts and typed
 * evidence that can never match, and this check rejects them without folding.
 */

const isAsciiDigit = (code: number): boolean => code >= 48 && code <= 57;
const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * A test that is false only for text whose folded key cannot be one of `keys`. Exact because
 * folding keeps every ASCII letter (lower-cased) and digit of the text: a letter or digit
 * missing from every key, or more of them than the longest key has characters, rules it out.
 *
 * @example foldCandidateTest(["ket qua"])("Kết quả") === true; foldCandidateTest(["ket qua"])("TC01") === false
 */
export function foldCandidateTest(keys: Iterable<string>): (text: string) => boolean {
  const allowed = new Set<number>();
  let longest = 0;
  for (const key of keys) {
    longest = Math.max(longest, key.length);
    for (let i = 0; i < key.length; i++) allowed.add(key.charCodeAt(i));
  }
  return (text) => {
    let kept = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) continue; // a Vietnamese letter, a mark or an invisible character: decided by folding
      const lower = isAsciiLetter(code) ? code | 0x20 : code;
      if (!isAsciiLetter(code) && !isAsciiDigit(code)) continue;
      if (!allowed.has(lower) || ++kept > longest) return false;
    }
    return true;
  };
}
