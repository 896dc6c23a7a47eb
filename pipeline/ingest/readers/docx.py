"""Word .docx: body paragraphs and tables in document order (python-docx).

The source text is the blocks joined by blank lines; a table row is one line, its cells
joined by " | ". Heading styles become headings, list paragraphs list items.
"""

from __future__ import annotations

import io
import zipfile

from pipeline.ingest.cleaning import clean_inline
from pipeline.ingest.layout import BLANK, HEADING, ITEM, TABLE, TEXT, Line
from pipeline.ingest.limits import check_zip_members
from pipeline.ingest.offsets import TrackedText
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import SourceDocument
from pipeline.ingest.settings import IngestSettings


def read_docx(raw: bytes, settings: IngestSettings | None = None) -> SourceDocument:
    """Read paragraphs and tables of a .docx in order."""
    settings = settings or IngestSettings()
    check_zip_members(raw, settings.max_unpacked_mb)
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(raw))
        blocks = list(_blocks(document))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentProblem(
            f"the .docx file is corrupt ({type(exc).__name__}). Open it in Word or LibreOffice, "
            "save it again as .docx, and replace the file."
        ) from exc
    source_parts: list[str] = []
    lines: list[Line] = []
    offset = 0
    for text, kind in blocks:
        if not text.strip():
            continue
        if source_parts:
            lines.append(Line(TrackedText("", (), ()), BLANK))
            offset += 2
        source_parts.append(text)
        for k, part in enumerate(text.split("\n")):
            tracked = clean_inline(TrackedText.from_source(part, offset), markup=False)
            if tracked.text:
                lines.append(Line(tracked, kind if k == 0 or kind == TABLE else TEXT, 0, len(part),
                                  break_at=offset + len(part)))
            offset += len(part) + 1
        offset -= 1
    source = "\n\n".join(source_parts)
    if not source.strip():
        raise DocumentProblem("the .docx file contains no text. Add the text or remove the metadata row.")
    return SourceDocument(source, "docx", "", lines, wrapped=False)


def _blocks(document):
    """(text, kind) for each body paragraph and table row, in document order."""
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat across the grid
                        continue
                    seen.add(id(cell._tc))
                    if cell.text.strip():
                        cells.append(" ".join(cell.text.split()))
                if cells:
                    yield " | ".join(cells), TABLE
        else:
            yield item.text, _paragraph_kind(item)


def _paragraph_kind(paragraph) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.startswith("Heading") or style == "Title":
        return HEADING
    ppr = paragraph._p.pPr
    if style.startswith("List") or (ppr is not None and ppr.numPr is not None):
        return ITEM
    return TEXT
