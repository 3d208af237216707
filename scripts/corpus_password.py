"""A real password-protected workbook for the corpus (see make-corpus.py): LibreOffice saves the
sample ward with a password to open, through UNO, as "File → Save As… → Save with password"
does (ECMA-376 Standard Encryption: an OLE2 file with EncryptionInfo and EncryptedPackage).
The headless --convert-to command line cannot set a password, hence UNO (python3-uno)."""
import os
import subprocess
import tempfile
import time

import uno
from com.sun.star.beans import NamedValue, PropertyValue

PASSWORD = "matkhau"


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _named(name, value):
    v = NamedValue()
    v.Name, v.Value = name, value
    return v


def _connect(pipe):
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
    for _ in range(120):
        try:
            return resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("soffice did not answer on pipe " + pipe)


def _load(desktop, src):
    for _ in range(10):  # a new profile is still starting: the first loads may return None
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, (_prop("Hidden", True),))
        if doc is not None:
            return doc
        time.sleep(2)
    raise RuntimeError("soffice could not open " + src)


def write_password_protected(src, dst, password=PASSWORD):
    """Save `src` as an .xlsx encrypted with `password`, by LibreOffice."""
    pipe = "tieuchi_corpus_%d" % os.getpid()
    profile = tempfile.mkdtemp(prefix="tieuchi-lo-profile-")
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
                               "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        desktop = _connect(pipe).ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", _connect(pipe))
        doc = _load(desktop, src)
        secret = uno.Any("[]com.sun.star.beans.NamedValue", (_named("CryptoType", "Standard"), _named("OOXPassword", password)))
        args = (_prop("FilterName", "Calc MS Excel 2007 XML"), _prop("EncryptionData", secret))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(os.path.abspath(dst)), args))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=15)
        except subprocess.TimeoutExpired:
            office.kill()
        for pid in os.listdir("/proc"):  # the soffice.bin started here (its pipe name is unique), and only it
            try:
                with open("/proc/%s/cmdline" % pid) as f:
                    if pipe in f.read():
                        os.kill(int(pid), 9)
            except (OSError, ValueError):
                pass
