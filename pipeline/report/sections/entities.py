"""Entities: who and what each group names most, in context, and which appear together."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from pipeline.report.load import ReportInputs
from pipeline.report.network import Network, cooccurrence
from pipeline.report.sections.context import CorpusContext
from pipeline.report.settings import ReportSettings

FOCUS_LABELS = ("UNIVERSITY", "PERSON", "AGREEMENT")
LABEL_TITLES = {"UNIVERSITY": "Universities", "PERSON": "People", "AGREEMENT": "Agreements and laws"}


def _variants(summary: pd.DataFrame) -> dict[str, list[str]]:
    if "variants" not in summary.columns:
        return {}
    out = {}
    for cid, raw in zip(summary["canonical_id"], summary["variants"], strict=True):
        try:
            values = json.loads(raw) if isinstance(raw, str) else list(raw or [])
        except ValueError:
            values = []  # variants are a convenience; a bad cell must not stop the report
        out[str(cid)] = [str(v) for v in values]
    return out


def kwic_lines(mentions: pd.DataFrame, texts: pd.Series, window: int) -> list[dict[str, str]]:
    """Keyword-in-context lines: `window` characters left and right of each mention, cut at spaces."""
    lines = []
    for m in mentions.itertuples():
        text = str(texts.get(m.passage_id, ""))
        start, end = int(m.start), int(m.end)
        if not (0 <= start < end <= len(text)):
            continue  # offsets from another ingest run: skip rather than show the wrong words
        left = text[max(0, start - window):start]
        right = text[end:end + window]
        if start - window > 0 and " " in left:
            left = "… " + left.split(" ", 1)[1]
        if end + window < len(text) and " " in right:
            right = right.rsplit(" ", 1)[0] + " …"
        lines.append({"left": left, "keyword": text[start:end], "right": right, "passage_id": str(m.passage_id),
                      "doc_id": str(m.doc_id), "lang": str(getattr(m, "lang_p", "") or "")})
    return lines


def build(inputs: ReportInputs, ctx: CorpusContext, settings: ReportSettings) -> dict[str, Any]:
    """Per label and group: top entities with counts, variants and KWIC lines; plus the network."""
    emphasis = inputs.entity_emphasis
    variants = _variants(inputs.entity_summary)
    passages = ctx.passages.set_index("passage_id")
    mentions = inputs.entities.merge(ctx.passages[["passage_id", "group", "lang", "passage_index"]],
                                     on="passage_id", how="left", suffixes=("", "_p"))
    if "lang_p" not in mentions.columns:
        mentions = mentions.rename(columns={"lang": "lang_p"})
    if "specific" in inputs.entities.columns:
        # "40 agreements" or "various accords" name nothing: an entity only mentioned generically is not listed.
        named = set(inputs.entities.loc[inputs.entities["specific"].fillna(True).astype(bool), "canonical_id"])
        emphasis = emphasis[emphasis["canonical_id"].isin(named)]
    blocks = []
    for label in FOCUS_LABELS:
        per_group = []
        for group in ctx.groups:
            sub = emphasis[(emphasis["label"] == label) & (emphasis["group"].astype(str) == group)]
            sub = sub.sort_values(["mentions", "canonical_id"], ascending=[False, True]).head(settings.entities_per_label)
            wanted = mentions[(mentions["canonical_id"].isin(sub["canonical_id"])) & (mentions["group"] == group)]
            wanted = wanted.sort_values(["canonical_id", "doc_id", "passage_index", "start"])
            # One line per passage first, so the lines show different contexts, not one paragraph repeated.
            wanted = wanted.drop_duplicates(["canonical_id", "passage_id"])
            by_entity = {cid: g.head(settings.kwic_per_entity) for cid, g in wanted.groupby("canonical_id")}
            rows = []
            for e in sub.itertuples():
                cid = str(e.canonical_id)
                ctx_rows = by_entity.get(e.canonical_id, wanted.iloc[0:0])
                rows.append({"canonical_id": cid, "name": str(e.canonical_name), "mentions": int(e.mentions),
                             "documents": int(e.documents), "share": float(e.share),
                             "variants": [v for v in variants.get(cid, []) if v != str(e.canonical_name)][:8],
                             "kwic": kwic_lines(ctx_rows, passages["text"], settings.kwic_window)})
            per_group.append({"group": group, "entities": rows})
        blocks.append({"label": label, "title": LABEL_TITLES[label], "groups": per_group,
                       "empty": all(not g["entities"] for g in per_group)})
    network: Network = cooccurrence(inputs.entities, settings.network_labels, settings.network_unit,
                                    settings.max_network_nodes, seed=settings.network_seed)
    return {"blocks": blocks, "network": network, "n_mentions": len(inputs.entities),
            "n_entities": len(inputs.entity_summary)}
