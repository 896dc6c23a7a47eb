"""Exports for other tools (CoNLL IOB2, spaCy DocBin, Label Studio) and the Label Studio import."""

from __future__ import annotations

import json

import pytest

from pipeline.decisions.records import text_sha1
from pipeline.errors import PipelineError
from pipeline.fixtures.sample_outputs import seed_outputs
from pipeline.review.catalog import Catalog
from pipeline.review.exports import (
    decisions_from_labelstudio,
    export_conll,
    export_docbin,
    import_labelstudio,
    iob2_lines,
    labelstudio_tasks,
)
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
    assert lines[0] == "Head O"
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
    assert {d["annotator"] for d in decisions} == {"dmitry@example.org"}


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


def test_labelstudio_export_names_no_annotator_label_studio_would_refuse(catalog, reviewed):
    """Label Studio refuses a whole import when `completed_by` is not one of its users' ids or emails."""
    store, passage = reviewed
    [task] = labelstudio_tasks(catalog, store, [passage["passage_id"]])
    [annotation] = task["annotations"]
    assert "completed_by" not in annotation
    assert task["data"]["reviewed_by"] == "aigerim"


def test_importing_the_same_labelstudio_export_from_another_path_adds_nothing(catalog, reviewed, tmp_path):
    store, passage = reviewed
    content = json.dumps([_annotated_task(catalog, passage)])
    (tmp_path / "a.json").write_text(content, encoding="utf-8")
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "b.json").write_text(content, encoding="utf-8")
    assert import_labelstudio(tmp_path / "a.json", catalog, store, "fallback") > 0
    assert import_labelstudio(tmp_path / "copy" / "b.json", catalog, store, "fallback") == 0


def test_labelstudio_annotators_come_in_as_their_email(catalog, reviewed):
    _, passage = reviewed
    task = _annotated_task(catalog, passage)
    task["annotations"][0]["completed_by"] = 3  # Label Studio's own export: the user's id ...
    task["annotations"][0]["created_username"] = " dmitry@example.org, 3"  # ... and who that is
    decisions = decisions_from_labelstudio([task], catalog, "fallback")
    assert {d["annotator"] for d in decisions} == {"dmitry@example.org"}


KAZ_S = "Students from Kazakhstan's universities study at MGIMO."


def _mentions_kazakhstans():
    return [{"start": 14, "end": 24, "label": "GPE"}, {"start": 49, "end": 54, "label": "UNIVERSITY"}]


def test_a_mention_ending_inside_a_word_ends_at_a_token_edge():
    tags = iob2_lines(KAZ_S, _mentions_kazakhstans())
    assert ("Kazakhstan", "B-GPE") in tags
    assert tags[tags.index(("Kazakhstan", "B-GPE")) + 1] == ("'s", "O")


def test_conll_2003_export_has_no_comment_lines_and_names_passages_in_a_sidecar_file(catalog, reviewed, tmp_path):
    store, passage = reviewed
    export_conll(catalog, store, tmp_path / "reviewed.conll")
    lines = (tmp_path / "reviewed.conll").read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line.startswith("#")]
    assert (tmp_path / "reviewed.conll.ids").read_text(encoding="utf-8").splitlines() == [passage["passage_id"]]


def test_spacy_convert_reads_the_conll_export_with_every_entity(catalog, reviewed, tmp_path):
    import subprocess
    import sys

    import spacy
    from spacy.tokens import DocBin

    store, passage = reviewed
    export_conll(catalog, store, tmp_path / "reviewed.conll")
    subprocess.run([sys.executable, "-m", "spacy", "convert", str(tmp_path / "reviewed.conll"), str(tmp_path),
                    "-c", "ner", "-n", "1"], check=True, capture_output=True)
    [doc] = list(DocBin().from_disk(tmp_path / "reviewed.spacy").get_docs(spacy.blank("xx").vocab))
    got = sorted((e.text, e.label_) for e in doc.ents)
    expected = sorted((m["text"], m["label"]) for m in passage["entities"])
    assert got == expected


def test_conllu_export_is_read_by_a_conllu_reader_with_entities_in_misc(catalog, reviewed, tmp_path):
    import conllu

    from pipeline.review.exports import export_conllu

    store, passage = reviewed
    export_conllu(catalog, store, tmp_path / "reviewed.conllu")
    [sentence] = conllu.parse((tmp_path / "reviewed.conllu").read_text(encoding="utf-8"))
    assert sentence.metadata["passage_id"] == passage["passage_id"]
    tags = [(t["form"], (t["misc"] or {}).get("NER")) for t in sentence]
    assert ("Moscow", "B-UNIVERSITY") in tags and ("MGIMO", "B-UNIVERSITY") in tags
