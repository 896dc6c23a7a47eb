"""Inter-annotator agreement, overall, per label and per language.

The unit is a span: in every passage marked reviewed by two or more annotators, each span that
any of them kept (start, end) is one item, and each annotator's category for it is the label
they ended with, or NONE when their version has no such span. Each annotator's version is the
machine's mentions with only their own decisions applied (undo counted, resolutions aside).

- Cohen's kappa for every pair, over the items of the passages both reviewed;
- Fleiss' kappa over all annotators, each item rated by those who reviewed its passage
  (the usual generalisation to a varying number of raters per item);
- span F1 between two annotators (exact start, end and label);
- per label L: the same on "L or not L" (kappa) and on spans labelled L (F1);
- per language: the same restricted to passages in that language.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from pipeline.review.adjudication import annotator_decisions, final_spans

NONE = "NONE"


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


def fleiss_kappa(ratings: list[list[str]]) -> float | None:
    """Fleiss' kappa of items each rated by two or more raters (their categories, any number
    of raters per item); None when undefined."""
    items = [r for r in ratings if len(r) >= 2]
    if not items:
        return None
    totals: Counter[str] = Counter()
    agreement = 0.0
    n_ratings = 0
    for r in items:
        counts = Counter(r)
        n = len(r)
        agreement += (sum(c * c for c in counts.values()) - n) / (n * (n - 1))
        totals.update(counts)
        n_ratings += n
    p_bar = agreement / len(items)
    p_e = sum((c / n_ratings) ** 2 for c in totals.values())
    if p_e == 1.0:
        return 1.0
    return (p_bar - p_e) / (1 - p_e)


def _f1(a: set, b: set) -> dict[str, Any]:
    matched = len(a & b)
    return {"spans_a": len(a), "spans_b": len(b), "spans_matched": matched,
            "span_f1": (2 * matched / (len(a) + len(b))) if (a or b) else None}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def agreement(decisions: list[dict[str, Any]], passages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Agreement over `decisions`; `passages` maps passage id → {"entities": machine mentions, "lang"}."""
    by_passage: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in decisions:
        by_passage[d["passage_id"]].append(d)
    versions: dict[str, dict[str, set]] = {}  # passage → annotator → spans
    for pid, ds in by_passage.items():
        own = annotator_decisions(ds)
        done = sorted(a for a, xs in own.items() if any(x["action"] == "review_passage" for x in xs))
        if len(done) >= 2 and pid in passages:
            versions[pid] = {a: final_spans(passages[pid].get("entities", []), own[a]) for a in done}
    annotators = sorted({a for ds in by_passage.values() for a in annotator_decisions(ds)})
    labels = sorted({s[2] for v in versions.values() for spans in v.values() for s in spans})
    langs = sorted({str(passages[pid].get("lang") or "und") for pid in versions})

    def items(pid: str, who: list[str]) -> list[dict[str, str]]:
        v = versions[pid]
        keys = sorted({(s, e) for a in who for s, e, _ in v[a]})
        label_of = {a: {(s, e): lab for s, e, lab in v[a]} for a in who}
        return [{a: label_of[a].get(k, NONE) for a in who} for k in keys]

    def pair_figures(a: str, b: str, pids: list[str], label: str | None = None) -> dict[str, Any]:
        xa, xb, sa, sb = [], [], set(), set()
        for pid in pids:
            for item in items(pid, [a, b]):
                ca, cb = item[a], item[b]
                if label is not None:
                    ca, cb = ("L" if ca == label else NONE), ("L" if cb == label else NONE)
                xa.append(ca)
                xb.append(cb)
            sa |= {(pid, *s) for s in versions[pid][a] if label is None or s[2] == label}
            sb |= {(pid, *s) for s in versions[pid][b] if label is None or s[2] == label}
        observed = sum(x == y for x, y in zip(xa, xb, strict=True)) / len(xa) if xa else None
        return {"items": len(xa), "observed_agreement": _round(observed), "kappa": _round(cohen_kappa(xa, xb)),
                **{k: (_round(v) if k == "span_f1" else v) for k, v in _f1(sa, sb).items()}}

    def fleiss(pids: list[str], label: str | None = None) -> dict[str, Any]:
        ratings = []
        for pid in pids:
            who = list(versions[pid])
            for item in items(pid, who):
                cats = [item[a] for a in who]
                ratings.append(["L" if c == label else NONE for c in cats] if label is not None else cats)
        return {"items": len(ratings), "kappa": _round(fleiss_kappa(ratings))}

    lang_of = {pid: str(passages[pid].get("lang") or "und") for pid in versions}
    pairs = []
    for a, b in combinations(annotators, 2):
        both = sorted(pid for pid, v in versions.items() if a in v and b in v)
        if not both:
            continue
        entry = {"annotator_a": a, "annotator_b": b, "passages_both_reviewed": len(both),
                 **pair_figures(a, b, both)}
        entry["per_label"] = {lab: pair_figures(a, b, both, lab) for lab in labels}
        entry["per_lang"] = {lg: pair_figures(a, b, [p for p in both if lang_of[p] == lg])
                             for lg in langs if any(lang_of[p] == lg for p in both)}
        pairs.append(entry)
    all_pids = sorted(versions)
    overall = {"annotators": len(annotators), "passages": len(all_pids), **fleiss(all_pids),
               "per_label": {lab: fleiss(all_pids, lab) for lab in labels},
               "per_lang": {lg: fleiss([p for p in all_pids if lang_of[p] == lg]) for lg in langs}}
    note = "" if pairs else "No two annotators have marked the same passage reviewed yet."
    return {"annotators": annotators, "pairs": pairs, "fleiss": overall, "note": note,
            "unit": "span (start, end) kept by any annotator of a passage two or more marked reviewed; "
                    "category = label, or NONE"}


def store_agreement(store: Any, catalog: Any) -> dict[str, Any]:
    """Agreement over every decision in a decision store, against the catalog's machine entities."""
    decisions = [d for d in store.all() if not d.get("resolution")]
    passages: dict[str, dict[str, Any]] = {}
    for pid in sorted({d["passage_id"] for d in decisions}):
        p = catalog.passage(pid)
        if p is not None:
            passages[pid] = p
    return agreement(decisions, passages)
