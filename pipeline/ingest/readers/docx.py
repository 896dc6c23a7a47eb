"""Word .docx (Transitional and Strict OOXML): everything a reader of the document sees.

Read straight from the package's XML with lxml, in this order:
1. the body in document order: paragraphs (headings and list items keep their role), text
   boxes (after the paragraph that anchors them, read once: Word stores each box twice,
   as DrawingML and as a VML fallback), tables row by row with cells joined by " | ",
   nested tables as their own rows after the row that holds them; tracked insertions
   are kept and deletions dropped, field codes dropped;
2. page headers and footers, each distinct text once (not once per section);
3. footnotes, then endnotes, in the order the body cites them, flagged `footnote` / `endnote`;
4. reviewers' comments, flagged `comment`, only with `ingest.docx_comments: true`.
The source text is the blocks joined by blank lines; passage offsets point into it.
Strict OOXML (ISO/IEC 29500 Strict, "purl.oclc.org" namespaces) is mapped onto the
Transitional names before parsing.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from pipeline.ingest.cleaning import clean_inline
from pipeline.ingest.layout import (
    BLANK,
    COMMENT,
    ENDNOTE,
    FOOTNOTE,
    HEADING,
    ITEM,
    PAGE_HEADER,
    TABLE,
    TEXT,
    Line,
)
from pipeline.ingest.limits import check_zip_members
from pipeline.ingest.offsets import TrackedText
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import SourceDocument
from pipeline.ingest.settings import IngestSettings

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
STRICT_TO_TRANSITIONAL = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", R.encode()),
)
RELS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
STRICT_RELS_TYPE = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NOTE_TYPES_SKIPPED = frozenset({"separator", "continuationSeparator", "continuationNotice"})
# Elements whose text is not document text: deleted runs, field instructions, the VML copy
# of a text box (mc:Fallback), hidden XML, footnote/endnote reference marks.
SKIPPED = frozenset({f"{{{W}}}del", f"{{{W}}}delText", f"{{{W}}}instrText", f"{{{MC}}}Fallback",
                     f"{{{W}}}footnoteReference", f"{{{W}}}endnoteReference", f"{{{W}}}commentReference",
                     f"{{{W}}}rPr", f"{{{W}}}pPr", f"{{{W}}}annotationRef", f"{{{W}}}footnoteRef",
                     f"{{{W}}}endnoteRef"})


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def read_docx(raw: bytes, settings: IngestSettings | None = None) -> SourceDocument:
    """Read a .docx: body, text boxes, tables, headers/footers, notes (and comments when asked)."""
    settings = settings or IngestSettings()
    check_zip_members(raw, settings.max_unpacked_mb)
    try:
        package = _Package(raw)
        blocks = _Reader(package, settings.docx_comments).blocks()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise DocumentProblem(
            f"the .docx file is corrupt ({type(exc).__name__}: {exc}). Open it in Word or LibreOffice, "
            "save it again as .docx, and replace the file."
        ) from exc
    return _document(blocks)


class _Package:
    """The ZIP package: parts by name, the main document part and its relationships."""

    def __init__(self, raw: bytes) -> None:
        from lxml import etree

        self._etree = etree
        self._parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                       remove_comments=True, recover=False)
        self.zip = zipfile.ZipFile(io.BytesIO(raw))
        self.names = set(self.zip.namelist())
        self.main = self._main_part()
        if self.main not in self.names:
            raise KeyError(f"the main document part {self.main} is missing")
        self.rels = self.relationships(self.main)

    def xml(self, name: str):
        data = self.zip.read(name)
        for strict, transitional in STRICT_TO_TRANSITIONAL:
            data = data.replace(strict, transitional)
        try:
            return self._etree.fromstring(data, self._parser)
        except self._etree.XMLSyntaxError as exc:
            raise ValueError(f"{name} is not well-formed XML ({exc})") from exc

    def _main_part(self) -> str:
        if "_rels/.rels" in self.names:
            for rel in self.xml("_rels/.rels").iter(f"{{{PACKAGE_RELS}}}Relationship"):
                if rel.get("Type", "").rsplit("/", 1)[-1] == "officeDocument":
                    return rel.get("Target", "").lstrip("/")
        return "word/document.xml"

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (type name, part name) for a part."""
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name).iter(f"{{{PACKAGE_RELS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            kind = rel.get("Type", "").replace(STRICT_RELS_TYPE, RELS_TYPE).rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (kind, path)
        return out

    def parts_of(self, kind: str) -> list[str]:
        return [path for k, path in self.rels.values() if k == kind and path in self.names]


class _Reader:
    """Walks the parts and yields (text, kind) blocks in reading order."""

    def __init__(self, package: _Package, with_comments: bool) -> None:
        self.package = package
        self.with_comments = with_comments
        self.styles = self._style_names()
        self.cited: dict[str, list[str]] = {"footnote": [], "endnote": []}

    def blocks(self) -> list[tuple[str, str]]:
        body = self.package.xml(self.package.main).find(_w("body"))
        if body is None:
            raise ValueError("the document has no body")
        out = list(self._container(body))
        out.extend(self._headers_and_footers())
        for kind, flag in (("footnote", FOOTNOTE), ("endnote", ENDNOTE)):
            out.extend((text, flag) for text in self._notes(kind))
        if self.with_comments:
            out.extend((text, COMMENT) for text in self._comments())
        return out

    def _style_names(self) -> dict[str, str]:
        names = {}
        for part in self.package.parts_of("styles"):
            for style in self.package.xml(part).iter(_w("style")):
                name = style.find(_w("name"))
                names[style.get(_w("styleId"), "")] = (name.get(_w("val"), "") if name is not None else "").lower()
        return names

    def _container(self, element):
        """Blocks of a body, cell, text box, header or note, in order."""
        for child in element:
            tag = child.tag
            if tag == _w("p"):
                yield from self._paragraph(child)
            elif tag == _w("tbl"):
                yield from self._table(child)
            elif tag in (_w("sdt"), _w("customXml")):
                content = child.find(_w("sdtContent")) if tag == _w("sdt") else child
                if content is not None:
                    yield from self._container(content)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    yield from self._container(choice)

    def _paragraph(self, p):
        text, boxes = self._runs(p)
        if text.strip():
            yield text, self._paragraph_kind(p)
        for box in boxes:  # text boxes anchored in this paragraph, after it
            yield from self._container(box)

    def _runs(self, p) -> tuple[str, list]:
        """The paragraph's text and the text boxes anchored in it (not descending into them)."""
        parts: list[str] = []
        boxes: list = []

        def walk(element) -> None:
            for child in element:
                tag = child.tag
                if not isinstance(tag, str) or tag in SKIPPED:
                    if tag == _w("footnoteReference") or tag == _w("endnoteReference"):
                        kind = "footnote" if tag == _w("footnoteReference") else "endnote"
                        self.cited[kind].append(child.get(_w("id"), ""))
                    continue
                if tag == _w("txbxContent"):
                    boxes.append(child)
                    continue
                if tag == _w("t"):
                    parts.append(child.text or "")
                elif tag in (_w("tab"), _w("ptab")):
                    parts.append("\t")
                elif tag in (_w("br"), _w("cr")):
                    parts.append("\n")
                elif tag == _w("noBreakHyphen"):
                    parts.append("-")
                elif tag == _w("sym"):
                    parts.append(_symbol(child.get(_w("char"), "")))
                else:
                    walk(child)

        walk(p)
        return "".join(parts), boxes

    def _paragraph_kind(self, p) -> str:
        ppr = p.find(_w("pPr"))
        style_id = ""
        if ppr is not None:
            style = ppr.find(_w("pStyle"))
            style_id = style.get(_w("val"), "") if style is not None else ""
            if ppr.find(_w("outlineLvl")) is not None:
                return HEADING
        name = self.styles.get(style_id, style_id.lower())
        if name.startswith("heading") or name in ("title", "subtitle") or name.startswith("заголовок"):
            return HEADING
        if name.startswith("list") or (ppr is not None and ppr.find(_w("numPr")) is not None):
            return ITEM
        return TEXT

    def _table(self, table):
        nested: list = []
        for row in table.iter(_w("tr")):
            if _enclosing_table(row) is not table:
                continue
            cells = []
            for cell in row.findall(_w("tc")):
                texts = []
                for child in cell:
                    if child.tag == _w("tbl"):
                        nested.append(child)
                    elif child.tag == _w("p"):
                        text, boxes = self._runs(child)
                        texts.append(text)
                        nested.extend(boxes)
                    elif child.tag == _w("sdt"):
                        texts.extend(t for t, _ in self._container(child))
                value = " ".join(" ".join(texts).split())
                if value:
                    cells.append(value)
            if cells:
                yield " | ".join(cells), TABLE
            for inner in nested:
                if inner.tag == _w("tbl"):
                    yield from self._table(inner)
                else:
                    yield from self._container(inner)
            nested = []

    def _headers_and_footers(self):
        seen: set[str] = set()
        for kind in ("header", "footer"):
            for part in sorted(self.package.parts_of(kind)):
                for text, _ in self._container(self.package.xml(part)):
                    key = " ".join(text.split())
                    if key and key not in seen and not _is_page_number(key):
                        seen.add(key)
                        yield text, PAGE_HEADER

    def _notes(self, kind: str) -> list[str]:
        parts = self.package.parts_of(f"{kind}s")
        if not parts:
            return []
        notes: dict[str, str] = {}
        for note in self.package.xml(parts[0]).iter(_w(kind)):
            if note.get(_w("type")) in NOTE_TYPES_SKIPPED:
                continue
            text = "\n".join(t for t, _ in self._container(note) if t.strip())
            if text.strip():
                notes[note.get(_w("id"), "")] = text
        order = [i for i in dict.fromkeys(self.cited[kind]) if i in notes]
        order += [i for i in notes if i not in order]  # notes never cited still count
        return [notes[i] for i in order]

    def _comments(self) -> list[str]:
        parts = self.package.parts_of("comments")
        if not parts:
            return []
        comments = []
        for comment in self.package.xml(parts[0]).iter(_w("comment")):
            text = "\n".join(t for t, _ in self._container(comment) if t.strip())
            if text.strip():
                comments.append(text)
        return comments


def _enclosing_table(row):
    parent = row.getparent()
    while parent is not None and parent.tag != _w("tbl"):
        parent = parent.getparent()
    return parent


def _is_page_number(text: str) -> bool:
    return text.replace("Page", "").replace("of", "").replace(" ", "").isdigit()


def _symbol(code: str) -> str:
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    return "" if 0xF000 <= value <= 0xF0FF else chr(value)  # symbol-font glyphs have no letter


def _document(blocks: list[tuple[str, str]]) -> SourceDocument:
    source_parts: list[str] = []
    lines: list[Line] = []
    offset = 0
    for text, kind in blocks:
        text = text.replace("\t", " ")
        if not text.strip():
            continue
        if source_parts:
            lines.append(Line(TrackedText("", (), ()), BLANK))
            offset += 2
        source_parts.append(text)
        for k, part in enumerate(text.split("\n")):
            tracked = clean_inline(TrackedText.from_source(part, offset), markup=False)
            if tracked.text:
                keep = kind if k == 0 or kind in (TABLE, FOOTNOTE, ENDNOTE, COMMENT, PAGE_HEADER) else TEXT
                lines.append(Line(tracked, keep, 0, len(part), break_at=offset + len(part)))
            offset += len(part) + 1
        offset -= 1
    source = "\n\n".join(source_parts)
    if not source.strip():
        raise DocumentProblem("the .docx file contains no text (body, text boxes, tables, headers, notes). "
                              "Add the text or remove the metadata row.")
    return SourceDocument(source, "docx", "", lines, wrapped=False)
