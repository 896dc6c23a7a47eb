"""Group comparison: document bootstrap, pairwise differences, log-odds terms, entity emphasis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.fixtures.seed_corpus import seed_passages
from pipeline.topics import compare
from pipeline.topics.settings import CompareSettings
from pipeline.topics.vectorizer import make_vectorizer

PASSAGES, LANGUAGES = seed_passages()


def test_missing_group_column_error_lists_the_available_columns():
    with pytest.raises(PipelineError) as err:
        compare.check_group_column(PASSAGES, "country", [])
    message = str(err.value)
    assert "'country'" in message and "perspective" in message and "partner" in message and "year" in message


def test_group_column_with_one_value_is_refused():
    one = PASSAGES[PASSAGES["partner"] == "russia"]
    with pytest.raises(PipelineError, match=r"1 value\(s\).*at least two groups"):
        compare.check_group_column(one, "partner", [])


def test_missing_values_are_not_a_group():
    # 003 has no year in metadata.csv: it must not become a group named ""
    assert compare.check_group_column(PASSAGES, "year", []) == ["2017", "2022", "2023", "2024"]


def test_requested_group_without_passages_is_named_in_the_error():
    with pytest.raises(PipelineError, match=r"\['kyrgyz'\].*values present: \['chinese', 'kazakh', 'russian'\]"):
        compare.check_group_column(PASSAGES, "perspective", ["kazakh", "kyrgyz"])


def _assignments(doc_topics: dict[str, list[int]], groups: dict[str, str]) -> pd.DataFrame:
    rows = [{"doc_id": d, "topic_id": t, "group": groups[d]} for d, ts in doc_topics.items() for t in ts]
    return pd.DataFrame(rows)


def test_prevalence_weighs_documents_equally_not_passages():
    # doc a: 9 passages all topic 0; doc b: 1 passage topic 1 → per-document mean 0.5 / 0.5
    assign = _assignments({"a": [0] * 9, "b": [1]}, {"a": "g", "b": "g"})
    boot = compare.bootstrap_prevalence(assign, ["g"], CompareSettings(n_boot=200))
    np.testing.assert_allclose(boot.point["g"], [0.5, 0.5])
    assert boot.n_docs["g"] == 2 and boot.n_passages["g"] == 10


def test_bootstrap_resamples_documents_so_one_document_gives_no_spread():
    assign = _assignments({"a": [0, 0, 1, 1, 1], "b": [0, 1], "c": [1, 1]}, {"a": "one", "b": "many", "c": "many"})
    boot = compare.bootstrap_prevalence(assign, ["one", "many"], CompareSettings(n_boot=300))
    table = compare.prevalence_table(boot, "perspective", 0.95)
    one = table[table["group"] == "one"]
    assert (one["ci_low"] == one["ci_high"]).all()  # one document: nothing to resample
    many = table[(table["group"] == "many") & (table["topic_id"] == 0)].iloc[0]
    assert many["ci_low"] == 0.0 and many["ci_high"] == 0.5  # either doc drawn twice, or one of each


def test_bootstrap_is_reproducible_with_the_seed():
    assign = _assignments({"a": [0, 1], "b": [1, 1], "c": [0, 0, 1]}, {"a": "g", "b": "g", "c": "g"})
    first = compare.bootstrap_prevalence(assign, ["g"], CompareSettings(n_boot=100, seed=7)).replicates["g"]
    again = compare.bootstrap_prevalence(assign, ["g"], CompareSettings(n_boot=100, seed=7)).replicates["g"]
    other = compare.bootstrap_prevalence(assign, ["g"], CompareSettings(n_boot=100, seed=8)).replicates["g"]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def _two_groups(n_docs: int, share_a: float, share_b: float) -> pd.DataFrame:
    docs, groups = {}, {}
    for i in range(n_docs):
        docs[f"a{i}"] = [0] * round(10 * share_a) + [1] * round(10 * (1 - share_a))
        docs[f"b{i}"] = [0] * round(10 * share_b) + [1] * round(10 * (1 - share_b))
        groups[f"a{i}"], groups[f"b{i}"] = "A", "B"
    return _assignments(docs, groups)


def test_clear_difference_between_large_groups_is_distinguishable():
    boot = compare.bootstrap_prevalence(_two_groups(8, 0.8, 0.2), ["A", "B"], CompareSettings(n_boot=200))
    diffs = compare.difference_table(boot, "perspective", 0.95, too_small=set())
    topic0 = diffs[diffs["topic_id"] == 0].iloc[0]
    assert topic0["diff"] == pytest.approx(0.6) and topic0["ci_low"] > 0 and topic0["distinguishable"]


def test_difference_involving_a_too_small_group_is_never_distinguishable():
    boot = compare.bootstrap_prevalence(_two_groups(8, 0.8, 0.2), ["A", "B"], CompareSettings(n_boot=200))
    diffs = compare.difference_table(boot, "perspective", 0.95, too_small={"B"})
    assert diffs["excludes_zero"].all() and not diffs["distinguishable"].any()


def test_notes_say_in_plain_words_when_differences_cannot_be_told_from_noise():
    boot = compare.bootstrap_prevalence(_two_groups(8, 0.5, 0.5), ["A", "B"], CompareSettings(n_boot=200))
    diffs = compare.difference_table(boot, "perspective", 0.95, too_small=set())
    method, note = compare.difference_notes(diffs, 0.95, {0: "migration", 1: "forum"})
    assert "Benjamini–Hochberg" in method and "all 2 topic × pair tests" in method
    assert note.startswith("'A' vs 'B': none of the 2 topic differences can be told from noise")


def test_log_odds_is_antisymmetric_and_zero_for_equal_use():
    prior = np.array([5.0, 5.0, 5.0])
    a, b = np.array([10.0, 2.0, 4.0]), np.array([2.0, 10.0, 4.0])
    z_ab, z_ba = compare.log_odds_z(a, b, prior), compare.log_odds_z(b, a, prior)
    np.testing.assert_allclose(z_ab, -z_ba)
    assert z_ab[0] > 0 > z_ab[1] and z_ab[2] == pytest.approx(0.0)


def test_distinctive_terms_of_the_china_document_name_china():
    texts = PASSAGES["text"].tolist()
    vectorizer = make_vectorizer(len(texts))
    counts = vectorizer.fit_transform(texts).tocsr()
    langs = LANGUAGES.set_index("passage_id").loc[PASSAGES["passage_id"], "lang"].to_numpy()
    group = PASSAGES["partner"].to_numpy()
    table = compare.distinctive_terms(counts, vectorizer.get_feature_names_out(), langs, group,
                                      ["china", "russia"], "partner", CompareSettings(n_terms=10))
    china_en = table[(table["group"] == "china") & (table["lang"] == "en")]
    assert "china" in china_en["term"].tolist()
    assert (china_en["score"] > 0).all() and china_en["score"].is_monotonic_decreasing
    assert "china" not in table[table["group"] == "russia"]["term"].tolist()


def test_entity_emphasis_counts_mentions_documents_and_share():
    entities = pd.DataFrame([
        {"passage_id": "p1", "doc_id": "d1", "label": "UNIVERSITY", "canonical_id": "mgimo", "canonical_name": "MGIMO", "text": "MGIMO"},
        {"passage_id": "p2", "doc_id": "d1", "label": "UNIVERSITY", "canonical_id": "mgimo", "canonical_name": "MGIMO", "text": "МГИМО"},
        {"passage_id": "p3", "doc_id": "d2", "label": "UNIVERSITY", "canonical_id": "mgimo", "canonical_name": "MGIMO", "text": "MGIMO"},
        {"passage_id": "p3", "doc_id": "d2", "label": "UNIVERSITY", "canonical_id": "kaznu", "canonical_name": "Al-Farabi KazNU", "text": "KazNU"},
        {"passage_id": "p3", "doc_id": "d2", "label": "GPE", "canonical_id": "kz", "canonical_name": "Kazakhstan", "text": "Kazakhstan"},
        {"passage_id": "p4", "doc_id": "d3", "label": "PERSON", "canonical_id": "tokayev", "canonical_name": "Tokayev", "text": "Тоқаев"},
    ])
    doc_group = pd.Series({"d1": "kazakh", "d2": "kazakh", "d3": "russian"})
    table = compare.entity_emphasis(entities, doc_group, ["kazakh", "russian"], "perspective", CompareSettings())
    mgimo = table[table["canonical_id"] == "mgimo"].iloc[0]
    assert (mgimo["mentions"], mgimo["documents"], mgimo["share"]) == (3, 2, 0.75)
    assert "kz" not in table["canonical_id"].tolist()  # GPE is context, not emphasised
    assert table[table["group"] == "russian"]["canonical_name"].tolist() == ["Tokayev"]


def test_numeric_years_group_without_a_trailing_decimal():
    frame = pd.DataFrame({"year": [2022.0, 2023.0, None]})
    assert compare.group_values(frame, "year").tolist() == ["2022", "2023", ""]


def test_generic_agreement_mentions_are_not_emphasised_entities():
    entities = pd.DataFrame([
        {"passage_id": "p1", "doc_id": "d1", "label": "AGREEMENT", "canonical_id": "agr:memorandum-2017",
         "canonical_name": "Memorandum of 2017", "text": "Memorandum", "specific": True},
        {"passage_id": "p1", "doc_id": "d1", "label": "AGREEMENT", "canonical_id": "agreement:various",
         "canonical_name": "various agreements", "text": "40 agreements", "specific": False},
    ])
    doc_group = pd.Series({"d1": "kazakh"})
    table = compare.entity_emphasis(entities, doc_group, ["kazakh"], "perspective", CompareSettings())
    assert table["canonical_id"].tolist() == ["agr:memorandum-2017"] and table["share"].tolist() == [1.0]


def test_benjamini_hochberg_matches_the_step_up_rule():
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5])
    q = compare.adjust_p_values(p, "bh")
    # sorted p: .005 .01 .03 .04 .5 → p·m/rank: .025 .025 .05 .05 .5, made monotone from the top
    np.testing.assert_allclose(q, [0.025, 0.05, 0.05, 0.025, 0.5])
    np.testing.assert_allclose(compare.adjust_p_values(p, "bonferroni"), [0.05, 0.2, 0.15, 0.025, 1.0])
    with pytest.raises(PipelineError, match="compare.correction"):
        compare.adjust_p_values(p, "holm-ish")


def _random_documents(rng, n_docs: int, n_topics: int) -> pd.DataFrame:
    docs = {f"d{i:03d}": list(rng.integers(0, n_topics, size=rng.integers(3, 12))) for i in range(n_docs)}
    return docs


def test_random_splits_rarely_flag_any_difference():
    """No real difference between groups: at most about 5% of splits may flag anything at all."""
    rng = np.random.default_rng(0)
    docs = _random_documents(rng, 120, 12)
    flagged = 0
    for split in range(60):
        names = sorted(docs)
        chosen = set(rng.choice(names, size=60, replace=False))
        assign = _assignments(docs, {d: "A" if d in chosen else "B" for d in names})
        boot = compare.bootstrap_prevalence(assign, ["A", "B"], CompareSettings(n_boot=50, seed=split))
        diffs = compare.difference_table(boot, "g", 0.95, set())
        flagged += bool(diffs["distinguishable"].any())
    assert flagged <= 6  # 5% of 60 is 3; binomial 97.5% bound is 7


def test_a_real_difference_survives_the_correction():
    rng = np.random.default_rng(1)
    docs, groups = {}, {}
    for i in range(40):
        tilt = 0 if i < 20 else 1
        docs[f"d{i}"] = [int(t) for t in rng.choice(6, size=10, p=[0.5, 0.1, 0.1, 0.1, 0.1, 0.1] if tilt == 0
                                                    else [0.1, 0.5, 0.1, 0.1, 0.1, 0.1])]
        groups[f"d{i}"] = "A" if tilt == 0 else "B"
    boot = compare.bootstrap_prevalence(_assignments(docs, groups), ["A", "B"], CompareSettings(n_boot=100))
    diffs = compare.difference_table(boot, "g", 0.95, set()).set_index("topic_id")
    assert diffs.loc[0, "distinguishable"] and diffs.loc[1, "distinguishable"]
    assert diffs.loc[0, "diff"] > 0 > diffs.loc[1, "diff"] and diffs.loc[0, "q_value"] < 0.05
