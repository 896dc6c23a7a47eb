"""Inter-annotator agreement: Cohen's kappa on outcomes, span F1 on reviewed passages."""

from __future__ import annotations

import pytest

from pipeline.review.agreement import agreement, cohen_kappa

TEXT = "Rector of Abai KazNPU Takir Balykbayev noted that this event held in Chelyabinsk"
MACHINE = [
    {"mention_id": "p:10-21", "start": 10, "end": 21, "label": "UNIVERSITY", "text": "Abai KazNPU"},
    {"mention_id": "p:22-38", "start": 22, "end": 38, "label": "PERSON", "text": "Takir Balykbayev"},
    {"mention_id": "p:69-80", "start": 69, "end": 80, "label": "GPE", "text": "Chelyabinsk"},
]


def _d(annotator: str, mention: dict | None, action: str, seq: int, **change) -> dict:
    result = None if action in ("reject", "review_passage") else dict(mention, **change)
    return {"decision_id": f"{annotator}-{seq}", "seq": seq, "annotator": annotator,
            "timestamp": f"2026-11-20T10:00:{seq:02d}Z", "passage_id": "p", "action": action,
            "mention_id": mention["mention_id"] if mention else None, "result": result}


def test_kappa_matches_a_hand_computed_value():
    # observed 4/6; a has UNI 3, PER 2, REJECT 1; b has UNI 3, PER 3
    # expected (3*3 + 2*3 + 1*0) / 36 = 15/36 → kappa = (24 - 15) / (36 - 15) = 3/7
    a = ["UNI", "UNI", "UNI", "PER", "PER", "REJECT"]
    b = ["UNI", "UNI", "PER", "PER", "PER", "UNI"]
    assert cohen_kappa(a, b) == pytest.approx(3 / 7)


def test_kappa_is_one_for_identical_judgements_and_undefined_for_none():
    assert cohen_kappa(["PER", "REJECT"], ["PER", "REJECT"]) == 1.0
    assert cohen_kappa([], []) is None


def test_two_annotators_disagreeing_on_one_of_three_mentions():
    u, p, g = MACHINE
    decisions = [
        _d("aigerim", u, "accept", 1), _d("aigerim", p, "accept", 2), _d("aigerim", g, "accept", 3),
        _d("aigerim", None, "review_passage", 4),
        _d("dmitry", u, "accept", 5), _d("dmitry", p, "accept", 6), _d("dmitry", g, "reject", 7),
        _d("dmitry", None, "review_passage", 8),
    ]
    [pair] = agreement(decisions, {"p": MACHINE})["pairs"]
    assert pair["mentions_both_decided"] == 3 and pair["observed_agreement"] == pytest.approx(2 / 3)
    assert (pair["spans_a"], pair["spans_b"], pair["spans_matched"]) == (3, 2, 2)
    assert pair["span_f1"] == pytest.approx(0.8)


def test_each_annotators_latest_decision_counts_not_their_first():
    u = MACHINE[0]
    decisions = [_d("aigerim", u, "reject", 1), _d("aigerim", u, "accept", 2), _d("dmitry", u, "accept", 3)]
    [pair] = agreement(decisions, {"p": MACHINE})["pairs"]
    assert pair["observed_agreement"] == 1.0


def test_no_overlap_gives_a_note_instead_of_numbers():
    result = agreement([_d("aigerim", MACHINE[0], "accept", 1)], {"p": MACHINE})
    assert result["pairs"] == [] and "No two annotators" in result["note"]
