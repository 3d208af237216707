#!/usr/bin/python3
"""Write the regression corpus test/fixtures/corpus/: workbooks as openpyxl and LibreOffice
write them (not exceljs), each a small change staff make to the sample ward Nghi Hương, and
files that are not readable workbooks. The right answers are in manifest.json (written by hand
in scripts/corpus_cases.py, next to this file). Generation only: needs python3-openpyxl and
libreoffice-calc (soffice) with python3-uno; CI reads the checked-in files and never runs this.

    /usr/bin/python3 scripts/make-corpus.py             # every file and the manifest
    /usr/bin/python3 scripts/make-corpus.py --manifest  # manifest.json only, from corpus_cases.py
    /usr/bin/python3 scripts/make-corpus.py --only op-strict.xlsx op-prefixed.xlsx  # these files + the manifest
    (--base test/fixtures/corpus/op-plain.xlsx: start from that workbook instead of `tieuchi init`)
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "corpus")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_cases import CASES, P1_TAB, P2_TAB  # noqa: E402  (scripts/corpus_cases.py)
from corpus_unreadable import write_unreadable  # noqa: E402  (scripts/corpus_unreadable.py)
from corpus_password import write_password_protected  # noqa: E402  (scripts/corpus_password.py)


def row_of(ws, code):
    for row in ws.iter_rows(min_row=6):
        if row[1].value == code:
            return row[0].row
    raise KeyError(code)


def group_rows(ws):
    return [r[0].row for r in ws.iter_rows(min_row=6) if r[1].value is None and r[2].value]


def patch_zip(path, part, fn):
    """Rewrite one part of a package (what another writer would have put there)."""
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if re.fullmatch(part, item.filename):
                data = fn(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    os.replace(tmp, path)


def set_cell_xml(xml, ref, inner):
    return re.sub(r'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref, '<c r="%s" t="inlineStr">%s</c>' % (ref, inner), xml, count=1)


# Each mutation edits the openpyxl workbook; `post` (optional) patches the saved package.
def m_plain(wb):
    pass


def m_comments(wb):
    ws = wb[P1_TAB]
    ws.cell(row_of(ws, "TC01"), 4).comment = Comment("Đã họp chi bộ ngày 4/2", "Cán bộ")
    ws.cell(row_of(ws, "TC02"), 7).comment = Comment("Xem sổ theo dõi", "Cán bộ")


def m_table(wb):
    ws = wb[P1_TAB]
    ws.add_table(Table(displayName="BangTieuChi", ref="A5:H%d" % ws.max_row))


def post_absolute_paths(path):
    patch_zip(path, r"xl/worksheets/_rels/sheet\d+\.xml\.rels", lambda x: x.replace('Target="../tables/', 'Target="/xl/tables/'))
    patch_zip(path, r"xl/_rels/workbook\.xml\.rels", lambda x: re.sub(r'Target="/?(worksheets|styles|sharedStrings|theme)', r'Target="/xl/\1', x))


def m_hyperlink(wb):
    ws = wb[P1_TAB]
    cell = ws.cell(row_of(ws, "TC01"), 7)
    cell.hyperlink = "https://example.vn/bao-cao-10"
    cell.style = "Hyperlink"


def m_dates(wb):
    for name in (P1_TAB, P2_TAB):
        wb[name]["C4"] = datetime.datetime(2023, 11, 2)
        wb[name]["C4"].number_format = "DD/MM/YYYY"


def m_merged_inside(wb):
    ws = wb[P1_TAB]
    r = row_of(ws, "TC05")
    ws.cell(r, 8).value = "Đang khắc phục; dự kiến xong tháng 12"
    ws.merge_cells(start_row=r, start_column=8, end_row=r + 1, end_column=8)


def m_merged_across_group(wb):
    ws = wb[P1_TAB]
    g = group_rows(ws)[1]
    ws.cell(g - 1, 8).value = "Ghi chú chung cho nhóm"
    ws.merge_cells(start_row=g - 1, start_column=8, end_row=g + 1, end_column=8)


def m_hidden_rows(wb):
    ws = wb[P1_TAB]
    ws.row_dimensions[row_of(ws, "TC03")].hidden = True
    ws.row_dimensions[row_of(ws, "TC04")].hidden = True


def m_inserted_column(wb):
    ws = wb[P1_TAB]
    ws.insert_cols(4)
    ws.cell(5, 4).value = "Đơn vị phụ trách"
    ws.cell(row_of(ws, "TC01"), 4).value = "Đội CSKV"


def m_renamed_tab(wb):
    wb[P1_TAB].title = "CA phuong"


def m_copied_tab(wb):
    copy = wb.copy_worksheet(wb[P1_TAB])
    copy.title = P1_TAB + " (2)"
    r = row_of(copy, "TC05")
    copy.cell(r, 4).value = "Đạt"
    copy.cell(r, 7).value = "Báo cáo số 99/BC-CAP ngày 1/11/2023"


def m_formulas(wb):
    ws = wb[P1_TAB]
    ws.cell(row_of(ws, "TC01"), 4).value = '=IF(1=1,"Đạt","Chưa đạt")'
    ws2 = wb[P2_TAB]
    ws2.cell(row_of(ws2, "TC25"), 5).value = "=4.5*2"


def m_inline_strings(wb):
    pass


def post_inline_strings(path):
    def fn(xml):
        xml = set_cell_xml(xml, "G7", "<is><r><rPr><b/></rPr><t>Báo cáo số 10/BC-CAP</t></r><r><t xml:space=\"preserve\"> ngày 4/2/2023</t></r></is>")
        return set_cell_xml(xml, "D8", "<is><t>Đạt</t></is>")
    patch_zip(path, r"xl/worksheets/sheet2\.xml", fn)


def m_points_comma(wb):
    ws = wb[P2_TAB]
    ws.cell(row_of(ws, "TC25"), 5).value = "8,5"


def m_points_dot(wb):
    ws = wb[P2_TAB]
    ws.cell(row_of(ws, "TC25"), 5).value = "8.5"


def m_points_date(wb):
    # LibreOffice (vi-VN) turns "9/10" typed into a cell into the date 9 October.
    ws = wb[P2_TAB]
    cell = ws.cell(row_of(ws, "TC25"), 5)
    cell.value = datetime.datetime(2026, 10, 9)
    cell.number_format = "DD/MM"


STRICT = [
    ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships"),
    ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"),
]


def serial_to_iso(value):
    return (datetime.datetime(1899, 12, 30) + datetime.timedelta(days=float(value))).strftime("%Y-%m-%dT%H:%M:%S")


def date_styles(path):
    """Indexes of the cell styles (cellXfs) whose number format is a date."""
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode("utf-8")
    custom = {m.group(1): m.group(2) for m in re.finditer(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)}
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    ids = [re.search(r'numFmtId="(\d+)"', xf).group(1) for xf in re.findall(r"<xf\b[^>]*>", xfs)]
    is_date = lambda i: 14 <= int(i) <= 22 or re.search(r"(?i)[dmy]", re.sub(r'"[^"]*"|\[[^]]*\]', "", custom.get(i, ""))) is not None
    return {str(n) for n, i in enumerate(ids) if is_date(i)}


def post_strict(path):
    """What Excel's "Strict Open XML Spreadsheet" writes: purl.oclc.org namespaces, dates as ISO text."""
    dates = date_styles(path)
    def fn(xml):
        for transitional, strict in STRICT:
            xml = xml.replace(transitional, strict)
        return xml.replace("<workbook ", '<workbook conformance="strict" ', 1)
    def iso(m):
        attrs = re.sub(r'\st="\w+"', "", m.group(1))
        style = re.search(r'\ss="(\d+)"', attrs)
        if not style or style.group(1) not in dates:
            return m.group(0)
        return '<c%s t="d"><v>%s</v></c>' % (attrs, serial_to_iso(m.group(2)))
    patch_zip(path, r"xl/worksheets/sheet\d+\.xml", lambda x: re.sub(r'<c\b([^>]*?)><v>([\d.]+)</v></c>', iso, x))
    patch_zip(path, r"(?!\[Content_Types\]).*\.(xml|rels)", fn)


