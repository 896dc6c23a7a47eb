"""Short texts: word lists, the combiner, positive evidence for romanizations, calibration helpers."""

import numpy as np
import pytest

from pipeline.errors import PipelineError
from pipeline.language.combiner import LogisticModel, load_combiner, save_combiner
from pipeline.language.evaluation import abstention, bootstrap_interval, reliability
from pipeline.language.evidence import LATIN_FEATURES, has_romanization_evidence, latin_features
from pipeline.language.identify import LanguageIdentifier
from pipeline.language.lexicon import Lexicon, word_keys


@pytest.fixture(scope="module")
def ident():
    return LanguageIdentifier()


@pytest.fixture(scope="module")
def lexicon(repo_root):
    return Lexicon.load(repo_root / "models/langid/lexicon.npz")


# Lowercase English pairs the old detector called Kazakh or Russian with confidence 1.0 (issue 14)
ORDINARY_ENGLISH = ["daily basis", "monday friday", "alpine style", "moist soils", "hundreds photos",
                    "jennifer trisha"]


@pytest.mark.parametrize("pair", ORDINARY_ENGLISH)
def test_ordinary_lowercase_english_pairs_are_english(ident, pair):
    assert ident.identify(pair)["lang"] == "en"


def test_english_pairs_carry_no_romanization_evidence(ident):
    detector = ident.detector
    x, _, n_words = detector.latin_evidence(ORDINARY_ENGLISH)
    assert not has_romanization_evidence(x, n_words).any()


def test_transliteration_marks_are_romanization_evidence(lexicon):
    words = [["osnovaniya", "i", "taksony"], ["qazaqstan", "respublikasy"], ["daily", "basis"]]
    x = latin_features(words, np.zeros(3), lexicon)
    assert has_romanization_evidence(x, np.array([3, 2, 2])).tolist() == [True, True, False]
    assert x[1, LATIN_FEATURES.index("kk_marked")] > 0  # q not before u: Kazakh Latin


def test_romanized_russian_and_latin_kazakh_pairs_are_recognised(ident):
    found = ident.identify_many(["zakon respubliki", "osnovaniya i taksony", "qazaqstan respublikasy",
                                 "bilim beru jüiesi"])
    assert [(r["lang"], r["script"]) for r in found] == [("ru", "Latn"), ("ru", "Latn"), ("kk", "Latn"),
                                                          ("kk", "Latn")]


def test_kazakh_words_without_kazakh_letters_are_kazakh(ident):
    # no ә ғ қ ң ө ұ ү һ і, but no Russian word list knows them
    assert [r["lang"] for r in ident.identify_many(["бойынша", "арасында", "болды"])] == ["kk", "kk", "kk"]


def test_russian_words_stay_russian(ident):
    assert [r["lang"] for r in ident.identify_many(["образование", "университета", "заявил"])] == ["ru"] * 3


def test_kazakh_names_in_a_russian_phrase_do_not_make_it_kazakh(ident):
    assert ident.identify("Нұрлан Әбдіров заявил")["lang"] == "ru"
    assert ident.identify("Министр Ерлан Қарин сказал, что реформа продолжится")["lang"] == "ru"


def test_word_keys_ignore_case_and_differ_between_words():
    keys = word_keys(["Образование", "образование", "education", "edukation"])
    assert keys[0] == keys[1]
    assert len({int(k) for k in keys[1:]}) == 3


def test_committed_word_lists_know_their_languages(lexicon):
    assert lexicon.zipf(["образование"], "ru")[0] > 4
    assert lexicon.zipf(["бойынша"], "ru")[0] == 0  # a Kazakh word, unknown to Russian
    assert lexicon.zipf(["education"], "en")[0] > 4
    assert lexicon.zipf(["бойынша"], "kk")[0] > 0


def test_lexicon_round_trips_through_its_file(tmp_path):
    lex = Lexicon.from_frequencies({"en": {"the": 0.05, "basis": 6e-5}, "ru": {"и": 0.04}})
    lex.save(tmp_path / "lex.npz")
    again = Lexicon.load(tmp_path / "lex.npz")
    assert again.zipf(["The", "basis", "zakon"], "en").tolist() == pytest.approx([7.7, 4.8, 0.0])
    assert again.zipf(["и"], "ru").tolist() == pytest.approx([7.6])


def test_missing_word_lists_name_the_rebuild_command(tmp_path):
    with pytest.raises(PipelineError, match="build-language-models"):
        Lexicon.load(tmp_path / "absent.npz")


def test_logistic_model_learns_a_direction_per_length_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] > 0).astype(int)
    n_words = np.repeat([1, 2, 5, 9], 100)
    model = LogisticModel.fit(("a", "b"), x, y, n_words)
    p = model.probability(np.array([[2.0, 0.0], [-2.0, 0.0]]), np.array([1, 1]))
    assert p[0] > 0.9 and p[1] < 0.1
    save_combiner({"m": model}, tmp_path / "c.json", {"data": "toy"})
    again = load_combiner(tmp_path / "c.json", {"m": ("a", "b")})["m"]
    assert np.allclose(again.probability(x, n_words), model.probability(x, n_words), atol=1e-4)


def test_combiner_with_other_features_is_refused(tmp_path):
    model = LogisticModel(("a",), {k: [1.0] for k in ("1", "2-3", "4+")}, {k: 0.0 for k in ("1", "2-3", "4+")})
    save_combiner({"m": model}, tmp_path / "c.json", {})
    with pytest.raises(PipelineError, match="refit"):
        load_combiner(tmp_path / "c.json", {"m": ("a", "b")})


def test_reliability_of_a_calibrated_and_an_overconfident_detector():
    calibrated = reliability([0.75] * 4, [True, True, True, False])
    assert calibrated["ece"] == 0.0
    overconfident = reliability([1.0] * 4, [True, True, False, False])
    assert overconfident["ece"] == pytest.approx(0.5)
    assert overconfident["bins"] == [{"bin": "[0.99, 1.00]", "n": 4, "confidence": 1.0, "accuracy": 0.5}]


def test_bootstrap_interval_brackets_the_accuracy():
    lo, hi = bootstrap_interval([True] * 90 + [False] * 10)
    assert lo < 0.9 < hi and hi - lo < 0.15


def test_abstention_counts_removed_errors_and_lost_answers():
    found = abstention(["kk", "ru", "kk", "ru"], ["kk", "kk", "kk", "ru"], [0.99, 0.6, 0.7, 0.95], threshold=0.8)
    assert found == {"threshold": 0.8, "errors": 1, "errors_removed": 1, "right_answers_lost": 1, "n": 4}


def test_confidence_is_a_probability_that_falls_with_ambiguity(ident):
    sure, unsure = ident.identify_many(["жағдайында", "мен"])
    assert sure["confidence"] > 0.99
    assert 0.5 <= unsure["confidence"] < sure["confidence"]
