"""factRuEval-2016 dev set (Russian NER, MIT): documents with their entity mentions.

Each `book_N.txt` comes with `.tokens` (id, start, length, text; blank line between sentences),
`.spans` (id, type, start, length, ...) and `.objects` (id, type, span ids). A mention's extent is
the union of its spans. Object types: Person, Org, Location, LocOrg (a place acting as an
organisation, e.g. a country), Project. `COARSE_TYPE` maps them onto PER / ORG / LOC, the usual
evaluation scheme (LocOrg counts as LOC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError

COARSE_TYPE = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}


@dataclass(frozen=True)
class GoldMention:
    """An entity mention: character offsets into the document text, end exclusive."""

    start: int
    end: int
    type: str  # object type as annotated (Person, Org, Location, LocOrg, Project)

    @property
    def coarse(self) -> str | None:
        """PER / ORG / LOC, or None for types outside the usual scheme."""
        return COARSE_TYPE.get(self.type)


@dataclass
class FactRuDocument:
    """One annotated document: its text, sentence spans and entity mentions."""

    name: str
    text: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[GoldMention] = field(default_factory=list)

    def sentence_texts(self) -> list[str]:
        """The text of each sentence."""
        return [self.text[s:e] for s, e in self.sentences]


def _read_sentences(path: Path) -> list[tuple[int, int]]:
    sentences: list[tuple[int, int]] = []
    start = end = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if start is not None:
                sentences.append((start, end))
            start = end = None
            continue
        _, pos, length, *_ = line.split()
        if start is None:
            start = int(pos)
        end = int(pos) + int(length)
    return sentences


def _read_spans(path: Path) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sid, _type, pos, length, *_ = line.split("#")[0].split()
            spans[sid] = (int(pos), int(pos) + int(length))
    return spans


def _read_mentions(path: Path, spans: dict[str, tuple[int, int]]) -> list[GoldMention]:
    mentions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        _oid, otype, *span_ids = line.split("#")[0].split()
        extents = [spans[s] for s in span_ids]
        mentions.append(GoldMention(min(s for s, _ in extents), max(e for _, e in extents), otype))
    return sorted(set(mentions), key=lambda m: (m.start, m.end, m.type))


def read_factrueval(devset_dir: str | Path) -> list[FactRuDocument]:
    """Read every document of the dev set, sorted by name."""
    d = Path(devset_dir)
    if not d.is_dir():
        raise PipelineError(f"{d}: factRuEval dev set not found. It ships under data/factrueval/devset/.")
    docs = []
    for txt in sorted(d.glob("*.txt")):
        stem = txt.with_suffix("")
        text = txt.read_text(encoding="utf-8")
        spans = _read_spans(stem.with_suffix(".spans"))
        docs.append(FactRuDocument(
            name=stem.name,
            text=text,
            sentences=_read_sentences(stem.with_suffix(".tokens")),
            mentions=_read_mentions(stem.with_suffix(".objects"), spans),
        ))
    return docs


NAEVAL_NAME_SPAN = {"Org": "org_name", "Location": "loc_name", "LocOrg": "loc_name"}


def drop_nested(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """naeval's filter_overlapping: sorted by (start, -end), a span overlapping the last kept one is dropped."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda x: (x[0], -x[1])):
        if kept and kept[-1][1] > span[0]:
            continue
        kept.append(span)
    return kept


def naeval_mentions(devset_dir: str | Path, name: str) -> list[tuple[int, int, str]]:
    """naeval's reading of one document's gold (natasha's benchmark): (start, end, PER|ORG|LOC).

    A Person is the whole object; an Org its `org_name` spans, a Location or LocOrg its
    `loc_name` spans (descriptors such as "мэрии" in "мэрии Москвы" are not part of the name);
    nested spans are dropped, keeping the outermost.
    """
    d = Path(devset_dir)
    spans: dict[str, tuple[str, int, int]] = {}
    for line in (d / f"{name}.spans").read_text(encoding="utf-8").splitlines():
        if line.strip():
            sid, stype, pos, length, *_ = line.split("#")[0].split()
            spans[sid] = (stype, int(pos), int(pos) + int(length))
    selected: list[tuple[int, int, str]] = []
    for line in (d / f"{name}.objects").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        _oid, otype, *ids = line.split("#")[0].split()
        parts = [spans[i] for i in ids if i in spans]
        if otype == "Person" and parts:
            selected.append((min(p[1] for p in parts), max(p[2] for p in parts), "PER"))
        elif otype in NAEVAL_NAME_SPAN:
            selected += drop_nested([(s, e, COARSE_TYPE[otype]) for t, s, e in parts if t == NAEVAL_NAME_SPAN[otype]])
    return drop_nested(selected)


def document_fold(name: str, folds: int = 5, salt: str = "factru-2026") -> int:
    """The cross-validation fold of a document: a salted SHA-1 of its name, stable everywhere."""
    import hashlib

    return int.from_bytes(hashlib.sha1(f"{salt}\x00{name}".encode()).digest()[:8], "big") % folds
