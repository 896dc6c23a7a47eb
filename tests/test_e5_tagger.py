"""The e5 word states and the tagger over them (pipeline/e5_tokens, entities/e5_backend.py)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.datasets.kaznerd import spans_from_tags
from pipeline.e5_tokens.states import WordStates
from pipeline.e5_tokens.tagger import E5Tagger, TaggerSpec, load_tagger, save_tagger
from pipeline.errors import PipelineError


@pytest.fixture(scope="module")
def states() -> WordStates:
    return WordStates(sentences_per_call=4)


def test_one_vector_per_word_in_context(states):
    a, b, empty = states.encode([["Алматы", "қаласында", "университет", "ашылды"], ["Алматы", "клубы"], []])
    assert a.shape == (4, 384) and b.shape == (2, 384) and empty.shape == (0, 384)
    assert np.all(np.isfinite(a)) and np.abs(a).sum(1).min() > 0
    # the same word, another sentence: a contextual vector, close but not equal
    cosine = float(a[0] @ b[0] / np.linalg.norm(a[0]) / np.linalg.norm(b[0]))
    assert 0.5 < cosine < 0.9999


def test_batches_do_not_change_the_vectors(states):
    sentences = [["Назарбаев", "Университеті"], ["Тоқаев", "Астанада", "сөйледі", "."]] * 3
    together = states.encode(sentences)
    alone = [states.encode([s])[0] for s in sentences]
    for x, y in zip(together, alone, strict=True):
        np.testing.assert_array_equal(x, y)


def test_a_sentence_longer_than_the_model_window_is_cut_at_words(states):
    words = ["университет"] * 700  # more than 510 pieces
    (vectors,) = states.encode([words])
    assert vectors.shape == (700, 384) and np.abs(vectors).sum(1).min() > 0


def test_odd_input_does_not_crash(states):
    vectors = states.encode([["\ud800bad", "a\x00b", "", "🙂", "x" * 5000]])[0]
    assert vectors.shape == (5, 384)


def test_the_backend_maps_iob_tags_to_character_offsets():
    offsets = [(0, 3), (4, 9), (10, 12), (13, 20)]
    tags = ["B-PERSON", "I-PERSON", "O", "B-GPE"]
    assert spans_from_tags(tags, offsets) == [(0, 9, "PERSON"), (13, 20, "GPE")]
    assert spans_from_tags(["B-GPE", "B-GPE"], offsets[:2]) == [(0, 3, "GPE"), (4, 9, "GPE")]


def _toy_data():
    words = [["Асқар", "Алматыға", "барды"], ["Мен", "Астанада", "тұрамын"], ["Бекзат", "Нұрлан", "келді"]] * 4
    tags = [["B-PERSON", "B-GPE", "O"], ["O", "B-GPE", "O"], ["B-PERSON", "I-PERSON", "O"]] * 4
    return words, tags


def test_the_tagger_learns_a_toy_task_and_never_emits_an_orphan_inside_tag(states):
    import torch

    torch.manual_seed(0)
    words, tags = _toy_data()
    model = E5Tagger(TaggerSpec.from_sentences(words, tags, min_word_count=1, hidden=32, dropout=0.0))
    features = [model.features(w, v) for w, v in zip(words, states.encode(words), strict=True)]
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(60):
        model.train()
        loss = model.loss(features, tags)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()
    assert model.predict(features) == tags
    # an untrained model may score I- highest, but the CRF forbids I- without its B-
    fresh = E5Tagger(TaggerSpec.from_sentences(words, tags, min_word_count=1, hidden=8))
    with torch.no_grad():
        fresh.out.bias[fresh.spec.tags.index("I-PERSON")] = 50.0
    fresh.eval()
    for sentence in fresh.predict(features):
        assert sentence[0] != "I-PERSON"


def test_saved_tagger_loads_to_the_same_predictions(tmp_path, states):
    words, tags = _toy_data()
    model = E5Tagger(TaggerSpec.from_sentences(words, tags, min_word_count=1, hidden=16))
    model.eval()
    save_tagger(model, tmp_path / "m")
    first = (tmp_path / "m" / "tagger.safetensors").read_bytes()
    save_tagger(model, tmp_path / "m")
    assert (tmp_path / "m" / "tagger.safetensors").read_bytes() == first  # deterministic file
    loaded = load_tagger(tmp_path / "m", "rebuild")
    features = [model.features(w, v) for w, v in zip(words, states.encode(words), strict=True)]
    assert loaded.predict(features) == model.predict(features)


def test_a_missing_or_broken_model_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(PipelineError, match="tagger.safetensors: missing. rebuild it"):
        load_tagger(tmp_path, "rebuild it")
    (tmp_path / "tagger.safetensors").write_bytes(b"not weights")
    (tmp_path / "tagger.json").write_text("{}", encoding="utf-8")
    with pytest.raises(PipelineError, match="cannot load the e5 tagger"):
        load_tagger(tmp_path, "rebuild it")


def test_without_a_compiler_the_error_says_what_to_install(tmp_path, monkeypatch):
    from pipeline.e5_tokens import build

    monkeypatch.setattr(build, "BUILD_DIR", tmp_path / "fresh")
    monkeypatch.delenv("CC", raising=False)
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    with pytest.raises(PipelineError, match="needs a C compiler"):
        build.library_path()


def test_a_failing_compile_names_the_command(tmp_path, monkeypatch):
    from pipeline.e5_tokens import build

    monkeypatch.setattr(build, "BUILD_DIR", tmp_path / "fresh")
    monkeypatch.setenv("CC", "false")
    with pytest.raises(PipelineError, match="building word_states.c failed"):
        build.library_path()
    assert not list((tmp_path / "fresh").glob("*.so"))  # nothing half-built is left to load


def test_avx2_flags_only_where_the_cpu_has_them(tmp_path):
    from pipeline.e5_tokens.build import cpu_has_avx2

    with_avx = tmp_path / "a"
    with_avx.write_text("flags\t\t: fpu sse2 avx avx2 fma bmi2\n", encoding="utf-8")
    without = tmp_path / "b"
    without.write_text("flags\t\t: fpu sse2 avx\n", encoding="utf-8")
    assert cpu_has_avx2(with_avx) and not cpu_has_avx2(without) and not cpu_has_avx2(tmp_path / "missing")


def test_layer_mix_of_the_last_layer_alone_is_the_final_state(states):
    sentence = [["Әл-Фараби", "атындағы", "Қазақ", "ұлттық", "университеті"]]
    final = states.encode(sentence)[0]
    np.testing.assert_array_equal(WordStates(from_layer=states.layers - 1).encode(sentence)[0], final)
    mixed = WordStates(from_layer=8).encode(sentence)[0]
    assert mixed.shape == final.shape and not np.allclose(mixed, final)
    with pytest.raises(PipelineError, match="not a layer"):
        WordStates(from_layer=states.layers)
