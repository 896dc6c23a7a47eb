"""Paragraphs → passages: split long ones, give each a stable id, count words, map offsets.

`passages_from_text` is the pure core of the stage: decoded text in, passages out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from pipeline.ingest.layout import Line, mark_repeated_furniture, parse_lines
from pipeline.ingest.offsets import encode_offset_map
from pipeline.ingest.paragraphs import Paragraph, assemble, detect_wrapped
from pipeline.ingest.segment import split_long

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]|(?:(?![{CJK}])\w)+")


@dataclass(frozen=True)
class Passage:
    """One passage: cleaned text and where it came from in the source text."""

    passage_id: str
    passage_index: int
    text: str
    source_start: int
    source_end: int
    offset_map: str
    kind: str

    @property
    def n_chars(self) -> int:
        """Characters in the cleaned text."""
        return len(self.text)

    @property
    def n_words(self) -> int:
        """Words (each Chinese character counts as one)."""
        return count_words(self.text)


def count_words(text: str) -> int:
    """Count word tokens; Chinese characters count one each."""
    return len(WORD.findall(text))


def normalise_for_id(text: str) -> str:
    """The text a passage id hashes: NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def passage_ids(doc_id: str, texts: list[str]) -> list[str]:
    """`{doc_id}-{sha1[:10]}`, with `-2`, `-3` for repeats of the same text within the doc."""
    seen: dict[str, int] = {}
    ids = []
    for text in texts:
        digest = hashlib.sha1(normalise_for_id(text).encode("utf-8")).hexdigest()[:10]
        seen[digest] = seen.get(digest, 0) + 1
        suffix = f"-{seen[digest]}" if seen[digest] > 1 else ""
        ids.append(f"{doc_id}-{digest}{suffix}")
    return ids


def has_content(text: str) -> bool:
    """A passage must contain a letter or a digit: "* * *" or "—" alone is not a passage."""
    return any(ch.isalnum() for ch in text)


def split_paragraphs(paragraphs: list[Paragraph], max_chars: int, min_chars: int) -> list[Paragraph]:
    """Split paragraphs longer than `max_chars`; drop empty or too-short ones."""
    pieces: list[Paragraph] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        for a, b in split_long(text.text, max_chars):
            piece = text[a:b].strip()
            if len(piece.text) >= min_chars and has_content(piece.text):
                pieces.append(Paragraph(piece, paragraph.kind))
    return pieces


def build_passages(doc_id: str, pieces: list[Paragraph]) -> list[Passage]:
    """Number the pieces, give them ids and offset maps."""
    ids = passage_ids(doc_id, [p.text.text for p in pieces])
    return [
        Passage(
            passage_id=pid,
            passage_index=index,
            text=piece.text.text,
            source_start=piece.text.source_start,
            source_end=piece.text.source_end,
            offset_map=encode_offset_map(piece.text),
            kind=piece.kind,
        )
        for index, (pid, piece) in enumerate(zip(ids, pieces, strict=True))
    ]


def passages_from_lines(doc_id: str, lines: list[Line], *, max_chars: int = 1500, min_chars: int = 1,
                        repeated_line_min_count: int = 3, wrapped: bool | None = None) -> list[Passage]:
    """Classified lines → passages (readers that know their structure start here)."""
    if wrapped is None:
        wrapped = detect_wrapped(lines)[0]
    lines = mark_repeated_furniture(lines, repeated_line_min_count, wrapped=wrapped)
    paragraphs = assemble(lines, wrapped=wrapped)
    return build_passages(doc_id, split_paragraphs(paragraphs, max_chars, min_chars))


def passages_from_text(doc_id: str, text: str, *, markup: bool = True, max_chars: int = 1500,
                       min_chars: int = 1, repeated_line_min_count: int = 3,
                       wrapped: bool | None = None) -> list[Passage]:
    """Decoded plain text (txt/md or a PDF text layer) → passages. Pure: no files involved.

    `markup`: the text may contain markdown/HTML fragments to clean. `wrapped`: the lines
    are hard-wrapped (None: detect).
    """
    lines = parse_lines(text, markup=markup)
    return passages_from_lines(doc_id, lines, max_chars=max_chars, min_chars=min_chars,
                               repeated_line_min_count=repeated_line_min_count, wrapped=wrapped)


__all__ = ["Passage", "passages_from_lines", "passages_from_text"]
