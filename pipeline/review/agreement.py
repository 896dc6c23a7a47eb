"""Inter-annotator agreement on the mentions and passages two annotators both reviewed.

- Cohen's kappa on each mention's outcome (rejected, or the label it ended with), over the
  mentions both annotators decided.
- Span-level F1 between the two annotators' final mention sets (exact start, end, label),
  over the passages both marked reviewed.
Each annotator's view is built from their own decisions only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from pipeline.review.decisions import latest_per_mention


def cohen_kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa of two equally long label sequences; None when undefined (no items)."""
    if len(a) != len(b):
        raise ValueError("kappa needs two sequences of the same length")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    if expected == 1.0:
        return 1.0  # both annotators used one and the same category throughout
    return (observed - expected) / (1 - expected)


def _outcome(decision: dict[str, Any]) -> str:
    return "REJECT" if decision["action"] == "reject" else str((decision.get("result") or {}).get("label"))


def _final_spans(machine: list[dict[str, Any]], own: list[dict[str, Any]]) -> set[tuple[int, int, str]]:
    """An annotator's final mentions in a passage: machine ones with only their decisions applied."""
    spans = {e["mention_id"]: (int(e["start"]), int(e["end"]), str(e["label"])) for e in machine}
    for mid, d in latest_per_mention(own).items():
        if d["action"] == "reject":
            spans.pop(mid, None)
        elif d.get("result"):
            r = d["result"]
            spans[mid] = (int(r["start"]), int(r["end"]), str(r["label"]))
    return set(spans.values())


def agreement(decisions: list[dict[str, Any]], machine_by_passage: dict[str, list[dict[str, Any]]]
              ) -> dict[str, Any]:
    """Agreement for every pair of annotators with overlapping work, sorted by pair."""
    by_annotator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in decisions:
        by_annotator[d["annotator"]].append(d)
    annotators = sorted(by_annotator)
    latest = {a: latest_per_mention(ds) for a, ds in by_annotator.items()}
    reviewed = {a: {d["passage_id"] for d in ds if d["action"] == "review_passage"}
                for a, ds in by_annotator.items()}
    pairs = []
    for a, b in combinations(annotators, 2):
        shared = sorted(set(latest[a]) & set(latest[b]))
        xa = [_outcome(latest[a][m]) for m in shared]
        xb = [_outcome(latest[b][m]) for m in shared]
        kappa = cohen_kappa(xa, xb)
        both = sorted(reviewed[a] & reviewed[b])
        matched = n_a = n_b = 0
        for pid in both:
            machine = machine_by_passage.get(pid, [])
            sa = _final_spans(machine, [d for d in by_annotator[a] if d["passage_id"] == pid])
            sb = _final_spans(machine, [d for d in by_annotator[b] if d["passage_id"] == pid])
            matched += len(sa & sb)
            n_a += len(sa)
            n_b += len(sb)
        pairs.append({
            "annotator_a": a, "annotator_b": b,
            "mentions_both_decided": len(shared),
            "observed_agreement": (sum(x == y for x, y in zip(xa, xb, strict=True)) / len(shared)) if shared else None,
            "kappa": kappa,
            "passages_both_reviewed": len(both),
            "spans_a": n_a, "spans_b": n_b, "spans_matched": matched,
            "span_f1": (2 * matched / (n_a + n_b)) if (n_a + n_b) else None,
        })
    note = "" if any(p["mentions_both_decided"] or p["passages_both_reviewed"] for p in pairs) else (
        "No two annotators have decided the same mentions or reviewed the same passages yet.")
    return {"annotators": annotators, "pairs": pairs, "note": note}


def store_agreement(store: Any, catalog: Any) -> dict[str, Any]:
    """Agreement over every decision in a decision store, against the catalog's machine entities."""
    decisions = store.all()
    machine: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pid in sorted({d["passage_id"] for d in decisions}):
        p = catalog.passage(pid)
        if p is not None:
            machine[pid] = p["entities"]
    return agreement(decisions, machine)
