"""Entity extraction for a batch of passages: routing by language, the chain of steps, linking.

`EntityExtractor.extract` is the core the stage and the `extract-entities` tool share. It takes
plain lists (texts, languages, mixed-language segments) and returns mentions per passage plus
the passages (or segments) it could not cover, so it can be tested and reused without files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.entities.backends import BackendRegistry
from pipeline.entities.canonical import Canonicalizer
from pipeline.entities.confusables import fold_confusables
from pipeline.entities.english import document_people
from pipeline.entities.gazetteer import Gazetteer
from pipeline.entities.institution_key import read_places
from pipeline.entities.merge import EntityMention
from pipeline.entities.steps import DEFAULT_STEPS, Step, Unit, run_chain


@dataclass
class Skipped:
    """A passage (or a segment of one) no backend covers."""

    index: int
    start: int
    end: int
    lang: str
    reason: str


@dataclass
class ExtractionResult:
    """Mentions per passage, in input order, and what was skipped."""

    mentions: list[list[EntityMention]]
    skipped: list[Skipped] = field(default_factory=list)


def _as_written(m: EntityMention, original: str) -> EntityMention:
    """A mention found in the folded text, with its text as written and the folded form kept."""
    written = original[m.start:m.end]
    return m if written == m.text else replace(m, text=written, normalized=m.text)


def parse_segments(segments: str | None, text: str, lang: str) -> list[tuple[int, int, str]]:
    """Routing units of a passage: its language segments, or the whole passage in `lang`.

    Segments come from the language stage as a JSON list of {start, end, lang, ...}; an empty
    list ("[]") means the passage is in one language. Gaps between segments (whitespace,
    punctuation) are not routed anywhere: they hold no entity.
    """
    units: list[tuple[int, int, str]] = []
    if segments and segments.strip() not in ("", "[]"):
        try:
            parsed = json.loads(segments)
        except json.JSONDecodeError:
            parsed = []
        for seg in parsed:
            s, e = int(seg.get("start", 0)), int(seg.get("end", 0))
            s, e = max(0, s), min(len(text), e)
            if e > s:
                units.append((s, e, str(seg.get("lang") or lang)))
    if not units:
        units = [(0, len(text), lang)]
    # Adjacent segments in the same language are tagged together: NER needs context.
    merged: list[tuple[int, int, str]] = []
    for s, e, lg in sorted(units):
        if merged and merged[-1][2] == lg and s - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], e, lg)
        else:
            merged.append((s, e, lg))
    return merged


class EntityExtractor:
    """Backends per language, then the chain of steps (`pipeline.entities.steps`), then canonical links."""

    def __init__(self, registry: BackendRegistry, gazetteer: Gazetteer, labels: Sequence[str] | None = None,
                 steps: Sequence[Step] = DEFAULT_STEPS) -> None:
        self.registry = registry
        self.gazetteer = gazetteer
        self.canonicalizer = Canonicalizer(gazetteer, read_places(str(Path(gazetteer.source).parent / "places.tsv")))
        self.labels = set(labels) if labels else None
        self.steps = tuple(steps)

    def extract(self, texts: Sequence[str], langs: Sequence[str], segments: Sequence[str | None] | None = None,
                scopes: Sequence[str] | None = None, refs_from: Sequence[int | None] | None = None) -> ExtractionResult:
        """Mentions for each text (offsets into that text), linked to canonical entities.

        `langs`: one ISO 639-1 code per text; `segments`: the language stage's JSON segments
        (or None); `scopes`: a document id per text (scopes "the memorandum" and people known
        only by surname to their document); `refs_from`: per text, where its reference list starts
        (0: the whole text is in one; None: look for a references heading in the text itself).
        """
        tagged = self.tag(texts, langs, segments, scopes, refs_from)
        return ExtractionResult(self.link(tagged.mentions, texts, scopes), tagged.skipped)

    def tag(self, texts: Sequence[str], langs: Sequence[str], segments: Sequence[str | None] | None = None,
            scopes: Sequence[str] | None = None, refs_from: Sequence[int | None] | None = None) -> ExtractionResult:
        """The models and the chain of steps, before linking: offsets into the folded texts.

        Holds no state between calls, so batches can be tagged in any process in any order (the
        Dask executor); `link`, which learns across a run, then runs over them in corpus order.
        """
        n = len(texts)
        texts = [fold_confusables(t) if t else t for t in texts]  # same lengths: offsets stay valid
        segments = segments if segments is not None else [None] * n
        scopes = scopes if scopes is not None else [""] * n
        refs_from = refs_from if refs_from is not None else [None] * n
        units_by_lang: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # lang → (text idx, start, end)
        skipped: list[Skipped] = []
        for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
            if not text or not text.strip():
                continue  # an empty passage holds no entity; not an error
            for s, e, lg in parse_segments(segments[i], text, lang):
                if self.registry.covers(lg):
                    units_by_lang[lg].append((i, s, e))
                else:
                    reason = ("language not identified" if lg in ("und", "", "xx")
                              else f"no NER backend configured for language '{lg}' (entities.backends in params.yaml)")
                    skipped.append(Skipped(i, s, e, lg, reason))

        per_text: list[list[EntityMention]] = [[] for _ in range(n)]
        for lg in sorted(units_by_lang):
            units = units_by_lang[lg]
            unit_texts = [texts[i][s:e] for i, s, e in units]
            model_mentions = self.registry.get(lg).extract(unit_texts)
            for (i, s, _e), utext, mentions in zip(units, unit_texts, model_mentions, strict=True):
                refs = refs_from[i]
                unit = Unit(utext, lg, mentions, refs_from=None if refs is None else max(0, refs - s))
                per_text[i].extend(m.shifted(s) for m in run_chain(unit, self.gazetteer, self.steps))
        return ExtractionResult(document_people(texts, per_text, scopes, list(langs)), skipped)

    def link(self, per_text: list[list[EntityMention]], originals: Sequence[str],
             scopes: Sequence[str] | None = None) -> list[list[EntityMention]]:
        """Tagged mentions as written in `originals`, linked to canonical entities, labels filtered.

        The canonicalizer learns across calls (abbreviations, people and institutions seen before),
        so calls must come in corpus order.
        """
        scopes = scopes if scopes is not None else [""] * len(originals)
        texts = [fold_confusables(t) if t else t for t in originals]
        out = []
        for i, mentions in enumerate(per_text):
            if texts[i] is not originals[i] and texts[i] != originals[i]:
                mentions = [_as_written(m, originals[i]) for m in mentions]
            linked = self.canonicalizer.link(mentions, scope=scopes[i])
            if self.labels is not None:
                linked = [m for m in linked if m.label in self.labels]
            out.append(linked)
        return out
