"""`python -m pipeline evaluate`: score the automatic extraction against reviewed decisions.

Gold = the machine's mentions with the annotators' decisions applied (rejections removed,
corrections and additions in), on passages marked reviewed only; prediction = the machine's
mentions (outputs/entities_machine.parquet) on the same passages. Scores: precision, recall,
F1 per label, per language and overall, for exact matches (same start, end, label) and for
partial matches (overlapping spans with the same label, matched one-to-one). Counts come
with every score, so `dvc metrics diff` shows whether a change helped and on how much evidence.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.config import stage_settings
from pipeline.metrics_files import write_metrics
from pipeline.outputs import DECISIONS_FILE, default_path
from pipeline.stage_inputs import read_output

Span = tuple[str, int, int, str]  # passage_id, start, end, label


@dataclass
class EvaluateSettings:
    """Inputs and output of the evaluate stage."""

    machine: str = default_path("entities_machine")
    passages: str = default_path("passages")
    languages: str = default_path("languages")
    decisions: str = DECISIONS_FILE
    out: str = default_path("metrics")
    focus_labels: list[str] = field(default_factory=lambda: ["UNIVERSITY", "PERSON", "AGREEMENT"])


# The headline numbers of metrics.json (the full record goes to metrics_details.json).
EVALUATE_HEADLINE = {
    "reviewed_passages": "reviewed_passages", "decisions": "decisions", "orphaned_decisions": "orphaned_decisions",
    "annotators": "annotators",
    **{f"{kind}_{m}": f"{kind}.overall.{m}" for kind in ("exact", "partial") for m in ("precision", "recall", "f1")},
}


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 with their counts; a ratio with a zero denominator is None."""
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = (2 * p * r / (p + r) if p + r else 0.0) if p is not None and r is not None else None
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
            "support": tp + fn, "predicted": tp + fp}


def match_exact(gold: list[Span], pred: list[Span]) -> tuple[set[Span], set[Span]]:
    """Matched gold and matched predicted spans under exact (start, end, label) identity."""
    both = set(gold) & set(pred)
    return both, both


def match_partial(gold: list[Span], pred: list[Span]) -> tuple[set[Span], set[Span]]:
    """One-to-one matching of overlapping same-label spans (largest overlap first)."""
    pred_by_passage: dict[str, set[Span]] = defaultdict(set)
    for p in pred:
        pred_by_passage[p[0]].add(p)
    candidates = []
    for g in set(gold):
        for p in pred_by_passage.get(g[0], ()):
            if g[3] == p[3] and g[1] < p[2] and p[1] < g[2]:
                overlap = min(g[2], p[2]) - max(g[1], p[1])
                candidates.append((-overlap, g, p))
    matched_g: set[Span] = set()
    matched_p: set[Span] = set()
    for _, g, p in sorted(candidates):
        if g not in matched_g and p not in matched_p:
            matched_g.add(g)
            matched_p.add(p)
    return matched_g, matched_p


def score(gold: list[Span], pred: list[Span], lang_of: dict[str, str], partial: bool,
          focus_labels: list[str]) -> dict[str, Any]:
    """Overall, focus-label, per-label and per-language scores for one matching rule."""
    matched_g, matched_p = (match_partial if partial else match_exact)(gold, pred)
    gold_set, pred_set = set(gold), set(pred)

    def counts(keep: Any) -> dict[str, Any]:
        g = {s for s in gold_set if keep(s)}
        p = {s for s in pred_set if keep(s)}
        tp = len(g & matched_g)
        return prf(tp, len(p) - len(p & matched_p), len(g) - tp)

    labels = sorted({s[3] for s in gold_set | pred_set})
    langs = sorted({lang_of.get(s[0], "und") for s in gold_set | pred_set})
    return {
        "overall": counts(lambda s: True),
        "focus": counts(lambda s: s[3] in focus_labels),
        "per_label": {lab: counts(lambda s, lab=lab: s[3] == lab) for lab in labels},
        "per_lang": {lang: counts(lambda s, lang=lang: lang_of.get(s[0], "und") == lang) for lang in langs},
    }


