"""Join cleaned lines into paragraphs.

Three ways a paragraph gets broken in real files, all handled here:
- hard-wrapped text (a PDF text layer, an e-mail-style .txt): lines are joined with a space
  unless a short line ending a sentence closes the paragraph;
- a page break in the middle of a paragraph (corpus/documents/002_*.txt: the paragraph
  ends without final punctuation, blank lines follow, it continues in lowercase; 003_*.txt
  does the same within one-paragraph-per-line text): the halves are joined;
- a footnote printed between the halves (002_*.txt): the halves are joined and the
  footnote becomes its own paragraph right after.
Words hyphenated across a line break are re-joined ("educa-" + "tion" → "education"),
keeping the hyphen of real compounds ("socio-" + "economic" when the document writes
"socio-economic" elsewhere, or the first part is a known compound prefix).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.ingest.layout import BLANK, CONTENT_KINDS, FOOTNOTE, HEADING, ITEM, PAGE_BREAK, TABLE, Line
from pipeline.ingest.offsets import TrackedText, concat

SENTENCE_END = frozenset(".!?…。！？")
CLOSERS = "\"'»”’)]}）】」"
HYPHENATED_END = re.compile(r"(\w+)-$")
LEADING_WORD = re.compile(r"^(\w+)")
WORD_TOKEN = re.compile(r"\w+(?:-\w+)*")
COMPOUND_PREFIXES = frozenset({
    "socio", "self", "well", "non", "co", "ex", "post", "pre", "anti", "cross", "multi", "inter",
    "semi", "sub", "pan", "neo", "quasi", "long", "short", "high", "low", "state", "market", "cost",
})
# Russian/Kazakh adjective stems of compounds: "социально-экономический", "научно-технический".
CYRILLIC_COMPOUND_STEM = re.compile(r"[а-яё]{3,}(?:льно|чно|нно|рно|ско|ико|тно|вно)$")


@dataclass(frozen=True)
class Paragraph:
    """A cleaned paragraph and the kind of its first line (heading, item, text, ...)."""

    text: TrackedText
    kind: str


def ends_open(text: str) -> bool:
    """True when the text does not end a sentence (no final . ! ? after closing quotes)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] not in SENTENCE_END


def starts_lowercase(text: str) -> bool:
    """True when the text starts with a lowercase letter (after opening quotes/brackets)."""
    stripped = text.lstrip("\"'«“‘([{")
    return bool(stripped) and stripped[0].isalpha() and stripped[0].islower()


def document_vocabulary(lines: Iterable[Line]) -> set[str]:
    """Lowercased words and hyphenated compounds written within lines of the document."""
    vocab: set[str] = set()
    for line in lines:
        vocab.update(w.lower() for w in WORD_TOKEN.findall(line.text.text))
    return vocab


def keep_hyphen(left: str, right: str, vocab: set[str]) -> bool:
    """Decide whether "left-" + "right" across a line break is a compound or a split word."""
    left_l, right_l = left.lower(), right.lower()
    if f"{left_l}-{right_l}" in vocab:
        return True
    if left_l + right_l in vocab:
        return False
    return left_l in COMPOUND_PREFIXES or bool(CYRILLIC_COMPOUND_STEM.search(left_l)) or left[-1].isdigit()


def detect_wrapped(lines: list[Line]) -> tuple[bool, int]:
    """Is the text hard-wrapped at a fixed width? Returns (wrapped, width)."""
    lengths = sorted(ln.raw_length for ln in lines if ln.kind in CONTENT_KINDS)
    if len(lengths) < 8:
        return False, 0
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > 130:
        return False, width
    adjacent = sum(1 for a, b in zip(lines, lines[1:], strict=False)
                   if a.kind in CONTENT_KINDS and b.kind in CONTENT_KINDS)
    long_lines = sum(1 for n in lengths if n >= 0.65 * width)
    # Hard wrapping breaks lines mid-sentence; one-sentence-per-line text ends them with a stop.
    open_ends = sum(1 for ln in lines if ln.kind in CONTENT_KINDS and ends_open(ln.text.text))
    wrapped = (long_lines >= 0.5 * len(lengths) and adjacent >= 0.3 * len(lengths)
               and open_ends >= 0.5 * len(lengths))
    return wrapped, width


