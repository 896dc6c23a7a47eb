"""Disagreements between annotators and their resolution by an adjudicator (pure functions).

Each annotator's version of a passage is the machine's mentions with only their own decisions
applied. Where the versions of annotators who marked the passage reviewed differ, an
adjudicator picks the final set of spans; `resolution_batch` turns that set into decisions
(flagged `resolution`), which outrank the annotators' decisions on the same mentions.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from pipeline.decisions.records import effective, latest_per_mention, mention_key, text_sha1

Span = tuple[int, int, str]


def annotator_decisions(decisions: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each annotator's own decisions (resolutions aside), undo taken into account."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in effective(decisions):
        if not d.get("resolution"):
            out[d["annotator"]].append(d)
    return dict(out)


def final_spans(machine: list[dict[str, Any]], own: list[dict[str, Any]]) -> set[Span]:
    """An annotator's final mentions in a passage: machine ones with only their decisions applied."""
    spans = {e["mention_id"]: (int(e["start"]), int(e["end"]), str(e["label"])) for e in machine}
    for mid, d in latest_per_mention(own).items():
        if d["action"] == "reject":
            spans.pop(mid, None)
        elif d.get("result"):
            r = d["result"]
            spans[mid] = (int(r["start"]), int(r["end"]), str(r["label"]))
    return set(spans.values())


def versions(passage: dict[str, Any], decisions: list[dict[str, Any]]) -> dict[str, set[Span]]:
    """The final span set of every annotator who marked the passage reviewed."""
    own = annotator_decisions(decisions)
    done = {a for a, ds in own.items() if any(d["action"] == "review_passage" for d in ds)}
    return {a: final_spans(passage["entities"], own[a]) for a in sorted(done)}


def is_resolved(decisions: list[dict[str, Any]]) -> bool:
    """Whether an adjudicator resolved the passage after the last annotator marked it reviewed."""
    eff = effective(decisions)
    last_review = max((d["timestamp"] for d in eff if d["action"] == "review_passage" and not d.get("resolution")),
                      default="")
    return any(d["action"] == "review_passage" and d.get("resolution") and d["timestamp"] >= last_review
               for d in eff)


def disagreement_rows(passage: dict[str, Any], decisions: list[dict[str, Any]]) -> dict[str, Any]:
    """Side by side: one row per span any reviewer kept, with each reviewer's label (or None),
    the majority's choice, and whether they all agree."""
    by = versions(passage, decisions)
    spans: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for a, ss in by.items():
        for s, e, label in ss:
            spans[(s, e)][a] = label
    rows = []
    for (s, e), labels in sorted(spans.items()):
        votes: dict[str, int] = defaultdict(int)
        for a in by:
            votes[labels.get(a) or ""] += 1
        majority = max(sorted(votes), key=lambda k: votes[k])
        rows.append({"start": s, "end": e, "text": passage["text"][s:e],
                     "labels": {a: labels.get(a) for a in by},
                     "agreed": len(set(labels.get(a) for a in by)) == 1, "majority": majority or None})
    return {"annotators": list(by), "rows": rows,
            "disagree": len({frozenset(v) for v in by.values()}) > 1, "resolved": is_resolved(decisions)}


def resolution_batch(passage: dict[str, Any], decisions: list[dict[str, Any]], chosen: list[Span],
                     adjudicator: str, batch_id: str | None = None) -> list[dict[str, Any]]:
    """Decisions that make `chosen` the passage's final mentions, flagged as a resolution.

    Every mention anyone proposed or decided is accepted, relabelled or rejected so that
    exactly the chosen spans remain; chosen spans nobody has a mention for are added.
    """
    text = passage["text"]
    chosen_by_span = {(int(s), int(e)): str(label) for s, e, label in chosen}
    batch = batch_id or uuid.uuid4().hex
    common = {"annotator": adjudicator, "doc_id": passage["doc_id"], "passage_id": passage["passage_id"],
              "passage_sha1": text_sha1(text), "batch_id": batch, "resolution": True, "base_decision_id": None}
    machine = {e["mention_id"]: e for e in passage["entities"]}
    mentions: dict[str, dict[str, Any]] = {}
    for mid, e in machine.items():
        mentions[mid] = {"start": int(e["start"]), "end": int(e["end"]), "label": e["label"], "text": e["text"],
                         "canonical_id": e.get("canonical_id") or "", "canonical_name": e.get("canonical_name") or ""}
    decided = latest_per_mention(effective(decisions))
    for d in effective(decisions):
        if d.get("mention_id") and d["mention_id"] not in mentions and d.get("result"):
            mentions[d["mention_id"]] = dict(d["result"])
    out: list[dict[str, Any]] = []
    covered: set[tuple[int, int]] = set()
    for mid, span in sorted(mentions.items()):
        key = (int(span["start"]), int(span["end"]))
        proposed = mentions[mid] if mid in machine else None
        current = (decided.get(mid) or {}).get("result") or span
        if key in chosen_by_span and key not in covered:
            covered.add(key)
            result = dict(current, start=key[0], end=key[1], text=text[key[0]:key[1]], label=chosen_by_span[key])
            action = "add" if proposed is None else ("accept" if result["label"] == proposed["label"] else "relabel")
            out.append(dict(common, mention_id=mid, action=action, proposed=proposed, result=result))
        else:
            out.append(dict(common, mention_id=mid, action="reject", proposed=proposed, result=None))
    for (s, e), label in sorted(chosen_by_span.items()):
        if (s, e) not in covered:
            out.append(dict(common, mention_id=mention_key(passage["passage_id"], s, e), action="add", proposed=None,
                            result={"start": s, "end": e, "label": label, "text": text[s:e], "canonical_id": "",
                                    "canonical_name": text[s:e]}))
    out.append(dict(common, action="review_passage"))
    return out
