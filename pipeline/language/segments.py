"""Sentences of a passage with their offsets, and a cheap test for passages that may switch language.

Detecting every sentence of every passage would halve throughput for nothing: almost all passages
are in one language. `may_switch_language` looks only at letters (script of each sentence and
whether it is rich in Kazakh-specific letters) and sends a passage to per-sentence detection
when two sentences of some length disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.language import script as scripts

# A sentence ends at . ! ? … (plus closing quotes/brackets) before whitespace, or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*\s+|\n+")
_KAZAKH = scripts.KAZAKH_UNIQUE | scripts.KAZAKH_SHARED


@dataclass(frozen=True)
class Sentence:
    """A sentence span of a passage: text[start:end], end exclusive, surrounding spaces trimmed."""

    start: int
    end: int
    text: str


def split_sentences(text: str, max_sentences: int = 500) -> list[Sentence]:
    """Sentences of `text` with their offsets, at most `max_sentences` (the rest stays undetected)."""
    out: list[Sentence] = []
    pos = 0
    for match in _BOUNDARY.finditer(text):
        _append(out, text, pos, match.start())
        pos = match.end()
        if len(out) >= max_sentences:
            return out
    _append(out, text, pos, len(text))
    return out[:max_sentences]


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        s = start + (len(chunk) - len(chunk.lstrip()))
        out.append(Sentence(s, s + len(stripped), stripped))


def letter_signature(sentence: str, kk_letter_share: float) -> tuple[str, bool] | None:
    """(script, rich in Kazakh letters) of a sentence; None when it has no letters."""
    script = scripts.dominant_script(sentence)
    if script == "Zyyy":
        return None
    if script != "Cyrl":
        return (script, False)
    letters = [ch for ch in sentence.lower() if "\u0400" <= ch < "\u0530"]
    kazakh = sum(1 for ch in letters if ch in _KAZAKH)
    return (script, kazakh >= max(1.0, kk_letter_share * len(letters)))


def may_switch_language(sentences: list[Sentence], min_letters: int, kk_letter_share: float) -> bool:
    """True when two sentences with at least `min_letters` letters differ in script or Kazakh letters."""
    seen: set[tuple[str, bool]] = set()
    for sentence in sentences:
        if sum(ch.isalpha() for ch in sentence.text) < min_letters:
            continue
        signature = letter_signature(sentence.text, kk_letter_share)
        if signature is not None:
            seen.add(signature)
            if len(seen) > 1:
                return True
    return False
