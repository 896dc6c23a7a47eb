"""Specifications of the committed spaCy Kazakh NER model (models/kk_ner) and its loader."""

from __future__ import annotations

import shutil

import pytest

from pipeline.errors import PipelineError
from pipeline.ner_training.load import load_kk_spacy
from pipeline.ner_training.settings import SpacyNerSettings
from pipeline.ner_training.split import kaznerd_split

# A KazNERD sentence from the held-out test part, written with ordinary spacing.
HELD_OUT = "Ақтау қаласының тұрғыны Дәурен Мақсұтов пәтер жалдау машақатынан біржола құтылды."


@pytest.fixture(scope="module")
def kk_nlp(repo_root):
    return load_kk_spacy(repo_root / "models" / "kk_ner")


def test_example_sentence_is_held_out_from_training(kaznerd_path):
    split = kaznerd_split(SpacyNerSettings(data=str(kaznerd_path)))  # the defaults the committed model used
    assert any("Дәурен Мақсұтов пәтер жалдау" in s.text for s in split.test)
    assert not any("Дәурен Мақсұтов" in s.text for s in split.train + split.dev)


def test_committed_model_finds_a_person_and_a_place_in_a_held_out_sentence(kk_nlp):
    doc = kk_nlp(HELD_OUT)
    found = {(e.text, e.start_char, e.label_) for e in doc.ents}
    assert ("Дәурен Мақсұтов", HELD_OUT.index("Дәурен"), "PERSON") in found
    assert ("Ақтау", 0, "GPE") in found


def test_committed_model_keeps_hyphenated_names_as_one_token(kk_nlp):
    doc = kk_nlp("Әл-Фараби атындағы Қазақ ұлттық университеті Нұр-Сұлтан қаласында емес.")
    assert "Әл-Фараби" in [t.text for t in doc] and "Нұр-Сұлтан" in [t.text for t in doc]


def test_committed_model_handles_empty_text(kk_nlp):
    assert list(kk_nlp("").ents) == []


def test_missing_model_dir_names_it_and_how_to_rebuild(tmp_path):
    with pytest.raises(PipelineError, match=r"kk_ner_missing.*dvc repro train_kk_ner"):
        load_kk_spacy(tmp_path / "kk_ner_missing")


def test_corrupt_model_file_names_the_model_and_how_to_rebuild(repo_root, tmp_path):
    broken = tmp_path / "kk_ner"
    shutil.copytree(repo_root / "models" / "kk_ner", broken)
    (broken / "ner" / "model").write_bytes(b"\x00 not a model")
    with pytest.raises(PipelineError, match=r"kk_ner.*train-kk-ner"):
        load_kk_spacy(broken)


def test_model_without_its_ner_component_is_reported(repo_root, tmp_path):
    broken = tmp_path / "kk_ner"
    shutil.copytree(repo_root / "models" / "kk_ner", broken)
    shutil.rmtree(broken / "ner")
    with pytest.raises(PipelineError, match=r"kk_ner/ner: missing"):
        load_kk_spacy(broken)
