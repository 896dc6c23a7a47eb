"""Specifications of combining several NER backends' mentions (pipeline/entities/ensemble_backend.py)."""

from __future__ import annotations

import pytest

from pipeline.entities.backends import build_backend
from pipeline.entities.ensemble_backend import EnsembleBackend, combine
from pipeline.entities.mention import Mention
from pipeline.errors import PipelineError

TEXT = "Нұрсұлтан Назарбаев Астанада Қазақстан университетінде болды"
PERSON = Mention(0, 19, "Нұрсұлтан Назарбаев", "PERSON", 1.0, "spacy")
PLACE = Mention(20, 28, "Астанада", "GPE", 1.0, "spacy")
SURNAME = Mention(10, 19, "Назарбаев", "PERSON", 1.0, "stanza")
PLACE_2 = Mention(20, 28, "Астанада", "GPE", 1.0, "stanza")
ORG = Mention(29, 59, "Қазақстан университетінде", "ORGANISATION", 1.0, "stanza")


def test_agree_keeps_only_mentions_every_backend_found_with_the_same_span_and_label():
    [kept] = combine([[[PERSON, PLACE]], [[SURNAME, PLACE_2, ORG]]], "agree", "ens")
    assert [(m.text, m.label, m.backend) for m in kept] == [("Астанада", "GPE", "ens")]


def test_fill_keeps_the_first_backend_and_adds_others_where_it_found_nothing():
    [kept] = combine([[[PERSON, PLACE]], [[SURNAME, PLACE_2, ORG]]], "fill", "ens")
    assert [m.text for m in kept] == ["Нұрсұлтан Назарбаев", "Астанада", "Қазақстан университетінде"]


class _Fixed:
    """A backend returning fixed mentions (a real object with the NerBackend shape)."""

    def __init__(self, name: str, mentions: list[Mention]) -> None:
        self.name, self._mentions = name, mentions

    def extract(self, texts):
        return [list(self._mentions) for _ in texts]


def test_ensemble_backend_runs_each_backend_and_returns_one_list_per_text():
    ensemble = EnsembleBackend([_Fixed("a", [PERSON, PLACE]), _Fixed("b", [PLACE_2])], rule="agree")
    assert ensemble.name == "ensemble-agree:a+b"
    out = ensemble.extract([TEXT, TEXT])
    assert len(out) == 2 and [m.text for m in out[1]] == ["Астанада"]


def test_spec_builds_an_ensemble_of_the_named_backends():
    backend = build_backend("ensemble-fill:rules+rules", "zh")
    assert isinstance(backend, EnsembleBackend) and backend.extract(["文本"]) == [[]]


def test_unknown_rule_and_single_backend_are_refused_with_the_fix():
    with pytest.raises(PipelineError, match="ensemble rule 'vote' is unknown"):
        build_backend("ensemble-vote:rules+rules", "kk")
    with pytest.raises(PipelineError, match="at least two backends"):
        build_backend("ensemble-agree:rules", "kk")
