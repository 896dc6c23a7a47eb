"""KazNERD (Kazakh NER, CC BY 4.0) in IOB2 CoNLL form: one `token TAG` per line, blank line between sentences.

KazNERD has some `I-` tags without a preceding `B-` of the same type; `read_kaznerd` repairs them
to `B-` so every entity is well formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError


@dataclass(frozen=True)
class TaggedSentence:
    """A pre-tokenized sentence with one IOB2 tag per token."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        """The tokens joined by single spaces (KazNERD keeps no original spacing)."""
        return " ".join(self.tokens)

    def token_offsets(self) -> list[tuple[int, int]]:
        """Character span of each token in `text`."""
        spans, pos = [], 0
        for tok in self.tokens:
            spans.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        return spans

    def entities(self) -> list[tuple[int, int, str]]:
        """Entities as (start_char, end_char, type) in `text`."""
        return [(s, e, t) for s, e, t in spans_from_tags(self.tags, self.token_offsets())]


def repair_iob(tags: list[str]) -> list[str]:
    """Turn an `I-X` that does not continue an `X` entity into `B-X`."""
    fixed: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        fixed.append(tag)
        prev = tag
    return fixed


def spans_from_tags(tags: tuple[str, ...] | list[str], offsets: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Group IOB2 tags into (start_char, end_char, type) using token character offsets."""
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for tag, (start, end) in zip(tags, offsets, strict=True):
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[2] != tag[2:])):
            if cur:
                out.append(tuple(cur))
            cur = [start, end, tag[2:]]
        elif tag.startswith("I-") and cur is not None:
            cur[1] = end
        else:
            if cur:
                out.append(tuple(cur))
            cur = None
    if cur:
        out.append(tuple(cur))
    return out


def read_kaznerd(path: str | Path) -> list[TaggedSentence]:
    """Read a KazNERD IOB2 file into sentences, repairing orphan `I-` tags."""
    p = Path(path)
    if not p.exists():
        raise PipelineError(f"{p}: KazNERD file not found. It ships under data/kaznerd/; restore it with git.")
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for lineno, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if tokens:
                sentences.append(TaggedSentence(tuple(tokens), tuple(repair_iob(tags))))
                tokens, tags = [], []
            continue
        parts = line.rsplit(None, 1)
        if len(parts) != 2 or not (parts[1] == "O" or parts[1][:2] in ("B-", "I-")):
            raise PipelineError(f"{p}:{lineno}: expected 'TOKEN TAG' with an IOB2 tag, got {raw!r}.")
        tokens.append(parts[0])
        tags.append(parts[1])
    if tokens:
        sentences.append(TaggedSentence(tuple(tokens), tuple(repair_iob(tags))))
    return sentences
