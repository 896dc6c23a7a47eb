"""Sentences of a passage with their offsets, and a cheap test for passages that may switch language.

Detecting every sentence of every passage would halve throughput for nothing: almost all passages
are in one language. `may_switch_language` looks only at letters (script of each sentence and
whether it is rich in Kazakh-specific letters) and sends a passage to per-sentence detection
when two sentences of some length disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ingest.segment import sentence_spans
from pipeline.language import letters

_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    """A sentence span of a passage: text[start:end], end exclusive, surrounding spaces trimmed."""

    start: int
    end: int
    text: str


def split_sentences(text: str, max_sentences: int = 500) -> list[Sentence]:
    """Sentences of `text` with their offsets, at most `max_sentences` (the rest stays undetected).

    The sentences are ingest's (`pipeline.ingest.segment.sentence_spans`: initials, abbreviations such
    as "Prof.", "т.е.", "ж." and decimal numbers do not end a sentence), within each line: a line
    break always ends one."""
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        base = line.start()
        for start, end in sentence_spans(line.group()):
            _append(out, text, base + start, base + end)
            if len(out) >= max_sentences:
                return out
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        s = start + (len(chunk) - len(chunk.lstrip()))
        out.append(Sentence(s, s + len(stripped), stripped))


def may_switch_language(passages: list[list[Sentence]], min_letters: int, kk_letter_share: float) -> list[bool]:
    """For each passage (its sentences): do two sentences with at least `min_letters` letters differ in
    script or in being rich in Kazakh-specific letters? All sentences are profiled in one numpy pass."""
    flat = [sentence.text for sentences in passages for sentence in sentences]
    rows = letters.profiles(flat)
    counts = letters.letters_in(rows)
    col = letters.COL
    out, k = [], 0
    for sentences in passages:
        seen: set[tuple[str, bool]] = set()
        for row, n in zip(rows[k:k + len(sentences)], counts[k:k + len(sentences)], strict=True):
            if n < min_letters:
                continue
            script = letters.script_of(row)
            kazakh = int(row[col["kk_unique"]] + row[col["kk_shared"]])
            seen.add((script, script == "Cyrl" and kazakh >= max(1.0, kk_letter_share * row[col["Cyrl"]])))
        out.append(len(seen) > 1)
        k += len(sentences)
    return out
