"""Small pieces of the report: network, layout, KWIC, difference notes, metrics, CLI."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pipeline.__main__ import build_parser, main
from pipeline.errors import PipelineError
from pipeline.report.network import cooccurrence, spring_layout
from pipeline.report.sections.comparison import difference_note
from pipeline.report.sections.entities import kwic_lines
from pipeline.report.sections.method import flatten
from pipeline.report.settings import ReportSettings

# A passage from corpus/documents/004_d98a56fc3730fc67.txt
FORUM = ("During the forum of rectors of Russia and Kazakhstan universities, the South Ural State University "
         "(SUSU) signed cooperation memorandums with 6 higher education institutions of Kazakhstan. The largest "
         "of them is Abai Kazakh National Pedagogical University.")


def _mention(pid, doc, cid, name, label, text, passage=FORUM, specific=True):
    start = passage.index(text)
    return {"passage_id": pid, "doc_id": doc, "start": start, "end": start + len(text), "text": text,
            "label": label, "canonical_id": cid, "canonical_name": name, "specific": specific}


def _entities():
    return pd.DataFrame([
        _mention("p1", "d1", "Q_susu", "South Ural State University", "UNIVERSITY", "South Ural State University"),
        _mention("p1", "d1", "Q_kaznpu", "Abai KazNPU", "UNIVERSITY", "Abai Kazakh National Pedagogical University"),
        _mention("p1", "d1", "Q_memo", "memorandums", "AGREEMENT", "cooperation memorandums", specific=False),
        _mention("p2", "d1", "Q_susu", "South Ural State University", "UNIVERSITY", "South Ural State University"),
        _mention("p3", "d2", "Q_mgimo", "MGIMO", "UNIVERSITY", "Kazakhstan"),
    ])


def test_universities_named_in_one_passage_are_linked_with_the_shared_count():
    net = cooccurrence(_entities(), ("UNIVERSITY", "AGREEMENT"), unit="passage")
    names = list(net.nodes["canonical_id"])
    assert names[0] == "Q_susu"  # most mentioned first
    pair = tuple(sorted((names.index("Q_susu"), names.index("Q_kaznpu"))))
    assert net.edges == [(*pair, 1)]


def test_generic_agreement_mentions_are_not_network_nodes():
    net = cooccurrence(_entities(), ("AGREEMENT",), unit="passage")
    assert net.nodes.empty and net.edges == []


def test_document_unit_links_entities_across_passages_of_one_document():
    entities = _entities()
    entities.loc[4, "doc_id"] = "d1"
    net = cooccurrence(entities, ("UNIVERSITY",), unit="document")
    assert len(net.edges) == 3  # three universities in d1: every pair


def test_max_nodes_keeps_the_most_mentioned():
    net = cooccurrence(_entities(), ("UNIVERSITY",), max_nodes=1)
    assert list(net.nodes["canonical_id"]) == ["Q_susu"]


def test_spring_layout_is_deterministic_and_spreads_nodes():
    edges = [(0, 1, 3), (1, 2, 1), (2, 0, 1), (3, 4, 2)]
    a, b = spring_layout(6, edges, seed=0), spring_layout(6, edges, seed=0)
    assert np.array_equal(a, b)
    distances = np.linalg.norm(a[:, None] - a[None], axis=-1) + np.eye(6)
    assert distances.min() > 0.1
    assert np.abs(a).max() == pytest.approx(1.0)


def test_kwic_line_cuts_context_at_words_and_keeps_the_keyword():
    mention = pd.DataFrame([_mention("p1", "d1", "Q_memo", "m", "AGREEMENT", "cooperation memorandums")])
    [line] = kwic_lines(mention, pd.Series({"p1": FORUM}), window=30)
    assert line["keyword"] == "cooperation memorandums"
    assert line["left"].startswith("… ") and line["left"].endswith("(SUSU) signed ")
    assert line["right"].startswith(" with 6") and line["right"].endswith(" …")


def test_kwic_skips_mentions_whose_offsets_do_not_fit_the_passage():
    bad = pd.DataFrame([{"passage_id": "p1", "doc_id": "d1", "start": 10, "end": 10_000}])
    assert kwic_lines(bad, pd.Series({"p1": FORUM}), window=30) == []


def _diff(distinguishable, diff=0.2, lo=0.05, hi=0.35, a="russia", b="china"):
    return SimpleNamespace(group_a=a, group_b=b, diff=diff, ci_low=lo, ci_high=hi, distinguishable=distinguishable)


def test_difference_note_names_the_group_that_writes_more():
    note = difference_note(_diff(True), set(), "migration")
    assert note.startswith("russia writes more about “migration”") and "+5.0 to +35.0" in note


def test_difference_note_says_when_noise_cannot_be_ruled_out():
    assert difference_note(_diff(False, lo=-0.1), set(), "t").startswith("Cannot be told from noise")


def test_difference_note_refuses_to_judge_a_too_small_group():
    assert "china has too few documents" in difference_note(_diff(True), {"china"}, "t")


def test_metrics_of_any_shape_flatten_to_dotted_keys():
    rows = flatten({"per_label": {"PERSON": {"f1": 0.87}}, "splits": [{"name": "dev", "n": 3}]})
    assert rows == [("per_label.PERSON.f1", 0.87), ("splits[0].n", 3), ("splits[0].name", "dev")]


def test_settings_reject_an_unknown_network_unit():
    with pytest.raises(PipelineError, match="network_unit"):
        ReportSettings(network_unit="sentence")


def test_cli_help_describes_the_report_command():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    help_text = sub.choices["report"].format_help()
    assert "--allow-stale" in help_text and "outputs/report" in help_text


def test_cli_without_upstream_outputs_exits_2_naming_the_stages(tmp_path, capsys):
    code = main(["report", "--outputs", str(tmp_path / "none"), "--out", str(tmp_path / "r"),
                 "--params", str(tmp_path / "params.yaml"), "--root", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "stage 'ingest': passages.parquet, ingest_report.json" in err and "dvc repro topics" in err
    assert not (tmp_path / "r").exists()


def test_bytecode_written_by_imports_does_not_make_code_look_newer(tmp_path):
    import os

    from pipeline.report.freshness import newest_mtime

    code = tmp_path / "pipeline" / "ingest"
    (code / "__pycache__").mkdir(parents=True)
    (code / "stage.py").write_text("x = 1\n", encoding="utf-8")
    os.utime(code / "stage.py", (1000, 1000))
    (code / "__pycache__" / "stage.cpython-311.pyc").write_bytes(b"\0")
    assert newest_mtime(code) == 1000
