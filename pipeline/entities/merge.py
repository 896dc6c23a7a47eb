"""Combining model mentions, rule matches and gazetteer matches into one set of mentions.

Where candidates overlap, one wins: first the rules and the gazetteer (they exist because the
models are wrong or silent on universities and agreements), longest span first; then the model
mentions, longest first. A model PERSON inside a university's name ("Russian State University
‘I.M. Gubkin’") or a model ORG covering half of it is therefore dropped.

Scores: models without probabilities give 1.0; rules and gazetteer carry a fixed prior of how
often that source is right (gazetteer 1.0, specific rule 0.9, plural rule 0.8, "the memorandum"
0.6). They order and filter mentions; they are not calibrated probabilities.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from pipeline.entities.gazetteer import Gazetteer
from pipeline.entities.labels import map_label
from pipeline.entities.mention import Mention
from pipeline.entities.rules import RuleMatch, is_plural_agreement

RULE_SCORE = {"specific": 0.9, "plural": 0.8, "anaphoric": 0.6}


@dataclass(frozen=True)
class EntityMention:
    """A mention with the project's label, before or after canonical linking."""

    start: int
    end: int
    text: str
    label: str
    specific: bool
    backend: str
    score: float
    lang: str
    anaphoric: bool = False
    alias_of: tuple[int, int] | None = None
    canonical_id: str = ""
    canonical_name: str = ""
    normalized: str = ""  # the text with Latin/Cyrillic look-alikes folded, when it differs (`confusables`)

    def shifted(self, offset: int) -> EntityMention:
        """The same mention with offsets moved by `offset` (segment → passage)."""
        alias = None if self.alias_of is None else (self.alias_of[0] + offset, self.alias_of[1] + offset)
        return replace(self, start=self.start + offset, end=self.end + offset, alias_of=alias)


def from_model(m: Mention, lang: str) -> EntityMention | None:
    """A model mention with its label mapped (None when the label is dropped)."""
    label = map_label(m.label, m.text)
    if label is None:
        return None
    specific = not (label == "AGREEMENT" and is_plural_agreement(m.text))
    return EntityMention(m.start, m.end, m.text, label, specific, m.backend, m.score, lang)


_PARENTHETICAL = re.compile(r"^(?P<name>.+?\S)\s*\((?P<inner>[^()]+)\)$")


def split_parenthetical(m: EntityMention) -> list[EntityMention]:
    """"Комитет защиты журналистов (КЗЖ)" as one model span → the name and its abbreviation or
    translation as two mentions, the second linked to the first (models tend to swallow both)."""
    match = _PARENTHETICAL.match(m.text)
    if m.label not in ("ORG", "UNIVERSITY", "LOC", "GPE") or not match:
        return [m]
    name = replace(m, end=m.start + match.end("name"), text=match.group("name"))
    inner_start = m.start + match.start("inner")
    inner_text = match.group("inner").strip()
    inner_start += match.group("inner").index(inner_text)
    inner = replace(m, start=inner_start, end=inner_start + len(inner_text), text=inner_text,
                    alias_of=(name.start, name.end))
    return [name, inner]


_LEGAL_FORM_QUOTED = re.compile(r"^(?:ОАО|ЗАО|ООО|ПАО|АО|ГУП|ФГУП|МУП|НАО|ТОО|АҚ|ЖШС|РИА|ИА|JSC|LLP|LLC)\s*«(?P<name>[^»]+)»$")


def strip_legal_form(m: EntityMention) -> EntityMention:
    """"ОАО «Газпром»" → "Газпром": the organisation's name without its legal form and quotes, so
    every mention of the company links to one entity whatever form the text prefixes."""
    match = _LEGAL_FORM_QUOTED.match(m.text)
    if m.label != "ORG" or not match:
        return m
    return replace(m, start=m.start + match.start("name"), end=m.start + match.end("name"), text=match.group("name"))


def from_rule(r: RuleMatch, text: str, lang: str) -> EntityMention:
    """A rule match as a mention."""
    kind = "anaphoric" if r.anaphoric else ("specific" if r.specific else "plural")
    return EntityMention(r.start, r.end, text[r.start:r.end], r.label, r.specific, "rules",
                         RULE_SCORE[kind], lang, anaphoric=r.anaphoric, alias_of=r.alias_of)


def from_gazetteer(text: str, gazetteer: Gazetteer, lang: str) -> list[EntityMention]:
    """Gazetteer variant occurrences as mentions, already linked to their entity."""
    return [EntityMention(g.start, g.end, text[g.start:g.end], g.entry.label, True, "gazetteer", 1.0, lang,
                          canonical_id=g.entry.id, canonical_name=g.entry.name)
            for g in gazetteer.find(text)]


class SpanSet:
    """Non-overlapping spans kept sorted, so an overlap test costs a binary search (a passage with
    thousands of mentions is merged in n log n, not n²)."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in sorted(spans or []):
            if not self.overlaps(s, e):
                self.add(s, e)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a kept span."""
        k = bisect.bisect_left(self._starts, end)  # spans starting before `end`
        return k > 0 and self._ends[k - 1] > start

    def add(self, start: int, end: int) -> None:
        """Keep [start, end) (the caller checked it overlaps nothing kept)."""
        k = bisect.bisect_left(self._starts, start)
        self._starts.insert(k, start)
        self._ends.insert(k, end)


def resolve_overlaps(*tiers: list[EntityMention]) -> list[EntityMention]:
    """Non-overlapping mentions, tier by tier (e.g. citations, rules/gazetteer, models); longest
    first within a tier."""
    chosen: list[EntityMention] = []
    taken = SpanSet()
    for tier in tiers:
        # Longest first; at equal length the gazetteer (already linked) before rules, then position.
        for m in sorted(tier, key=lambda m: (-(m.end - m.start), m.backend != "gazetteer", m.start, m.label)):
            if m.end > m.start and not taken.overlaps(m.start, m.end):
                chosen.append(m)
                taken.add(m.start, m.end)
    return sorted(chosen, key=lambda m: (m.start, m.end, m.label))
