"""Inter-annotator agreement: Cohen's and Fleiss' kappa and span F1, overall, per label, per language."""

from __future__ import annotations

import pytest

from pipeline.review.agreement import agreement, cohen_kappa, fleiss_kappa

TEXT = "Rector of Abai KazNPU Takir Balykbayev noted that this event held in Chelyabinsk"
MACHINE = [
    {"mention_id": "p:10-21", "start": 10, "end": 21, "label": "UNIVERSITY", "text": "Abai KazNPU"},
    {"mention_id": "p:22-38", "start": 22, "end": 38, "label": "PERSON", "text": "Takir Balykbayev"},
    {"mention_id": "p:69-80", "start": 69, "end": 80, "label": "GPE", "text": "Chelyabinsk"},
]
PASSAGES = {"p": {"entities": MACHINE, "lang": "en"},
            "q": {"entities": [dict(m, mention_id=m["mention_id"].replace("p:", "q:")) for m in MACHINE], "lang": "kk"}}


def _d(annotator: str, mention: dict | None, action: str, seq: int, passage: str = "p", **change) -> dict:
    result = None if action in ("reject", "review_passage", "undo") else dict(mention, **change)
    mid = mention["mention_id"].replace("p:", f"{passage}:") if mention else None
    return {"decision_id": f"{annotator}-{passage}-{seq}", "seq": seq, "annotator": annotator,
            "timestamp": f"2026-11-20T10:00:{seq:02d}Z", "passage_id": passage, "action": action,
            "mention_id": mid, "result": result}


def test_kappa_matches_a_hand_computed_value():
    # observed 4/6; a has UNI 3, PER 2, REJECT 1; b has UNI 3, PER 3
    # expected (3*3 + 2*3 + 1*0) / 36 = 15/36 → kappa = (24 - 15) / (36 - 15) = 3/7
    a = ["UNI", "UNI", "UNI", "PER", "PER", "REJECT"]
    b = ["UNI", "UNI", "PER", "PER", "PER", "UNI"]
    assert cohen_kappa(a, b) == pytest.approx(3 / 7)


def test_kappa_is_one_for_identical_judgements_and_undefined_for_none():
    assert cohen_kappa(["PER", "REJECT"], ["PER", "REJECT"]) == 1.0
    assert cohen_kappa([], []) is None


def test_fleiss_kappa_matches_a_hand_computed_value():
    # 3 items, 3 raters: [A,A,A] [A,A,B] [B,B,B]; P_i = 1, 1/3, 1 → P̄ = 7/9
    # p_A = 5/9, p_B = 4/9 → P_e = 41/81 → κ = (63/81 - 41/81) / (40/81) = 22/40
    assert fleiss_kappa([["A", "A", "A"], ["A", "A", "B"], ["B", "B", "B"]]) == pytest.approx(22 / 40)


def test_fleiss_kappa_pools_both_raters_marginals():
    # items (X,X) (X,Y) (Y,Y) (Y,Y): P̄ = 3/4; pooled p_X = 3/8, p_Y = 5/8 → P_e = 34/64 → κ = 7/15
    # (Cohen's kappa on the same pairs is 1/2: it keeps each rater's own marginals)
    assert fleiss_kappa([["X", "X"], ["X", "Y"], ["Y", "Y"], ["Y", "Y"]]) == pytest.approx(7 / 15, abs=1e-4)


def test_two_annotators_disagreeing_on_one_of_three_mentions():
    u, p, g = MACHINE
    decisions = [
        _d("aigerim", u, "accept", 1), _d("aigerim", p, "accept", 2), _d("aigerim", g, "accept", 3),
        _d("aigerim", None, "review_passage", 4),
        _d("dmitry", u, "accept", 5), _d("dmitry", p, "accept", 6), _d("dmitry", g, "reject", 7),
        _d("dmitry", None, "review_passage", 8),
    ]
    result = agreement(decisions, PASSAGES)
    [pair] = result["pairs"]
    assert pair["items"] == 3 and pair["observed_agreement"] == pytest.approx(2 / 3, abs=1e-3)
    assert (pair["spans_a"], pair["spans_b"], pair["spans_matched"]) == (3, 2, 2)
    assert pair["span_f1"] == pytest.approx(0.8)
    assert pair["per_label"]["GPE"]["span_f1"] == 0.0 and pair["per_label"]["PERSON"]["span_f1"] == 1.0
    assert result["fleiss"]["items"] == 3


def test_agreement_is_given_per_language():
    u = MACHINE[0]
    decisions = [_d("aigerim", None, "review_passage", 1, "p"), _d("dmitry", None, "review_passage", 2, "p"),
                 _d("aigerim", None, "review_passage", 3, "q"), _d("dmitry", u, "reject", 4, "q"),
                 _d("dmitry", None, "review_passage", 5, "q")]
    [pair] = agreement(decisions, PASSAGES)["pairs"]
    assert pair["per_lang"]["en"]["span_f1"] == 1.0
    assert pair["per_lang"]["kk"]["span_f1"] == pytest.approx(2 * 2 / (3 + 2), abs=1e-3)


def test_each_annotators_latest_decision_counts_and_undone_ones_do_not():
    u = MACHINE[0]
    decisions = [_d("aigerim", u, "reject", 1), _d("aigerim", u, "accept", 2),
                 _d("aigerim", None, "review_passage", 3),
                 _d("dmitry", u, "reject", 4), _d("dmitry", None, "review_passage", 5),
                 {**_d("dmitry", None, "undo", 6), "undoes": ["dmitry-p-4"]}]
    [pair] = agreement(decisions, PASSAGES)["pairs"]
    assert pair["observed_agreement"] == 1.0


def test_no_overlap_gives_a_note_instead_of_numbers():
    result = agreement([_d("aigerim", MACHINE[0], "accept", 1), _d("aigerim", None, "review_passage", 2)], PASSAGES)
    assert result["pairs"] == [] and "No two annotators" in result["note"]
