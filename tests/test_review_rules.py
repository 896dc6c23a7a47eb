"""The decision rules as pure functions: no Flask, no database."""

from __future__ import annotations

import pytest

from pipeline.decisions.records import latest_per_mention, mention_key, text_sha1
from pipeline.review.adjudication import disagreement_rows, resolution_batch
from pipeline.review.rules import RuleError, build_decision, review_batch, undo_decision
from pipeline.review.state import passage_state

TEXT = "Rector of Abai KazNPU Takir Balykbayev noted that this event held in Chelyabinsk"
PID = "doc-" + text_sha1(TEXT)[:10]
ENTITIES = [
    {"mention_id": mention_key(PID, 10, 21), "start": 10, "end": 21, "label": "UNIVERSITY", "text": "Abai KazNPU"},
    {"mention_id": mention_key(PID, 22, 38), "start": 22, "end": 38, "label": "PERSON", "text": "Takir Balykbayev"},
    {"mention_id": mention_key(PID, 69, 80), "start": 69, "end": 80, "label": "GPE", "text": "Chelyabinsk"},
]
PASSAGE = {"passage_id": PID, "doc_id": "doc", "text": TEXT, "entities": ENTITIES}
LABELS = ["UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE"]


def _stored(decisions: list[dict], start: int = 1) -> list[dict]:
    """As the store would return them: ids, order and times."""
    return [dict(d, decision_id=d.get("decision_id") or f"d{i}", seq=i, timestamp=f"2026-11-20T10:00:{i:02d}Z")
            for i, d in enumerate(decisions, start=start)]


def test_relabel_builds_a_decision_keeping_what_the_machine_proposed():
    state = passage_state(PASSAGE, [])
    d = build_decision({"action": "relabel", "mention_id": ENTITIES[2]["mention_id"], "label": "ORG"},
                       PASSAGE, state, "aigerim", LABELS)
    assert (d["proposed"]["label"], d["result"]["label"], d["annotator"]) == ("GPE", "ORG", "aigerim")


def test_a_label_the_app_does_not_offer_is_refused():
    with pytest.raises(RuleError, match="PERSNO"):
        build_decision({"action": "relabel", "mention_id": ENTITIES[1]["mention_id"], "label": "PERSNO"},
                       PASSAGE, passage_state(PASSAGE, []), "aigerim", LABELS)


def test_adding_over_an_existing_mention_is_a_409_naming_it():
    with pytest.raises(RuleError) as caught:
        build_decision({"action": "add", "start": 10, "end": 21, "label": "ORG"}, PASSAGE,
                       passage_state(PASSAGE, []), "aigerim", LABELS)
    assert caught.value.status == 409 and caught.value.extra["mention"]["text"] == "Abai KazNPU"


def test_a_browser_chosen_decision_id_is_kept_and_a_malformed_one_refused():
    state = passage_state(PASSAGE, [])
    body = {"action": "accept", "mention_id": ENTITIES[0]["mention_id"], "decision_id": "ab" * 16}
    assert build_decision(body, PASSAGE, state, "aigerim", LABELS)["decision_id"] == "ab" * 16
    with pytest.raises(RuleError, match="decision_id"):
        build_decision(dict(body, decision_id="../../etc"), PASSAGE, state, "aigerim", LABELS)


def test_marking_reviewed_is_one_batch_of_accepts_and_the_mark():
    state = passage_state(PASSAGE, _stored([{"annotator": "aigerim", "passage_id": PID, "action": "reject",
                                             "mention_id": ENTITIES[0]["mention_id"], "result": None}]))
    batch = review_batch(PASSAGE, state, "aigerim")
    assert [d["action"] for d in batch] == ["accept", "accept", "review_passage"]
    assert len({d["batch_id"] for d in batch}) == 1


