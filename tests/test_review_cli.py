"""`python -m pipeline review …` subcommands (export, import-labelstudio, restore, agreement)."""

from __future__ import annotations

import json

import pytest

from pipeline.__main__ import main
from pipeline.decisions.records import read_jsonl, text_sha1
from pipeline.fixtures.sample_outputs import write_sample_outputs
from pipeline.review.store import DecisionStore


@pytest.fixture
def workdir(corpus_dir, tmp_path, monkeypatch):
    """A project directory with sample outputs and one reviewed passage (the MGIMO line).

    The CLI is limited to the review and evaluate commands so other stages' imports do not
    slow these tests down.
    """
    monkeypatch.setattr("pipeline.__main__.COMMAND_MODULES", ("pipeline.review.cli", "pipeline.evaluate"))
    passages, _ = write_sample_outputs(corpus_dir, tmp_path / "outputs")
    monkeypatch.chdir(tmp_path)
    p = passages[passages["text"].str.contains("(MGIMO) MFA of Russia", regex=False)].iloc[0]
    store = DecisionStore(tmp_path / "corpus" / "annotations" / "review.sqlite")
    store.record({"annotator": "aigerim", "doc_id": p["doc_id"], "passage_id": p["passage_id"],
                  "passage_sha1": text_sha1(p["text"]), "action": "review_passage"})
    return tmp_path


def test_export_writes_the_jsonl_and_every_tool_format(workdir, capsys):
    assert main(["review", "export"]) == 0
    assert len(read_jsonl(workdir / "corpus" / "annotations" / "decisions.jsonl")) == 1
    for name in ("reviewed.conll", "reviewed.conll.ids", "reviewed.conllu", "reviewed.spacy", "labelstudio.json"):
        assert (workdir / "outputs" / "review" / name).stat().st_size > 0
    assert "1 passages" in capsys.readouterr().out


def test_export_refuses_an_unknown_format_by_name(workdir, capsys):
    assert main(["review", "export", "--formats", "jsonl,brat"]) == 2
    assert "brat" in capsys.readouterr().err


def test_labelstudio_round_trip_through_the_command_line(workdir):
    main(["review", "export", "--formats", "labelstudio"])
    tasks = json.loads((workdir / "outputs" / "review" / "labelstudio.json").read_text(encoding="utf-8"))
    annotated = [t for t in tasks if t.get("annotations")]
    for r in annotated[0]["annotations"][0]["result"]:
        r["value"]["labels"] = ["ORG"] if r["value"]["text"] == "MGIMO" else r["value"]["labels"]
    annotated[0]["annotations"][0]["completed_by"] = "dmitry"
    (workdir / "ls.json").write_text(json.dumps(annotated), encoding="utf-8")
    assert main(["review", "import-labelstudio", "ls.json"]) == 0
    decisions = read_jsonl(workdir / "corpus" / "annotations" / "decisions.jsonl")
    assert [d["result"]["label"] for d in decisions if d["action"] == "relabel"] == ["ORG"]


def test_restore_rebuilds_a_database_from_the_text_export(workdir):
    main(["review", "export", "--formats", "jsonl"])
    assert main(["review", "restore", "corpus/annotations/decisions.jsonl", "--db", "restored.sqlite"]) == 0
    assert [d["action"] for d in DecisionStore(workdir / "restored.sqlite").all()] == ["review_passage"]


def test_a_corrupt_database_stops_the_command_with_advice_and_is_kept(workdir, capsys):
    db = workdir / "damaged.sqlite"
    db.write_bytes(b"\x00garbage" * 512)
    assert main(["review", "export", "--db", "damaged.sqlite"]) == 2
    assert "review restore" in capsys.readouterr().err
    assert db.read_bytes() == b"\x00garbage" * 512


def test_agreement_command_writes_json(workdir):
    assert main(["review", "agreement", "--out", "agreement.json"]) == 0
    result = json.loads((workdir / "agreement.json").read_text(encoding="utf-8"))
    assert result["annotators"] == ["aigerim"] and result["pairs"] == []


def test_the_text_export_does_not_depend_on_which_database_wrote_it(workdir):
    main(["review", "export", "--formats", "jsonl"])
    first = (workdir / "corpus" / "annotations" / "decisions.jsonl").read_bytes()
    main(["review", "restore", "corpus/annotations/decisions.jsonl", "--db", "clone.sqlite"])
    main(["review", "export", "--formats", "jsonl", "--db", "clone.sqlite", "--jsonl", "clone.jsonl"])
    assert (workdir / "clone.jsonl").read_bytes() == first


def test_exports_can_be_rebuilt_from_the_text_export_alone(workdir):
    main(["review", "export", "--formats", "jsonl"])
    (workdir / "corpus" / "annotations" / "review.sqlite").rename(workdir / "elsewhere.sqlite")
    assert main(["review", "export", "--from-jsonl", "--formats", "conll", "--out-dir", "dvc"]) == 0
    assert (workdir / "dvc" / "reviewed.conll.ids").read_text(encoding="utf-8").count("\n") == 1
    assert not (workdir / "corpus" / "annotations" / "review.sqlite").exists()


def test_uncertainty_command_scores_every_passage_against_a_second_opinion(workdir, repo_root):
    import pandas as pd

    (workdir / "params.yaml").write_text(
        f"review:\n  second_opinion: {{en: rules}}\nentities:\n  gazetteer: {repo_root}/models/gazetteer/entities.tsv\n",
        encoding="utf-8")
    assert main(["review", "uncertainty"]) == 0
    frame = pd.read_parquet(workdir / "outputs" / "review_queue" / "uncertainty.parquet")
    passages = pd.read_parquet(workdir / "outputs" / "passages.parquet")
    assert sorted(frame["passage_id"]) == sorted(passages["passage_id"])
    assert frame["uncertainty"].between(0, 1).all()
    assert set(frame.loc[frame["lang"] == "en", "second_opinion"]) == {"rules"}
