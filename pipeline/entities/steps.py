"""The chain of steps that turns one routing unit (a passage, or one language segment of it) into mentions.

    candidates (model, rules, citation parser, gazetteer) → filters → merge

Each step is a plain function of a `Unit` that returns a new list of candidates, so it can be
tested alone on a hand-made unit (as spaCy's components are) and the order is written down in
one place (`DEFAULT_STEPS`). Canonical links come after the chain, per passage, in
`pipeline.entities.canonical` (they need the document and the whole run, not one unit).

Candidates sit in two lists: "strong" (rules, the citation parser, known universities and
agreements: they exist because the models are wrong or silent there) and "model" (the NER
models, known people and places competing with them by length). The merge keeps citation
authors first, then the other strong candidates, longest first, then model candidates that do
not overlap them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from pipeline.entities.citations import citation_people, reference_region
from pipeline.entities.english import EnglishContext, english_person_filter, mr_names
from pipeline.entities.filters import (
    inside_institution_name,
    not_a_university,
    plausible_person,
    plausible_university,
    trim_person,
)
from pipeline.entities.gazetteer import Gazetteer
from pipeline.entities.labels import MAIN_LABELS
from pipeline.entities.mention import Mention
from pipeline.entities.merge import (
    EntityMention,
    SpanSet,
    from_gazetteer,
    from_model,
    from_rule,
    resolve_overlaps,
    split_parenthetical,
    strip_legal_form,
)
from pipeline.entities.rules import find_rule_mentions

CITATION_SCORE = 0.9


@dataclass
class Unit:
    """One routing unit: its text and language, what the model found, and the candidates so far."""

    text: str
    lang: str
    model_mentions: Sequence[Mention] = ()
    refs_from: int | None = None  # where a reference list starts in `text` (0: all of it), if known
    strong: list[EntityMention] = field(default_factory=list)
    model: list[EntityMention] = field(default_factory=list)
    citation_spans: list[tuple[int, int]] = field(default_factory=list)
    reference_spans: list[tuple[int, int]] = field(default_factory=list)


Step = Callable[[Unit, Gazetteer], None]


def _trimmed(m: EntityMention, text: str) -> EntityMention:
    if m.label != "PERSON":
        return m
    start, end = trim_person(text, m.start, m.end)
    if (start, end) == (m.start, m.end) or end <= start:
        return m
    return replace(m, start=start, end=end, text=text[start:end])


def model_candidates(unit: Unit, gazetteer: Gazetteer) -> None:
    """The backend's mentions with project labels; legal forms and parenthesised aliases split off."""
    for m in unit.model_mentions:
        em = from_model(m, unit.lang)
        if em is not None:
            unit.model += split_parenthetical(strip_legal_form(_trimmed(em, unit.text)))


def rule_candidates(unit: Unit, gazetteer: Gazetteer) -> None:
    """University, agreement and person-by-form patterns (`pipeline.entities.rules`)."""
    unit.strong += [_trimmed(from_rule(r, unit.text, unit.lang), unit.text) for r in find_rule_mentions(unit.text, unit.lang)]
    unit.strong += [EntityMention(s, e, unit.text[s:e], "PERSON", True, "rules", 0.9, unit.lang)
                    for s, e in mr_names(unit.text)] if unit.lang == "en" else []


def citation_candidates(unit: Unit, gazetteer: Gazetteer) -> None:
    """Authors in reference entries and in-text citations (`pipeline.entities.citations`)."""
    unit.reference_spans = reference_region(unit.text, unit.refs_from)
    authors = citation_people(unit.text, unit.refs_from)
    unit.citation_spans = [(a.start, a.end) for a in authors]
    unit.strong += [EntityMention(a.start, a.end, unit.text[a.start:a.end], "PERSON", True, "citations",
                                  CITATION_SCORE, unit.lang) for a in authors]


def gazetteer_candidates(unit: Unit, gazetteer: Gazetteer) -> None:
    """Known entities: universities and agreements join the strong tier, people and places compete
    with the model by length (so "Astana" tagged PERSON becomes GPE and a model's full name is not
    cut down to the known surname). A known abbreviation a rule saw defined in parentheses
    ("... Relations (MGIMO)") keeps that link."""
    defined = {(r.start, r.end): r.alias_of for r in unit.strong if r.alias_of is not None}
    for g in from_gazetteer(unit.text, gazetteer, unit.lang):
        g = replace(g, alias_of=defined.get((g.start, g.end)))
        (unit.strong if g.label in MAIN_LABELS and g.label != "PERSON" else unit.model).append(g)




def person_filters(unit: Unit, gazetteer: Gazetteer) -> None:
    """Drop PERSON candidates that cannot be people: by form (`filters.plausible_person`), inside an
    institution's name ("им. Л. Н. Гумилева", "Abai KazNPU"), words of a title in a reference entry
    (there only the citation parser finds people), and, in English, parties, places, clubs and
    job titles (`pipeline.entities.english`)."""
    references, citations = SpanSet(unit.reference_spans), SpanSet(unit.citation_spans)
    context = EnglishContext(unit.model) if unit.lang == "en" else None

    def keep(m: EntityMention) -> bool:
        if m.label != "PERSON" or m.backend in ("citations", "gazetteer"):
            return True
        if not plausible_person(m.text, unit.text, m.start, m.end) or inside_institution_name(unit.text, m.start, m.end):
            return False
        if references.overlaps(m.start, m.end) and not citations.overlaps(m.start, m.end):
            return False
        return context is None or english_person_filter(m, context)

    unit.strong = [m for m in unit.strong if keep(m)]
    unit.model = [m for m in unit.model if keep(m)]


def institution_filters(unit: Unit, gazetteer: Gazetteer) -> None:
    """A UNIVERSITY must name one: not the bare head word, not a journal named after a university
    ("Вестник КазНУ", "ҚазҰУ Хабаршысы")."""
    def keep(m: EntityMention) -> bool:
        if m.label != "UNIVERSITY":
            return True
        return plausible_university(m.text) and not not_a_university(unit.text, m.start, m.end)

    unit.strong = [m for m in unit.strong if keep(m)]
    unit.model = [m for m in unit.model if keep(m)]


DEFAULT_STEPS: tuple[Step, ...] = (model_candidates, rule_candidates, citation_candidates, gazetteer_candidates,
                                   person_filters, institution_filters)


def merge(unit: Unit) -> list[EntityMention]:
    """Non-overlapping mentions (strong tier first); an abbreviation whose full name lost to a longer
    span is kept but no longer linked to it."""
    # An author read from a citation's structure beats a pattern that glues initials to the next
    # title word ("Жиде В." over "В. История").
    citations = [m for m in unit.strong if m.backend == "citations"]
    chosen = resolve_overlaps(citations, [m for m in unit.strong if m.backend != "citations"], unit.model)
    spans = {(m.start, m.end) for m in chosen}
    return [m if m.alias_of is None or m.alias_of in spans else replace(m, alias_of=None) for m in chosen]


def run_chain(unit: Unit, gazetteer: Gazetteer, steps: Sequence[Step] = DEFAULT_STEPS) -> list[EntityMention]:
    """Run `steps` over `unit`, then merge."""
    for step in steps:
        step(unit, gazetteer)
    return merge(unit)