def evaluate(machine: pd.DataFrame, passages: pd.DataFrame, decisions_path: str | Path,
             focus_labels: list[str] | None = None) -> dict[str, Any]:
    """Metrics of the machine's mentions against the reviewed decisions (see module docstring)."""
    from pipeline.decisions.apply import apply_decisions, reviewed_passage_ids
    from pipeline.decisions.records import read_jsonl

    focus = focus_labels or ["UNIVERSITY", "PERSON", "AGREEMENT"]
    decisions = read_jsonl(decisions_path)
    reviewed = reviewed_passage_ids(decisions, passages) if decisions else set()
    gold_frame, orphaned = apply_decisions(machine, passages, decisions_path)

    def spans(frame: pd.DataFrame) -> list[Span]:
        frame = frame[frame["passage_id"].isin(reviewed)]
        return sorted(zip(frame["passage_id"], frame["start"].astype(int), frame["end"].astype(int),
                          frame["label"].astype(str), strict=True))

    lang_of = dict(zip(passages["passage_id"], passages["lang"], strict=True)) if "lang" in passages else {}
    gold, pred = spans(gold_frame), spans(machine)
    decided_unreviewed = sorted({d["passage_id"] for d in decisions} - reviewed - {o["passage_id"] for o in orphaned})
    note = ""
    if not decisions:
        note = ("No review decisions yet: all counts are zero. Review passages with `python -m pipeline review` "
                "and mark them reviewed; then run `dvc repro evaluate`.")
    elif not reviewed:
        note = "Decisions exist but no passage is marked reviewed yet; only reviewed passages are scored."
    return {
        "reviewed_passages": len(reviewed),
        "decisions": len(decisions),
        "orphaned_decisions": len(orphaned),
        "passages_with_decisions_not_marked_reviewed": len(decided_unreviewed),
        "annotators": len({d["annotator"] for d in decisions}),
        "exact": score(gold, pred, lang_of, partial=False, focus_labels=focus),
        "partial": score(gold, pred, lang_of, partial=True, focus_labels=focus),
        "note": note,
    }


def _passages_with_lang(settings: EvaluateSettings) -> pd.DataFrame:
    passages = read_output("passages", settings.passages, ("passage_id",))
    if "lang" not in passages.columns:
        langs = Path(settings.languages)
        if langs.exists():
            passages = passages.merge(read_output("languages", langs, columns=("passage_id", "lang")), on="passage_id", how="left")
        else:
            passages["lang"] = "und"
    passages["lang"] = passages["lang"].fillna("und").replace("", "und")
    return passages


def run(args: argparse.Namespace) -> int:
    """Evaluate and write outputs/metrics.json; print a one-line summary."""
    settings = stage_settings(EvaluateSettings, "evaluate")
    for name in ("machine", "decisions", "out"):
        if getattr(args, name, None):
            setattr(settings, name, getattr(args, name))
    machine = read_output("entities_machine", settings.machine, ("passage_id", "start", "end", "label"),
                                what="machine mentions (the entities before review decisions are applied)")
    metrics = evaluate(machine, _passages_with_lang(settings), settings.decisions, settings.focus_labels)
    write_metrics(settings.out, metrics, EVALUATE_HEADLINE)
    overall = metrics["exact"]["overall"]
    print(f"evaluate: {metrics['reviewed_passages']} reviewed passages, exact P {overall['precision']} "
          f"R {overall['recall']} F1 {overall['f1']} ({overall['tp']} tp, {overall['fp']} fp, {overall['fn']} fn)"
          f" → {settings.out}" + (f"\n{metrics['note']}" if metrics["note"] else ""))
    return 0


def register(subparsers: Any) -> None:
    """Add the `evaluate` command."""
    parser = subparsers.add_parser(
        "evaluate", help="score machine entities against reviewed decisions → outputs/metrics.json",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--machine", help="machine mentions (default outputs/entities_machine.parquet)")
    parser.add_argument("--decisions", help="decisions (default corpus/annotations/decisions.jsonl)")
    parser.add_argument("--out", help="metrics file (default outputs/metrics.json)")
    parser.set_defaults(func=run)
