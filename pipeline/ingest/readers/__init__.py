"""Readers, one per format: bytes → source text plus classified lines.

Each reader returns a `SourceDocument`. `source_text` is what passage offsets point into:
the decoded file for txt/md/html (markup included), the extracted text layer for pdf/docx.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.layout import Line
from pipeline.ingest.problems import DocumentProblem


@dataclass(frozen=True)
class SourceDocument:
    """A document's source text, how it was read, and its classified lines."""

    source_text: str
    format: str
    encoding: str
    lines: list[Line]
    wrapped: bool | None
    """Hard-wrapped lines (PDF text layers) are joined; None lets the assembler detect it."""


FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
           ".pdf": "pdf", ".docx": "docx"}


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
    }.get(suffix, "Convert it to .txt, .md, .html, .pdf or .docx.")
    return f"unsupported file type {suffix}. {hint}"


def read_document(raw: bytes, fmt: str, encoding: str | None = None) -> SourceDocument:
    """Read a document's bytes as format `fmt`; `encoding` overrides detection for text formats."""
    if fmt in ("txt", "md"):
        from pipeline.ingest.readers.text import read_text

        return read_text(raw, fmt, encoding)
    if fmt == "html":
        from pipeline.ingest.readers.html import read_html

        return read_html(raw, encoding)
    if fmt == "pdf":
        from pipeline.ingest.readers.pdf import read_pdf

        return read_pdf(raw)
    if fmt == "docx":
        from pipeline.ingest.readers.docx import read_docx

        return read_docx(raw)
    raise DocumentProblem(f"unsupported format {fmt!r}.")
