"""Specifications of StanzaBackend on the committed Kazakh Stanza model (no mocks)."""

from __future__ import annotations

import shutil

import pytest

from pipeline.entities.mention import Mention
from pipeline.entities.stanza_backend import MODEL_FILE, StanzaBackend, spans_from_bioes
from pipeline.errors import PipelineError

# KazNERD test-part sentences, with ordinary spacing and punctuation.
HELD_OUT = "Өткен айда Нұрсұлтан Назарбаевқа Қытайдың ең жоғары орденін табыс еткен едік."
HELD_OUT_2 = "Ақтау қаласының тұрғыны Дәурен Мақсұтов пәтер жалдау машақатынан біржола құтылды."
NAZARBAYEV = "Нұрсұлтан Назарбаевқа"


@pytest.fixture(scope="module")
def backend(repo_root):
    return StanzaBackend(model_dir=repo_root / "models" / "kk_ner_stanza", lang="kk")


def test_finds_a_person_with_offsets_into_the_input_text(backend):
    [mentions] = backend.extract([HELD_OUT])
    persons = [m for m in mentions if m.label == "PERSON"]
    start = HELD_OUT.index("Нұрсұлтан")
    assert any(m.start == start and m.end == start + len(NAZARBAYEV) for m in persons)
    assert all(HELD_OUT[m.start:m.end] == m.text for m in mentions)
    assert all(m.backend == "stanza:kk" for m in mentions)


def test_returns_one_list_per_text_in_order_including_empty_texts(backend):
    results = backend.extract(["", HELD_OUT_2, "   ", HELD_OUT])
    assert len(results) == 4
    assert results[0] == [] and results[2] == []
    assert any(m.text == "Дәурен Мақсұтов" for m in results[1])
    assert any(m.text == NAZARBAYEV for m in results[3])


def test_very_long_text_is_chunked_and_offsets_still_point_into_it(backend):
    text = " ".join([HELD_OUT] * 40)  # ~400 tokens, many sentences
    [mentions] = backend.extract([text])
    found = [m for m in mentions if m.text == NAZARBAYEV]
    assert len(found) >= 30
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_mentions_have_the_shared_mention_shape(backend):
    [mentions] = backend.extract([HELD_OUT])
    assert mentions and all(isinstance(m, Mention) and 0.0 <= m.score <= 1.0 for m in mentions)


def test_bioes_tags_become_spans():
    offsets = [(0, 6), (7, 16), (17, 26), (27, 34)]
    tags = ["S-POSITION", "B-PERSON", "E-PERSON", "O"]
    assert spans_from_bioes(tags, offsets) == [(0, 6, "POSITION"), (7, 26, "PERSON")]


def test_an_inside_tag_without_a_begin_still_yields_an_entity():
    assert spans_from_bioes(["O", "I-GPE", "E-GPE"], [(0, 1), (2, 5), (6, 9)]) == [(2, 9, "GPE")]


def test_missing_model_dir_names_it_and_how_to_rebuild(tmp_path):
    with pytest.raises(PipelineError, match=r"not_there.*train-kk-stanza"):
        StanzaBackend(model_dir=tmp_path / "not_there")


def test_missing_model_file_is_named(tmp_path):
    (tmp_path / "resources.json").write_text("{}")
    with pytest.raises(PipelineError, match=MODEL_FILE + ": Stanza NER model file missing"):
        StanzaBackend(model_dir=tmp_path)


def test_corrupt_model_file_names_it_and_how_to_rebuild(repo_root, tmp_path):
    shutil.copy(repo_root / "models" / "kk_ner_stanza" / "resources.json", tmp_path / "resources.json")
    data = (repo_root / "models" / "kk_ner_stanza" / MODEL_FILE).read_bytes()
    (tmp_path / MODEL_FILE).write_bytes(data[: len(data) // 3])  # a truncated download or copy
    with pytest.raises(PipelineError, match=r"kk_nertagger\.pt: cannot load.*train-kk-stanza"):
        StanzaBackend(model_dir=tmp_path)
