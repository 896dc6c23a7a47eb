"""The corpus at a glance: documents per group, passages and words per language and document."""

from __future__ import annotations

from typing import Any

from pipeline.report.load import ReportInputs
from pipeline.report.sections.context import CorpusContext
from pipeline.report.settings import ReportSettings
from pipeline.report.table import Row, Table, fmt_number


def build(inputs: ReportInputs, ctx: CorpusContext, settings: ReportSettings) -> dict[str, Any]:
    """Counts per group, language and document, and the documents ingest skipped."""
    p = ctx.passages
    for column in ("year", "format"):
        if column not in p.columns:
            p = p.assign(**{column: ""})
    docs = (p.groupby("doc_id", sort=True)
            .agg(title=("title", "first"), group=("group", "first"), passages=("passage_id", "size"),
                 words=("n_words", "sum"), langs=("lang", lambda s: ", ".join(sorted(set(s)))),
                 year=("year", "first"), format=("format", "first"))
            .reset_index())
    per_group = {g: {"documents": 0, "passages": 0, "words": 0} for g in ctx.groups}
    for g, sub in docs.groupby("group"):
        per_group[g] = {"documents": len(sub), "passages": int(sub["passages"].sum()),
                        "words": int(sub["words"].sum())}
    per_lang = (p.groupby("lang", sort=True).agg(passages=("passage_id", "size"), words=("n_words", "sum"),
                                                 documents=("doc_id", "nunique")).reset_index())
    lang_by_group = p.groupby(["lang", "group"]).agg(passages=("passage_id", "size"),
                                                      words=("n_words", "sum")).reset_index()
    doc_table = Table("documents", ["Document", "Title", "Group", "Year", "Format", "Languages", "Passages", "Words"],
                      limit=settings.table_rows, numeric=(6, 7))
    for d in docs.sort_values(["group", "doc_id"]).itertuples():
        doc_table.rows.append(Row([d.doc_id, d.title, d.group, str(d.year), str(d.format), d.langs,
                                   fmt_number(d.passages), fmt_number(d.words)], group=d.group))
    lang_table = Table("languages", ["Language", "Documents", "Passages", "Words"], limit=50, numeric=(1, 2, 3))
    for r in per_lang.itertuples():
        lang_table.rows.append(Row([r.lang, fmt_number(r.documents), fmt_number(r.passages), fmt_number(r.words)],
                                   lang=r.lang))
    skipped = inputs.ingest_report.get("skipped") or []
    skip_table = Table("skipped", ["Document", "File", "metadata.csv row", "Reason"], limit=settings.table_rows)
    for s in skipped:
        skip_table.rows.append(Row([s.get("doc_id", ""), s.get("file", ""), str(s.get("row", "")),
                                    s.get("reason", "")]))
    return {
        "n_documents": int(p["doc_id"].nunique()),
        "n_passages": len(p),
        "n_words": int(p["n_words"].sum()),
        "n_languages": len(ctx.languages),
        "n_skipped": len(skipped),
        "n_ocr_passages": int(inputs.ingest_report.get("ocr_passages") or 0),
        "n_ocr_documents": int(inputs.ingest_report.get("ocr_documents") or 0),
        "per_group": per_group,
        "per_lang": per_lang.to_dict("records"),
        "lang_by_group": lang_by_group.to_dict("records"),
        "documents": doc_table,
        "language_table": lang_table,
        "skipped": skip_table,
    }
