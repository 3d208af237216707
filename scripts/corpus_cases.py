"""The corpus cases and their right answers (see make-corpus.py). Base: the sample ward Nghi
Hương, which is clean: CA phường kiểu mẫu 18/22, Phong trào toàn dân BVANTQ 34/34, no finding.
`cell` may name a row by criterion code: "E{TC25}" is column E of TC25's row on that tab.
`needs` marks a right answer that waits for a fix elsewhere (the test skips it and says so)."""

P1, P2 = "ca-phuong-dien-hinh", "phuong-bao-ve-antq"
P1_TAB, P2_TAB = "CA phường kiểu mẫu", "Phong trào toàn dân BVANTQ"
CLEAN = {P1: {"met": 18, "total": 22}, P2: {"met": 34, "total": 34}}
ITEM2 = "issue 9 item 2 (H9b: parse-ward / validate-ward)"


def ok(file, writer, mutation, what, **extra):
    return {"file": file, "writer": writer, "mutation": mutation, "what": what, "programmes": CLEAN, "findings": [], **extra}


CASES = [
    ok("op-plain.xlsx", "openpyxl", "plain", "opened and saved by openpyxl, nothing changed"),
    ok("op-comments.xlsx", "openpyxl", "comments", "cell comments (openpyxl writes its own comment and VML parts)"),
    ok("op-table.xlsx", "openpyxl", "table", "the criteria formatted as a table"),
    ok("op-table-absolute.xlsx", "openpyxl", "table", "a table part, with absolute part paths in the relationships", post="absolute_paths"),
    ok("op-hyperlink.xlsx", "openpyxl", "hyperlink", "Minh chứng of TC01 is a hyperlink"),
    ok("op-dates.xlsx", "openpyxl", "dates", "Ngày cập nhật typed as a real date"),
    ok("op-merged-inside.xlsx", "openpyxl", "merged_inside", "Ghi chú merged over two criterion rows"),
    ok("op-merged-across-group.xlsx", "openpyxl", "merged_across_group", "Ghi chú merged across a group heading row"),
    ok("op-hidden-rows.xlsx", "openpyxl", "hidden_rows", "two criterion rows hidden"),
    ok("op-inserted-column.xlsx", "openpyxl", "inserted_column", "a column “Đơn vị phụ trách” inserted after Nội dung tiêu chí"),
    ok("op-inline-strings.xlsx", "openpyxl", "inline_strings", "inline strings, one of them rich text (bold run)"),
    ok("op-points-comma.xlsx", "openpyxl", "points_comma", "Điểm tự chấm of TC25 typed as text “8,5”"),
    ok("op-points-dot.xlsx", "openpyxl", "points_dot", "Điểm tự chấm of TC25 typed as text “8.5”"),
    {"file": "op-invisible-code.xlsx", "writer": "openpyxl", "mutation": "invisible", "what": "U+200C, U+2060 and U+FEFF inside the codes TC02, TC03, TC04",
     "programmes": CLEAN, "findings": [
         {"code": "invisible-characters", "tab": P1_TAB, "cell": "B{TC02}", "criterion": "TC02", "shows": "TC⟨U+200C⟩02"},
         {"code": "invisible-characters", "tab": P1_TAB, "cell": "B{TC03}", "criterion": "TC03", "shows": "TC03⟨U+2060⟩"},
         {"code": "invisible-characters", "tab": P1_TAB, "cell": "B{TC04}", "criterion": "TC04", "shows": "⟨U+FEFF⟩TC04"}]},
    {"file": "op-renamed-tab.xlsx", "writer": "openpyxl", "mutation": "renamed_tab", "what": "the first programme's tab renamed to “CA phuong”",
     "programmes": {P1: {"met": 0, "total": 22}, P2: {"met": 34, "total": 34}},
     "findings": [{"code": "tab-copy-only", "tab": P1_TAB, "shows": "CA phuong"}]},
    {"file": "op-copied-tab.xlsx", "writer": "openpyxl", "mutation": "copied_tab", "what": "a copy “CA phường kiểu mẫu (2)” edited instead of the tab (TC05 set to Đạt there)",
     "programmes": CLEAN, "findings": [{"code": "tab-copy", "tab": P1_TAB, "shows": P1_TAB + " (2)"}]},
    ok("op-strict.xlsx", "openpyxl", "dates", "saved as Strict Open XML (purl.oclc.org namespaces), Ngày cập nhật stored as an ISO date", post="strict"),
    {"file": "op-strict-points-date.xlsx", "writer": "openpyxl", "mutation": "points_date", "post": "strict",
     "what": "Strict Open XML: “9/10” in Điểm tự chấm of TC25 stored as the ISO date 2026-10-09",
     "programmes": {P1: {"met": 18, "total": 22}, P2: {"met": 33, "total": 34}},
     "findings": [{"code": "points-date", "tab": P2_TAB, "cell": "E{TC25}", "criterion": "TC25", "shows": "9/10"}]},
    ok("op-prefixed.xlsx", "openpyxl", "plain", "every SpreadsheetML element prefixed <x:…> (as Open XML SDK programs write)", post="prefixed"),
    ok("lo-plain.xlsx", "libreoffice", "plain", "saved by LibreOffice Calc"),
    ok("lo-comments.xlsx", "libreoffice", "comments", "cell comments, saved by LibreOffice"),
    ok("lo-table.xlsx", "libreoffice", "table", "a table (database range), saved by LibreOffice"),
    ok("lo-formulas.xlsx", "libreoffice", "formulas", "Kết quả of TC01 and Điểm tự chấm of TC25 as formulas with cached values"),
    ok("lo-hidden-rows.xlsx", "libreoffice", "hidden_rows", "two criterion rows hidden, saved by LibreOffice"),
    ok("lo-inserted-column.xlsx", "libreoffice", "inserted_column", "an inserted column, saved by LibreOffice"),
    ok("lo-merged-across-group.xlsx", "libreoffice", "merged_across_group", "Ghi chú merged across a group heading row, saved by LibreOffice"),
    ok("lo-points-comma.xlsx", "libreoffice", "points_comma", "“8,5” as text in Điểm tự chấm, saved by LibreOffice"),
    {"file": "lo-points-date.xlsx", "writer": "libreoffice", "mutation": "points_date", "what": "“9/10” typed into Điểm tự chấm of TC25, which LibreOffice turned into a date",
     "programmes": {P1: {"met": 18, "total": 22}, P2: {"met": 33, "total": 34}},
     "findings": [{"code": "points-date", "tab": P2_TAB, "cell": "E{TC25}", "criterion": "TC25", "shows": "9/10"}]},
    {"file": "lo-copied-tab.xlsx", "writer": "libreoffice", "mutation": "copied_tab", "what": "an edited copy of the tab, saved by LibreOffice",
     "programmes": CLEAN, "findings": [{"code": "tab-copy", "tab": P1_TAB, "shows": P1_TAB + " (2)"}]},
    {"file": "empty.xlsx", "writer": "none", "unreadable": "empty", "what": "a file of 0 bytes"},
    {"file": "truncated.xlsx", "writer": "none", "unreadable": "corrupt", "what": "the first half of a workbook (copy cut short)"},
    {"file": "old-format.xlsx", "writer": "libreoffice", "unreadable": "legacy-xls", "what": "an Excel 97–2003 .xls renamed .xlsx"},
    {"file": "password.xlsx", "writer": "python", "unreadable": "encrypted", "what": "a minimal OLE2 container with EncryptionInfo/EncryptedPackage streams, as Excel writes one"},
    {"file": "password-libreoffice.xlsx", "writer": "libreoffice", "unreadable": "encrypted", "what": "saved by LibreOffice with a password to open (“matkhau”, ECMA-376 Standard Encryption)"},
    {"file": "ods-renamed.xlsx", "writer": "libreoffice", "unreadable": "not-workbook", "what": "a LibreOffice .ods renamed .xlsx"},
    {"file": "docx-renamed.xlsx", "writer": "python", "unreadable": "not-workbook", "what": "a Word document renamed .xlsx"},
    {"file": "pdf-renamed.xlsx", "writer": "python", "unreadable": "not-workbook", "what": "a PDF renamed .xlsx"},
    {"file": "html-page.xlsx", "writer": "python", "unreadable": "not-workbook", "what": "a web page saved as .xlsx"},
]
