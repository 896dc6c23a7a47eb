"""apply_decisions: what the entities stage gets back after review."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.decisions.apply import apply_decisions
from pipeline.decisions.records import text_sha1
from pipeline.fixtures.sample_outputs import seed_outputs
from pipeline.review.store import DecisionStore


@pytest.fixture(scope="module")
def seed(corpus_dir):
    return seed_outputs(corpus_dir)


def _passage_with(passages: pd.DataFrame, needle: str) -> pd.Series:
    return passages[passages["text"].str.contains(needle, regex=False)].iloc[0]


def _mention(entities: pd.DataFrame, passage_id: str, text: str) -> pd.Series:
    rows = entities[(entities["passage_id"] == passage_id) & (entities["text"] == text)]
    return rows.iloc[0]


def _decide(tmp_path, passage: pd.Series, action: str, mention: pd.Series | None = None,
            annotator: str = "aigerim", **result) -> str:
    """Record one decision in a store under tmp_path and return the exported jsonl path."""
    store = DecisionStore(tmp_path / "review.sqlite")
    proposed = None
    if mention is not None:
        proposed = {k: (int(mention[k]) if k in ("start", "end") else mention[k])
                    for k in ("start", "end", "label", "text", "canonical_id")}
    res = None if action == "reject" else dict(proposed or {}, **result)
    if res is not None and "start" in result:
        res["text"] = passage["text"][res["start"]:res["end"]]
    mid = mention["mention_id"] if mention is not None else f"{passage['passage_id']}:{res['start']}-{res['end']}"
    previous = [d for d in store.all() if d["mention_id"] == mid]
    store.record({"annotator": annotator, "doc_id": passage["doc_id"], "passage_id": passage["passage_id"],
                  "passage_sha1": text_sha1(passage["text"]), "mention_id": mid, "action": action,
                  "proposed": proposed, "result": res,
                  "base_decision_id": previous[-1]["decision_id"] if previous else None})
    store.export_jsonl(tmp_path / "decisions.jsonl")
    return str(tmp_path / "decisions.jsonl")


def test_without_decisions_entities_come_back_unchanged(seed, tmp_path):
    passages, entities = seed
    out, orphaned = apply_decisions(entities, passages, tmp_path / "decisions.jsonl")
    assert len(out) == len(entities) and orphaned == []
    assert set(out["review_status"]) == {"machine"}


def test_a_rejected_mention_disappears(seed, tmp_path):
    passages, entities = seed
    p = _passage_with(passages, "Chelyabinsk was held")
    m = _mention(entities, p["passage_id"], "Chelyabinsk")
    out, _ = apply_decisions(entities, passages, _decide(tmp_path, p, "reject", m))
    assert m["mention_id"] not in set(out["mention_id"])
    assert len(out) == len(entities) - 1


def test_an_accepted_mention_stays_marked_accepted(seed, tmp_path):
    passages, entities = seed
    p = _passage_with(passages, "Tokayev graduated")
    m = _mention(entities, p["passage_id"], "Tokayev")
    out, _ = apply_decisions(entities, passages, _decide(tmp_path, p, "accept", m))
    row = out[out["mention_id"] == m["mention_id"]].iloc[0]
    assert row["review_status"] == "accepted" and row["label"] == "PERSON"


def test_a_relabelled_mention_is_replaced_by_the_annotators_version(seed, tmp_path):
    passages, entities = seed
    p = _passage_with(passages, "Chelyabinsk was held")
    m = _mention(entities, p["passage_id"], "Chelyabinsk")
    out, _ = apply_decisions(entities, passages, _decide(tmp_path, p, "relabel", m, label="LOC"))
    row = out[out["mention_id"] == m["mention_id"]].iloc[0]
    assert (row["label"], row["backend"], row["review_status"]) == ("LOC", "review", "corrected")
    assert len(out) == len(entities)


def test_an_added_mention_is_included_with_offsets_into_the_source(seed, tmp_path, corpus_dir):
    passages, entities = seed
    p = _passage_with(passages, "Rector of Abai KazNPU Takir Balykbayev")
    start = p["text"].index("Abai KazNPU")
    path = _decide(tmp_path, p, "add", None, start=start, end=start + len("Abai KazNPU"), label="UNIVERSITY",
                   canonical_id="kaznpu", canonical_name="Abai Kazakh National Pedagogical University")
    out, _ = apply_decisions(entities, passages, path)
    row = out[(out["passage_id"] == p["passage_id"]) & (out["review_status"] == "added")].iloc[0]
    assert (row["text"], row["backend"], row["canonical_id"]) == ("Abai KazNPU", "review", "kaznpu")
    source = (corpus_dir / p["file"]).read_text(encoding="utf-8")
    assert source[row["doc_start"]:row["doc_end"]] == "Abai KazNPU"


def test_the_latest_decision_on_a_mention_wins(seed, tmp_path):
    passages, entities = seed
    p = _passage_with(passages, "Chelyabinsk was held")
    m = _mention(entities, p["passage_id"], "Chelyabinsk")
    _decide(tmp_path, p, "reject", m, annotator="aigerim")
    out, _ = apply_decisions(entities, passages, _decide(tmp_path, p, "accept", m, annotator="dmitry"))
    assert out[out["mention_id"] == m["mention_id"]].iloc[0]["review_status"] == "accepted"


def test_a_decision_follows_its_passage_when_the_document_id_changes(seed, tmp_path):
    passages, entities = seed
    p = _passage_with(passages, "Tokayev graduated")
    m = _mention(entities, p["passage_id"], "Tokayev")
    path = _decide(tmp_path, p, "reject", m)
    renamed = passages.assign(passage_id=passages["passage_id"].str.replace("002_", "902_"),
                              doc_id=passages["doc_id"].str.replace("002_", "902_"))
    moved = entities.assign(passage_id=entities["passage_id"].str.replace("002_", "902_"),
                            mention_id=entities["mention_id"].str.replace("002_", "902_"))
    out, orphaned = apply_decisions(moved, renamed, path)
    assert orphaned == []
    assert m["mention_id"].replace("002_", "902_") not in set(out["mention_id"])


def test_a_decision_on_a_passage_that_no_longer_exists_is_reported_not_dropped(seed, tmp_path):
    passages, entities = seed
    p = _passage_with(passages, "Tokayev graduated")
    m = _mention(entities, p["passage_id"], "Tokayev")
    path = _decide(tmp_path, p, "reject", m)
    gone = passages[passages["passage_id"] != p["passage_id"]]
    out, orphaned = apply_decisions(entities[entities["passage_id"] != p["passage_id"]], gone, path)
    assert [o["mention_id"] for o in orphaned] == [m["mention_id"]]
    assert orphaned[0]["orphan_reason"] == "passage no longer exists"


def test_an_added_mention_is_included_even_when_the_machine_found_nothing(seed, tmp_path):
    passages, _ = seed
    p = _passage_with(passages, "Rector of Abai KazNPU")
    start = p["text"].index("Abai KazNPU")
    path = _decide(tmp_path, p, "add", None, start=start, end=start + 11, label="UNIVERSITY")
    out, orphaned = apply_decisions(pd.DataFrame(columns=["passage_id", "start", "end", "text", "label"]),
                                    passages, path)
    assert orphaned == [] and out[["text", "label", "review_status"]].values.tolist() == [
        ["Abai KazNPU", "UNIVERSITY", "added"]]
