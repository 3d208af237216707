"""The unreadable part of the corpus (see make-corpus.py): an empty file, a truncated copy, an
old .xls, a password-protected workbook, an .ods, a .docx, a PDF and a web page, all named .xlsx."""
import os
import shutil
import struct
import zipfile

from corpus_password import write_password_protected  # scripts/corpus_password.py (needs python3-uno)


def write_unreadable(base, work, OUT, soffice):
    """Files that are not readable workbooks, each named .xlsx as a ward would send it."""
    with open(base, "rb") as f:
        data = f.read()
    open(os.path.join(OUT, "empty.xlsx"), "wb").close()
    with open(os.path.join(OUT, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(OUT, "pdf-renamed.xlsx"), "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    with open(os.path.join(OUT, "html-page.xlsx"), "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n<html><body><table><tr><td>Mã tiêu chí</td><td>Kết quả</td></tr></table></body></html>\n")
    with zipfile.ZipFile(os.path.join(OUT, "docx-renamed.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p></w:body></w:document>')
    soffice(base, work, "xls")
    shutil.copy(os.path.join(work, "nghi-huong.xls"), os.path.join(OUT, "old-format.xlsx"))
    soffice(base, work, "ods")
    shutil.copy(os.path.join(work, "nghi-huong.ods"), os.path.join(OUT, "ods-renamed.xlsx"))
    with open(os.path.join(OUT, "password.xlsx"), "wb") as f:
        f.write(encrypted_container())
    write_password_protected(base, os.path.join(OUT, "password-libreoffice.xlsx"))


def encrypted_container():
    """A Compound File as Excel writes a workbook with a password to open: an OLE2 container
    with the streams EncryptionInfo and EncryptedPackage (empty here: what a reader sees first).
    The real one, encrypted by LibreOffice, is password-libreoffice.xlsx (corpus_password.py)."""
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = struct.pack("<II", 0xFFFFFFFD, end) + struct.pack("<I", free) * 126

    def entry(name, kind, left=free, right=free, child=free):
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, left, right, child) + bytes(36) + struct.pack("<IQ", end, 0)

    directory = entry("Root Entry", 5, child=1) + entry("EncryptionInfo", 2, right=2) + entry("EncryptedPackage", 2) + entry("", 0)
    return header + fat + directory
