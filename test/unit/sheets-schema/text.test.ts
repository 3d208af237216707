import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldKey, looksLikeLegacyEncoding, normalizeKeepingFormatChars, normalizeText, removeFormatChars, showInvisible } from "../../../sheets-schema/text.js";

const nfd = (s: string): string => s.normalize("NFD");

describe("normalizeText", () => {
  it.each([
    ["decomposed horn marks", "Nghi Hu\u031Bo\u031Bng", "Nghi Hương"],
    ["NFD place name", nfd("Nghi Hương"), "Nghi Hương"],
    ["NFD result value", nfd("Chưa đạt"), "Chưa đạt"],
    ["NFD stacked marks", nfd("Nguyễn Thị Ấn"), "Nguyễn Thị Ấn"],
    ["non-breaking space", "Nghi\u00A0Hương", "Nghi Hương"],
    ["figure and narrow no-break spaces", "Thu\u2007\u202FThủy", "Thu Thủy"],
    ["zero-width space next to a space", "Thu \u200BThủy", "Thu Thủy"],
    ["byte order mark", "\uFEFFĐạt", "Đạt"],
    ["inner runs of spaces", "Chưa    đạt", "Chưa đạt"],
    ["tabs and new lines", "Chưa\t\nđạt", "Chưa đạt"],
    ["leading and trailing space", "  Đạt \u00A0", "Đạt"],
    ["the documented example", "  Nghi  Hu\u031Bo\u031Bng ", "Nghi Hương"],
    ["white space only", " \u00A0\u200B ", ""],
    ["empty", "", ""],
  ])("%s", (_label, input, expected) => {
    const output = normalizeText(input);
    expect(output).toBe(expected);
    expect(output).toBe(output.normalize("NFC"));
  });
});

// What Word, web pages and chat apps leave in pasted text: every one is a format character (Cf).
const INVISIBLES = [
  ["zero-width space", "\u200B"],
  ["zero-width non-joiner", "\u200C"],
  ["zero-width joiner", "\u200D"],
  ["left-to-right mark", "\u200E"],
  ["right-to-left mark", "\u200F"],
  ["word joiner", "\u2060"],
  ["byte order mark", "\uFEFF"],
  ["soft hyphen", "\u00AD"],
  ["left-to-right embedding", "\u202A"],
  ["pop directional formatting", "\u202C"],
  ["first strong isolate", "\u2068"],
  ["Arabic letter mark", "\u061C"],
] as const;

describe("format characters", () => {
  it.each(INVISIBLES)("removes a %s from a pasted code, wherever it sits", (_name, ch) => {
    for (const typed of [`TC02${ch}`, `${ch}TC02`, `TC${ch}02`, `T${ch}C${ch}0${ch}2`]) {
      expect(normalizeText(typed)).toBe("TC02");
      expect(foldKey(typed)).toBe("tc02");
      expect(removeFormatChars(typed)).toBe("TC02");
    }
  });

  it.each(INVISIBLES)("shows a %s as its code point in a message", (_name, ch) => {
    const hex = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    expect(showInvisible(`TC02${ch}`)).toBe(`TC02⟨U+${hex}⟩`);
  });

  it("keeps the format characters as typed for messages, spaces normalised", () => {
    expect(normalizeKeepingFormatChars("  \uFEFFTC02\u2060  x ")).toBe("\uFEFFTC02\u2060 x");
    expect(showInvisible("Đạt")).toBe("Đạt");
  });

  it("composes a letter with its mark once the format character between them is gone", () => {
    expect(normalizeText("Đa\u200B\u0323t")).toBe("Đạt");
  });
});

