"""The comparison: prevalence per group, differences between groups, distinctive terms, caveats."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.report.load import ReportInputs
from pipeline.report.sections.context import CorpusContext
from pipeline.report.settings import ReportSettings
from pipeline.report.table import Row, Table, fmt_share


def _topic_labels(inputs: ReportInputs) -> dict[int, str]:
    return {int(t): (str(lbl) or f"Topic {t}") for t, lbl in zip(inputs.topics["topic_id"], inputs.topics["label"],
                                                                   strict=True)}


def difference_note(row: Any, too_small: set[str], label: str) -> str:
    """One plain-language sentence saying what a difference between two groups does and does not show."""
    small = [g for g in (row.group_a, row.group_b) if g in too_small]
    if small:
        verb = "have" if len(small) > 1 else "has"
        return (f"Cannot be judged: {' and '.join(small)} {verb} too few documents for an interval "
                "to mean anything.")
    ci = f"({100 * row.ci_low:+.1f} to {100 * row.ci_high:+.1f} points)"
    q = getattr(row, "q_value", None)
    q_text = f" (q = {q:.3g} after correcting for every topic × pair test)" if q is not None and q == q else ""
    if bool(row.distinguishable):
        more = row.group_a if row.diff > 0 else row.group_b
        return f"{more} writes more about “{label}”{q_text}; the interval {ci} excludes zero."
    if bool(getattr(row, "excludes_zero", False)) and q_text:
        return (f"Cannot be told from noise once the many tests are accounted for{q_text}, although the "
                f"interval {ci} alone excludes zero.")
    return f"Cannot be told from noise{q_text}: the interval {ci} includes zero."


def chart_topics(inputs: ReportInputs, limit: int) -> list[int]:
    """Topics drawn in charts: the largest `limit`, outliers excluded."""
    real = inputs.topics[inputs.topics["topic_id"] != -1]
    return real.sort_values(["size", "topic_id"], ascending=[False, True])["topic_id"].head(limit).astype(int).tolist()


def build(inputs: ReportInputs, ctx: CorpusContext, settings: ReportSettings) -> dict[str, Any]:
    """Tables and notes of the comparison section (charts are built from the same frames)."""
    labels = _topic_labels(inputs)
    info = inputs.groups.get("groups") or {}
    too_small = {str(g) for g, v in info.items() if isinstance(v, dict) and v.get("too_small")}
    empty = [g for g in ctx.groups if int((info.get(g) or {}).get("n_docs", 1) or 0) == 0]
    # notes about covariate effects are shown in their own section (sections/effects.py)
    notes = [str(n) for n in inputs.groups.get("notes") or [] if not str(n).startswith("Covariate effects")]
    for g in sorted(too_small):
        if any(g in n for n in notes):
            continue  # the topics stage already explained this group
        n_docs = (info.get(g) or {}).get("n_docs", "?")
        notes.append(f"Group “{g}” has only {n_docs} document(s): its prevalences describe those documents, "
                     "not the group, and its differences from other groups cannot be judged.")
    for g in empty:
        if any(g in n and "no documents" in n for n in notes):
            continue
        notes.append(f"Group “{g}” has no documents: it appears in the metadata but contributes nothing.")
    prev = inputs.prevalence.sort_values(["topic_id", "group"])
    prev_table = Table("prevalence", ["Topic", "Group", "Prevalence", "95% interval", "Documents", "Passages"],
                       limit=settings.table_rows, numeric=(2, 4, 5))
    for r in prev.itertuples():
        prev_table.rows.append(Row([labels.get(int(r.topic_id), str(r.topic_id)), str(r.group), fmt_share(r.prevalence),
                                    f"{fmt_share(r.ci_low)} – {fmt_share(r.ci_high)}", str(r.n_docs),
                                    str(r.n_passages)], group=str(r.group)))
    diffs = inputs.differences.copy()
    diffs["abs"] = diffs["diff"].abs()
    diffs = diffs.sort_values(["distinguishable", "abs", "topic_id"], ascending=[False, False, True])
    diff_table = Table("differences", ["Topic", "Groups", "Difference", "95% interval", "Reading"],
                       limit=settings.table_rows, numeric=(2,))
    n_distinguishable = 0
    for r in diffs.itertuples():
        label = labels.get(int(r.topic_id), str(r.topic_id))
        n_distinguishable += bool(r.distinguishable) and not ({r.group_a, r.group_b} & too_small)
        diff_table.rows.append(Row([label, f"{r.group_a} − {r.group_b}", f"{100 * r.diff:+.1f} pts",
                                    f"{100 * r.ci_low:+.1f} to {100 * r.ci_high:+.1f}",
                                    difference_note(r, too_small, label)], group=f"{r.group_a}|{r.group_b}"))
    terms = inputs.distinctive_terms.sort_values(["group", "lang", "score", "term"], ascending=[True, True, False, True])
    term_blocks = []
    for (group, lang), sub in terms.groupby(["group", "lang"], sort=True):
        top = sub.head(settings.top_terms)
        term_blocks.append({"group": str(group), "lang": str(lang),
                            "terms": [{"term": str(t.term), "score": float(t.score), "count": int(t.count)}
                                      for t in top.itertuples()]})
    return {"notes": notes, "prevalence": prev_table, "differences": diff_table, "term_blocks": term_blocks,
            "n_distinguishable": int(n_distinguishable), "too_small": sorted(too_small),
            "chart_topics": chart_topics(inputs, settings.max_chart_topics), "labels": labels,
            "group_info": {str(g): v for g, v in info.items()}, "frame": prev}


def distinguishable_rows(inputs: ReportInputs, too_small: list[str]) -> pd.DataFrame:
    """Differences that are distinguishable and involve no too-small group (for the summary)."""
    d = inputs.differences
    mask = d["distinguishable"].astype(bool) & ~d["group_a"].isin(too_small) & ~d["group_b"].isin(too_small)
    return d[mask].assign(abs=lambda f: f["diff"].abs()).sort_values(["abs", "topic_id"], ascending=[False, True])
