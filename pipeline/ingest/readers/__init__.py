"""Readers, one per format: bytes → source text plus classified lines.

Each reader returns a `SourceDocument`. `source_text` is what passage offsets point into:
the decoded file for txt/md/html (markup included), the extracted text layer for pdf/docx.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.ingest.layout import Line
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.settings import IngestSettings
from pipeline.ingest.sniff import sniff


@dataclass(frozen=True)
class SourceDocument:
    """A document's source text, how it was read, and its classified lines."""

    source_text: str
    format: str
    encoding: str
    lines: list[Line]
    wrapped: bool | None
    """Hard-wrapped lines (PDF text layers) are joined; None lets the assembler detect it."""
    notes: tuple[str, ...] = ()
    """What the user should know though nothing failed (misnamed file, pages left out, ...)."""
    ocr_words: tuple[tuple[int, int, float], ...] = ()
    """Words read by OCR: (start, end) in `source_text` and Tesseract's confidence (0..1), sorted."""
    ocr_pages: int = 0
    """Pages (or images) whose text came from OCR."""


FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
           ".pdf": "pdf", ".docx": "docx", ".png": "image", ".jpg": "image", ".jpeg": "image",
           ".tif": "image", ".tiff": "image"}
NAMES = {"txt": "plain text", "md": "markdown", "html": "a web page (HTML)", "pdf": "a PDF",
         "docx": "a Word document (.docx)", "image": "an image"}


def format_of(path: str | Path) -> str | None:
    """The format name for a file extension, or None when unsupported."""
    return FORMATS.get(Path(path).suffix.lower())


def unsupported_message(path: str | Path) -> str:
    """What to tell the user about a file whose extension we cannot read."""
    suffix = Path(path).suffix.lower() or "(none)"
    hint = {
        ".doc": "Open it in Word or LibreOffice and save as .docx.",
        ".rtf": "Save it as .docx or UTF-8 .txt.",
        ".odt": "Save it as .docx.",
        ".xlsx": "Spreadsheets are not documents; export the text as .txt.",
    }.get(suffix, "Convert it to .txt, .md, .html, .pdf, .docx, or a PNG/JPEG/TIFF scan.")
    return f"unsupported file type {suffix}. {hint}"


def read_document(raw: bytes, fmt: str, encoding: str | None = None,
                  settings: IngestSettings | None = None) -> SourceDocument:
    """Read a document's bytes; `fmt` comes from the file name, but the content decides.

    A file whose content is another format we read (a web page saved as .pdf, a PDF named
    .txt) is read as what it is, with a note; one we cannot read is named for what it is.
    `encoding` overrides detection for text formats.
    """
    settings = settings or IngestSettings()
    from pipeline.ingest.limits import check_file_size

    check_file_size(raw, settings.max_file_mb)
    content = sniff(raw)
    actual = fmt
    if content.format and content.format != fmt:
        actual = content.format
    elif content.format is None and content.what:
        raise DocumentProblem(f"the file is named as {NAMES.get(fmt, fmt)} but is {content.what}. {content.fix}")
    elif content.format is None and fmt in ("pdf", "docx", "image"):
        actual = "txt"  # no signature of the named binary format: text, or damaged
    try:
        document = _read_as(raw, actual, encoding, settings)
    except DocumentProblem as exc:
        if actual != fmt and fmt in ("pdf", "docx", "image") and content.format is None:
            raise DocumentProblem(
                f"the file is named as {NAMES[fmt]} but is not one (no {fmt.upper()} signature at its start), "
                "and it is not readable text either: it is damaged or something else. Download or export it again."
            ) from exc
        raise
    if document.format != fmt and not (fmt in ("txt", "md") and document.format in ("txt", "md")):
        note = (f"the file is named as {NAMES.get(fmt, fmt)} but is {NAMES.get(document.format, document.format)}: "
                f"read as {document.format}")
        document = replace(document, notes=(note, *document.notes))
    return document


def _read_as(raw: bytes, fmt: str, encoding: str | None, settings: IngestSettings) -> SourceDocument:
    if fmt in ("txt", "md"):
        from pipeline.ingest.readers.text import read_text

        return read_text(raw, fmt, encoding)
    if fmt == "html":
        from pipeline.ingest.readers.html import read_html

        return read_html(raw, encoding, settings)
    if fmt == "pdf":
        from pipeline.ingest.readers.pdf import read_pdf

        return read_pdf(raw, settings)
    if fmt == "docx":
        from pipeline.ingest.readers.docx import read_docx

        return read_docx(raw, settings)
    if fmt == "image":
        from pipeline.ingest.readers.image import read_image

        return read_image(raw, settings)
    raise DocumentProblem(f"unsupported format {fmt!r}.")
