"""The `language` stage and the `detect-language` tool, end to end on small real inputs."""

import json

import pandas as pd
import pytest

from pipeline.__main__ import main
from pipeline.metrics_files import details_path

LINES = [
    "Аңдатпа. Жаһандық өзгерістер жағдайында жастардың жоғары білімді шетелде игеруі трендке айналуда.",
    "Аннотация. В условиях глобальных изменений освоение молодыми людьми высшего образования за рубежом в тренде.",
    "The article examines the main reasons for the educational migration of Kazakh youth to Russia.",
    "УДК: 37.016.3",
    "The rating indicators of these universities are very high. Ресей халық шаруашылығы және Мемлекеттік қызмет академиясы кіреді.",
]


@pytest.fixture(scope="module")
def stage_run(tmp_path_factory):
    """One run of the stage on five corpus lines, shared by the tests that read its outputs."""
    tmp_path = tmp_path_factory.mktemp("language")
    path = tmp_path / "passages.parquet"
    pd.DataFrame({"doc_id": ["d"] * len(LINES), "passage_id": [f"d-{i}" for i in range(len(LINES))],
                  "text": LINES}).to_parquet(path, index=False)
    return run_stage(tmp_path, path)


def run_stage(tmp_path, passages_path):
    out, metrics = tmp_path / "languages.parquet", tmp_path / "metrics.json"
    code = main(["language", "--passages", str(passages_path), "--out", str(out), "--metrics", str(metrics),
                 "--params", str(tmp_path / "absent.yaml")])
    return code, out, metrics


def test_stage_writes_the_contract_columns_in_passage_order(stage_run):
    code, out, _ = stage_run
    assert code == 0
    frame = pd.read_parquet(out)
    assert list(frame.columns[:7]) == ["passage_id", "doc_id", "lang", "script", "confidence", "detector", "segments"]
    assert frame["passage_id"].tolist() == [f"d-{i}" for i in range(len(LINES))]
    assert frame["lang"].tolist() == ["kk", "ru", "en", "und", frame["lang"][4]]
    assert set(frame["detector"]) == {"project"}
    assert frame["confidence"].between(0, 1).all()


def test_stage_records_segments_as_json_only_for_the_mixed_passage(stage_run):
    _, out, _ = stage_run
    segments = [json.loads(s) for s in pd.read_parquet(out)["segments"]]
    assert segments[:4] == [[], [], [], []]
    assert [s["lang"] for s in segments[4]] == ["en", "kk"]
    assert set(segments[4][0]) == {"start", "end", "lang", "script", "confidence"}


def test_stage_metrics_report_held_out_accuracy_per_language_and_bucket(stage_run):
    _, _, metrics = stage_run
    report = json.loads(details_path(metrics).read_text(encoding="utf-8"))  # the full record beside the metrics
    assert set(report["gold"]) == {"sentence", "snippet3", "word"}
    assert set(report["gold"]["sentence"]["accuracy"]) == {"en", "kk", "ru"}
    assert report["gold"]["sentence"]["accuracy"]["kk"] >= 0.99
    assert report["corpus"]["mixed_passages"] == 1
    assert report["corpus"]["undetermined"] == 1


def test_missing_passages_name_the_stage_to_run(tmp_path, capsys):
    code, out, metrics = run_stage(tmp_path, tmp_path / "nope.parquet")
    assert code == 2
    assert "dvc repro ingest" in capsys.readouterr().err
    assert not out.exists() and not metrics.exists()


def test_passages_without_text_column_are_refused_without_output(tmp_path, capsys):
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"passage_id": ["x"]}).to_parquet(bad, index=False)
    code, out, _ = run_stage(tmp_path, bad)
    assert code == 2
    assert "missing column(s) ['text']" in capsys.readouterr().err
    assert not out.exists()


def test_detect_language_writes_one_json_object_per_line_in_order(tmp_path, capsys):
    source = tmp_path / "lines.txt"
    source.write_text("\n".join([LINES[2], "", LINES[0], LINES[4]]) + "\n", encoding="utf-8")
    assert main(["detect-language", str(source), "--params", str(tmp_path / "absent.yaml")]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["lang"] for r in records[:3]] == ["en", "und", "kk"]
    assert "segments" not in records[0]
    assert [s["lang"] for s in records[3]["segments"]] == ["en", "kk"]
    assert {"lang", "script", "confidence"} <= set(records[0])


def test_detect_language_reads_standard_input(tmp_path, capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LINES[1].encode("utf-8"))))
    assert main(["detect-language", "--detector", "lingua", "--params", str(tmp_path / "absent.yaml")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["lang"] == "ru" and record["detector"] == "lingua"


def test_detect_language_refuses_a_non_utf8_file_by_name(tmp_path, capsys):
    source = tmp_path / "cp1251.txt"
    source.write_bytes(LINES[1].encode("cp1251"))
    assert main(["detect-language", str(source)]) == 2
    err = capsys.readouterr().err
    assert "cp1251.txt" in err and "not UTF-8" in err


def test_an_empty_passage_table_gives_an_empty_typed_output(tmp_path):
    empty = tmp_path / "empty.parquet"
    pd.DataFrame({"passage_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)}).to_parquet(empty)
    from pipeline.language.identify import LanguageIdentifier
    from pipeline.language.stage import identify_passages, read_passages

    frame = identify_passages(read_passages(empty), LanguageIdentifier(), progress=False)
    assert len(frame) == 0
    assert frame["lang"].dtype != float and frame["confidence"].dtype == float
