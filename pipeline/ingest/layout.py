"""Lines and what they are: text, heading, list item, table row, footnote, page furniture.

`parse_lines` turns a plain-text source (txt, md, a PDF's text layer) into classified,
cleaned `Line`s; `mark_repeated_furniture` finds running headers and footers.
Paragraph assembly (joining lines) is `paragraphs.py`'s job.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.ingest.cleaning import clean_inline
from pipeline.ingest.offsets import TrackedText

TEXT, HEADING, ITEM, TABLE, FOOTNOTE, BLANK, PAGE_BREAK, FURNITURE = (
    "text", "heading", "item", "table", "footnote", "blank", "page_break", "furniture",
)
# Kinds only structured formats know: .docx endnotes, reviewers' comments, page headers/footers.
ENDNOTE, COMMENT, PAGE_HEADER = "endnote", "comment", "page_header"
CONTENT_KINDS = frozenset({TEXT, HEADING, ITEM, TABLE, FOOTNOTE, ENDNOTE, COMMENT, PAGE_HEADER})

CODE_FENCE = re.compile(r"^[ \t]*(?:```|~~~)")
LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
MD_HEADING_TAIL = re.compile(r"[ \t]+#+[ \t]*$")
BULLET = re.compile(r"^[ \t]*(?:[-*+•▪◦●‣∙·]|–)[ \t]+")
NUMBERED = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[a-zа-я]\))[ \t]+")
BLOCKQUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
HORIZONTAL_RULE = re.compile(r"^[ \t]*([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
TABLE_PIPES = re.compile(r"^\s*\|\s*|\s*\|\s*$|\s*(\|)\s*")
FOOTNOTE_START = re.compile(r"^[ \t]*(?:<sup>|&lt;sup|\[\^[^\]]+\]:)", re.IGNORECASE)
SUPERSCRIPT_FOOTNOTE_START = re.compile(r"^[ \t]*[¹²³⁴⁵⁶⁷⁸⁹⁰†‡]+[ \t]*\S")
PAGE_NUMBER = re.compile(
    r"^[ \t]*[-–—]?[ \t]*(?:(?:page|p\.|стр\.|с\.|бет)[ \t]*)?\d{1,4}(?:[ \t]*(?:/|of|из)[ \t]*\d{1,4})?(?:[ \t]*-?[ \t]*бет)?[ \t]*[-–—]?[ \t]*$",
    re.IGNORECASE,
)
# Section labels that web scrapes glue onto the previous word ("...011Keywords:",
# "...studentsAbstract" in corpus/documents/000_*.txt): the label starts a new paragraph.
GLUED_LABEL = re.compile(
    r"(?<=[a-zа-яёәғқңөұүһі0-9)\].])(?=(?:Keywords|Key words|Abstract|Annotation|Introduction|References"
    r"|Аннотация|Ключевые слова|Аңдатпа|Түйін сөздер|Список литературы|Әдебиеттер)\b)"
)


@dataclass(frozen=True)
class Line:
    """One cleaned line of a document and its role."""

    text: TrackedText
    kind: str
    page: int = 0
    raw_length: int = 0
    soft_hyphen_end: bool = False
    """The physical line ended with a soft hyphen: the word continues on the next line."""
    break_at: int = -1
    """Source offset of the line break after this line (-1: unknown), where a joining space maps."""
    starts_paragraph: bool = False
    """Split off a glued section label ("...studentsAbstract"): never joined to the line before."""


def split_source_lines(source: TrackedText) -> list[tuple[TrackedText, int]]:
    """Split into physical lines (without line ends), with the page each is on.

    A form feed (how PDF text layers and some exports mark a page break) becomes a line
    of its own, so page breaks stay visible to furniture detection and paragraph joining.
    """
    lines: list[tuple[TrackedText, int]] = []
    page = 0
    pos = 0
    for line_break in [*LINE_BREAK.finditer(source.text), None]:
        end = line_break.start() if line_break else len(source.text)
        piece = source[pos:end]
        pos = line_break.end() if line_break else end
        offset = 0
        for k, segment in enumerate(piece.text.split("\f")):
            if k:
                page += 1
                lines.append((piece[offset - 1 : offset], page))
            lines.append((piece[offset : offset + len(segment)], page))
            offset += len(segment) + 1
    return lines


def classify(raw: TrackedText, page: int, markup: bool) -> list[Line]:
    """Classify one physical line, strip its line-level markup, clean it inline."""
    text = raw.text
    if text == "\f":
        return [Line(raw[0:0], PAGE_BREAK, page, 0)]
    if not text.strip():
        return [Line(raw[0:0], BLANK, page, 0)]
    if PAGE_NUMBER.match(text) or (markup and HORIZONTAL_RULE.match(text)):
        return [Line(raw.strip(), FURNITURE, page, len(text))]
    kind = TEXT
    body = raw
    if markup and TABLE_ROW.match(text):
        if TABLE_RULE.match(text):
            return [Line(raw.strip(), FURNITURE, page, len(text))]
        body = body.sub(TABLE_PIPES, lambda m: [" ", 1, " "] if m.start() and m.end() < len(text) else [])
        kind = TABLE
    elif (markup and FOOTNOTE_START.match(text)) or SUPERSCRIPT_FOOTNOTE_START.match(text):
        kind = FOOTNOTE
    elif markup and MD_HEADING.match(text):
        body = body.sub(MD_HEADING, lambda m: []).sub(MD_HEADING_TAIL, lambda m: [])
        kind = HEADING
    else:
        if markup:
            body = body.sub(BLOCKQUOTE, lambda m: [])
        if BULLET.match(body.text):
            body = body.sub(BULLET, lambda m: [])
            kind = ITEM
        elif NUMBERED.match(body.text):
            kind = ITEM
    cleaned = clean_inline(body, markup)
    if not cleaned.text:
        return [Line(cleaned, FURNITURE, page, len(text))]
    parts = split_glued_labels(cleaned)
    soft = text.rstrip().endswith("\u00ad")
    last = len(parts) - 1
    return [Line(part, kind if i == 0 else TEXT, page, len(text), soft and i == last,
                 raw.ends[-1] if i == last else -1, starts_paragraph=i > 0)
            for i, part in enumerate(parts)]


def split_glued_labels(line: TrackedText) -> list[TrackedText]:
    """Split a line where a section label is glued to the previous word."""
    cuts = [m.start() for m in GLUED_LABEL.finditer(line.text)]
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line.text)]
    return [line[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if line.text[a:b].strip()]


def parse_lines(source_text: str, markup: bool) -> list[Line]:
    """Classified, cleaned lines of a plain-text source."""
    source = TrackedText.from_source(source_text)
    raw_lines = split_source_lines(source)
    front_matter = _front_matter_length(raw_lines) if markup else 0
    lines: list[Line] = []
    for k, (raw, page) in enumerate(raw_lines):
        if k < front_matter or (markup and CODE_FENCE.match(raw.text)):
            lines.append(Line(raw.strip(), FURNITURE, page, len(raw.text)))
            continue
        lines.extend(classify(raw, page, markup))
    return lines


def _front_matter_length(raw_lines: list[tuple[TrackedText, int]]) -> int:
    """Number of lines of a markdown YAML front matter block (`---` ... `---` at the top), or 0."""
    if not raw_lines or raw_lines[0][0].text.strip() != "---":
        return 0
    for k, (raw, _) in enumerate(raw_lines[1:60], start=1):
        if raw.text.strip() in ("---", "..."):
            return k + 1
    return 0


def furniture_key(text: str) -> str:
    """Compare running headers ignoring case, spacing and page numbers."""
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def mark_repeated_furniture(lines: list[Line], min_count: int, wrapped: bool = False) -> list[Line]:
    """Mark running headers/footers: short lines repeated at least `min_count` times.

    Exact repeats count when the line stands alone (blank lines or page breaks around it,
    or any line of text that is not hard-wrapped). When the document has page breaks, lines
    at the top or bottom of pages are also compared with digits ignored (headers carrying
    page numbers). Lines inside a hard-wrapped paragraph are never furniture.
    """
    if min_count <= 1:
        return lines
    candidates = [i for i, ln in enumerate(lines) if ln.kind in (TEXT, HEADING) and len(ln.text.text) <= 100]
    edge = _page_edge_indices(lines)
    if wrapped:
        candidates = [i for i in candidates if i in edge or _stands_alone(lines, i)]
    exact = Counter(lines[i].text.text for i in candidates)
    by_key = Counter(furniture_key(lines[i].text.text) for i in candidates if i in edge)
    pages = len({ln.page for ln in lines})
    out = list(lines)
    for i in candidates:
        text = lines[i].text.text
        repeated = exact[text] >= min_count
        if i in edge and pages >= min_count and by_key[furniture_key(text)] >= min_count:
            repeated = True
        if repeated and any(ch.isalpha() for ch in text):
            out[i] = replace(lines[i], kind=FURNITURE)
    if not any(ln.kind in CONTENT_KINDS for ln in out):
        return lines  # a line repeated on every page that is all the text: it is the document, not a header
    return out


def _stands_alone(lines: list[Line], i: int) -> bool:
    """No content line directly above or below (blank lines, page breaks or the document edge)."""
    before = lines[i - 1].kind if i > 0 else BLANK
    after = lines[i + 1].kind if i + 1 < len(lines) else BLANK
    separators = (BLANK, PAGE_BREAK, FURNITURE)
    return before in separators and after in separators


def _page_edge_indices(lines: list[Line]) -> set[int]:
    """Indices of the first two and last two content lines of each page."""
    by_page: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.kind in CONTENT_KINDS:
            by_page.setdefault(ln.page, []).append(i)
    if len(by_page) < 2:
        return set()
    edge: set[int] = set()
    for indices in by_page.values():  # a page's first and last lines, wrapped text or not
        edge.update(indices[:2])
        edge.update(indices[-2:])
    return edge
