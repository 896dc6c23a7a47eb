"""Exports for annotators' other tools (CoNLL IOB2, spaCy DocBin, Label Studio JSON) and the
Label Studio import that turns its annotations back into decisions.

Exports cover passages marked reviewed, with the current (latest) decisions applied.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.errors import PipelineError
from pipeline.review.catalog import Catalog
from pipeline.review.decisions import mention_key, text_sha1
from pipeline.review.state import passage_state, span_of
from pipeline.review.store import DecisionStore, utc_now

TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


def reviewed_passages(catalog: Catalog, store: DecisionStore) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(passage, final mentions) for every passage marked reviewed, in document order."""
    reviewed = store.reviewed_passages()
    for pid in catalog.passage_ids():
        if pid not in reviewed:
            continue
        passage = catalog.passage(pid)
        assert passage is not None
        mentions = [m for m in passage_state(passage, store.for_passage(pid)) if m["status"] != "rejected"]
        yield passage, mentions


def iob2_lines(text: str, mentions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(token, tag) pairs: a token takes the label of the first mention it overlaps."""
    spans = sorted((int(m["start"]), int(m["end"]), str(m["label"])) for m in mentions)
    out: list[tuple[str, str]] = []
    previous: tuple[int, int, str] | None = None
    for match in TOKEN.finditer(text):
        s, e = match.span()
        hit = next((sp for sp in spans if sp[0] < e and s < sp[1]), None)
        if hit is None:
            out.append((match.group(), "O"))
        else:
            out.append((match.group(), ("I-" if hit == previous else "B-") + hit[2]))
        previous = hit
    return out


def export_conll(catalog: Catalog, store: DecisionStore, path: str | os.PathLike[str]) -> int:
    """Write reviewed passages as CoNLL IOB2 (`token TAG`, blank line between passages)."""
    blocks = []
    for passage, mentions in reviewed_passages(catalog, store):
        lines = [f"# passage_id = {passage['passage_id']}"]
        lines += [f"{tok} {tag}" for tok, tag in iob2_lines(passage["text"], mentions)]
        blocks.append("\n".join(lines))
    atomic.write_text(path, "\n\n".join(blocks) + ("\n" if blocks else ""))
    return len(blocks)


def export_docbin(catalog: Catalog, store: DecisionStore, path: str | os.PathLike[str]) -> int:
    """Write reviewed passages as a spaCy DocBin (multilingual tokenizer; spans snap to tokens)."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank("xx")
    docbin = DocBin(store_user_data=True)
    n = 0
    for passage, mentions in reviewed_passages(catalog, store):
        doc = nlp.make_doc(passage["text"])
        spans = [doc.char_span(int(m["start"]), int(m["end"]), label=str(m["label"]), alignment_mode="expand")
                 for m in mentions]
        doc.ents = filter_spans([s for s in spans if s is not None])
        doc.user_data["passage_id"] = passage["passage_id"]
        docbin.add(doc)
        n += 1
    atomic.write_bytes(path, docbin.to_bytes())
    return n


def _ls_result(mention: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {
        "id": hashlib.sha1(f"{prefix}:{mention['mention_id']}".encode()).hexdigest()[:10],
        "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": int(mention["start"]), "end": int(mention["end"]), "text": mention["text"],
                  "labels": [str(mention["label"])]},
    }


def labelstudio_tasks(catalog: Catalog, store: DecisionStore, passage_ids: list[str] | None = None
                      ) -> list[dict[str, Any]]:
    """Label Studio tasks: machine mentions as predictions, reviewed state as an annotation."""
    reviewed = store.reviewed_passages()
    tasks = []
    for n, pid in enumerate(passage_ids if passage_ids is not None else catalog.passage_ids(), start=1):
        passage = catalog.passage(pid)
        if passage is None:
            continue
        task: dict[str, Any] = {
            "id": n,
            "data": {"text": passage["text"], "passage_id": pid, "doc_id": passage["doc_id"],
                     "passage_sha1": text_sha1(passage["text"]), "lang": passage["lang"]},
            "predictions": [{"model_version": "machine",
                             "result": [_ls_result(e, "m") for e in passage["entities"]]}],
        }
        if pid in reviewed:
            state = [m for m in passage_state(passage, store.for_passage(pid)) if m["status"] != "rejected"]
            task["annotations"] = [{"completed_by": "review-app", "result": [_ls_result(m, "r") for m in state]}]
        tasks.append(task)
    return tasks


def export_labelstudio(catalog: Catalog, store: DecisionStore, path: str | os.PathLike[str]) -> int:
    """Write every passage as a Label Studio task list (JSON)."""
    tasks = labelstudio_tasks(catalog, store)
    atomic.write_json(path, tasks)
    return len(tasks)


def _annotator_name(annotation: dict[str, Any], fallback: str) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    return f"labelstudio:{who}" if who not in (None, "") else fallback


def _ls_decision(context: dict[str, Any], action: str, mid: str | None, proposed: Any, result: Any
                 ) -> dict[str, Any]:
    """A decision from one Label Studio annotation; its id is derived so re-imports add nothing."""
    key = "|".join(str(context[k]) for k in ("source", "task", "annotation", "annotator")) + f"|{action}|{mid}"
    return {"decision_id": "ls-" + hashlib.sha1(key.encode()).hexdigest()[:20], "annotator": context["annotator"],
            "timestamp": context["timestamp"], "doc_id": context["doc_id"], "passage_id": context["passage_id"],
            "passage_sha1": context["passage_sha1"], "mention_id": mid, "action": action, "proposed": proposed,
            "result": result, "base_decision_id": None, "source": "labelstudio"}


def decisions_from_labelstudio(tasks: Any, catalog: Catalog, annotator: str, source_name: str = "labelstudio"
                               ) -> list[dict[str, Any]]:
    """Decisions equivalent to Label Studio annotations (accept, relabel, reject, add, review_passage).

    Decision ids are derived from the task, annotation and span, so importing the same file
    twice adds nothing. Raises `PipelineError` naming the task at fault.
    """
    if not isinstance(tasks, list):
        raise PipelineError(f"{source_name}: expected a JSON list of Label Studio tasks.")
    out: list[dict[str, Any]] = []
    for index, task in enumerate(tasks):
        where = f"{source_name}, task #{index} (id {task.get('id') if isinstance(task, dict) else '?'})"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise PipelineError(f"{where}: not a task object with a 'data' field.")
        pid = task["data"].get("passage_id")
        passage = catalog.passage(pid) if pid else None
        if passage is None:
            raise PipelineError(f"{where}: passage_id {pid!r} is not in the current outputs. "
                                f"Export tasks again from this pipeline or re-run ingest.")
        if "text" in task["data"] and task["data"]["text"] != passage["text"]:
            raise PipelineError(f"{where}: the task text differs from passage {pid}'s current text; "
                                f"the passage changed since export. Re-export and re-annotate it.")
        sha = text_sha1(passage["text"])
        machine = {(int(e["start"]), int(e["end"])): e for e in passage["entities"]}
        for a_index, annotation in enumerate(task.get("annotations") or []):
            if annotation.get("was_cancelled"):
                continue
            who = _annotator_name(annotation, annotator)
            stamp = annotation.get("updated_at") or annotation.get("created_at") or utc_now()
            spans: dict[tuple[int, int], str] = {}
            for r_index, item in enumerate(annotation.get("result") or []):
                value = item.get("value") or {}
                try:
                    start, end, label = int(value["start"]), int(value["end"]), str(value["labels"][0])
                except (KeyError, IndexError, TypeError, ValueError) as exc:
                    raise PipelineError(f"{where}, annotation {a_index}, result {r_index}: needs value.start, "
                                        f"value.end and value.labels ({exc}).") from exc
                if not 0 <= start < end <= len(passage["text"]):
                    raise PipelineError(f"{where}, annotation {a_index}, result {r_index}: span {start}-{end} "
                                        f"is outside the passage (length {len(passage['text'])}).")
                spans[(start, end)] = label

            context = {"source": source_name, "task": task.get("id"), "annotation": a_index, "annotator": who,
                       "timestamp": stamp, "doc_id": passage["doc_id"], "passage_id": pid, "passage_sha1": sha}

            def decision(action: str, mid: str | None, proposed: Any, result: Any,
                         context: dict[str, Any] = context) -> dict[str, Any]:
                return _ls_decision(context, action, mid, proposed, result)

            for (start, end), entity in sorted(machine.items()):
                proposed = span_of(entity)
                label = spans.get((start, end))
                if label is None:
                    out.append(decision("reject", entity["mention_id"], proposed, None))
                elif label == entity["label"]:
                    out.append(decision("accept", entity["mention_id"], proposed, proposed))
                else:
                    out.append(decision("relabel", entity["mention_id"], proposed, dict(proposed, label=label)))
            for (start, end), label in sorted(spans.items()):
                if (start, end) not in machine:
                    result = {"start": start, "end": end, "label": label, "text": passage["text"][start:end],
                              "canonical_id": "", "canonical_name": passage["text"][start:end]}
                    out.append(decision("add", mention_key(pid, start, end), None, result))
            out.append(decision("review_passage", None, None, None))
    return out


def import_labelstudio(path: str | os.PathLike[str], catalog: Catalog, store: DecisionStore, annotator: str) -> int:
    """Read a Label Studio JSON export and store its annotations as decisions; returns how many were new."""
    p = Path(path)
    try:
        tasks = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PipelineError(f"{p}: cannot read a Label Studio JSON export ({exc}).") from exc
    return store.import_decisions(decisions_from_labelstudio(tasks, catalog, annotator, str(p)))
