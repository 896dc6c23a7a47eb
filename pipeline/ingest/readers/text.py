"""Plain text and markdown: decode, then classify lines (markdown is cleaned in both,
because scholars' .txt files are often markdown exports, like corpus/documents/002_*.txt)."""

from __future__ import annotations

import re

from pipeline.ingest.encoding import Decoded, decode_bytes, decode_with
from pipeline.ingest.layout import parse_lines
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import SourceDocument

SAVED_WEB_PAGE = re.compile(r"\s*(?:<!doctype html|<html[\s>])", re.IGNORECASE)
XML_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.:-]+)[\"']")


def _declared(raw: bytes) -> Decoded | None:
    """An XML export (an RSS feed, a saved XML page) that names its encoding is decoded with it."""
    match = XML_DECLARATION.match(raw[:200])
    if not match:
        return None
    try:
        return decode_with(raw, match.group(1).decode("ascii").lower())
    except DocumentProblem:
        return None  # a wrong or unknown declaration: detect instead


def read_text(raw: bytes, fmt: str, encoding: str | None = None) -> SourceDocument:
    """Decode a .txt/.md file and classify its lines; a web page saved as .txt is read as HTML."""
    decoded = decode_with(raw, encoding) if encoding else _declared(raw) or decode_bytes(raw)
    if SAVED_WEB_PAGE.match(decoded.text):
        from pipeline.ingest.readers.html import html_document

        return html_document(decoded)
    lines = parse_lines(decoded.text, markup=True)
    return SourceDocument(decoded.text, fmt, decoded.encoding, lines, wrapped=None)
