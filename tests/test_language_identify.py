"""The public API: LanguageIdentifier on lines of the shipped corpus and gold sets."""

import json

import pytest

from pipeline.language.identify import LanguageIdentifier, sample_long_text
from pipeline.language.settings import LanguageSettings

KAZAKH = "Аңдатпа. Жаһандық өзгерістер жағдайында жастардың жоғары білімді шетелде игеруі трендке айналуда."
RUSSIAN = "Аннотация. В условиях глобальных изменений освоение молодыми людьми высшего образования за рубежом в тренде."
ENGLISH = "The article examines the main reasons for the educational migration of Kazakh youth to Russia."
ROMANIZED_RU = ("Rybakovskii L.L. (2016). Klassifikaciya migracii: osnovaniya i taksony [Migration "
                "classification: bases and taxa]. Narodonaselenie. No. 3 (73). P. 4–16")
ROMANIZED_LAW = ("O gosudarstvennoi molodezhnoi politike Zakon Respubliki Kazahstan ot 9 fevralya 2015 goda "
                 "№ 285-V ZRK [On the state youth policy Law of the Republic of Kazakhstan dated February 9, 2015].")


@pytest.fixture(scope="module")
def ident():
    return LanguageIdentifier()


def test_kazakh_russian_and_english_corpus_lines(ident):
    found = ident.identify_many([KAZAKH, RUSSIAN, ENGLISH])
    assert [(r["lang"], r["script"]) for r in found] == [("kk", "Cyrl"), ("ru", "Cyrl"), ("en", "Latn")]
    assert all(0.5 < r["confidence"] <= 1 for r in found)


def test_romanized_russian_references_are_russian_in_latin_script(ident):
    for line in (ROMANIZED_RU, ROMANIZED_LAW):
        result = ident.identify(line)
        assert (result["lang"], result["script"]) == ("ru", "Latn"), line


def test_romanized_names_in_an_english_author_line_stay_english(ident):
    assert ident.identify("Al-Farabi Kazakh National University Almaty, Kazakhstan Bulatbaeva A.A.")["lang"] == "en"
    assert ident.identify("Head of Department, Sergey Ryazantsev, Moscow")["lang"] == "en"


@pytest.mark.parametrize("text", ["", "   ", "УДК: 37.016.3", "2018 10 19 30", "https://doi.org/10.48371/ISMO.2023.52.2.011",
                                  "— • —"])
def test_passages_without_linguistic_content_are_und(ident, text):
    result = ident.identify(text)
    assert result["lang"] == "und"
    assert result["confidence"] == 0.0
    assert result["segments"] == []


def test_an_english_paragraph_ending_in_a_kazakh_sentence_gets_segments(ident):
    text = ("The rating indicators of these universities in terms of the quality of education are very high. "
            "Ресей халық шаруашылығы және Мемлекеттік қызмет академиясы кіреді.")
    result = ident.identify(text)
    langs = [(s["lang"], s["script"]) for s in result["segments"]]
    assert langs == [("en", "Latn"), ("kk", "Cyrl")]
    first, second = result["segments"]
    assert text[first["start"]:first["end"]].endswith("very high.")
    assert text[second["start"]:second["end"]] == "Ресей халық шаруашылығы және Мемлекеттік қызмет академиясы кіреді."
    assert result["lang"] in ("en", "kk")
    json.dumps(result)  # segments serialise as the data contract requires


def test_a_single_language_paragraph_has_no_segments(ident):
    assert ident.identify(KAZAKH + " " + KAZAKH.replace("Аңдатпа.", "Түйін."))["segments"] == []


def test_chinese_is_zh_in_its_han_variant(ident):
    assert ident.identify("哈萨克斯坦与中国的教育合作")[("lang")] == "zh"
    assert ident.identify("哈萨克斯坦与中国的教育合作")["script"] == "Hans"


def test_ukrainian_letters_give_ukrainian_even_when_not_configured(ident):
    assert ident.identify("Україна та Казахстан підписали угоду про співпрацю в галузі освіти")["lang"] == "uk"


def test_identify_many_keeps_order_and_repeats(ident):
    found = ident.identify_many([ENGLISH, KAZAKH, ENGLISH, ""])
    assert [r["lang"] for r in found] == ["en", "kk", "en", "und"]


def test_results_are_independent_copies(ident):
    first = ident.identify(KAZAKH)
    first["segments"].append({"start": 0})
    assert ident.identify(KAZAKH)["segments"] == []


def test_very_long_passage_is_identified_from_a_bounded_sample(ident):
    long_text = " ".join([KAZAKH] * 5000)  # ~500k characters
    assert len(sample_long_text(long_text, 3000)) <= 3002
    assert ident.identify(long_text)["lang"] == "kk"


def test_min_confidence_turns_weak_guesses_into_und():
    strict = LanguageIdentifier(LanguageSettings(min_confidence=0.95))
    assert strict.identify("бас")["lang"] == "und"
    assert strict.identify(KAZAKH)["lang"] == "kk"


def test_tiny_batches_and_cache_give_the_same_results(ident):
    texts = [KAZAKH, RUSSIAN, ENGLISH, KAZAKH, "", ROMANIZED_RU]
    small = LanguageIdentifier(LanguageSettings(batch_size=2, cache_size=1), detector=ident.detector)
    assert small.identify_many(texts) == ident.identify_many(texts)
