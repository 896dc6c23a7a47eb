"""Entity-level scoring against the hand-annotated seed gold (data/seed_gold/entities.jsonl).

The unit is what a scholar lists per document: the set of UNIVERSITY, PERSON and specific
AGREEMENT entities. Predicted entities are the canonical ids of the stage's mentions, minus
people found only in a reference list and minus non-specific agreements (both excluded from
the gold by its README). A predicted entity matches a gold entity of the same label when one of
its surface forms and one of the gold forms
- have the same key (`person_key` for people, `match_key` otherwise), or
- contain one another after casefolding and whitespace/quote normalisation, the shorter having
  at least two words (so "Decree of the Government" matches the full decree title, but a lone
  "University" matches nothing).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.entities.normalize import match_key, person_key
from pipeline.errors import PipelineError

LABELS = ("UNIVERSITY", "PERSON", "AGREEMENT")


@dataclass
class GoldEntity:
    """One gold entity of a document."""

    label: str
    name: str
    forms: list[str]
    optional: bool = False
    where: str = "body"


@dataclass
class Score:
    """Counts for precision (predicted side) and recall (gold side)."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of gold entities found (1.0 when there is no gold entity)."""
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        """Share of predicted entities that are gold (1.0 when nothing is predicted)."""
        return self.correct / self.predicted if self.predicted else 1.0

    def add(self, other: Score) -> None:
        """Accumulate another score's counts."""
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.correct += other.correct
        self.missed += other.missed
        self.spurious += other.spurious


def read_seed_gold(path: str | Path) -> dict[str, list[GoldEntity]]:
    """Gold entities per document id; a malformed line names the file and line."""
    p = Path(path)
    out: dict[str, list[GoldEntity]] = {}
    for lineno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            out[record["doc_id"]] = [GoldEntity(e["label"], e["name"], list(e["forms"]), bool(e.get("optional", False)),
                                                str(e.get("where", "body"))) for e in record["entities"]]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise PipelineError(f"{p}, line {lineno}: not a gold record ({exc}); expected "
                                '{"doc_id": ..., "entities": [{"label", "name", "forms"}]}.') from exc
    return out


def _plain(text: str) -> str:
    t = re.sub(r"[«»“”„\"'‘’`]", " ", text.casefold())
    return " ".join(re.sub(r"[^\w\s.-]", " ", t).split())


def forms_match(label: str, a: str, b: str) -> bool:
    """Whether surface forms `a` and `b` name the same entity (see module docstring)."""
    key = person_key if label == "PERSON" else match_key
    if key(a) and key(a) == key(b):
        return True
    pa, pb = _plain(a), _plain(b)
    short, long_ = sorted((pa, pb), key=len)
    return len(short.split()) >= 2 and f" {short} " in f" {long_} "


def predicted_entities(entities: pd.DataFrame, reference_people: bool = False) -> dict[str, dict[tuple[str, str], set[str]]]:
    """Per document: (label, canonical_id) → surface forms, as scored against the seed gold.

    `reference_people`: keep people found in reference lists (the second-pass gold lists them;
    the first pass does not)."""
    keep = entities[entities["label"].isin(LABELS)]
    if not reference_people:
        keep = keep[~((keep["label"] == "PERSON") & (keep["section"] == "references"))]
    keep = keep[~((keep["label"] == "AGREEMENT") & (~keep["specific"]))]
    out: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in keep[["doc_id", "label", "canonical_id", "text"]].itertuples(index=False):
        out[row.doc_id][(row.label, row.canonical_id)].add(row.text)
    return out


def score_document(gold: list[GoldEntity], predicted: dict[tuple[str, str], set[str]]) -> dict[str, Score]:
    """Scores per label for one document."""
    scores = {label: Score() for label in LABELS}
    for g in gold:
        if g.optional:
            continue  # neither required nor, when predicted, a false positive
        s = scores[g.label]
        s.gold += 1
        if any(lbl == g.label and any(forms_match(lbl, f, gf) for f in forms for gf in g.forms)
               for (lbl, _), forms in predicted.items()):
            s.found += 1
        else:
            s.missed.append(g.name)
    for (lbl, cid), forms in sorted(predicted.items()):
        s = scores[lbl]
        matches = [g for g in gold if g.label == lbl and any(forms_match(lbl, f, gf) for f in forms for gf in g.forms)]
        if matches and all(g.optional for g in matches):
            continue
        s.predicted += 1
        if matches:
            s.correct += 1
        else:
            s.spurious.append(f"{cid} {sorted(forms)[:2]}")
    return scores


def score_corpus(gold: dict[str, list[GoldEntity]], entities: pd.DataFrame,
                 reference_people: bool = False) -> dict[str, dict[str, Score]]:
    """Scores per document and label, plus a "TOTAL" entry."""
    predicted = predicted_entities(entities, reference_people)
    out: dict[str, dict[str, Score]] = {}
    total = {label: Score() for label in LABELS}
    for doc_id in sorted(gold):
        out[doc_id] = score_document(gold[doc_id], predicted.get(doc_id, {}))
        for label in LABELS:
            total[label].add(out[doc_id][label])
    out["TOTAL"] = total
    return out


def pass_agreement(first: dict[str, list[GoldEntity]], second: dict[str, list[GoldEntity]]
                   ) -> dict[str, tuple[int, int, int]]:
    """Agreement of two annotation passes per label: (matched, first only, second only), entities
    matched by `forms_match`; optional entities of the second pass count only when matched."""
    out = {label: [0, 0, 0] for label in LABELS}
    for doc_id in sorted(set(first) | set(second)):
        a, b = first.get(doc_id, []), second.get(doc_id, [])
        used: set[int] = set()
        for g in a:
            hit = next((k for k, h in enumerate(b) if k not in used and h.label == g.label
                        and any(forms_match(g.label, x, y) for x in g.forms for y in h.forms)), None)
            if hit is None:
                out[g.label][1] += 1
            else:
                used.add(hit)
                out[g.label][0] += 1
        out_b = [h for k, h in enumerate(b) if k not in used and not h.optional]
        for h in out_b:
            out[h.label][2] += 1
    return {label: (m, x, y) for label, (m, x, y) in out.items()}
