"""Specifications of the near-duplicate-aware KazNERD split and of bootstrap intervals."""

from __future__ import annotations

import pytest

from pipeline.bootstrap import MICRO, Counts, bootstrap_scores, merge_counts, span_counts
from pipeline.datasets.kaznerd import TaggedSentence, read_kaznerd
from pipeline.datasets.kaznerd_split import bucket, near_duplicate_groups, split_kaznerd
from pipeline.errors import PipelineError


def _sentence(text: str) -> TaggedSentence:
    tokens = tuple(text.split())
    return TaggedSentence(tokens, ("O",) * len(tokens))


# Neighbouring lines of data/kaznerd/IOB2_valid.txt: the same sentence, numbers spelled out / in digits.
SPELLED = _sentence("Мектеп-лицейінің директоры Сәуле Қалыбекованың айтуынша , оқу ордасында жалпы "
                    "төрт мың үш жүз елу бала бар .")
DIGITS = _sentence("Мектеп-лицейінің директоры Сәуле Қалыбекованың айтуынша , оқу ордасында жалпы 4350 бала бар .")
OTHER = _sentence("Браконьерлер қашуға әрекет етеді .")
SHORT_SPELLED = _sentence("Үш жүз теңгеден сатылады .")
SHORT_DIGITS = _sentence("300 теңгеден сатылады .")


@pytest.fixture(scope="module")
def kaznerd(kaznerd_path):
    return read_kaznerd(kaznerd_path)


@pytest.fixture(scope="module")
def split(kaznerd):
    return split_kaznerd(kaznerd)  # defaults: retired part = the first split's dev + test (seed 13, 20 %)


def test_spelled_and_digit_copies_of_a_sentence_form_one_group():
    groups = near_duplicate_groups([SPELLED, DIGITS, OTHER, SHORT_SPELLED, SHORT_DIGITS])
    assert groups[0] == groups[1]
    assert groups[3] == groups[4]
    assert len({groups[0], groups[2], groups[3]}) == 3


def test_copies_far_apart_in_the_file_are_grouped_when_their_words_mostly_agree():
    filler = [_sentence(f"Бөгде сөйлем нөмір{i} мүлде басқа") for i in range(10)]
    sentences = [SPELLED, *filler, DIGITS]
    groups = near_duplicate_groups(sentences)
    assert groups[0] == groups[-1]


def test_both_copies_always_land_in_the_same_part(kaznerd, split):
    part = {}
    for name in ("train", "dev", "test"):
        for s in getattr(split, name):
            part[s.text] = name
    texts = [s.text for s in kaznerd]
    i = texts.index(DIGITS.text)
    assert texts[i - 1] == SPELLED.text  # the pair really is adjacent in the shipped file
    assert part[SPELLED.text] == part[DIGITS.text]


def test_no_test_sentence_has_a_near_duplicate_outside_test(kaznerd, split):
    test_texts = {s.text for s in split.test}
    groups = near_duplicate_groups(kaznerd)
    test_groups = {g for s, g in zip(kaznerd, groups, strict=True) if s.text in test_texts}
    outside = [s.text for s, g in zip(kaznerd, groups, strict=True) if g in test_groups and s.text not in test_texts]
    assert outside == []


def test_sentences_of_the_retired_held_out_part_never_enter_test(split):
    assert split.test
    assert all(bucket(s.text, 13) >= 0.2 for s in split.test)


def test_split_is_deterministic_and_near_the_ratios(kaznerd, split):
    first, again = split, split_kaznerd(kaznerd)
    assert [s.text for s in first.test] == [s.text for s in again.test]
    assert sum(first.counts().values()) == len(kaznerd)
    # test: 20 % of groups minus those touching the retired 20 %; dev: 15 % of groups
    assert 0.11 < len(first.test) / len(kaznerd) < 0.17
    assert 0.12 < len(first.dev) / len(kaznerd) < 0.18
    assert split_kaznerd(kaznerd, salt="another").counts() != first.counts()


def test_split_refuses_ratios_that_leave_nothing_to_train_on():
    with pytest.raises(PipelineError, match="dev_ratio"):
        split_kaznerd([OTHER], dev_ratio=0.5, test_ratio=0.5)


def test_span_counts_are_exact_match_per_type():
    gold = [(0, 5, "PERSON"), (10, 15, "GPE")]
    predicted = [(0, 5, "PERSON"), (10, 14, "GPE"), (20, 25, "GPE")]
    counts = span_counts(gold, predicted)
    assert counts["PERSON"] == Counts(1, 1, 1)
    assert counts["GPE"] == Counts(0, 2, 1)
    assert merge_counts([counts, counts])["GPE"] == Counts(0, 4, 2)


def test_bootstrap_interval_brackets_the_point_estimate_and_is_reproducible():
    units = [{"PERSON": Counts(1, 1, 1)} if i % 4 else {"PERSON": Counts(0, 1, 1)} for i in range(200)]
    scores = bootstrap_scores(units, seed=1)
    person = scores["PERSON"]
    assert person.f == pytest.approx(0.75)
    assert person.f_low < 0.75 < person.f_high
    assert 0.05 < person.f_high - person.f_low < 0.3
    assert bootstrap_scores(units, seed=1)["PERSON"] == person
    assert scores[MICRO].f == pytest.approx(0.75)


def test_more_units_give_a_narrower_interval():
    def units(n):
        return [{"ORG": Counts(1, 1, 1)} if i % 3 else {"ORG": Counts(0, 1, 1)} for i in range(n)]
    small, large = bootstrap_scores(units(60))["ORG"], bootstrap_scores(units(600))["ORG"]
    assert (large.f_high - large.f_low) < (small.f_high - small.f_low)


def test_perfect_predictions_have_a_degenerate_interval_at_one():
    scores = bootstrap_scores([{"GPE": Counts(2, 2, 2)}] * 30)
    assert (scores["GPE"].f, scores["GPE"].f_low, scores["GPE"].f_high) == (1.0, 1.0, 1.0)
