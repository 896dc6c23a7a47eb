"""What a file is, judged by its content rather than its name.

Scholars' files are often misnamed: a web page saved as `.pdf`, a PDF renamed `.txt`, a
`.docx` that is really a ZIP of spreadsheets. The stage reads a file by what it is when
we can read that format, and names what it is when we cannot.
"""

from __future__ import annotations

import io
import re
import zipfile

IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
OTHER_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc/.xls/.ppt)",
     "Open it in Word or LibreOffice and save it as .docx."),
    (b"{\\rtf", "an RTF document", "Save it as .docx or UTF-8 .txt."),
    (b"GIF8", "a GIF image", "Save it as PNG or TIFF to have it read by OCR."),
    (b"\x1f\x8b", "a gzip archive", "Unpack it and add the documents inside."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Unpack it and add the documents inside."),
    (b"Rar!", "a RAR archive", "Unpack it and add the documents inside."),
)
WEB_PAGE = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
                      re.IGNORECASE | re.DOTALL)
PDF_MAGIC_WINDOW = 1024  # readers accept a PDF header anywhere in the first kilobyte
ZIP_KINDS = {
    "xl/": ("an Excel workbook (.xlsx)", "Spreadsheets are not documents; export the text as .txt."),
    "ppt/": ("a PowerPoint presentation (.pptx)", "Export it as PDF and use that file."),
    "content.xml": ("an OpenDocument file (.odt/.ods)", "Save it as .docx."),
    "META-INF/container.xml": ("an EPUB book", "Convert it to .docx or .txt."),
}


class Content:
    """What the bytes are: a readable `format` (pdf, docx, html, image) or an unreadable kind."""

    def __init__(self, format: str | None, what: str = "", fix: str = "") -> None:
        self.format = format
        self.what = what
        self.fix = fix


def sniff(raw: bytes) -> Content:
    """Classify a file by its first bytes; `Content(None)` means text (or unknown)."""
    head = raw[:PDF_MAGIC_WINDOW]
    if b"%PDF-" in head:
        return Content("pdf", "a PDF")
    for magic, name in IMAGE_SIGNATURES:
        if raw.startswith(magic):
            return Content("image", f"a {name.upper()} image")
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        return _zip_content(raw)
    for magic, what, fix in OTHER_SIGNATURES:
        if raw.startswith(magic):
            return Content(None, what, fix)
    if raw.startswith(b"BM") and len(raw) >= 26 and int.from_bytes(raw[2:6], "little") == len(raw):
        return Content(None, "a BMP image", "Save it as PNG or TIFF to have it read by OCR.")
    text_head = head.removeprefix(b"\xef\xbb\xbf")
    if text_head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text_head = text_head[2:].replace(b"\x00", b"")
    if WEB_PAGE.match(text_head):
        return Content("html", "a web page (HTML)")
    return Content(None)


def _zip_content(raw: bytes) -> Content:
    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return Content("docx", "a damaged ZIP archive")  # the docx reader names the damage
    if "word/document.xml" in names or any(n.endswith("/document.xml") and n.startswith("word") for n in names):
        return Content("docx", "a Word document (.docx)")
    for marker, (what, fix) in ZIP_KINDS.items():
        if any(n == marker or n.startswith(marker) for n in names):
            return Content(None, what, fix)
    return Content(None, "a ZIP archive", "Unpack it and add the documents inside.")
