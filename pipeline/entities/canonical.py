"""Canonical entities: one id for every variant of a name.

A mention is linked, in order, to
1. the gazetteer entity whose variant has the same normalised key (all labels);
2. the full name an abbreviation was defined for in the same passage ("... (MGIMO)");
3. for agreements referred to as "the memorandum": one entity per document (`scope`), since the
   same words name a different document in another text;
4. otherwise an id built from a normalised key: universities by the language-independent
   institution key (`pipeline.entities.institution_key`: "Tomsk State University", "Томского
   государственного университета" and "Томск мемлекеттік университетіне" share one id);
   people by surname and first initial, a bare surname joining the person of that surname named
   earlier in the same document ("Gordon Brown" ... "Mr Brown"), so two people who only share a
   surname are not merged; other labels by `match_key`.

Abbreviations defined anywhere in the corpus are also remembered (`aliases`) so that a later
bare "SUSU" joins "South Ural State University"; `resolve` applies them at the end of a run,
when every definition has been seen.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from pipeline.entities.gazetteer import Gazetteer
from pipeline.entities.institution_key import InstitutionIndex, institution_key, place_stems
from pipeline.entities.merge import EntityMention
from pipeline.entities.normalize import given_initial, match_key, person_key


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-")[:80] or "x"


class Canonicalizer:
    """Assigns canonical ids; accumulates abbreviation aliases and surface forms across a run."""

    def __init__(self, gazetteer: Gazetteer, places: dict[str, list[str]] | None = None) -> None:
        self.gazetteer = gazetteer
        self.aliases: dict[str, str] = {}  # id of a bare abbreviation → id of its full name
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)
        variants = {e.id: [e.name, *e.variants] for e in gazetteer.entries if e.label in ("GPE", "LOC")}
        variants.update(places or {})
        self.institutions = InstitutionIndex(place_stems(variants))
        for e in gazetteer.entries:
            if e.label == "UNIVERSITY":
                for v in (e.name, *e.variants):
                    key = institution_key(v, self.institutions.places)
                    if key.concepts and key.names:  # full names only: abbreviations are looked up as written
                        self.institutions.add(key, e.id)
        self._people: dict[str, dict[str, str]] = defaultdict(dict)  # scope → surname key → id of a named person

    def key_id(self, m: EntityMention, scope: str = "") -> str:
        """The id of an entity not in the gazetteer, built from its normalised key.

        Universities: the language-independent key (`institution_key`), shared with any name
        seen earlier in the run that matches it. People: surname and first initial when the name
        has a given name ("person:brown-g"); a bare surname takes the id of the person with that
        surname named earlier in the same document (`scope`), else the surname alone.
        """
        name = m.normalized or m.text
        if m.label == "PERSON":
            return self._person_id(name, scope)
        if m.label == "UNIVERSITY":
            return self.institutions.id_for(name, m.label)
        return f"{m.label.lower()}:{_slug(match_key(name))}"

    def _person_id(self, text: str, scope: str) -> str:
        surname_key = _slug(person_key(text))
        initial = given_initial(text)
        if initial:
            pid = f"person:{surname_key}-{initial}"
            self._people[scope][surname_key] = pid
            return pid
        return self._people[scope].get(surname_key, f"person:{surname_key}")

    def link(self, mentions: list[EntityMention], scope: str = "") -> list[EntityMention]:
        """Mentions of one passage with canonical ids; `scope` (a document id) scopes anaphora."""
        out: list[EntityMention] = []
        by_span: dict[tuple[int, int], EntityMention] = {}
        for m in sorted(mentions, key=lambda m: m.alias_of is not None):  # full names before aliases
            if m.canonical_id:
                linked = m
            else:
                entry = self.gazetteer.lookup(m.label, m.normalized or m.text)
                if entry is not None:
                    linked = replace(m, canonical_id=entry.id, canonical_name=entry.name)
                elif m.alias_of is not None and m.alias_of in by_span:
                    target = by_span[m.alias_of]
                    linked = replace(m, canonical_id=target.canonical_id, canonical_name=target.canonical_name)
                    self.aliases.setdefault(self.key_id(m), target.canonical_id)
                elif m.anaphoric:
                    head = m.text.casefold().split()[-1]
                    linked = replace(m, canonical_id=f"agreement:{_slug(scope.casefold()) or 'passage'}:{head}")
                else:
                    linked = replace(m, canonical_id=self.key_id(m, scope))
            by_span[(m.start, m.end)] = linked
            out.append(linked)
        aliases_of: dict[tuple[int, int], list[EntityMention]] = defaultdict(list)
        for alias in by_span.values():
            if alias.alias_of is not None:
                aliases_of[alias.alias_of].append(alias)
        out = [self._adopt_known_abbreviation(m, aliases_of.get((m.start, m.end), [])) for m in out]
        for m in out:
            self.forms[m.canonical_id][m.text] += 1
        return sorted(out, key=lambda m: (m.start, m.end, m.label))

    def _adopt_known_abbreviation(self, m: EntityMention, aliases: list[EntityMention]) -> EntityMention:
        """A full name the gazetteer does not know (often misspelt) followed by a known abbreviation
        in parentheses takes the abbreviation's entity, here and wherever else it occurs."""
        if not aliases or self.gazetteer.lookup(m.label, m.text) is not None:
            return m
        for alias in aliases:
            if (alias.label == m.label
                    and self.gazetteer.lookup(alias.label, alias.text) is not None):
                self.aliases.setdefault(m.canonical_id, alias.canonical_id)
                return replace(m, canonical_id=alias.canonical_id, canonical_name=alias.canonical_name)
        return m

    def resolve(self, canonical_id: str) -> str:
        """The final id after abbreviation aliases learnt during the run are applied."""
        seen = set()
        while canonical_id in self.aliases and canonical_id not in seen:
            seen.add(canonical_id)
            canonical_id = self.aliases[canonical_id]
        return canonical_id

    def names(self) -> dict[str, str]:
        """Display name per final id for entities outside the gazetteer: the most frequent clean form
        (ties: the longest, then alphabetical), so reruns give the same name."""
        merged: dict[str, Counter[str]] = defaultdict(Counter)
        for cid, forms in self.forms.items():
            merged[self.resolve(cid)].update(forms)
        names = {}
        for cid, forms in merged.items():
            # Possessives and stray punctuation make poor display names ("R. Manshina's").
            names[cid] = sorted(forms.items(), key=lambda kv: (bool(re.search(r"['’]s$|[,;:(]", kv[0])),
                                                               -kv[1], -len(kv[0]), kv[0]))[0][0]
        return names
