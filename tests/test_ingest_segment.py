"""Sentence boundaries and passage splitting."""

import pytest

from pipeline.ingest.passages import passages_from_text
from pipeline.ingest.segment import sentence_spans, split_long
from tests.fixtures.ingest.corpus_builder import seed_line


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_initials_do_not_end_a_sentence():
    text = ("For example, the president of the Republic of Kazakhstan K. K. Tokayev graduated from MGIMO "
            "in 1975 [18]. He is a graduate of MGIMO.")
    assert sentences(text) == [
        "For example, the president of the Republic of Kazakhstan K. K. Tokayev graduated from MGIMO in 1975 [18].",
        "He is a graduate of MGIMO."]


def test_joined_initials_do_not_end_a_sentence():
    text = "Here V.Yu. Ledeneva is the author of the monograph. It describes the reasons."
    assert len(sentences(text)) == 2


def test_russian_abbreviations_do_not_end_a_sentence():
    text = "Университет им. Абая основан в 1928 г. Он готовит учителей, т.е. педагогов. Это важно."
    assert sentences(text) == ["Университет им. Абая основан в 1928 г. Он готовит учителей, т.е. педагогов.",
                               "Это важно."]


def test_decimal_numbers_do_not_end_a_sentence():
    text = seed_line("001", "Over the past five years")
    assert sentences(text)[0] == ("Over the past five years, Kazakhstan has invested heavily in education, "
                                  "increasing its budget expenditure by 2.5 times.")


def test_english_abbreviations_do_not_end_a_sentence():
    text = "Eisenstadt S.N. (1952). Human Relations. No. 5. P. 373-395. Dr. Smith agreed."
    assert sentences(text) == ["Eisenstadt S.N. (1952).", "Human Relations.", "No. 5.", "P. 373-395.",
                               "Dr. Smith agreed."]


def test_chinese_full_stops_end_sentences_without_spaces():
    assert sentences("两国开展了学术交流。中国在哈萨克斯坦设立了分校！合作前景广阔。") == [
        "两国开展了学术交流。", "中国在哈萨克斯坦设立了分校！", "合作前景广阔。"]


def test_lowercase_after_a_full_stop_is_not_a_new_sentence():
    text = "Applicants who come from different countries. including Kazakhstan, strive to get a quality education."
    assert len(sentences(text)) == 1


def test_sentences_cover_the_text():
    text = seed_line("002", "The concept of «youth»")
    spans = sentence_spans(text)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_long_paragraph_is_split_at_sentence_boundaries_within_the_limit():
    text = seed_line("002", "The concept of «youth»") + " " + seed_line("002", "Education and labor migration are")
    spans = split_long(text, 800)
    assert len(spans) >= 3
    assert all(b - a <= 800 for a, b in spans)
    assert all(text[b - 1] in ".!?»)]" for _, b in spans)


def test_split_pieces_are_balanced_not_greedy():
    text = seed_line("002", "The concept of «youth»")  # about 1,200 characters
    sizes = [b - a for a, b in split_long(text, 1000)]
    assert len(sizes) == 2 and min(sizes) > 300


def test_a_sentence_longer_than_the_limit_is_cut_at_a_space():
    text = seed_line("002", "- 12. O podpisanii")
    spans = split_long(text, 300)
    assert all(b - a <= 300 for a, b in spans)
    assert all(text[a] != " " and text[b - 1] != " " for a, b in spans)


def test_short_paragraph_is_not_split():
    assert split_long("Data and methods.", 1500) == [(0, 17)]


def test_kazakh_abstract_splits_into_kazakh_passages_at_sentence_ends():
    passages = passages_from_text("002", seed_line("002", "Аңдатпа."), max_chars=1000)
    assert len(passages) == 2
    assert passages[0].text.startswith("Аңдатпа.") and passages[0].text.endswith(".")
    assert passages[1].text[0].isupper()


@pytest.mark.slow
def test_a_huge_hard_wrapped_paragraph_is_split_in_linear_time():
    import textwrap
    import time

    paragraph = " ".join([seed_line("002", "The concept of «youth»")] * 400)  # about 480 KB
    source = "\n".join(textwrap.wrap(paragraph, 70))
    began = time.perf_counter()
    passages = passages_from_text("d", source)
    assert time.perf_counter() - began < 30  # quadratic code took 80 s here, linear takes ~1 s
    assert max(len(p.text) for p in passages) <= 1500
    assert " ".join(p.text for p in passages) == paragraph
