"""Exports for annotators' other tools and the Label Studio import that turns its annotations
back into decisions.

Exports cover passages marked reviewed, with the current decisions applied:
- `reviewed.conll`: CoNLL-2003 style, `token TAG` (IOB2) per line, a blank line between
  passages, no comment lines (what `spacy convert -c ner` and CoNLL-2003 readers take); the
  passage ids, one per block in the same order, are in `reviewed.conll.ids`;
- `reviewed.conllu`: CoNLL-U (10 tab-separated columns) with `# passage_id` and `# text`
  comments and the tag in MISC as `NER=B-LABEL` (what CoNLL-U readers such as `conllu` take);
- `reviewed.spacy`: a spaCy DocBin with the same tokens;
- `labelstudio.json`: Label Studio tasks (machine predictions; reviewed state as an annotation).

Tokens are cut at every mention edge, so "Kazakhstan" in "Kazakhstan's" keeps its boundary
("Kazakhstan" + "'s"): no format loses a mention to tokenisation.
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
from pipeline.decisions.records import ANNOTATOR_NAME, mention_key, reviewers, text_sha1
from pipeline.errors import PipelineError
from pipeline.review.catalog import Catalog
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


def tokens(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token spans of `text`, cut additionally at every offset in `cuts` (mention edges)."""
    edges = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    for match in TOKEN.finditer(text):
        s, e = match.span()
        inner = [c for c in edges if s < c < e]
        for a, b in zip([s, *inner], [*inner, e], strict=True):
            out.append((a, b))
    return out


