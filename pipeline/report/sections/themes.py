"""Themes: each topic with its label, top terms per language, size per group, example passages."""

from __future__ import annotations

from typing import Any

from pipeline.report.load import ReportInputs
from pipeline.report.sections.context import CorpusContext
from pipeline.report.settings import ReportSettings
from pipeline.report.table import Row, Table, fmt_number, fmt_share


def _cut(text: str, limit: int) -> str:
    """Cut at a word boundary so a passage excerpt never ends mid-word."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return (cut or text[:limit]) + " …"


def build(inputs: ReportInputs, ctx: CorpusContext, settings: ReportSettings) -> dict[str, Any]:
    """Topic cards (largest first, outliers last) and a table of every topic."""
    topics = inputs.topics.copy()
    topics["is_outlier"] = topics["topic_id"] == -1
    topics = topics.sort_values(["is_outlier", "size", "topic_id"], ascending=[True, False, True])
    assigned = inputs.assignments.merge(ctx.passages[["passage_id", "group"]], on="passage_id", how="left")
    size_by_group = assigned.groupby(["topic_id", "group"]).size()
    passages = ctx.passages.set_index("passage_id")
    total = max(int(topics["size"].sum()), 1)
    cards, table = [], Table("topics", ["Topic", "Label", "Passages", "Share", *ctx.groups, "Top terms"],
                             limit=settings.table_rows, numeric=tuple(range(2, 4 + len(ctx.groups))))
    for t in topics.itertuples():
        terms = t.top_terms if isinstance(t.top_terms, dict) else {}
        by_lang = []
        for lang in ctx.languages:
            words = [str(w) for w in (terms.get(lang) or [])][: settings.top_terms]
            by_lang.append({"lang": lang, "terms": words})
        for lang in sorted(set(terms) - set(ctx.languages)):  # languages the topic stage saw but we do not
            by_lang.append({"lang": lang, "terms": [str(w) for w in terms[lang]][: settings.top_terms]})
        sizes = {g: int(size_by_group.get((t.topic_id, g), 0)) for g in ctx.groups}
        reps = []
        for pid in (t.representative_passages or [])[: settings.passages_per_topic]:
            if pid not in passages.index:
                continue  # the passage table is authoritative; a dangling id is shown as missing below
            row = passages.loc[pid]
            reps.append({"passage_id": pid, "doc_id": row["doc_id"], "title": row["title"], "lang": row["lang"],
                         "group": row["group"], "excerpt": _cut(str(row["text"]), settings.passage_chars),
                         "text": str(row["text"])})
        label = str(t.label) if str(t.label) else f"Topic {t.topic_id}"
        card = {"topic_id": int(t.topic_id), "label": label, "size": int(t.size), "share": t.size / total,
                "terms": by_lang, "sizes": sizes, "passages": reps, "outlier": bool(t.is_outlier)}
        cards.append(card)
        first_terms = next((x["terms"] for x in by_lang if x["terms"]), [])
        table.rows.append(Row([str(t.topic_id), label, fmt_number(t.size), fmt_share(t.size / total),
                               *[fmt_number(sizes[g]) for g in ctx.groups], ", ".join(first_terms[:6])]))
    return {"cards": cards[: settings.top_n_topics], "n_topics": int((~topics["is_outlier"]).sum()),
            "n_hidden_cards": max(len(cards) - settings.top_n_topics, 0), "table": table}
