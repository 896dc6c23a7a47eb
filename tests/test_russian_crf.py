"""Specifications of the Russian CRF over natasha's tags (models/ru_ner_crf) and its training."""

from __future__ import annotations

import shutil

import pytest

from pipeline.bootstrap import Counts
from pipeline.datasets.factrueval import document_fold, drop_nested, naeval_mentions
from pipeline.entities.backends import build_backend
from pipeline.entities.natasha_crf_backend import (
    MODEL_FILE,
    NatashaCrfBackend,
    bio_tags,
    spans_from_bio,
    token_features,
)
from pipeline.errors import PipelineError
from pipeline.ner_training.naeval import naeval_token_counts

# Sentences written for these tests (not from factRuEval).
MINISTER = "Министр образования Асхат Аймагамбетов встретился с ректором МГУ Виктором Садовничим в Москве."
SHARES = "Акции ОАО «Ростелеком» выросли, сообщает агентство Интерфакс."


@pytest.fixture(scope="module")
def backend(repo_root):
    return NatashaCrfBackend(repo_root / "models" / "ru_ner_crf")


def test_finds_people_organisations_and_places_with_offsets_into_the_text(backend):
    [mentions] = backend.extract([MINISTER])
    found = {(m.text, m.label) for m in mentions}
    assert {("Асхат Аймагамбетов", "PER"), ("МГУ", "ORG"), ("Виктором Садовничим", "PER"), ("Москве", "LOC")} <= found
    assert all(MINISTER[m.start:m.end] == m.text and m.backend == "natasha-crf" for m in mentions)


def test_organisation_name_excludes_the_legal_form_and_quotes_as_factrueval_annotates(backend):
    [mentions] = backend.extract([SHARES])
    assert ("Ростелеком", "ORG") in {(m.text, m.label) for m in mentions}
    assert ("Интерфакс", "ORG") in {(m.text, m.label) for m in mentions}


def test_returns_one_list_per_text_and_keeps_offsets_of_chunked_long_texts(repo_root):
    backend = NatashaCrfBackend(repo_root / "models" / "ru_ner_crf", chunk_chars=300)
    long_text = " ".join([MINISTER] * 8)
    results = backend.extract(["", long_text, "   "])
    assert results[0] == [] and results[2] == []
    assert sum(m.text == "Асхат Аймагамбетов" for m in results[1]) == 8
    assert all(long_text[m.start:m.end] == m.text for m in results[1])


def test_the_spec_names_the_backend(repo_root):
    backend = build_backend(f"natasha-crf:{repo_root / 'models' / 'ru_ner_crf'}", "ru")
    assert isinstance(backend, NatashaCrfBackend)


def test_missing_model_names_the_file_and_how_to_rebuild(tmp_path):
    with pytest.raises(PipelineError, match=r"ru_ner\.crfsuite.*train_ru_crf"):
        NatashaCrfBackend(tmp_path / "ru_ner_crf")


def test_corrupt_model_names_the_file_and_how_to_rebuild(repo_root, tmp_path):
    broken = tmp_path / "ru_ner_crf"
    shutil.copytree(repo_root / "models" / "ru_ner_crf", broken)
    (broken / MODEL_FILE).write_bytes(b"\x00 not a model")
    with pytest.raises(PipelineError, match=r"cannot load the Russian CRF model.*train-ru-crf"):
        NatashaCrfBackend(broken)


def test_bio_tags_and_spans_round_trip_on_token_offsets():
    tokens = [(0, 5), (6, 12), (13, 20), (21, 22)]
    spans = [(0, 12, "PER"), (13, 20, "LOC")]
    tags = bio_tags(tokens, spans)
    assert tags == ["B-PER", "I-PER", "B-LOC", "O"]
    assert spans_from_bio(tokens, tags) == spans
    assert spans_from_bio(tokens, ["I-ORG", "I-ORG", "O", "B-PER"]) == [(0, 12, "ORG"), (21, 22, "PER")]


def test_features_carry_natasha_tags_of_the_token_and_its_neighbours():
    features = token_features(["Глава", "«", "Газпрома", "»"], ["O", "O", "B-ORG", "O"])
    assert "nat=B-ORG" in features[2] and "nat-1=O" in features[2] and "quoted=True" in features[2]
    assert "nat+2=B-ORG" in features[0] and "title" in features[0]


def test_naeval_gold_reads_org_name_spans_and_drops_nested_ones(repo_root):
    devset = repo_root / "data" / "factrueval" / "devset"
    text = (devset / "book_142.txt").read_text(encoding="utf-8")
    gold = naeval_mentions(devset, "book_142")
    assert gold == drop_nested(gold)
    assert ("Стратегический совет", "ORG") in {(text[s:e], t) for s, e, t in gold}


def test_naeval_counts_score_tokens_not_spans():
    text = "Глава мэрии Москвы Сергей Собянин"
    gold = [(12, 18, "LOC"), (19, 33, "PER")]
    predicted = [(6, 18, "LOC"), (19, 25, "PER")]
    counts = naeval_token_counts(text, predicted, gold)
    assert counts["LOC"] == Counts(1, 2, 1)
    assert counts["PER"] == Counts(1, 1, 2)


def test_document_folds_are_stable_and_cover_every_fold():
    names = [f"book_{i}" for i in range(100)]
    folds = [document_fold(n) for n in names]
    assert folds == [document_fold(n) for n in names]
    assert set(folds) == set(range(5))
    assert document_fold("book_1", salt="other") == document_fold("book_1", salt="other")


@pytest.mark.slow
def test_cross_validated_crf_beats_natasha_alone_on_factrueval(repo_root):
    """Out-of-fold naeval F1 (5 folds by document): the CRF above natasha alone on PER and ORG."""
    from pipeline.datasets.factrueval import read_factrueval
    from pipeline.ner_training.settings import RussianCrfSettings
    from pipeline.ner_training.train_ru_crf import cross_validate, tag_documents

    devset = repo_root / "data" / "factrueval" / "devset"
    docs = read_factrueval(devset)
    tagged, gold = tag_documents(docs, devset)
    cv = cross_validate(docs, tagged, gold, RussianCrfSettings(n_boot=200))
    assert cv["natasha_crf"]["PER"]["f"] >= 0.96 > cv["natasha"]["PER"]["f"]  # 0.970 vs 0.957 measured
    assert cv["natasha_crf"]["ORG"]["f"] > cv["natasha"]["ORG"]["f"] + 0.015  # 0.804 vs 0.775 measured