def _non_overlapping(mentions: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """Mention spans without overlaps (the first, then longest, wins), in text order."""
    kept: list[tuple[int, int, str]] = []
    for s, e, label in sorted(((int(m["start"]), int(m["end"]), str(m["label"])) for m in mentions),
                              key=lambda x: (x[0], -(x[1] - x[0]))):
        if not kept or s >= kept[-1][1]:
            kept.append((s, e, label))
    return kept


def tagged_tokens(text: str, mentions: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, IOB2 tag) per token; tokens are cut at mention edges."""
    spans = _non_overlapping(mentions)
    out: list[tuple[int, int, str]] = []
    for s, e in tokens(text, [x for sp in spans for x in sp[:2]]):
        hit = next((sp for sp in spans if sp[0] <= s and e <= sp[1]), None)
        if hit is None:
            out.append((s, e, "O"))
        else:
            out.append((s, e, ("B-" if s == hit[0] else "I-") + hit[2]))
    return out


def iob2_lines(text: str, mentions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(token, tag) pairs; tokens are cut at mention edges."""
    return [(text[s:e], tag) for s, e, tag in tagged_tokens(text, mentions)]


def export_conll(catalog: Catalog, store: DecisionStore, path: str | os.PathLike[str]) -> int:
    """Write reviewed passages as CoNLL-2003-style IOB2 (`token TAG`) and their ids beside it."""
    blocks, ids = [], []
    for passage, mentions in reviewed_passages(catalog, store):
        lines = [f"{tok} {tag}" for tok, tag in iob2_lines(passage["text"], mentions)]
        if lines:
            blocks.append("\n".join(lines))
            ids.append(passage["passage_id"])
    atomic.write_text(path, "\n\n".join(blocks) + ("\n" if blocks else ""))
    atomic.write_text(f"{path}.ids", "".join(f"{p}\n" for p in ids))
    return len(blocks)


def export_conllu(catalog: Catalog, store: DecisionStore, path: str | os.PathLike[str]) -> int:
    """Write reviewed passages as CoNLL-U: tab-separated, the tag in MISC (`NER=B-LABEL`)."""
    blocks = []
    for passage, mentions in reviewed_passages(catalog, store):
        text = passage["text"]
        toks = tagged_tokens(text, mentions)
        if not toks:
            continue
        lines = [f"# passage_id = {passage['passage_id']}", f"# text = {' '.join(text.split())}"]
        for i, (s, e, tag) in enumerate(toks, start=1):
            misc = [f"NER={tag}"]
            if e < len(text) and not text[e].isspace():
                misc.append("SpaceAfter=No")
            lines.append("\t".join([str(i), text[s:e], "_", "_", "_", "_", "_", "_", "_", "|".join(misc)]))
        blocks.append("\n".join(lines))
    atomic.write_text(path, "".join(b + "\n\n" for b in blocks))
    return len(blocks)


def export_docbin(catalog: Catalog, store: DecisionStore, path: str | os.PathLike[str]) -> int:
    """Write reviewed passages as a spaCy DocBin, with the same tokens (cut at mention edges)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("xx").vocab
    docbin = DocBin(store_user_data=True)
    n = 0
    for passage, mentions in reviewed_passages(catalog, store):
        text = passage["text"]
        toks = tagged_tokens(text, mentions)
        words = [text[s:e] for s, e, _ in toks]
        spaces = [e < len(text) and text[e].isspace() for _, e, _ in toks]
        doc = Doc(vocab, words=words, spaces=spaces, ents=[tag for _, _, tag in toks])
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
            decisions = store.for_passage(pid)
            state = [m for m in passage_state(passage, decisions) if m["status"] != "rejected"]
            # No `completed_by`: Label Studio refuses a whole import when it does not name one of
            # its own users, and assigns the importing user instead. Who reviewed is kept in data.
            task["data"]["reviewed_by"] = ", ".join(sorted(reviewers(decisions)))
            task["annotations"] = [{"result": [_ls_result(m, "r") for m in state], "was_cancelled": False,
                                    "ground_truth": False}]
        tasks.append(task)
    return tasks


def export_labelstudio(catalog: Catalog, store: DecisionStore, path: str | os.PathLike[str]) -> int:
    """Write every passage as a Label Studio task list (JSON)."""
    tasks = labelstudio_tasks(catalog, store)
    atomic.write_json(path, tasks)
    return len(tasks)


def _annotator_name(annotation: dict[str, Any], fallback: str, users: dict[str, str] | None = None) -> str:
    """Who made a Label Studio annotation: their email when the export says it (`completed_by`
    as an object, or `created_username` "email, id"), a name given in `users` for their id, or
    `labelstudio-user-ID`; `fallback` when the annotation names nobody."""
    who = annotation.get("completed_by")
    user_id = None
    if isinstance(who, dict):
        user_id = who.get("id")
        email = who.get("email") or who.get("username")
        if email:
            return str(email).strip()
    elif who not in (None, ""):
        user_id = who
    if users and user_id is not None and str(user_id) in users:
        return users[str(user_id)]
    created = annotation.get("created_username")
    if isinstance(created, str) and created.strip():
        name = created.split(",")[0].strip()
        if name:
            return name
    return f"labelstudio-user-{user_id}" if user_id is not None else fallback


def _ls_decision(context: dict[str, Any], action: str, mid: str | None, proposed: Any, result: Any
                 ) -> dict[str, Any]:
    """A decision from one Label Studio annotation. Its id depends only on what was decided (passage,
    its text, annotator, the annotation's spans, the action): importing the same annotations again,
    from any file or path, adds nothing."""
    key = "|".join(str(context[k]) for k in ("passage_id", "passage_sha1", "annotator", "content"))
    key += f"|{action}|{mid}"
    return {"decision_id": "ls-" + hashlib.sha1(key.encode()).hexdigest()[:20], "annotator": context["annotator"],
            "timestamp": context["timestamp"], "doc_id": context["doc_id"], "passage_id": context["passage_id"],
            "passage_sha1": context["passage_sha1"], "mention_id": mid, "action": action, "proposed": proposed,
            "result": result, "base_decision_id": None, "source": "labelstudio"}


def decisions_from_labelstudio(tasks: Any, catalog: Catalog, annotator: str, source_name: str = "labelstudio",
                               users: dict[str, str] | None = None) -> list[dict[str, Any]]:
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
            who = _annotator_name(annotation, annotator, users)
            if not ANNOTATOR_NAME.match(who):
                raise PipelineError(f"{where}, annotation {a_index}: annotator {who[:40]!r} is not a valid name; "
                                    f"map Label Studio user ids to names with --user ID=NAME.")
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

            content = ";".join(f"{s}-{e}:{lab}" for (s, e), lab in sorted(spans.items()))
            context = {"annotator": who, "content": content,
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


def import_labelstudio(path: str | os.PathLike[str], catalog: Catalog, store: DecisionStore, annotator: str,
                       users: dict[str, str] | None = None) -> int:
    """Read a Label Studio JSON export and store its annotations as decisions; returns how many were new."""
    p = Path(path)
    try:
        tasks = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PipelineError(f"{p}: cannot read a Label Studio JSON export ({exc}).") from exc
    return store.import_decisions(decisions_from_labelstudio(tasks, catalog, annotator, str(p), users))
