"""The evaluate stage: machine mentions scored against reviewed decisions."""

from __future__ import annotations

import json

import pytest

from pipeline.__main__ import main
from pipeline.decisions.records import text_sha1
from pipeline.evaluate import evaluate, match_partial, prf
from pipeline.fixtures.sample_outputs import seed_outputs, write_sample_outputs
from pipeline.review.store import DecisionStore


@pytest.fixture(scope="module")
def seed(corpus_dir):
    return seed_outputs(corpus_dir)


def _review(store: DecisionStore, passages, entities, needle: str, changes: dict[str, dict | None],
            add: list[dict] | None = None, annotator: str = "aigerim") -> str:
    """Review the passage containing `needle`: change given mentions (text → result or None), mark reviewed."""
    p = passages[passages["text"].str.contains(needle, regex=False)].iloc[0]
    base = {"annotator": annotator, "doc_id": p["doc_id"], "passage_id": p["passage_id"],
            "passage_sha1": text_sha1(p["text"])}
    for _, m in entities[entities["passage_id"] == p["passage_id"]].iterrows():
        proposed = {"start": int(m["start"]), "end": int(m["end"]), "label": m["label"], "text": m["text"],
                    "canonical_id": m["canonical_id"]}
        change = changes.get(m["text"], {})
        action = "reject" if change is None else ("relabel" if change else "accept")
        result = None if change is None else dict(proposed, **change)
        if change and "start" in change:
            action, result["text"] = "respan", p["text"][change["start"]:change["end"]]
        store.record(dict(base, mention_id=m["mention_id"], action=action, proposed=proposed, result=result))
    for a in add or []:
        result = dict(a, text=p["text"][a["start"]:a["end"]], canonical_id="")
        store.record(dict(base, mention_id=f"{p['passage_id']}:{a['start']}-{a['end']}", action="add",
                          proposed=None, result=result))
    store.record(dict(base, action="review_passage"))
    return p["passage_id"]


def test_scores_are_undefined_rather_than_zero_when_nothing_was_predicted():
    assert prf(0, 0, 3) == {"precision": None, "recall": 0.0, "f1": None, "tp": 0, "fp": 0, "fn": 3,
                            "support": 3, "predicted": 0}


def test_partial_matching_pairs_overlapping_spans_of_the_same_label_one_to_one():
    gold = [("p", 0, 10, "UNIVERSITY")]
    pred = [("p", 0, 5, "UNIVERSITY"), ("p", 3, 10, "UNIVERSITY"), ("p", 0, 10, "PERSON")]
    matched_gold, matched_pred = match_partial(gold, pred)
    assert matched_gold == {("p", 0, 10, "UNIVERSITY")}
    assert matched_pred == {("p", 3, 10, "UNIVERSITY")}  # the larger overlap wins


def test_accepting_everything_scores_the_machine_perfect_on_reviewed_passages_only(seed, tmp_path):
    passages, entities = seed
    store = DecisionStore(tmp_path / "r.sqlite")
    _review(store, passages, entities, "Tokayev graduated", {})
    store.export_jsonl(tmp_path / "d.jsonl")
    metrics = evaluate(entities, passages, tmp_path / "d.jsonl")
    overall = metrics["exact"]["overall"]
    assert metrics["reviewed_passages"] == 1
    assert (overall["precision"], overall["recall"], overall["fp"], overall["fn"]) == (1.0, 1.0, 0, 0)
    assert overall["tp"] == int((entities["passage_id"] == store.all()[0]["passage_id"]).sum())


def test_a_rejection_is_a_false_positive_and_an_addition_a_false_negative(seed, tmp_path):
    passages, entities = seed
    store = DecisionStore(tmp_path / "r.sqlite")
    text = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]["text"]
    start = text.index("Abai KazNPU")
    _review(store, passages, entities, "Rector of Abai KazNPU", {"Chelyabinsk": None},
            add=[{"start": start, "end": start + 11, "label": "UNIVERSITY"}])
    store.export_jsonl(tmp_path / "d.jsonl")
    metrics = evaluate(entities, passages, tmp_path / "d.jsonl")
    assert metrics["exact"]["per_label"]["GPE"]["fp"] == text.count("Chelyabinsk") == 2
    assert metrics["exact"]["per_label"]["UNIVERSITY"]["fn"] == 1
    assert metrics["exact"]["per_label"]["PERSON"] == {**metrics["exact"]["per_label"]["PERSON"],
                                                       "tp": 1, "fp": 0, "fn": 0}
    assert set(metrics["exact"]["per_lang"]) == {"en"}


def test_a_boundary_correction_misses_exactly_but_matches_partially(seed, tmp_path):
    passages, entities = seed
    store = DecisionStore(tmp_path / "r.sqlite")
    text = passages[passages["text"].str.contains("Tokayev graduated", regex=False)].iloc[0]["text"]
    start = text.index("K. K. Tokayev")
    _review(store, passages, entities, "Tokayev graduated", {"Tokayev": {"start": start, "end": start + 13}})
    store.export_jsonl(tmp_path / "d.jsonl")
    metrics = evaluate(entities, passages, tmp_path / "d.jsonl")
    assert metrics["exact"]["per_label"]["PERSON"]["tp"] == 0
    assert metrics["partial"]["per_label"]["PERSON"]["tp"] == 1


def test_per_language_scores_follow_the_passage_language(seed, tmp_path):
    passages, entities = seed
    store = DecisionStore(tmp_path / "r.sqlite")
    _review(store, passages, entities, "Бибіназ Әлманова", {"Сергей Рязанцев": None})
    store.export_jsonl(tmp_path / "d.jsonl")
    kk = evaluate(entities, passages, tmp_path / "d.jsonl")["exact"]["per_lang"]["kk"]
    assert (kk["tp"], kk["fp"], kk["fn"]) == (2, 1, 0)


@pytest.fixture(autouse=True)
def only_evaluate_command(monkeypatch):
    """Keep the CLI to this command so other stages' imports do not slow the tests."""
    monkeypatch.setattr("pipeline.__main__.COMMAND_MODULES", ("pipeline.evaluate",))


def test_the_command_writes_zero_counts_and_a_note_when_nobody_reviewed_yet(corpus_dir, tmp_path, monkeypatch):
    write_sample_outputs(corpus_dir, tmp_path / "outputs")
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate"]) == 0
    metrics = json.loads((tmp_path / "outputs" / "metrics_details.json").read_text(encoding="utf-8"))
    assert metrics["decisions"] == 0 and metrics["exact"]["overall"]["tp"] == 0
    assert "No review decisions yet" in metrics["note"]


def test_the_command_explains_what_to_run_when_machine_entities_are_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate"]) == 2
    assert "dvc repro entities" in capsys.readouterr().err
