/**
 * YAML syntax errors in Vietnamese, keyed by the `yaml` package's error code (like zod's
 * locales): each says where (line, column) and what to do. The library's English text never
 * reaches the reader; a code or message we do not know gets a generic sentence.
 */
import type { ErrorCode, YAMLError } from "yaml";

/** One syntax problem: "dòng 12, cột 5" and what to fix there. */
interface YamlProblem {
  path: string;
  message: string;
}

type Explain = (error: YAMLError, source: string) => string;

const GENERIC = "tệp sai cú pháp YAML ở đây; kiểm tra dấu hai chấm sau mỗi khóa, thụt lề bằng dấu cách và các dấu ngoặc, dấu nháy cho đủ cặp";

/** Variants of one code, told apart by the library's (English) message. */
function byMessage(variants: ReadonlyArray<readonly [RegExp, string]>, fallback: string): Explain {
  return (error) => variants.find(([pattern]) => pattern.test(error.message))?.[1] ?? fallback;
}

/** The key a DUPLICATE_KEY error points at: the text up to the colon. */
function keyAt(error: YAMLError, source: string): string {
  const rest = source.slice(error.pos[0]).split("\n")[0] ?? "";
  const match = /^\s*("[^"]*"|'[^']*'|[^:]+?)\s*:/u.exec(rest);
  return (match?.[1] ?? rest).replace(/^["']|["']$/gu, "").trim().slice(0, 40);
}

/** The text the error points at, for quoting (one line, at most 40 characters). */
function quoted(error: YAMLError, source: string): string {
  const [start, end] = error.pos;
  return source.slice(start, Math.max(end, start + 1)).split("\n")[0]!.trim().slice(0, 40);
}

const MESSAGES: Record<ErrorCode, Explain> = {
  TAB_AS_INDENT: () => "không dùng phím Tab để thụt lề, hãy dùng dấu cách (mỗi cấp 2 dấu cách)",
  DUPLICATE_KEY: (e, s) => `khóa “${keyAt(e, s)}” bị lặp: trong cùng một mục mỗi khóa chỉ được ghi một lần; hãy xóa hoặc gộp dòng lặp`,
  BAD_INDENT: byMessage(
    [
      [/sequence items/u, "các dòng “- ” của cùng một danh sách phải thẳng cột nhau; hãy thụt lề bằng nhau"],
      [/mapping items/u, "các khóa cùng cấp phải thẳng cột nhau; hãy thụt lề bằng nhau (hoặc dòng này thiếu dấu “- ” của phần tử danh sách)"],
      [/end with a \]/u, "danh sách mở bằng “[” chưa được đóng: hãy thêm dấu “]” ở cuối (hoặc dòng tiếp theo thụt lề chưa đủ)"],
      [/end with a \}/u, "mục mở bằng “{” chưa được đóng: hãy thêm dấu “}” ở cuối (hoặc dòng tiếp theo thụt lề chưa đủ)"],
    ],
    "thụt lề không đúng: các khóa cùng cấp phải thẳng cột, khóa con thụt vào bằng dấu cách",
  ),
  MISSING_CHAR: byMessage(
    [
      [/closing "quote/u, "thiếu dấu nháy kép “\"” đóng chuỗi: chuỗi mở bằng “\"” ở phía trên chưa được đóng"],
      [/closing 'quote/u, "thiếu dấu nháy đơn “'” đóng chuỗi: chuỗi mở bằng “'” ở phía trên chưa được đóng"],
      [/followed by map values/u, "thiếu dấu hai chấm sau khóa: hãy viết “khóa: giá trị”"],
      [/Missing space after :/u, "thiếu dấu cách sau dấu hai chấm: hãy viết “khóa: giá trị”"],
      [/Missing , or :/u, "thiếu dấu phẩy giữa các phần tử (hoặc dấu hai chấm sau khóa) trong ngoặc"],
      [/Missing , between/u, "thiếu dấu phẩy giữa các phần tử trong ngoặc"],
      [/Comments must be separated/u, "dấu “#” mở đầu ghi chú phải có dấu cách phía trước; nếu “#” thuộc giá trị, hãy đặt cả giá trị trong dấu nháy kép"],
      [/without - indicator/u, "phần tử danh sách thiếu dấu “- ” ở đầu dòng"],
    ],
    "thiếu một ký tự bắt buộc (dấu hai chấm, dấu phẩy, dấu ngoặc hoặc dấu nháy)",
  ),
  MULTILINE_IMPLICIT_KEY: () => "thiếu dấu hai chấm sau khóa (hoặc khóa bị xuống dòng): mỗi khóa viết trên một dòng dạng “khóa: giá trị”",
  BLOCK_AS_IMPLICIT_KEY: () =>
    "giá trị có dấu hai chấm và dấu cách (“: ”) ở giữa, hoặc dòng dưới thụt lề quá sâu: hãy đặt cả giá trị trong dấu nháy kép, hoặc thụt lề dòng dưới bằng các khóa cùng cấp",
  BLOCK_IN_FLOW: () => "trong cặp ngoặc { } hoặc [ ] các phần tử phải cách nhau bằng dấu phẩy (ví dụ { id: nghi-hai, name: Nghi Hải })",
  BAD_SCALAR_START: (e, s) => `giá trị không được bắt đầu bằng ký tự “${quoted(e, s).charAt(0)}”: hãy đặt cả giá trị trong dấu nháy kép`,
  BAD_DQ_ESCAPE: (e, s) => `trong dấu nháy kép, “${s.slice(e.pos[0], e.pos[0] + 2)}” không hợp lệ: viết “\\\\” cho một dấu gạch chéo ngược, hoặc dùng dấu nháy đơn`,
  MULTIPLE_DOCS: () => "tệp chỉ được có một phần: hãy xóa dòng “---” (hoặc “...”) ở giữa tệp",
  UNEXPECTED_TOKEN: (e, s) => {
    const before = s.slice(0, e.pos[0]).split("\n").at(-1) ?? "";
    if (/:\s*["'][^"']*["']\s*$/u.test(before)) {
      return "sau dấu nháy đóng vẫn còn chữ: nếu cả phần sau dấu hai chấm là một giá trị (như '\"Công an thị xã\" <ca@cualo.example>'), hãy đặt cả phần đó trong dấu nháy đơn";
    }
    if (/Unexpected , /u.test(e.message)) return "thừa dấu phẩy: dấu phẩy chỉ dùng giữa các phần tử trong ngoặc { } hoặc [ ]";
    return "có ký tự không đúng chỗ: kiểm tra dấu ngoặc, dấu phẩy, dấu nháy và thụt lề quanh vị trí này";
  },
  BAD_ALIAS: () => "tham chiếu “*…” không hợp lệ hoặc chưa được khai báo bằng “&…” ở phía trên; nếu “*” thuộc giá trị, hãy đặt giá trị trong dấu nháy kép",
  ALIAS_PROPS: () => "tham chiếu “*…” không được gắn thêm nhãn “&…” hoặc “!…”",
  MULTIPLE_ANCHORS: () => "một giá trị chỉ được có một nhãn “&…”",
  MULTIPLE_TAGS: () => "một giá trị chỉ được có một kiểu “!…”",
  BAD_PROP_ORDER: () => "nhãn “&…” và kiểu “!…” phải đứng trước giá trị",
  TAG_RESOLVE_FAILED: () => "kiểu “!…” không được hỗ trợ: hãy xóa nó, hoặc đặt giá trị trong dấu nháy kép",
  BAD_COLLECTION_TYPE: () => "kiểu “!…” không dùng được cho danh sách hoặc nhóm khóa này: hãy xóa nó",
  BAD_DIRECTIVE: () => "dòng bắt đầu bằng “%” không hợp lệ: hãy xóa dòng này, hoặc đặt giá trị trong dấu nháy kép",
  KEY_OVER_1024_CHARS: () => "khóa dài quá 1024 ký tự (có thể thiếu dấu hai chấm hoặc dấu nháy ở phía trên)",
  NON_STRING_KEY: () => "khóa phải là chữ: không dùng danh sách hay nhóm khóa làm khóa",
  RESOURCE_EXHAUSTION: () => "tệp có quá nhiều tham chiếu “*…” lồng nhau: hãy viết thẳng giá trị",
  IMPOSSIBLE: () => GENERIC,
};

/** Where an error is: "dòng 12, cột 5" (1-based), from the library's position or the offset. */
function yamlLocation(error: YAMLError, source: string): string {
  const at = error.linePos?.[0];
  if (at) return `dòng ${at.line}, cột ${at.col}`;
  const before = source.slice(0, Math.max(0, error.pos[0]));
  const lines = before.split("\n");
  return `dòng ${lines.length}, cột ${(lines.at(-1)?.length ?? 0) + 1}`;
}

// Mistakes that stand alone: listed wherever they are. Other errors after the first one are
// mostly knock-on effects of it (one missing colon gives several) and would mislead.
const INDEPENDENT = new Set<string>(["DUPLICATE_KEY", "TAB_AS_INDENT", "BAD_DQ_ESCAPE"]);

/**
 * Vietnamese problems for YAML syntax errors: the first one, and later ones that stand alone
 * (a key written twice, a Tab), at most one per line.
 *
 * @example yamlProblems(parseDocument("a:\n\tb: 1").errors, "a:\n\tb: 1")
 * // → [{ path: "dòng 2, cột 1", message: "không dùng phím Tab để thụt lề, hãy dùng dấu cách (mỗi cấp 2 dấu cách)" }]
 */
export function yamlProblems(errors: readonly YAMLError[], source: string): YamlProblem[] {
  const seenLines = new Set<string>();
  return errors.flatMap((error, index) => {
    if (index > 0 && !INDEPENDENT.has(error.code)) return [];
    const path = yamlLocation(error, source);
    const line = path.split(",")[0]!;
    if (seenLines.has(line)) return [];
    seenLines.add(line);
    const explain = (MESSAGES as Partial<Record<string, Explain>>)[error.code];
    return [{ path, message: explain ? explain(error, source) : GENERIC }];
  });
}
