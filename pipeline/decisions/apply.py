"""Apply reviewed decisions to machine entities (called by the entities stage).

Decisions follow their passages across re-ingest: a passage is found by `passage_id`, or,
when its id changed (document renamed), by the SHA-1 of its text. A decision whose passage
is gone, or whose span no longer holds the same text, is never dropped silently: it is
returned in `orphaned` with the reason.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from typing import Any

import pandas as pd

from pipeline.decisions.records import (
    KNOWN_LABELS,
    decision_problem,
    effective,
    latest_per_mention,
    mention_key,
    read_jsonl,
    text_sha1,
)

KEPT_ACTIONS = ("accept", "relabel", "respan", "link", "add")


def source_offset(offset_map: str, source_start: int, i: int) -> int:
    """Map a passage offset to the source text through the passage's anchor list."""
    anchors = json.loads(offset_map) if offset_map else []
    best = None
    for p, s in anchors:
        if p <= i and (best is None or p >= best[0]):
            best = (p, s)
    if best is None:
        return int(source_start) + i
    return int(best[1]) + (i - int(best[0]))


def _locate(decisions: list[dict[str, Any]], passages: pd.DataFrame
            ) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Group decisions by the current passage id they belong to; collect orphans."""
    by_id = set(passages["passage_id"])
    by_sha: dict[str, list[str]] = defaultdict(list)
    for pid, text in zip(passages["passage_id"], passages["text"], strict=True):
        by_sha[text_sha1(text)].append(pid)
    placed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    orphaned: list[dict[str, Any]] = []
    for d in decisions:
        pid = d["passage_id"]
        if pid in by_id:
            placed[pid].append(d)
            continue
        candidates = by_sha.get(d.get("passage_sha1") or "", [])
        if len(candidates) == 1:
            moved = dict(d, passage_id=candidates[0], moved_from=pid)
            if d.get("mention_id"):
                moved["mention_id"] = candidates[0] + d["mention_id"][len(pid):]
            placed[candidates[0]].append(moved)
        else:
            why = "ambiguous: its text now occurs in several passages" if candidates else "passage no longer exists"
            orphaned.append(dict(d, orphan_reason=why))
    return placed, orphaned


def apply_decisions(entities_df: pd.DataFrame, passages_df: pd.DataFrame,
                    decisions_path: str | os.PathLike[str]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Entities with decisions applied, and the decisions that could not be placed.

    Rejected mentions disappear; accepted ones stay (review_status accepted); relabelled,
    respanned or linked ones are replaced by the annotator's version (backend "review",
    review_status corrected); added ones are included (backend "review", review_status added).
    A kept decision whose machine mention vanished (e.g. the model changed) is still included:
    reviewed mentions are gold.
    """
    decisions = read_jsonl(decisions_path)
    frame = entities_df.copy()
    if "review_status" not in frame.columns:
        frame["review_status"] = "machine"
    if "mention_id" not in frame.columns:
        frame["mention_id"] = [mention_key(p, s, e) for p, s, e in
                               zip(frame["passage_id"], frame["start"], frame["end"], strict=True)]
    if not decisions:
        return frame.reset_index(drop=True), []
    placed, orphaned = _locate(decisions, passages_df)
    labels = set(KNOWN_LABELS) | set(frame["label"].astype(str)) if "label" in frame else set(KNOWN_LABELS)
    passages = passages_df.set_index("passage_id", drop=False)
    by_mention = {m: i for i, m in enumerate(frame["mention_id"])}
    drop: set[int] = set()
    updates: dict[int, dict[str, Any]] = {}
    new_rows: list[dict[str, Any]] = []
    for pid, items in sorted(placed.items()):
        text = passages.at[pid, "text"]
        fitting = []
        for d in effective(items):
            problem = decision_problem(d, text, labels)
            if problem is None:
                fitting.append(d)
            elif d["action"] != "review_passage":
                orphaned.append(dict(d, orphan_reason=problem))
        latest = latest_per_mention(fitting)
        for mid, d in sorted(latest.items()):
            row_index = by_mention.get(mid)
            if d["action"] == "reject":
                if row_index is not None:
                    drop.add(row_index)
                continue
            result = d["result"] or {}
            if d["action"] == "accept" and row_index is not None:
                updates[row_index] = {"review_status": "accepted"}
                continue
            status = "added" if d["action"] == "add" else ("accepted" if d["action"] == "accept" else "corrected")
            if row_index is not None:
                drop.add(row_index)
            new_rows.append(_review_row(passages.loc[pid], result, status, frame, row_index))
    for i, values in updates.items():
        for column, value in values.items():
            frame.at[frame.index[i], column] = value
    kept = frame.drop(index=[frame.index[i] for i in sorted(drop)])
    if new_rows:
        added = pd.DataFrame(new_rows)
        columns = [*frame.columns, *(c for c in added.columns if c not in frame.columns)]
        kept = pd.concat([kept, added], ignore_index=True).reindex(columns=columns)
    kept = kept.sort_values(["passage_id", "start", "end", "label"], kind="stable").reset_index(drop=True)
    orphaned.sort(key=lambda d: (d["passage_id"], d["timestamp"], d["decision_id"]))
    return kept, orphaned


def _review_row(passage: pd.Series, result: dict[str, Any], status: str, frame: pd.DataFrame,
                row_index: int | None) -> dict[str, Any]:
    """One entities row built from an annotator's result span."""
    base: dict[str, Any] = dict(frame.iloc[row_index]) if row_index is not None else {}
    start, end = int(result["start"]), int(result["end"])
    source_start = int(passage.get("source_start", 0) or 0)
    offset_map = passage.get("offset_map", "") or ""
    canonical_id = result.get("canonical_id") or base.get("canonical_id") or ""
    lang = base.get("lang") or passage.get("lang", "") or ""
    if not lang:
        same = frame.loc[frame["passage_id"] == passage["passage_id"], "lang"] if "lang" in frame else []
        lang = str(same.iloc[0]) if len(same) else ""
    base.update({
        "passage_id": passage["passage_id"], "doc_id": passage["doc_id"], "start": start, "end": end,
        "doc_start": source_offset(offset_map, source_start, start),
        "doc_end": source_offset(offset_map, source_start, end - 1) + 1,
        "text": passage["text"][start:end], "label": result["label"],
        "specific": bool(base.get("specific", True)),
        "canonical_id": canonical_id,
        "canonical_name": result.get("canonical_name") or base.get("canonical_name") or passage["text"][start:end],
        "backend": "review" if status != "accepted" or row_index is None else base.get("backend", "review"),
        "score": 1.0, "lang": lang, "mention_id": mention_key(passage["passage_id"], start, end),
        "review_status": status,
    })
    return base


def reviewed_passage_ids(decisions: list[dict[str, Any]], passages_df: pd.DataFrame) -> set[str]:
    """Current ids of passages someone marked reviewed (following passages whose id changed)."""
    placed, _ = _locate([d for d in effective(decisions) if d["action"] == "review_passage"], passages_df)
    return set(placed)
