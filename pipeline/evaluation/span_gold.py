"""Mention-level gold from lists of surface forms, and exact-span scoring with bootstrap intervals.

The English news gold (`data/en_news_gold/`) is written as the people's names as they appear in
each article, not as offsets, so an annotator can write it from the raw text and the texts
themselves need not be copied into the project (the articles stay in `../shared`). Forms become
spans by one rule: every occurrence of a form (whole words, case-sensitive), longest forms first,
not overlapping an occurrence already taken. `"Jack@1"` takes only the first such occurrence of
"Jack" (the character, not the title "Jack and the Beanstalk" after it). Optional forms are
neither required nor counted as false positives when predicted (a predicted span overlapping one
is ignored).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int]


def _occurrences(text: str, form: str) -> list[Span]:
    pattern = re.compile(rf"(?<![\w]){re.escape(form)}(?![\w])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def spans_from_forms(text: str, forms: Sequence[str]) -> list[Span]:
    """Spans of `forms` in `text` by the rule in the module docstring."""
    parsed = []
    for raw in forms:
        form, _, which = raw.partition("@")
        parsed.append((form, {int(k) for k in which.split(",")} if which else None))
    taken: list[Span] = []
    for form, which in sorted(parsed, key=lambda p: (-len(p[0]), p[0])):
        free = [s for s in _occurrences(text, form) if all(s[1] <= a or s[0] >= b for a, b in taken)]
        taken += [s for k, s in enumerate(free, start=1) if which is None or k in which]
    return sorted(taken)


@dataclass
class SpanCounts:
    """True positives, predicted and gold counts for one document."""

    tp: int
    predicted: int
    gold: int


def count_document(gold: Sequence[Span], predicted: Sequence[Span], optional: Sequence[Span] = ()) -> SpanCounts:
    """Exact-span counts; predictions overlapping an optional span are left out."""
    pred = {p for p in predicted if not any(p[0] < b and a < p[1] for a, b in optional)}
    gold_set = set(gold)
    return SpanCounts(len(pred & gold_set), len(pred), len(gold_set))


def prf(counts: Sequence[SpanCounts]) -> tuple[float, float, float]:
    """Micro precision, recall and F1 over documents."""
    tp = sum(c.tp for c in counts)
    p_n = sum(c.predicted for c in counts)
    g_n = sum(c.gold for c in counts)
    p = tp / p_n if p_n else 0.0
    r = tp / g_n if g_n else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bootstrap_f1(counts: Sequence[SpanCounts], n: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% interval of micro F1, resampling documents with replacement."""
    rng = random.Random(seed)
    values = sorted(prf([counts[rng.randrange(len(counts))] for _ in counts])[2] for _ in range(n))
    return values[int(0.025 * n)], values[int(0.975 * n) - 1]


def bootstrap_diff(a: Sequence[SpanCounts], b: Sequence[SpanCounts], n: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% interval of F1(a) − F1(b) over the same resampled documents (paired bootstrap)."""
    rng = random.Random(seed)
    diffs = []
    for _ in range(n):
        idx = [rng.randrange(len(a)) for _ in a]
        diffs.append(prf([a[i] for i in idx])[2] - prf([b[i] for i in idx])[2])
    diffs.sort()
    return diffs[int(0.025 * n)], diffs[int(0.975 * n) - 1]
