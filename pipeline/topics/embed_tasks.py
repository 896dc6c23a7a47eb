"""The embeddings as Dask tasks: what a worker needs to embed a chunk of passages.

Apart from embeddings.py so that the stages which only embed here (topic_language) do not
depend on the executor's worker cache.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.run.worker_cache import per_process
from pipeline.topics.embeddings import Embedder, make_embedder


@dataclass(frozen=True)
class EmbedderSpec:
    """What a worker needs to build the same embedder as this process (the model itself, a C
    handle, cannot be pickled)."""

    name: str
    seed: int = 42
    batch_size: int = 64


def embedder_for(spec: EmbedderSpec) -> Embedder:
    """The embedder of `spec`, built (and its model loaded) once per process."""
    return per_process("topics.embedder", spec, lambda: make_embedder(spec.name, spec.seed, spec.batch_size))


def embed_chunk(spec: EmbedderSpec, texts: list[str]) -> np.ndarray:
    """One chunk's vectors: the task of the embeddings on Dask."""
    return np.asarray(embedder_for(spec).embed(texts), dtype=np.float32)
