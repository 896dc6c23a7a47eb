"""Covariate effects on topic prevalence: recovery of known effects, bad input, and the stage wiring.

The simulated documents (tests/effects_simulation.py) have known effects of perspective,
year and genre on topic prevalence; the estimator must find them inside its intervals at
about the nominal rate. The slow test measures that over 200 data sets.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from effects_simulation import TOPICS, coverage_runs, expected_mix, settings, simulate, summarise

from pipeline.errors import PipelineError
from pipeline.topics import stage
from pipeline.topics.effects import document_covariates, estimate_effects
from pipeline.topics.model import TopicFit, plan_clustering
from pipeline.topics.settings import CompareSettings, EffectsSettings, TopicSettings

GROUPS = ["kazakh", "russian", "chinese"]


def _simulated(n_docs=200, seed=1):
    return simulate(n_docs, np.random.default_rng(seed))


def _estimate(shares, covariates, **overrides):
    chosen = settings(n_boot=overrides.pop("n_boot", 200), seed=0)
    for key, value in overrides.items():
        setattr(chosen, key, value)
    return estimate_effects(shares, covariates, chosen, "perspective", GROUPS)


# --- what the numbers mean -------------------------------------------------------------------------


def test_without_noise_the_marginal_effects_are_the_model_contrasts_exactly():
    _, covariates = _simulated(150)
    mixes = np.array([expected_mix(p, g, y) for p, g, y in covariates[["perspective", "genre", "year"]].itertuples(
        index=False)])
    shares = pd.DataFrame(mixes, index=covariates.index, columns=TOPICS)
    result = _estimate(shares, covariates, n_boot=20)
    effects = result.effects.set_index(["column", "level", "topic_id"])["estimate"]
    mean_year = covariates["year"].mean()
    from effects_simulation import GENRE, PERSPECTIVE, TREND, YEAR_SLOPE
    for k in TOPICS:
        assert effects[("genre", "news", k)] == pytest.approx(GENRE["news"][k], abs=1e-9)
        # the AME of a perspective is its difference at the documents' own years
        expected = PERSPECTIVE["russian"][k] + TREND["russian"][k] * (mean_year - 2017)
        assert effects[("perspective", "russian", k)] == pytest.approx(expected, abs=1e-9)
        share = covariates["perspective"].value_counts(normalize=True)
        slope = YEAR_SLOPE[k] + sum(share[p] * TREND[p][k] for p in share.index)
        assert effects[("year", "+1", k)] == pytest.approx(slope, abs=1e-9)


def test_prevalence_over_time_follows_each_groups_own_trend():
    _, covariates = _simulated(150)
    mixes = np.array([expected_mix(p, g, y) for p, g, y in covariates[["perspective", "genre", "year"]].itertuples(
        index=False)])
    result = _estimate(pd.DataFrame(mixes, index=covariates.index, columns=TOPICS), covariates, n_boot=20)
    over = result.over_time[result.over_time["topic_id"] == 1].set_index(["group", "time"])["prevalence"]
    genre_mix = covariates["genre"].value_counts(normalize=True)
    for group in GROUPS:
        for year in (2010.0, 2024.0):
            truth = sum(share * expected_mix(group, g, year)[1] for g, share in genre_mix.items())
            assert over[(group, year)] == pytest.approx(truth, abs=1e-9)
    # topic 1 rises for Chinese-perspective documents and stays flat for Russian ones
    assert over[("chinese", 2024.0)] - over[("chinese", 2010.0)] == pytest.approx(14 * 0.007)
    assert over[("russian", 2024.0)] == pytest.approx(over[("russian", 2010.0)])
    assert result.summary["interaction"] == "year × perspective"
    assert list(dict.fromkeys(result.over_time["group"])) == GROUPS


def test_reference_level_is_the_first_compare_group_else_the_first_in_sorted_order():
    shares, covariates = _simulated(120)
    result = _estimate(shares, covariates, n_boot=20)
    assert result.summary["reference_levels"] == {"perspective": "kazakh", "genre": "journal_article"}
    sorted_result = estimate_effects(shares, covariates, settings(20, 0), "perspective", [])
    assert sorted_result.summary["reference_levels"]["perspective"] == "chinese"


def test_bootstrap_is_reproducible_with_the_seed_and_changes_without_it():
    shares, covariates = _simulated(120)
    a, b = _estimate(shares, covariates), _estimate(shares, covariates)
    pd.testing.assert_frame_equal(a.effects, b.effects)
    c = _estimate(shares, covariates, seed=7)
    assert not np.allclose(a.effects["ci_low"], c.effects["ci_low"])
    np.testing.assert_allclose(a.effects["estimate"], c.effects["estimate"])


def test_recovers_known_effects_within_intervals_at_about_the_nominal_rate():
    eff, over = coverage_runs(reps=20, n_docs=200, n_boot=150, seed=11)
    assert 0.85 <= eff["covered"].mean() <= 0.99
    assert 0.85 <= over["covered"].mean() <= 0.99
    table = summarise(eff)
    # no effect is estimated with a bias as large as a quarter of its interval's width
    assert (table["bias"].abs() < table["width"] / 4).all(), table


@pytest.mark.slow
def test_coverage_over_200_simulated_data_sets_is_nominal():
    eff, over = coverage_runs(reps=200, n_docs=250, n_boot=1000, seed=2026)
    table = summarise(eff)
    assert 0.90 <= eff["covered"].mean() <= 0.99, table
    assert (table["coverage"] >= 0.85).all(), table
    assert 0.90 <= over["covered"].mean() <= 0.99


# --- bad input ------------------------------------------------------------------------------------


def test_documents_with_a_missing_covariate_are_left_out_and_counted():
    shares, covariates = _simulated(120)
    covariates.loc[covariates.index[:7], "year"] = np.nan
    covariates.loc[covariates.index[5:9], "genre"] = ""
    result = _estimate(shares, covariates, n_boot=20)
    assert result.summary["n_docs"] == 120 - 9
    assert any("9 of 120 document(s) have a missing value ('year' in 7, 'genre' in 4)" in n for n in result.notes)


def test_missing_values_leaving_too_few_documents_name_the_column_and_the_fix():
    shares, covariates = _simulated(30)
    covariates.loc[covariates.index[:25], "genre"] = ""
    with pytest.raises(PipelineError, match=r"leave 5 of 30 documents.*min_docs=10.*'genre' is missing for 25.*"
                                            r"Fill in 'genre' in corpus/metadata.csv, or remove it"):
        _estimate(shares, covariates)


def test_a_covariate_with_a_single_level_is_dropped_with_a_note():
    shares, covariates = _simulated(120)
    covariates["genre"] = "news"
    result = _estimate(shares, covariates, n_boot=20)
    assert "genre" not in set(result.effects["column"]) and result.summary["covariates"] == ["perspective", "year"]
    assert any("'genre' has a single value ('news')" in n and "no effect to estimate" in n for n in result.notes)


def test_levels_with_few_documents_are_named_in_a_note():
    shares, covariates = _simulated(120)
    covariates.loc[covariates.index[:3], "genre"] = "interview"
    result = _estimate(shares, covariates, n_boot=50)
    assert any("in 'genre', 'interview' (3) have fewer than 5 documents" in n for n in result.notes)
    assert result.effects.query("level == 'interview'")["n_level_docs"].eq(3).all()


def test_a_corpus_smaller_than_min_docs_is_not_modelled_and_says_why():
    shares, covariates = _simulated(6)
    result = _estimate(shares, covariates)
    assert result.effects.empty and result.over_time.empty and result.summary == {"estimated": False}
    assert any("6 document(s), fewer than effects.min_docs=10" in n for n in result.notes)


def test_covariates_that_carry_the_same_documents_are_refused():
    shares, covariates = _simulated(80)
    covariates["partner"] = covariates["perspective"].map({"kazakh": "both", "russian": "russia", "chinese": "china"})
    chosen = settings(20, 0)
    chosen.covariates = ["perspective", "year", "partner"]
    with pytest.raises(PipelineError, match=r"'partner=china'.*cannot be separated.*Remove one of the overlapping"):
        estimate_effects(shares, covariates, chosen, "perspective", GROUPS)


def _corpus(n_docs=12):
    rows = []
    for d in range(n_docs):
        for i in range(3):
            rows.append({"doc_id": f"d{d:02d}", "passage_id": f"d{d:02d}-{i}", "text": f"text {d} {i}",
                         "perspective": GROUPS[d % 3], "year": str(2015 + d % 5), "genre": ["news", "report"][d % 2]})
    return pd.DataFrame(rows)


def test_a_covariate_that_is_not_a_column_lists_the_available_ones():
    with pytest.raises(PipelineError, match=r"lists \['region'\], which the passages have no column for.*\['genre', 'perspective', 'year'\]"):
        document_covariates(_corpus(), EffectsSettings(covariates=["perspective", "region"]))


def test_a_numeric_covariate_with_text_names_the_value_and_the_document():
    corpus = _corpus()
    corpus.loc[corpus["doc_id"] == "d03", "year"] = "circa 2018"
    with pytest.raises(PipelineError, match=r"'year' is numeric.*document 'd03' has the value 'circa 2018'"):
        document_covariates(corpus, EffectsSettings())


def test_numeric_years_read_from_text_and_missing_ones_stay_missing():
    corpus = _corpus()
    corpus.loc[corpus["doc_id"] == "d01", "year"] = ""
    table = document_covariates(corpus, EffectsSettings())
    assert table.loc["d00", "year"] == 2015.0 and np.isnan(table.loc["d01", "year"])
    assert table.loc["d00", "perspective"] == "kazakh" and list(table.index) == sorted(table.index)


# --- through the stage ----------------------------------------------------------------------------


def _planted_corpus(n_docs=40, passages=10, seed=3):
    """Documents whose passages' topics depend on perspective and year (known signs)."""
    rng = np.random.default_rng(seed)
    rows, topics = [], []
    for d in range(n_docs):
        perspective, year = GROUPS[d % 3], 2012 + d % 10
        genre = ["news", "journal_article"][(d // 3) % 2]
        p_first = 0.2 + (0.5 if perspective == "russian" else 0.0) + 0.02 * (year - 2012)
        for i in range(passages):
            topic = 0 if rng.random() < p_first else 1
            words = ["university exchange students", "railway trade agreement"][topic]
            rows.append({"doc_id": f"doc{d:03d}", "passage_id": f"doc{d:03d}-{i:02d}", "passage_index": i,
                         "text": f"{words} {['grant', 'visit', 'forum'][i % 3]}", "lang": "en",
                         "perspective": perspective, "year": year if d != 0 else np.nan, "genre": genre})
            topics.append(topic)
    return pd.DataFrame(rows), np.array(topics)


def test_analyse_writes_effects_and_prevalence_over_time(tmp_path, monkeypatch):
    corpus, planted = _planted_corpus()

    def fake_fit(texts, embeddings, topic_settings, embedder=None):
        return TopicFit(topics=planted, plan=plan_clustering(len(texts), topic_settings),
                        outliers_before_reduction=0, model=None)

    monkeypatch.setattr(stage, "fit_topics", fake_fit)
    vectors = np.eye(2)[planted] + 0.01
    result = stage.analyse(corpus, vectors, pd.DataFrame(columns=list(stage.ENTITY_COLUMNS)), TopicSettings(),
                           CompareSettings(groups=GROUPS, n_boot=50),
                           effect_settings=EffectsSettings(n_boot=200))
    effects = result.effects.set_index(["column", "level", "topic_id"])
    russian = effects.loc[("perspective", "russian", 0)]
    assert russian["ci_low"] > 0.2 and russian["excludes_zero"]
    assert effects.loc[("year", "+1", 0), "estimate"] > 0
    assert result.groups["effects"]["n_docs"] == 39
    assert any("1 of 40 document(s) have a missing value ('year' in 1)" in n for n in result.groups["notes"])
    over = result.prevalence_over_time
    assert set(over["group"]) == set(GROUPS) and sorted(set(over["time"])) == [float(y) for y in range(2012, 2022)]

    stage.write_result(result, tmp_path / "topics", tmp_path / "metrics.json")
    written = pd.read_parquet(tmp_path / "topics" / "effects.parquet")
    pd.testing.assert_frame_equal(written, result.effects.reset_index(drop=True), check_dtype=False)
    assert len(pd.read_parquet(tmp_path / "topics" / "prevalence_over_time.parquet")) == len(over)
    groups = json.loads((tmp_path / "topics" / "groups.json").read_text(encoding="utf-8"))
    assert groups["effects"]["interaction"] == "year × perspective"


def test_bad_covariate_fails_before_any_embedding(tmp_path):
    corpus, _ = _planted_corpus()
    corpus.drop(columns=["lang", "passage_index"]).to_parquet(tmp_path / "passages.parquet", index=False)
    corpus[["passage_id", "lang"]].to_parquet(tmp_path / "languages.parquet", index=False)

    class Refusing:
        name, cacheable = "refusing", False

        def embed(self, texts):
            raise AssertionError("embedded before checking the covariates")

    with pytest.raises(PipelineError, match=r"lists \['region'\], which the passages have no"):
        stage.run_stage(tmp_path / "passages.parquet", tmp_path / "languages.parquet", None, tmp_path / "out",
                        tmp_path / "m.json", None, TopicSettings(min_chars=1), CompareSettings(), Refusing(),
                        effect_settings=EffectsSettings(covariates=["region"]))
    assert not (tmp_path / "out").exists()
