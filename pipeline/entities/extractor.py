"""Entity extraction for a batch of passages: routing by language, models, rules, gazetteer, linking.

`EntityExtractor.extract` is the core the stage and the `extract-entities` tool share. It takes
plain lists (texts, languages, mixed-language segments) and returns mentions per passage plus
the passages (or segments) it could not cover, so it can be tested and reused without files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.entities.backends import BackendRegistry
from pipeline.entities.canonical import Canonicalizer
from pipeline.entities.filters import plausible_person, plausible_university, trim_person
from pipeline.entities.gazetteer import Gazetteer
from pipeline.entities.labels import MAIN_LABELS
from pipeline.entities.merge import (
    EntityMention,
    from_gazetteer,
    from_model,
    from_rule,
    resolve_overlaps,
    split_parenthetical,
    strip_legal_form,
)
from pipeline.entities.rules import find_rule_mentions


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
    """Backends per language + rules + gazetteer + canonical linking."""

    def __init__(self, registry: BackendRegistry, gazetteer: Gazetteer, labels: Sequence[str] | None = None) -> None:
        self.registry = registry
        self.gazetteer = gazetteer
        self.canonicalizer = Canonicalizer(gazetteer)
        self.labels = set(labels) if labels else None

    def extract(self, texts: Sequence[str], langs: Sequence[str], segments: Sequence[str | None] | None = None,
                scopes: Sequence[str] | None = None) -> ExtractionResult:
        """Mentions for each text (offsets into that text), linked to canonical entities.

        `langs`: one ISO 639-1 code per text; `segments`: the language stage's JSON segments
        (or None); `scopes`: a document id per text (scopes "the memorandum" to its document).
        """
        n = len(texts)
        segments = segments if segments is not None else [None] * n
        scopes = scopes if scopes is not None else [""] * n
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
                per_text[i].extend(m.shifted(s) for m in self._combine(utext, lg, mentions))

        out = []
        for i, mentions in enumerate(per_text):
            linked = self.canonicalizer.link(mentions, scope=scopes[i])
            if self.labels is not None:
                linked = [m for m in linked if m.label in self.labels]
            out.append(linked)
        return ExtractionResult(out, skipped)

    def _combine(self, text: str, lang: str, model_mentions) -> list[EntityMention]:  # noqa: ANN001
        rule_side = [em for r in find_rule_mentions(text, lang)
                     if _plausible(em := _trimmed(from_rule(r, text, lang), text), text)]
        model_side = [part for m in model_mentions if (em := from_model(m, lang)) is not None
                      for part in split_parenthetical(strip_legal_form(_trimmed(em, text))) if _plausible(part, text)]
        # Known universities/agreements beat any model span; known people, places and
        # organisations only compete with model spans (longest wins, the gazetteer on ties), so
        # "Astana" tagged PERSON becomes GPE, a model's "Ministry of ... of Kazakhstan" is not cut
        # up, and a model's full name "Kasym-Žomart Tokaev" is not cut down to the known "Tokaev".
        # A known abbreviation that a rule saw defined in parentheses ("... Relations (MGIMO)")
        # keeps that link, so the full name before it can take the abbreviation's identity.
        defined = {(r.start, r.end): r.alias_of for r in rule_side if r.alias_of is not None}
        for g in from_gazetteer(text, self.gazetteer, lang):
            g = replace(g, alias_of=defined.get((g.start, g.end)))
            (rule_side if g.label in MAIN_LABELS and g.label != "PERSON" else model_side).append(g)
        chosen = resolve_overlaps(rule_side, model_side)
        # An abbreviation whose full name lost to a longer span is kept but no longer linked to it.
        spans = {(m.start, m.end) for m in chosen}
        return [m if m.alias_of is None or m.alias_of in spans else _unalias(m) for m in chosen]


def _plausible(m: EntityMention, text: str) -> bool:
    if m.label == "PERSON":
        return plausible_person(m.text, text, m.start, m.end)
    if m.label == "UNIVERSITY":
        return plausible_university(m.text)
    return True


def _trimmed(m: EntityMention, text: str) -> EntityMention:
    if m.label != "PERSON":
        return m
    start, end = trim_person(text, m.start, m.end)
    if (start, end) == (m.start, m.end) or end <= start:
        return m
    return replace(m, start=start, end=end, text=text[start:end])


def _unalias(m: EntityMention) -> EntityMention:
    return replace(m, alias_of=None)
