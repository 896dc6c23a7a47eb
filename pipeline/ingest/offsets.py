"""Offset tracking: every cleaned character remembers where it came from in the source.

Cleaning is a chain of transformations on a `TrackedText` (a string plus, for each
character, the source span it was made from). Characters copied from the source keep
their own position; characters the cleaning inserts (a space standing for a line break, a
"&" decoded from "&amp;") point at the source span they replace. A passage's offsets are
stored compactly as anchors `[[passage_offset, source_offset], ...]`: between two anchors
characters map one-to-one, and the last anchor is `[len(text), source_end]`.
"""

from __future__ import annotations

import bisect
import json
import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Piece = int | str
"""A replacement piece: a group number (copy that group, tracked) or a literal string."""


@dataclass(frozen=True)
class TrackedText:
    """A string whose character i was made from source span `starts[i]:ends[i]`."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def __post_init__(self) -> None:
        # Compact machine integers: a tuple of Python ints costs ~36 bytes per character.
        for name in ("starts", "ends"):
            value = getattr(self, name)
            if not isinstance(value, array):
                object.__setattr__(self, name, array("q", value))
        if not len(self.starts) == len(self.ends) == len(self.text):
            raise ValueError("TrackedText needs one source span per character")

    @classmethod
    def from_source(cls, text: str, offset: int = 0) -> TrackedText:
        """Track `text` as a verbatim copy of the source starting at `offset`."""
        n = len(text)
        return cls(text, array("q", range(offset, offset + n)), array("q", range(offset + 1, offset + n + 1)))

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, item: slice) -> TrackedText:
        if not isinstance(item, slice):
            raise TypeError("TrackedText supports slices only")
        return TrackedText(self.text[item], self.starts[item], self.ends[item])

    @property
    def source_start(self) -> int:
        """Start of the source span this text came from."""
        return int(np.frombuffer(self.starts, dtype=np.int64).min()) if len(self.starts) else 0

    @property
    def source_end(self) -> int:
        """End (exclusive) of the source span this text came from."""
        return int(np.frombuffer(self.ends, dtype=np.int64).max()) if len(self.ends) else 0

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], Sequence[Piece]]) -> TrackedText:
        """Regex substitution that keeps tracking.

        `repl(match)` returns pieces: an int copies that group of the match with its own
        source positions; a str is inserted and mapped to the whole match's source span.
        """
        text, starts, ends = self.text, self.starts, self.ends
        out_text: list[str] = []
        out_starts = array("q")
        out_ends = array("q")
        pos = 0
        for match in pattern.finditer(text):
            a, b = match.span()
            out_text.append(text[pos:a])
            out_starts.extend(starts[pos:a])
            out_ends.extend(ends[pos:a])
            span_start = starts[a] if a < len(text) else (ends[a - 1] if a else 0)
            span_end = ends[b - 1] if b > a else span_start
            for piece in repl(match):
                if isinstance(piece, int):
                    ga, gb = match.span(piece)
                    if ga < 0:
                        continue
                    out_text.append(text[ga:gb])
                    out_starts.extend(starts[ga:gb])
                    out_ends.extend(ends[ga:gb])
                elif piece:
                    out_text.append(piece)
                    out_starts.extend([span_start] * len(piece))
                    out_ends.extend([span_end] * len(piece))
            pos = b
        if pos == 0 and not out_text:
            return self
        out_text.append(text[pos:])
        out_starts.extend(starts[pos:])
        out_ends.extend(ends[pos:])
        return TrackedText("".join(out_text), out_starts, out_ends)

    def strip(self) -> TrackedText:
        """Drop leading and trailing whitespace."""
        stripped = self.text.strip()
        if len(stripped) == len(self.text):
            return self
        if not stripped:
            return self[0:0]
        a = len(self.text) - len(self.text.lstrip())
        return self[a : a + len(stripped)]


def concat(parts: Sequence[TrackedText], separator: str | Sequence[str | TrackedText] = "") -> TrackedText:
    """Join tracked texts with inserted separators, in one pass (linear in the total length).

    `separator` is one string for every gap or a list with one separator per gap. A string
    separator maps to the source gap between the parts it joins; a `TrackedText` separator
    brings its own mapping (e.g. a space standing for the line break it replaces).
    """
    parts = list(parts)
    if not parts:
        return TrackedText("", (), ())
    separators = [separator] * (len(parts) - 1) if isinstance(separator, str) else list(separator)
    if len(separators) != len(parts) - 1:
        raise ValueError("need one separator per gap between parts")
    texts: list[str] = []
    starts = array("q")
    ends = array("q")
    previous: TrackedText | None = None
    for part, sep in zip(parts, ["", *separators], strict=True):
        if previous is not None and previous.text and part.text and sep:
            if isinstance(sep, TrackedText):
                texts.append(sep.text)
                starts.extend(sep.starts)
                ends.extend(sep.ends)
            else:
                gap_start, gap_end = previous.ends[-1], part.starts[0]
                gap_end = max(gap_end, gap_start)  # the part may come earlier in the source (reordered)
                texts.append(sep)
                starts.extend([gap_start] * len(sep))
                ends.extend([gap_end] * len(sep))
        texts.append(part.text)
        starts.extend(part.starts)
        ends.extend(part.ends)
        if part.text:
            previous = part
    return TrackedText("".join(texts), starts, ends)


def anchors(tracked: TrackedText) -> list[list[int]]:
    """Compress per-character source positions into `[passage_offset, source_offset]` anchors.

    A new anchor starts wherever the source position does not continue the previous one;
    a final anchor `[len(text), source_end]` makes the end offset exact.
    """
    n = len(tracked.text)
    if not n:
        return [[0, 0]]
    starts = np.frombuffer(tracked.starts, dtype=np.int64)
    # vectorised: this runs once per character of the corpus
    breaks = np.flatnonzero(np.diff(starts) != 1) + 1
    result = [[0, int(starts[0])]] + [[int(i), int(starts[i])] for i in breaks]
    end = int(tracked.ends[-1])
    if result[-1] != [n, end]:
        result.append([n, end])
    return result


def encode_offset_map(tracked: TrackedText) -> str:
    """The `offset_map` column value: compact JSON anchors."""
    return json.dumps(anchors(tracked), separators=(",", ":"))


def to_source(offset_map: str | Sequence[Sequence[int]], i: int) -> int:
    """Map character offset `i` of a cleaned passage to an offset in the source text.

    `offset_map` is the passage's `offset_map` column (JSON string) or its decoded list.
    `i` may equal the passage length (an exclusive end offset).
    """
    points = json.loads(offset_map) if isinstance(offset_map, str) else offset_map
    if not points:
        raise ValueError("empty offset_map")
    length = points[-1][0]
    if not 0 <= i <= length:
        raise ValueError(f"offset {i} outside the passage (length {length})")
    keys = [p[0] for p in points]
    k = bisect.bisect_right(keys, i) - 1
    passage_offset, source_offset = points[k]
    return source_offset + (i - passage_offset)


def span_to_source(offset_map: str | Sequence[Sequence[int]], start: int, end: int) -> tuple[int, int]:
    """Map a passage span `[start, end)` to its source span.

    The end is taken just after the span's last character, so markup removed right after
    it (a footnote `<sup>1</sup>`) stays outside. When that last character was decoded
    from an entity (`&raquo;`), the end falls one past the entity's "&".
    """
    if end <= start:
        point = to_source(offset_map, start)
        return point, point
    return to_source(offset_map, start), to_source(offset_map, end - 1) + 1
