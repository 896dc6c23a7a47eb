"""Cutting very long texts into bounded pieces at sentence or whitespace boundaries.

NER models are fed pieces of at most `max_chars` characters (a PDF extracted as one passage of
several hundred thousand characters would otherwise blow up spaCy's memory or hit its
`max_length`). Each piece carries its offset, so mentions map back onto the original text.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?。！？…]\s+|\n+")
_SPACE = re.compile(r"\s+")


def chunk_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Split `text` into (offset, piece) pairs, each piece at most `max_chars` long.

    Cuts at the last sentence end inside the window, else at the last whitespace, else hard at
    `max_chars` (a single "word" longer than the window). Concatenating the pieces gives `text`
    back, so offsets are exact.
    """
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    if len(text) <= max_chars:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        if n - start <= max_chars:
            pieces.append((start, text[start:]))
            break
        window = text[start:start + max_chars]
        cut = 0
        for m in _SENTENCE_END.finditer(window):
            cut = m.end()
        if cut < max_chars // 4:  # no sentence end in most of the window: fall back to a space
            spaces = [m.end() for m in _SPACE.finditer(window)]
            cut = spaces[-1] if spaces and spaces[-1] >= max_chars // 4 else max_chars
        pieces.append((start, text[start:start + cut]))
        start += cut
    return pieces
