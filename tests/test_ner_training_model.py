"""Specifications of the committed spaCy Kazakh NER model (models/kk_ner) and its loader."""

from __future__ import annotations

import shutil

import pytest

from pipeline.datasets.kaznerd import read_kaznerd
from pipeline.errors import PipelineError
from pipeline.ner_training.load import load_kk_spacy
from pipeline.ner_training.split import split_sentences

# A KazNERD sentence from the held-out test part, written with ordinary spacing.
HELD_OUT = "Мәскеуде Владимир Путинмен кездесу кезінде Нұрсұлтан Назарбаев осылай деді."


@pytest.fixture(scope="module")
def kk_nlp(repo_root):
    return load_kk_spacy(repo_root / "models" / "kk_ner")


def test_example_sentence_is_held_out_from_training(kaznerd_path):
    split = split_sentences(read_kaznerd(kaznerd_path))  # the defaults the committed model used
    assert any("Нұрсұлтан Назарбаев осылай деді" in s.text for s in split.test)
    assert not any("Нұрсұлтан Назарбаев осылай деді" in s.text for s in split.train + split.dev)


def test_committed_model_finds_nazarbayev_as_person_in_a_held_out_sentence(kk_nlp):
    doc = kk_nlp(HELD_OUT)
    persons = [(e.text, e.start_char) for e in doc.ents if e.label_ == "PERSON"]
    assert ("Нұрсұлтан Назарбаев", HELD_OUT.index("Нұрсұлтан")) in persons


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