describe("foldKey", () => {
  it.each([
    ["Hòa", "Hoà"],
    ["Thủy", "Thuỷ"],
    ["ĐẠT", "dat"],
    ["Chưa  đạt", "Chưa đạt"],
    [nfd("Nghi Hương"), "Nghi Hương"],
    [nfd("Chưa Đạt"), "chưa đạt"],
    ["Đạt.", "Đạt"],
  ])("folds %j and %j to the same key", (a, b) => {
    expect(foldKey(a)).toBe(foldKey(b));
  });

  it.each([
    ["ĐẠT", "dat"],
    ["Chưa  đạt", "chua dat"],
    ["Chưa  ĐẠT", "chua dat"],
    ["Đ", "d"],
    ["đ", "d"],
    ["Đồng Đăng", "dong dang"],
    ["Nghi Hương", "nghi huong"],
    ["Thủy", "thuy"],
    ["Kế hoạch số 12/KH-CAP", "ke hoach so 12 kh cap"],
    ["(Đạt!)", "dat"],
    ["a.b,c!d", "a b c d"],
    ["  --  ", ""],
  ])("foldKey(%j) is %j", (input, expected) => {
    expect(foldKey(input)).toBe(expected);
  });

  it("maps Đ to d directly, since Đ has no canonical decomposition", () => {
    expect(nfd("Đđ")).toBe("Đđ");
    expect(foldKey("Đđ")).toBe("dd");
  });
});

describe("looksLikeLegacyEncoding", () => {
  it.each([
    ["TCVN3 Bình", "Ninh B×nh"],
    ["TCVN3 Đạt", "§¹t"],
    ["TCVN3 Hương", "Nghi H\u00AD\u00ACng"],
    ["VNI Việt", "Vieät Nam"],
    ["VNI Đạt", "Ñaït"],
    ["VNI Công", "Coâng an"],
  ])("flags %s (%j)", (_label, input) => {
    expect(looksLikeLegacyEncoding(input)).toBe(true);
  });

  it.each([
    "Nghi Hương",
    "Đạt",
    "Chưa đạt",
    "Kế hoạch số 12/KH-CAP ngày 15/3/2023",
    "Thu Thủy",
    "Ô tô",
    nfd("Thu Thủy"),
    nfd("Ô tô"),
    "Plain ASCII text, 42.",
    "100%",
    "120 m²",
    "25°C",
    "«Đơn vị»",
    "Hoà Bình, thuê nhà, khoẻ",
    "",
  ])("does not flag %j", (input) => {
    expect(looksLikeLegacyEncoding(input)).toBe(false);
  });
});

describe("properties", () => {
  // Vietnamese-heavy strings: precomposed letters, loose combining marks, odd spaces, punctuation.
  const vietnameseUnit = fc.oneof(
    fc.constantFrom(..."aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐạầởữỹẠẦỞỮỸ"),
    fc.constantFrom("\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031B", "\u0323"),
    fc.constantFrom(" ", "  ", "\u00A0", "\u200B", "\uFEFF", "\t", "\n", "\u2007", "\u202F", "\u200C", "\u2060", "\u00AD", "\u200E"),
    fc.constantFrom(".", ",", "/", "-", "(", ")", "%", "1", "9"),
  );
  const arbitraries = [
    ["binary", fc.string({ unit: "binary" })],
    ["grapheme", fc.string({ unit: "grapheme" })],
    ["grapheme-composite", fc.string({ unit: "grapheme-composite" })],
    ["vietnamese", fc.string({ unit: vietnameseUnit, maxLength: 40 })],
  ] as const;

  describe.each(arbitraries)("over %s strings", (_unit, strings) => {
    it("normalizeText is idempotent", () => {
      fc.assert(fc.property(strings, (s) => normalizeText(normalizeText(s)) === normalizeText(s)));
    });

    it("normalizeText leaves no format character and gives NFC", () => {
      fc.assert(fc.property(strings, (s) => !/\p{Cf}/u.test(normalizeText(s)) && normalizeText(s) === normalizeText(s).normalize("NFC")));
    });

    it("foldKey is idempotent", () => {
      fc.assert(fc.property(strings, (s) => foldKey(foldKey(s)) === foldKey(s)));
    });

    it("foldKey ignores the normalisation form of its input", () => {
      fc.assert(fc.property(strings, (s) => foldKey(s.normalize("NFD")) === foldKey(s)));
    });
  });
});
