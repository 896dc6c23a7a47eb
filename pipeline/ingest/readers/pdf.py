"""PDF: the text layer, page by page (pypdf); pages are separated by form feeds."""

from __future__ import annotations

import io
import logging

from pipeline.ingest.layout import parse_lines
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import SourceDocument


def read_pdf(raw: bytes) -> SourceDocument:
    """Extract the text layer of a PDF; refuse corrupt, encrypted and image-only files."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every odd font
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentProblem("the PDF is password-protected. Save an unprotected copy and use that.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentProblem:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise DocumentProblem(
            f"the PDF is corrupt or truncated ({type(exc).__name__}: {exc}). "
            "Download or export it again."
        ) from exc
    if not pages:
        raise DocumentProblem("the PDF has no pages. Download or export it again.")
    if not any(page.strip() for page in pages):
        raise DocumentProblem(
            f"the PDF has no text layer ({len(pages)} page(s) of images): it needs OCR. "
            "Run it through OCR (e.g. `ocrmypdf in.pdf out.pdf`) and replace the file."
        )
    source = "\f".join(page.replace("\r\n", "\n").replace("\r", "\n") for page in pages)
    lines = parse_lines(source, markup=False)
    return SourceDocument(source, "pdf", "", lines, wrapped=True)
