/**
 * YAML syntax mistakes as staff make them in a text editor: each answered in Vietnamese with
 * its line and column, never the library's English.
 */
import { describe, expect, it } from "vitest";
import { parseYamlText } from "../../../sheets-schema/catalogue.js";

const CASES: Record<string, string> = {
  "a key without its colon": "agency:\n  parent Công an tỉnh Nghệ An\n  issuer: Công an thị xã\n",
  "a Tab for indenting": "agency:\n\tparent: Công an tỉnh Nghệ An\n",
  "a key written twice": "agency:\n  parent: Công an tỉnh Nghệ An\n  parent: Công an tỉnh Hà Tĩnh\n",
  "list items not lined up": "wards:\n  - id: nghi-hai\n   - id: nghi-hoa\n",
  "keys not lined up": "agency:\n  parent: A\n issuer: B\n",
  "an unclosed quote": 'smtp:\n  from: "Công an thị xã <ca@cualo.example>\nwards: []\n',
  "an unclosed bracket": "recipients:\n  leadership: [lanhdao@cualo.example\n",
  "an unclosed brace": "wards:\n  - { id: nghi-hai, name: Nghi Hải\n  - { id: nghi-hoa }\n",
  "a colon inside a value": "agency:\n  place: Cửa Lò: Nghệ An\n",
  "quotes then more text": 'smtp:\n  from: "Công an thị xã" <ca@cualo.example>\n',
  "a value starting with @": "recipients:\n  cc: @lanhdao\n",
  "a backslash in double quotes": 'programmes:\n  - { id: a, catalogue: "D:\\du-lieu\\a.yaml" }\n',
  "a # glued to a value": "agency:\n  documentCode: 'CAX'#so\n",
  "two documents": "agency: {}\n---\nwards: []\n",
  "an alias never declared": "wards: *cac-phuong\n",
};

describe("YAML syntax errors", () => {
  it("answers each mistake in Vietnamese at its line and column", () => {
    const answers = Object.fromEntries(
      Object.entries(CASES).map(([label, source]) => {
        const result = parseYamlText(source);
        return [label, result.success ? "(no error)" : result.problems.map((p) => `${p.path}: ${p.message}`)];
      }),
    );
    expect(answers).toMatchInlineSnapshot(`
      {
        "a # glued to a value": [
          "dòng 2, cột 22: dấu “#” mở đầu ghi chú phải có dấu cách phía trước; nếu “#” thuộc giá trị, hãy đặt cả giá trị trong dấu nháy kép",
        ],
        "a Tab for indenting": [
          "dòng 2, cột 1: không dùng phím Tab để thụt lề, hãy dùng dấu cách (mỗi cấp 2 dấu cách)",
        ],
        "a backslash in double quotes": [
          "dòng 2, cột 28: trong dấu nháy kép, “\\d” không hợp lệ: viết “\\\\” cho một dấu gạch chéo ngược, hoặc dùng dấu nháy đơn",
        ],
        "a colon inside a value": [
          "dòng 2, cột 10: giá trị có dấu hai chấm và dấu cách (“: ”) ở giữa, hoặc dòng dưới thụt lề quá sâu: hãy đặt cả giá trị trong dấu nháy kép, hoặc thụt lề dòng dưới bằng các khóa cùng cấp",
        ],
        "a key without its colon": [
          "dòng 2, cột 3: thiếu dấu hai chấm sau khóa (hoặc khóa bị xuống dòng): mỗi khóa viết trên một dòng dạng “khóa: giá trị”",
        ],
        "a key written twice": [
          "dòng 3, cột 3: khóa “parent” bị lặp: trong cùng một mục mỗi khóa chỉ được ghi một lần; hãy xóa hoặc gộp dòng lặp",
        ],
        "a value starting with @": [
          "dòng 2, cột 7: giá trị không được bắt đầu bằng ký tự “@”: hãy đặt cả giá trị trong dấu nháy kép",
        ],
        "an alias never declared": [
          "(tệp): tham chiếu “*cac-phuong” chưa được khai báo bằng “&cac-phuong” ở phía trên; nếu “*” thuộc giá trị, hãy đặt cả giá trị trong dấu nháy kép",
        ],
        "an unclosed brace": [
          "dòng 3, cột 3: mục mở bằng “{” chưa được đóng: hãy thêm dấu “}” ở cuối (hoặc dòng tiếp theo thụt lề chưa đủ)",
        ],
        "an unclosed bracket": [
          "dòng 3, cột 1: danh sách mở bằng “[” chưa được đóng: hãy thêm dấu “]” ở cuối (hoặc dòng tiếp theo thụt lề chưa đủ)",
        ],
        "an unclosed quote": [
          "dòng 4, cột 1: thiếu dấu nháy kép “"” đóng chuỗi: chuỗi mở bằng “"” ở phía trên chưa được đóng",
        ],
        "keys not lined up": [
          "dòng 3, cột 1: các khóa cùng cấp phải thẳng cột nhau; hãy thụt lề bằng nhau (hoặc dòng này thiếu dấu “- ” của phần tử danh sách)",
        ],
        "list items not lined up": [
          "dòng 3, cột 4: các dòng “- ” của cùng một danh sách phải thẳng cột nhau; hãy thụt lề bằng nhau",
        ],
        "quotes then more text": [
          "dòng 2, cột 26: sau dấu nháy đóng vẫn còn chữ: nếu cả phần sau dấu hai chấm là một giá trị (như '"Công an thị xã" <ca@cualo.example>'), hãy đặt cả phần đó trong dấu nháy đơn",
        ],
        "two documents": [
          "dòng 2, cột 1: tệp chỉ được có một phần: hãy xóa dòng “---” (hoặc “...”) ở giữa tệp",
        ],
      }
    `);
  });

  it.each(Object.entries(CASES))("never shows the library's English for %s", (_label, source) => {
    const result = parseYamlText(source);
    expect(result.success).toBe(false);
    for (const p of result.success ? [] : result.problems) {
      expect(p.message).not.toMatch(/\b(must|Missing|Implicit|allowed|Unexpected|Invalid|line|column)\b/u);
      expect(p.path).toMatch(/^(dòng \d+, cột \d+|\(tệp\))$/u);
    }
  });
});
