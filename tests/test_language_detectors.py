"""Detector wrappers, the langdetect Kazakh profile and the gold split they are judged on."""

import json

import pytest

from pipeline.errors import PipelineError
from pipeline.language.detectors import build_detector
from pipeline.language.gold import evaluation_items, load_gold, snippets, split_of, words
from pipeline.language.langdetect_kk import build_profile

LANGS = ["en", "kk", "ru", "zh"]


@pytest.fixture(scope="module")
def gold(repo_root):
    return load_gold(repo_root)


def test_split_is_a_stable_function_of_the_text():
    assert split_of("Әріптесім Олжас Керейхан білуге тырысты .") == split_of("Әріптесім Олжас Керейхан білуге тырысты .")
    assert {split_of(str(i)) for i in range(50)} == {"train", "test"}


def test_gold_has_all_three_languages_in_both_splits(gold):
    seen = {(g.lang, g.split) for g in gold}
    assert seen == {(lang, split) for lang in ("en", "kk", "ru") for split in ("train", "test")}


def test_english_gold_leaves_out_non_latin_lines_and_references(gold):
    english = [g.text for g in gold if g.lang == "en"]
    assert not any("Rybakovskii" in t or "Klassifikaciya" in t for t in english)
    assert not any(any("\u0400" <= ch <= "\u04ff" for ch in t) for t in english)


def test_snippets_are_three_letter_only_tokens_in_the_language_script():
    assert snippets("Компания Industrial and Commercial Bank of China открыла филиал в Москве .", lang="ru") == [
        "открыла филиал в"]


def test_words_are_lowercase_initial_with_at_least_four_letters():
    assert words("Бұл кітап Алматыда басылды , 2015 .", lang="kk") == ["кітап", "басылды"]


def test_train_and_test_sentences_are_disjoint(gold):
    train = {g.text for g in gold if g.split == "train"}
    test = {g.text for g in gold if g.split == "test"}
    assert train and test and not train & test


def test_evaluation_items_use_only_the_test_split(gold):
    items = evaluation_items(gold, split="test")
    test_sentences = {g.text for g in gold if g.split == "test"}
    assert {text for text, _ in items["sentence"]} == test_sentences


def test_kazakh_profile_uses_langdetect_ngram_extraction():
    profile = build_profile(["Қазақстан Республикасы"] * 3 + ["Қазақстан тілі"])
    assert profile["name"] == "kk"
    assert profile["freq"]["қ"] == 4 and profile["freq"]["ақс"] == 4  # 1- to 3-grams
    assert "тіл" not in profile["freq"]  # seen once: pruned by langdetect's omit_less_freq
    assert profile["n_words"][0] == sum(v for k, v in profile["freq"].items() if len(k) == 1)
    json.dumps(profile)


def test_committed_kazakh_profile_makes_langdetect_recognise_kazakh():
    sentence = "Сондай-ақ Құнанбай мен Бөжейдің тартысы , одан туған дау-дамайға қатысты бала Абайдың өрелі сөз айтуы баяндалады ."
    plain = build_detector("langdetect", LANGS).detect_many([sentence])[0][0]
    with_kk = build_detector("langdetect-kk", LANGS).detect_many([sentence])[0][0]
    assert plain != "kk"
    assert with_kk == "kk"


def test_langdetect_results_are_deterministic():
    detector = build_detector("langdetect", LANGS)
    text = ["soon meet"]
    assert detector.detect_many(text) == detector.detect_many(text)


def test_py3langid_answers_only_configured_languages():
    found = build_detector("py3langid", ["en", "kk", "ru"]).detect_many(["Dies ist ein deutscher Satz über Bildung."])
    assert found[0][0] in {"en", "kk", "ru"}


def test_lingua_restricted_to_corpus_languages():
    found = build_detector("lingua", LANGS).detect_many(["Ресей халық шаруашылығы академиясы", "education"])
    assert [lang for lang, _ in found] == ["kk", "en"]


def test_unknown_detector_name_is_a_clear_error():
    with pytest.raises(PipelineError, match="unknown detector 'fasttext'"):
        build_detector("fasttext", LANGS)


def test_unknown_language_code_is_a_clear_error():
    with pytest.raises(PipelineError, match="xx"):
        build_detector("lingua", ["en", "xx"])