def test_undoing_a_batch_withdraws_all_of_it_and_the_earlier_decision_counts_again():
    first = _stored([{"annotator": "aigerim", "passage_id": PID, "action": "reject",
                      "mention_id": ENTITIES[0]["mention_id"], "result": None}])
    batch = _stored(review_batch(PASSAGE, passage_state(PASSAGE, first), "aigerim"), start=2)
    undo = _stored([undo_decision(batch, "aigerim")], start=10)
    state = {m["mention_id"]: m["status"] for m in passage_state(PASSAGE, first + batch + undo)}
    assert state == {ENTITIES[0]["mention_id"]: "rejected", ENTITIES[1]["mention_id"]: "machine",
                     ENTITIES[2]["mention_id"]: "machine"}


def test_nothing_to_undo_and_undoing_someone_elses_decision_are_refused():
    with pytest.raises(RuleError, match="Nothing to undo"):
        undo_decision([], "aigerim")
    theirs = _stored([{"annotator": "dmitry", "passage_id": PID, "doc_id": "doc", "passage_sha1": "x",
                       "action": "accept", "mention_id": ENTITIES[0]["mention_id"]}])
    with pytest.raises(RuleError, match="own"):
        undo_decision(theirs, "aigerim")


def _reviewed_by(annotator: str, changes: list[dict], start: int) -> list[dict]:
    own = _stored(changes, start)
    return own + _stored(review_batch(PASSAGE, passage_state(PASSAGE, own), annotator), start + len(own))


def test_side_by_side_rows_show_each_reviewers_label_and_the_majority():
    a = _reviewed_by("aigerim", [], 1)
    b = _reviewed_by("dmitry", [{"annotator": "dmitry", "passage_id": PID, "action": "relabel",
                                 "mention_id": ENTITIES[2]["mention_id"],
                                 "result": dict(ENTITIES[2], label="LOC")}], 20)
    view = disagreement_rows(PASSAGE, a + b)
    assert view["disagree"] and view["annotators"] == ["aigerim", "dmitry"]
    [disputed] = [r for r in view["rows"] if not r["agreed"]]
    assert disputed["text"] == "Chelyabinsk" and disputed["labels"] == {"aigerim": "GPE", "dmitry": "LOC"}


def test_a_resolution_makes_the_chosen_spans_final_and_outranks_the_annotators():
    a = _reviewed_by("aigerim", [], 1)
    b = _reviewed_by("dmitry", [{"annotator": "dmitry", "passage_id": PID, "action": "reject",
                                 "mention_id": ENTITIES[1]["mention_id"], "result": None}], 20)
    chosen = [(10, 21, "UNIVERSITY"), (69, 80, "LOC"), (0, 6, "PERSON")]
    resolution = _stored(resolution_batch(PASSAGE, a + b, chosen, "zhanna"), 40)
    later = _stored([{"annotator": "dmitry", "passage_id": PID, "action": "accept",
                      "mention_id": ENTITIES[1]["mention_id"], "result": ENTITIES[1]}], 60)
    final = {(d["result"]["start"], d["result"]["end"], d["result"]["label"])
             for d in latest_per_mention(a + b + resolution + later).values() if d["action"] != "reject"}
    assert final == set(chosen)
    assert disagreement_rows(PASSAGE, a + b + resolution)["resolved"]


def test_uncertainty_is_one_minus_the_f1_of_machine_and_second_opinion():
    import pandas as pd

    from pipeline.review.uncertainty import disagreement, uncertainty_frame

    assert disagreement(set(), set()) == 0.0
    assert disagreement({(0, 5, "PERSON")}, {(0, 5, "PERSON")}) == 0.0
    assert disagreement({(0, 5, "PERSON"), (9, 12, "GPE")}, {(0, 5, "ORG")}) == 1.0
    passages = pd.DataFrame({"passage_id": ["a", "b"], "lang": ["kk", "en"]})
    machine = pd.DataFrame({"passage_id": ["a", "a", "b"], "start": [0, 9, 0], "end": [5, 12, 4],
                            "label": ["PERSON", "GPE", "ORG"]})
    frame = uncertainty_frame(passages, machine, {"a": [(0, 5, "PERSON")], "b": [(0, 4, "ORG")]},
                              {"kk": "stanza", "en": "rules"})
    assert frame.set_index("passage_id")["uncertainty"].to_dict() == {"a": round(1 - 2 / 3, 4), "b": 0.0}
