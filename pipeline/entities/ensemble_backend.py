"""Several NER backends over the same texts, their mentions combined by a fixed rule.

Rules (`params.yaml`: `entities.backends.kk: "ensemble-agree:spacy:models/kk_ner+stanza:models/kk_ner_stanza"`):
- `agree`: a mention every backend found with the same span and label (higher precision, lower recall);
- `fill`: every mention of the first backend, plus the others' mentions that overlap none kept
  so far (higher recall).
The rule and the order of the backends are choices: make them on dev data (bench/bench_kk_ner.py
`--part dev` prints every rule side by side). Running several models costs the sum of their times.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.entities.mention import Mention, NerBackend
from pipeline.errors import PipelineError

RULES = ("agree", "fill")


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def combine_one(per_backend: Sequence[Sequence[Mention]], rule: str, name: str) -> list[Mention]:
    """Combine the backends' mentions of one text (see module docstring)."""
    if rule == "agree":
        first, *others = per_backend
        keys = [{(m.start, m.end, m.label) for m in ms} for ms in others]
        kept = [m for m in first if all((m.start, m.end, m.label) in k for k in keys)]
    elif rule == "fill":
        kept = []
        for ms in per_backend:
            kept.extend(m for m in ms if not any(_overlaps(m, k) for k in kept))
    else:
        raise PipelineError(f"ensemble rule '{rule}' is unknown; use one of {list(RULES)}.")
    return sorted((Mention(m.start, m.end, m.text, m.label, m.score, name) for m in kept),
                  key=lambda m: (m.start, m.end))


def combine(per_backend: Sequence[Sequence[Sequence[Mention]]], rule: str, name: str = "ensemble") -> list[list[Mention]]:
    """Combine per-text mention lists of several backends (outer: backend, then text)."""
    if not per_backend:
        raise PipelineError("an ensemble needs at least one backend")
    return [combine_one(texts, rule, name) for texts in zip(*per_backend, strict=True)]


class EnsembleBackend:
    """`NerBackend` that runs each backend on the texts and combines their mentions by `rule`."""

    def __init__(self, backends: Sequence[NerBackend], rule: str = "agree") -> None:
        if rule not in RULES:
            raise PipelineError(f"ensemble rule '{rule}' is unknown; use one of {list(RULES)}.")
        if len(backends) < 2:
            raise PipelineError("an ensemble needs at least two backends, joined by '+'.")
        self.backends = list(backends)
        self.rule = rule
        self.name = f"ensemble-{rule}:" + "+".join(b.name for b in self.backends)

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for each text, in order."""
        return combine([b.extract(texts) for b in self.backends], self.rule, self.name)
