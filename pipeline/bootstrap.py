"""95 % bootstrap intervals of precision, recall and F1 from per-unit counts.

A unit is what the test set is a sample of: a KazNERD near-duplicate group, a factRuEval
document. Each unit contributes counts per type (true positives, predicted, gold); a resample
draws units with replacement and recomputes the pooled (micro) and per-type scores from the
summed counts, so correlated mentions inside one unit move together, as they would in a new
sample of units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

MICRO = "micro"


@dataclass(frozen=True)
class Counts:
    """True positives, predictions and gold items of one type in one unit."""

    tp: int = 0
    pred: int = 0
    gold: int = 0


@dataclass(frozen=True)
class Interval:
    """A point estimate with its bootstrap interval and the gold support."""

    p: float
    r: float
    f: float
    f_low: float
    f_high: float
    support: int

    def __str__(self) -> str:
        return f"F1 {self.f:.3f} [{self.f_low:.3f}, {self.f_high:.3f}] (P {self.p:.3f} R {self.r:.3f}, n={self.support})"

    def as_dict(self) -> dict[str, float | int]:
        """Rounded values for a metrics file."""
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4),
                "f_ci95": [round(self.f_low, 4), round(self.f_high, 4)], "support": self.support}


def _f1(tp: np.ndarray, pred: np.ndarray, gold: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = pred + gold
        return np.where(denominator > 0, 2 * tp / np.where(denominator > 0, denominator, 1), 0.0)


def bootstrap_scores(units: Sequence[Mapping[str, Counts]], types: Sequence[str] | None = None,
                     n_boot: int = 1000, seed: int = 0, level: float = 0.95) -> dict[str, Interval]:
    """Scores per type and micro-averaged over `types` (all types seen when None), with intervals.

    `units`: one mapping type → Counts per unit. Percentile intervals over `n_boot` resamples of
    the units (seeded, so the same input gives the same interval).
    """
    if not units:
        raise ValueError("bootstrap_scores needs at least one unit")
    if types is None:
        types = sorted({t for u in units for t in u})
    types = list(types)
    # counts[u, t, k]: unit u, type t, k = (tp, pred, gold)
    counts = np.zeros((len(units), len(types), 3), dtype=np.int64)
    for i, unit in enumerate(units):
        for j, t in enumerate(types):
            c = unit.get(t)
            if c is not None:
                counts[i, j] = (c.tp, c.pred, c.gold)
    rng = np.random.default_rng(seed)
    # weights[b, u]: how often unit u is drawn in resample b
    weights = rng.multinomial(len(units), np.full(len(units), 1 / len(units)), size=n_boot)
    resampled = np.einsum("bu,utk->btk", weights, counts)
    alpha = (1 - level) / 2
    out: dict[str, Interval] = {}
    columns = [(t, counts[:, [j], :].sum(axis=(0, 1)), resampled[:, j, :]) for j, t in enumerate(types)]
    columns.append((MICRO, counts.sum(axis=(0, 1)), resampled.sum(axis=1)))
    for name, total, boot in columns:
        tp, pred, gold = (int(x) for x in total)
        f_boot = _f1(boot[:, 0], boot[:, 1], boot[:, 2])
        low, high = np.quantile(f_boot, [alpha, 1 - alpha])
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        out[name] = Interval(p, r, float(_f1(np.array(tp), np.array(pred), np.array(gold))), float(low), float(high), gold)
    return out


def span_counts(gold: Sequence[tuple[int, int, str]], predicted: Sequence[tuple[int, int, str]]) -> dict[str, Counts]:
    """Exact-match counts per type for one unit's gold and predicted (start, end, type) spans."""
    gs, ps = set(gold), set(predicted)
    out: dict[str, Counts] = {}
    for t in {s[2] for s in gs | ps}:
        g = {s for s in gs if s[2] == t}
        p = {s for s in ps if s[2] == t}
        out[t] = Counts(len(g & p), len(p), len(g))
    return out


def merge_counts(parts: Sequence[Mapping[str, Counts]]) -> dict[str, Counts]:
    """Sum several units' counts into one unit (e.g. the sentences of a near-duplicate group)."""
    out: dict[str, Counts] = {}
    for part in parts:
        for t, c in part.items():
            o = out.get(t, Counts())
            out[t] = Counts(o.tp + c.tp, o.pred + c.pred, o.gold + c.gold)
    return out
