"""Current state of a passage's mentions: machine proposals with the latest decisions applied.

Rejected mentions stay in the state (status "rejected") so an annotator can see and undo them.
"""

from __future__ import annotations

from typing import Any

from pipeline.decisions.records import KNOWN_LABELS, decision_problem, latest_per_mention

SPAN_KEYS = ("start", "end", "label", "text", "canonical_id", "canonical_name")


def span_of(entity: dict[str, Any]) -> dict[str, Any]:
    """The span fields of an entity or result (what a decision's proposed/result holds)."""
    return {k: entity.get(k) for k in SPAN_KEYS if k in entity}


def usable(passage: dict[str, Any], decisions: list[dict[str, Any]], labels: Any = None
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(decisions that apply to the passage, decisions set aside with a `problem`), by the rule
    the pipeline applies too (`decision_problem`)."""
    known = set(KNOWN_LABELS) | {e["label"] for e in passage["entities"]} | set(labels or ())
    ok, aside = [], []
    for d in decisions:
        problem = decision_problem(d, passage["text"], known)
        if problem is None:
            ok.append(d)
        else:
            aside.append(dict(d, problem=problem))
    return ok, aside


def passage_state(passage: dict[str, Any], decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every mention of the passage with status, current span and the decision behind it.

    Status is machine (undecided), accepted, rejected, corrected (relabel/respan/link) or
    added; `machine` holds what the machine proposed (None for added mentions). Decisions
    that no longer fit the passage (see `usable`) do not count.
    """
    latest = latest_per_mention(usable(passage, decisions)[0])
    mentions: dict[str, dict[str, Any]] = {}
    for entity in passage["entities"]:
        span = span_of(entity)
        mentions[entity["mention_id"]] = {
            "mention_id": entity["mention_id"], **span, "machine": span, "status": "machine",
            "backend": entity.get("backend", ""), "score": entity.get("score"), "decision": None,
        }
    for mid, d in latest.items():
        current = mentions.get(mid)
        if current is None:
            if d["action"] != "add" and not d.get("result"):
                # A rejected mention the machine no longer proposes: nothing left to show.
                continue
            current = {"mention_id": mid, "machine": None, "backend": "review", "score": None}
            mentions[mid] = current
        result = d.get("result")
        if result:
            current.update(span_of(result))
        if d["action"] == "reject":
            current["status"] = "rejected"
        elif d["action"] == "accept":
            current["status"] = "accepted" if current["machine"] else "added"
        elif current["machine"] is None:
            current["status"] = "added"
        else:
            current["status"] = "corrected"
        current["decision"] = {k: d.get(k) for k in ("decision_id", "annotator", "timestamp", "action", "resolution")}
    return sorted(mentions.values(), key=lambda m: (m["start"], m["end"], m["mention_id"]))