def post_prefixed(path):
    """What programs on the Open XML SDK write: every SpreadsheetML element with the prefix x:."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    def fn(xml):
        xml = xml.replace('xmlns="%s"' % main, 'xmlns:x="%s"' % main)
        return re.sub(r"<(/?)([A-Za-z][\w]*)(?=[\s>/])", r"<\1x:\2", xml)
    patch_zip(path, r"xl/(workbook|sharedStrings|styles|worksheets/sheet\d+)\.xml", fn)


def m_invisible(wb):
    ws = wb[P1_TAB]
    ws.cell(row_of(ws, "TC02"), 2).value = "TC\u200c02"
    ws.cell(row_of(ws, "TC03"), 2).value = "TC03\u2060"
    ws.cell(row_of(ws, "TC04"), 2).value = "\ufeffTC04"


def resolve_cell(wb, finding):
    m = re.fullmatch(r"([A-Z]+)\{(\w+)\}", finding.get("cell", ""))
    if not m:
        return finding
    return {**finding, "cell": "%s%d" % (m.group(1), row_of(wb[finding["tab"]], m.group(2)))}


def soffice(src, outdir, fmt="xlsx"):
    filt = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97", "ods": "ods"}[fmt]
    subprocess.run(["soffice", "--headless", "--calc", "--convert-to", filt, "--outdir", outdir, src], check=True, capture_output=True)


def main():
    manifest_only = "--manifest" in sys.argv
    only = {a for a in sys.argv[sys.argv.index("--only") + 1:] if a.endswith(".xlsx")} if "--only" in sys.argv else None
    work = tempfile.mkdtemp(prefix="tieuchi-corpus-")
    if "--base" in sys.argv:  # a saved sample ward workbook (e.g. test/fixtures/corpus/op-plain.xlsx) instead of `tieuchi init`
        base = os.path.abspath(sys.argv[sys.argv.index("--base") + 1])
    else:
        subprocess.run(["node", os.path.join(ROOT, "bin", "tieuchi.js"), "init", os.path.join(work, "ws")], check=True, capture_output=True)
        base = os.path.join(work, "ws", "wards", "nghi-huong.xlsx")
    os.makedirs(OUT, exist_ok=True)
    manifest = []
    for case in CASES:
        name, writer = case["file"], case["writer"]
        if case.get("unreadable"):
            manifest.append(case)
            continue
        if manifest_only or (only is not None and name not in only):
            entry = {k: v for k, v in case.items() if k not in ("mutation", "post")}
            entry["findings"] = [resolve_cell(openpyxl.load_workbook(base), f) for f in case["findings"]]
            manifest.append(entry)
            continue
        wb = openpyxl.load_workbook(base)
        globals()["m_" + case["mutation"]](wb)
        op_path = os.path.join(work, name)
        wb.save(op_path)
        post = globals().get("post_" + case.get("post", case["mutation"]))
        if post:
            post(op_path)
        if writer == "libreoffice":
            lo_dir = os.path.join(work, "lo")
            soffice(op_path, lo_dir)
            op_path = os.path.join(lo_dir, name)
        shutil.copy(op_path, os.path.join(OUT, name))
        entry = {k: v for k, v in case.items() if k not in ("mutation", "post")}
        entry["findings"] = [resolve_cell(openpyxl.load_workbook(base), f) for f in case["findings"]]
        manifest.append(entry)
    if not manifest_only and only is None:
        write_unreadable(base, work, OUT, soffice)
    elif only is not None and "password-libreoffice.xlsx" in only:
        write_password_protected(base, os.path.join(OUT, "password-libreoffice.xlsx"))
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"ward": "nghi-huong", "cases": manifest}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
