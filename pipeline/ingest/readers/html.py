"""HTML: visible text of the page, block elements as paragraphs, offsets into the markup.

Page furniture is dropped (script, style, nav, aside, footer, forms, and headers outside
the article). Headings and list items keep their role; table cells are joined with " | ";
footnote superscripts (`<sup>1</sup>`) are dropped; entities are decoded and mapped to
their place in the markup.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

from pipeline.ingest.cleaning import clean_inline
from pipeline.ingest.encoding import Decoded, decode_bytes, decode_with
from pipeline.ingest.layout import BLANK, HEADING, ITEM, TABLE, TEXT, Line
from pipeline.ingest.offsets import TrackedText, concat
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import SourceDocument
from pipeline.ingest.settings import IngestSettings

SKIP = frozenset({"script", "style", "noscript", "template", "nav", "aside", "footer", "form",
                  "button", "select", "svg", "iframe", "head", "object", "canvas"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "blockquote", "pre",
                   "ul", "ol", "dl", "dt", "dd", "li", "table", "thead", "tbody", "tr",
                   "figure", "figcaption", "caption", "address", "h1", "h2", "h3", "h4", "h5",
                   "h6", "hr", "body", "center"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
WHITESPACE = re.compile(r"\s+")
DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


# Class/id words that mark page furniture on news and journal sites (menus, share
# buttons, cookie notices, related links); matched as whole words of the attribute.
FURNITURE_WORDS = frozenset({"nav", "navbar", "navigation", "menu", "footer", "sidebar", "cookie", "cookies",
                             "breadcrumb", "breadcrumbs", "share", "sharing", "social", "advert", "ads",
                             "advertisement", "banner", "related", "comments", "subscribe", "newsletter",
                             "popup", "modal", "skip"})
ATTRIBUTE_WORDS = re.compile(r"[a-z]+")


# Page-level elements are never furniture whatever their class says: BBC's
# `<html class="... ads-enabled">`, Wikipedia's `<body class="... feature-footer-v2">`,
# CNN's `<main class="... js-social-anchor-start">` hold the whole article.
ROOT_ELEMENTS = frozenset({"html", "body", "main", "article"})


def _is_furniture_block(tag: str, attributes: dict[str, str | None]) -> bool:
    if tag in ROOT_ELEMENTS:
        return False
    words = ATTRIBUTE_WORDS.findall(f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower())
    return any(word in FURNITURE_WORDS for word in words)


class _VisibleText(HTMLParser):
    """Collects visible text as lines of tracked pieces."""

    def __init__(self, source: str, furniture_classes: bool = True) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.furniture_classes = furniture_classes
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.pieces: list[TrackedText] = []
        self.kind = TEXT
        self.lines: list[Line] = []
        self.sup_mark: int | None = None
        self.cells_in_row = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _break(self, blank: bool) -> None:
        text = clean_inline(concat(self.pieces), markup=False)
        if text.text:
            self.lines.append(Line(text, self.kind, 0, len(text.text)))
        self.pieces = []
        if blank and self.lines and self.lines[-1].kind != BLANK:
            self.lines.append(Line(TrackedText("", (), ()), BLANK))

    def _inside(self, *tags: str) -> bool:
        return any(tag in self.stack for tag in tags)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        hidden = "hidden" in attributes or attributes.get("aria-hidden") == "true" \
            or attributes.get("role") in ("navigation", "banner", "contentinfo") \
            or (self.furniture_classes and _is_furniture_block(tag, attributes))
        skip = tag in SKIP or hidden or (tag == "header" and not self._inside("article", "main"))
        if self.skip_depth:
            if tag not in VOID:
                self.stack.append(tag)
                self.skip_depth += 1
            return
        if tag == "br":
            self._break(blank=False)
            return
        if tag in ("td", "th"):
            if self.cells_in_row and self.pieces:
                at = self._offset()
                self.pieces.append(TrackedText(" | ", (at,) * 3, (at,) * 3))
            self.cells_in_row += 1
        if tag in BLOCK:
            self._break(blank=True)
            self.kind = HEADING if tag in HEADINGS else ITEM if tag == "li" else TABLE if tag == "tr" else TEXT
            if tag == "tr":
                self.cells_in_row = 0
        if tag == "sup":
            self.sup_mark = len(self.pieces)
        if tag not in VOID:
            self.stack.append(tag)
            if skip:
                self.skip_depth = 1
            if tag == "pre":
                self.pre_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return  # a stray end tag: browsers ignore it too
        while self.stack:
            top = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
            elif top == "pre":
                self.pre_depth -= 1
            if top == tag:
                break
        if self.skip_depth:
            return
        if tag == "sup" and self.sup_mark is not None:
            mark = concat(self.pieces[self.sup_mark :]).text.strip()
            if len(mark) <= 12:
                del self.pieces[self.sup_mark :]
            self.sup_mark = None
        if tag in BLOCK:
            self._break(blank=True)
            self.kind = TEXT

    def handle_data(self, data):
        if self.skip_depth or not data:
            return
        start = self._offset()
        tracked = TrackedText.from_source(data, start)
        if self.pre_depth:
            for k, part in enumerate(data.split("\n")):
                if k:
                    self._break(blank=False)
                self.pieces.append(tracked[0:0] if not part else TrackedText.from_source(part, start))
                start += len(part) + 1
            return
        self.pieces.append(tracked.sub(WHITESPACE, lambda m: [" "]))

    def _reference(self, raw_text: str) -> None:
        if self.skip_depth:
            return
        start = self._offset()
        end = start + len(raw_text)
        if self.source[end : end + 1] == ";":
            raw_text += ";"
            end += 1
        value = html.unescape(raw_text)
        self.pieces.append(TrackedText(value, (start,) * len(value), (end,) * len(value)))

    def handle_entityref(self, name):
        self._reference(f"&{name}")

    def handle_charref(self, name):
        self._reference(f"&#{name}")

    def close(self) -> None:
        super().close()
        self._break(blank=True)


def _decode_html(raw: bytes, encoding: str | None) -> Decoded:
    if encoding:
        return decode_with(raw, encoding)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        declared = DECLARED_CHARSET.search(raw[:4096])
        if declared:
            try:
                return decode_with(raw, declared.group(1).decode("ascii").lower())
            except DocumentProblem:
                pass  # a wrong declaration: fall back to detection
    return decode_bytes(raw)


def read_html(raw: bytes, encoding: str | None = None, settings: IngestSettings | None = None) -> SourceDocument:
    """Decode an HTML file and extract its main text blocks."""
    settings = settings or IngestSettings()
    return html_document(_decode_html(raw, encoding), settings.html_extractor)


def html_document(decoded: Decoded, extractor: str = "builtin") -> SourceDocument:
    """Extract the main text blocks of decoded HTML, with offsets into the markup.

    `builtin`: every visible block except page furniture (by tag, role and class words).
    `trafilatura`: trafilatura decides what the main text is; our parser supplies the
    blocks and their offsets, and keeps the blocks trafilatura kept. When it finds no main
    text, the visible blocks are kept and a note says so: a page is never dropped whole.
    """
    if extractor == "trafilatura":
        lines = _visible_lines(decoded.text, furniture_classes=False)
        main = _trafilatura_text(decoded.text)
        kept = _kept_lines(lines, main) if main else []
        if any(ln.kind != BLANK for ln in kept):
            return SourceDocument(decoded.text, "html", decoded.encoding, kept, wrapped=False)
        notes = ("trafilatura found no main text in the page: every visible block was kept",)
        lines = _visible_lines(decoded.text, furniture_classes=True)
        return SourceDocument(decoded.text, "html", decoded.encoding, lines, wrapped=False, notes=notes)
    return SourceDocument(decoded.text, "html", decoded.encoding, _visible_lines(decoded.text, True), wrapped=False)


def _visible_lines(text: str, furniture_classes: bool) -> list[Line]:
    parser = _VisibleText(text, furniture_classes)
    parser.feed(text)
    parser.close()
    lines = list(parser.lines)
    while lines and lines[0].kind == BLANK:
        lines.pop(0)
    return lines


def _trafilatura_text(text: str) -> str:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        return trafilatura.extract(text, output_format="txt", include_tables=True, include_comments=False,
                                   deduplicate=False, favor_precision=False, with_metadata=False) or ""
    except Exception:  # noqa: BLE001 - a library failure falls back to the visible blocks
        return ""


def _normal(text: str) -> str:
    return " ".join(text.replace("|", " ").split()).casefold()


MIN_LONG_LINE = 40
MIN_WORD_SHARE = 0.8
WORDS = re.compile(r"\w+")


def _kept_lines(lines: list[Line], main: str) -> list[Line]:
    """Our blocks that are trafilatura's main text.

    A short block (a heading, a list item) must equal one of trafilatura's lines; a long one
    must have at least 80 % of its words among trafilatura's words not yet used by earlier
    blocks (the two parsers clean differently: footnote marks, entities, spacing). Blank
    separators are kept between kept blocks.
    """
    main_lines = {_normal(line.lstrip("-•* ")) for line in main.splitlines() if line.strip()}
    available = Counter(w.casefold() for w in WORDS.findall(main))
    kept: list[Line] = []
    for line in lines:
        if line.kind == BLANK:
            if kept and kept[-1].kind != BLANK:
                kept.append(line)
            continue
        key = _normal(line.text.text)
        if not key:
            continue
        words = [w.casefold() for w in WORDS.findall(line.text.text)]
        if key in main_lines:
            keep = True
        elif len(key) >= MIN_LONG_LINE and words:
            found = Counter(words) & available
            keep = sum(found.values()) >= MIN_WORD_SHARE * len(words)
        else:
            keep = False
        if keep:
            available -= Counter(words)
            kept.append(line)
    while kept and kept[-1].kind == BLANK:
        kept.pop()
    return kept