def join_gap(left: TrackedText, right: TrackedText, vocab: set[str]) -> tuple[TrackedText, str]:
    """How to join two pieces of one paragraph: (left, possibly without its final hyphen; separator).

    A word hyphenated across the break is re-joined without the hyphen unless it is a
    compound; otherwise the pieces are joined with a space.
    """
    hyphen = HYPHENATED_END.search(left.text)
    first = LEADING_WORD.match(right.text)
    if hyphen and first:
        if not right.text[0].islower() or keep_hyphen(hyphen.group(1), first.group(1), vocab):
            return left, ""  # "Kyzyl-" + "Orda", "2023-" + "2024": a compound, hyphen kept
        return left[: len(left) - 1], ""
    return left, " "


def _continues(prev: Line, nxt: Line, gap: str, wrapped: bool, width: int) -> bool:
    """Does `nxt` continue the paragraph whose last line is `prev`?"""
    if prev.kind in (HEADING, TABLE, FOOTNOTE) or nxt.kind in (HEADING, ITEM, TABLE, FOOTNOTE) or nxt.starts_paragraph:
        return False
    if (ends_open(prev.text.text) or prev.soft_hyphen_end) and starts_lowercase(nxt.text.text):
        return True
    if gap == "line" and wrapped:
        short_last_line = prev.raw_length < 0.8 * width
        return not (short_last_line and not ends_open(prev.text.text))
    if gap == "page" and wrapped:
        return ends_open(prev.text.text)  # a page break is not a paragraph break; a full stop may be
    return False


def assemble(lines: list[Line], wrapped: bool | None = None) -> list[Paragraph]:
    """Join lines into paragraphs; `wrapped=None` detects hard-wrapped text."""
    width = 0
    if wrapped is None:
        wrapped, width = detect_wrapped(lines)
    elif wrapped:
        width = detect_wrapped(lines)[1] or max((ln.raw_length for ln in lines), default=0)
    vocab = document_vocabulary(lines)
    content = [(i, ln) for i, ln in enumerate(lines) if ln.kind in CONTENT_KINDS]
    gaps = _gaps(lines, content)
    paragraphs: list[Paragraph] = []
    parts: list[TrackedText] = []  # pieces of the open paragraph, joined once when it closes
    separators: list[str | TrackedText] = []
    current_kind = ""
    last: Line | None = None
    held_footnotes: list[Line] = []

    def close() -> None:
        nonlocal parts, separators, held_footnotes
        if parts:
            text = concat(parts, separators)
            if text.text:
                paragraphs.append(Paragraph(text, current_kind))
        paragraphs.extend(Paragraph(f.text, FOOTNOTE) for f in held_footnotes)
        parts, separators, held_footnotes = [], [], []

    for k, (_, line) in enumerate(content):
        if parts and last is not None:
            if line.kind == FOOTNOTE and ends_open(last.text.text) and _resumes_after_footnotes(content, k):
                held_footnotes.append(line)
                continue
            if _continues(last, line, gaps[k], wrapped, width):
                if last.soft_hyphen_end:  # "educa\u00ad" + "tion": the soft hyphen marks a split word
                    separator = ""
                else:
                    parts[-1], separator = join_gap(parts[-1], line.text, vocab)
                separators.append(_line_break_space(last, line) if separator == " " else separator)
                parts.append(line.text)
                last = line
                continue
            close()
        parts, separators, current_kind, last = [line.text], [], line.kind, line
    close()
    return paragraphs


def _line_break_space(prev: Line, nxt: Line) -> str | TrackedText:
    """The space that joins two lines, mapped to the line break it stands for when known."""
    if prev.break_at < 0 or not nxt.text.text or prev.break_at >= nxt.text.starts[0]:
        return " "
    return TrackedText(" ", (prev.break_at,), (nxt.text.starts[0],))


def _gaps(lines: list[Line], content: list[tuple[int, Line]]) -> list[str]:
    """For each content line, what separates it from the previous one: "line" (nothing),
    "page" (a page break, possibly with furniture, but no blank line) or "blank"."""
    gaps = []
    previous_index = None
    for index, _ in content:
        between = {ln.kind for ln in lines[previous_index + 1 : index]} if previous_index is not None else set()
        gaps.append("blank" if BLANK in between else "page" if PAGE_BREAK in between else "line")
        previous_index = index
    return gaps


def _resumes_after_footnotes(content: list[tuple[int, Line]], k: int) -> bool:
    """After the footnote(s) starting at content[k], does a lowercase continuation follow?"""
    for _, line in content[k:]:
        if line.kind == FOOTNOTE:
            continue
        return line.kind not in (HEADING, ITEM, TABLE) and starts_lowercase(line.text.text)
    return False
