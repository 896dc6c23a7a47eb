"""Exports for other tools (CoNLL IOB2, spaCy DocBin, Label Studio) and the Label Studio import."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import PipelineError
from pipeline.review.catalog import Catalog
from pipeline.review.decisions import text_sha1
from pipeline.review.exports import (
    decisions_from_labelstudio,
    export_conll,
    export_docbin,
    import_labelstudio,
    iob2_lines,
    labelstudio_tasks,
)
from pipeline.review.sample_outputs import seed_outputs
from pipeline.review.store import DecisionStore


@pytest.fixture(scope="module")
def catalog(corpus_dir):
    return Catalog(*seed_outputs(corpus_dir))


@pytest.fixture
def reviewed(catalog, tmp_path):
    """A store where aigerim marked the MGIMO passage reviewed without changes (machine mentions stand)."""
    store = DecisionStore(tmp_path / "review.sqlite")
    pid = next(p for p in catalog.passage_ids() if "(MGIMO) MFA of Russia" in catalog.passage(p)["text"])
    passage = catalog.passage(pid)
    store.record({"annotator": "aigerim", "doc_id": passage["doc_id"], "passage_id": pid,
                  "passage_sha1": text_sha1(passage["text"]), "action": "review_passage"})
    return store, passage


def test_iob2_marks_the_first_token_of_a_mention_b_and_the_rest_i():
    text = "Head of the Moscow State Institute of International Relations (MGIMO) MFA"
    start = text.index("Moscow")
    end = text.index(" (MGIMO)")
    tags = iob2_lines(text, [{"start": start, "end": end, "label": "UNIVERSITY"},
                             {"start": text.index("MGIMO"), "end": text.index("MGIMO") + 5, "label": "UNIVERSITY"}])
    assert tags[:6] == [("Head", "O"), ("of", "O"), ("the", "O"), ("Moscow", "B-UNIVERSITY"),
                        ("State", "I-UNIVERSITY"), ("Institute", "I-UNIVERSITY")]
    assert tags[-4:] == [("(", "O"), ("MGIMO", "B-UNIVERSITY"), (")", "O"), ("MFA", "O")]


def test_conll_export_holds_reviewed_passages_only(catalog, reviewed, tmp_path):
    store, passage = reviewed
    assert export_conll(catalog, store, tmp_path / "reviewed.conll") == 1
    lines = (tmp_path / "reviewed.conll").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# passage_id = {passage['passage_id']}"
    assert "Moscow B-UNIVERSITY" in lines and "Institute I-UNIVERSITY" in lines


def test_docbin_export_round_trips_entities(catalog, reviewed, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    store, passage = reviewed
    export_docbin(catalog, store, tmp_path / "reviewed.spacy")
    [doc] = list(DocBin().from_disk(tmp_path / "reviewed.spacy").get_docs(spacy.blank("xx").vocab))
    assert doc.text == passage["text"]
    assert ("Moscow State Institute of International Relations", "UNIVERSITY") in [(e.text, e.label_) for e in doc.ents]


def _annotated_task(catalog, passage):
    """A Label Studio task as an annotator returns it: 'MGIMO' relabelled ORG, 'Russia' added as GPE."""
    [task] = labelstudio_tasks(catalog, _EmptyStore(),
                               [passage["passage_id"]])
    results = json.loads(json.dumps(task["predictions"][0]["result"]))
    for r in results:
        if r["value"]["text"] == "MGIMO":
            r["value"]["labels"] = ["ORG"]
    start = passage["text"].index("Russia")
    results.append({"from_name": "label", "to_name": "text", "type": "labels",
                    "value": {"start": start, "end": start + 6, "text": "Russia", "labels": ["GPE"]}})
    task["annotations"] = [{"id": 7, "completed_by": {"email": "dmitry@example.org"}, "result": results,
                            "updated_at": "2026-11-20T10:00:00Z"}]
    return task


class _EmptyStore:
    """Stands in for a store with no decisions when building a fresh task."""

    def reviewed_passages(self):
        return set()


def test_labelstudio_annotations_become_relabel_add_accept_and_review_decisions(catalog, reviewed):
    _, passage = reviewed
    decisions = decisions_from_labelstudio([_annotated_task(catalog, passage)], catalog, "fallback")
    by_action = {}
    for d in decisions:
        by_action.setdefault(d["action"], []).append(d)
    assert [d["result"]["label"] for d in by_action["relabel"]] == ["ORG"]
    assert [d["result"]["text"] for d in by_action["add"]] == ["Russia"]
    assert len(by_action["accept"]) == len(passage["entities"]) - 1
    assert len(by_action["review_passage"]) == 1
    assert {d["annotator"] for d in decisions} == {"labelstudio:dmitry@example.org"}


def test_importing_the_same_labelstudio_file_twice_adds_nothing_the_second_time(catalog, reviewed, tmp_path):
    store, passage = reviewed
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([_annotated_task(catalog, passage)]), encoding="utf-8")
    first = import_labelstudio(path, catalog, store, "fallback")
    assert first > 0 and import_labelstudio(path, catalog, store, "fallback") == 0


def test_a_labelstudio_task_whose_text_changed_is_refused_naming_the_task(catalog, reviewed):
    _, passage = reviewed
    task = _annotated_task(catalog, passage)
    task["data"]["text"] = task["data"]["text"] + " (edited)"
    with pytest.raises(PipelineError, match=r"task #0 .*differs"):
        decisions_from_labelstudio([task], catalog, "fallback", "ls.json")


def test_a_labelstudio_span_outside_the_passage_is_refused(catalog, reviewed):
    _, passage = reviewed
    task = _annotated_task(catalog, passage)
    task["annotations"][0]["result"][0]["value"]["end"] = 10**6
    with pytest.raises(PipelineError, match="outside the passage"):
        decisions_from_labelstudio([task], catalog, "fallback")
