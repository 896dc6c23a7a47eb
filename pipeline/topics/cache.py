"""Embedding cache: a passage is embedded once per (model, text), whatever run asks again.

Layout of the cache directory (declared to DVC as `persist: true, cache: false`, so it
survives `dvc repro` and is never pushed):

    manifest.json   {"format", "model", "dim", "count", "vectors_sha1"}
    keys.npy        count × sha1 hex keys, key = sha1(model name + NUL + passage text)
    vectors.npy     count × dim float32

A manifest naming another model, a checksum or shape that does not match, or an unreadable
file means the cache is foreign or corrupt: it is logged and rebuilt from scratch, never
trusted. Files are written atomically and the manifest last, so a crash mid-write is caught
by the checksum on the next run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from pipeline.atomic import atomic_path, write_json
from pipeline.topics.embeddings import Embedder

log = logging.getLogger(__name__)

CACHE_FORMAT = 1

# chunks' texts → their vectors, in order (the default embeds in this process)
MapChunks = Callable[[list[list[str]]], Iterable[np.ndarray]]


def text_key(model_name: str, text: str) -> str:
    """The cache key of one passage under one model."""
    return hashlib.sha1(f"{model_name}\0{text}".encode()).hexdigest()


def _file_sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class EmbeddingCache:
    """Vectors of previously embedded passages for one model, stored under `directory`."""

    def __init__(self, directory: str | Path, model_name: str) -> None:
        self.directory = Path(directory)
        self.model_name = model_name
        self.keys: list[str] = []
        self.vectors: np.ndarray | None = None
        self.status = "empty"  # empty | loaded | rebuilt (why is in `reason`)
        self.reason = ""
        self._load()

    @property
    def manifest_path(self) -> Path:
        return self.directory / "manifest.json"

    def _load(self) -> None:
        if not self.manifest_path.exists():
            if (self.directory / "vectors.npy").exists() or (self.directory / "keys.npy").exists():
                self._reject("cache files without a manifest")
            return
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            if manifest.get("format") != CACHE_FORMAT:
                return self._reject(f"cache format {manifest.get('format')!r}, expected {CACHE_FORMAT}")
            if manifest.get("model") != self.model_name:
                return self._reject(f"built by model {manifest.get('model')!r}, not {self.model_name!r}")
            vectors_path = self.directory / "vectors.npy"
            if _file_sha1(vectors_path) != manifest.get("vectors_sha1"):
                return self._reject("vectors.npy does not match the checksum in manifest.json")
            vectors = np.load(vectors_path, allow_pickle=False)
            keys = np.load(self.directory / "keys.npy", allow_pickle=False)
        except (OSError, ValueError, json.JSONDecodeError, AttributeError) as exc:
            return self._reject(f"unreadable ({exc.__class__.__name__}: {exc})")
        count, dim = manifest.get("count"), manifest.get("dim")
        if vectors.ndim != 2 or vectors.shape != (count, dim) or keys.shape != (count,):
            return self._reject(f"shapes {vectors.shape} / {keys.shape} do not match manifest count={count} dim={dim}")
        if not np.isfinite(vectors).all():
            return self._reject("vectors contain NaN or infinity")
        self.keys = [str(k) for k in keys]
        self.vectors = vectors.astype(np.float32, copy=False)
        self.status = "loaded"

    def _reject(self, reason: str) -> None:
        log.warning("embedding cache %s ignored and rebuilt: %s", self.directory, reason)
        self.keys, self.vectors = [], None
        self.status, self.reason = "rebuilt", reason

    def __len__(self) -> int:
        return len(self.keys)

    def missing(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        """(key, text) of each distinct text the cache lacks, in first-seen order."""
        index = set(self.keys)
        missing: dict[str, str] = {}
        for text in texts:
            key = text_key(self.model_name, text)
            if key not in index and key not in missing:
                missing[key] = text
        return list(missing.items())

    def embed(self, texts: Sequence[str], embedder: Embedder, chunk_size: int = 2048,
              map_chunks: MapChunks | None = None) -> tuple[np.ndarray, int]:
        """Vectors for `texts` in order, embedding only texts the cache lacks.

        Returns (vectors, number of texts newly embedded). New vectors are saved every
        `chunk_size` texts, so an interrupted run resumes where it stopped. `map_chunks` turns
        the chunks' texts into their vectors, in order (elsewhere, e.g. on Dask workers);
        by default `embedder.embed` runs here.
        """
        keys = [text_key(self.model_name, t) for t in texts]
        index = {k: i for i, k in enumerate(self.keys)}
        pending = self.missing(texts)
        chunks = [pending[begin:begin + chunk_size] for begin in range(0, len(pending), chunk_size)]
        if map_chunks is None:
            results: Iterable[np.ndarray] = (embedder.embed(texts_of) for texts_of in
                                             ([text for _, text in chunk] for chunk in chunks))
        else:
            results = map_chunks([[text for _, text in chunk] for chunk in chunks])
        with tqdm(total=len(pending), desc="embedding", unit="passage", disable=len(pending) < chunk_size,
                  file=sys.stderr) as progress:
            for chunk, vectors in zip(chunks, results, strict=True):
                fresh = np.asarray(vectors, dtype=np.float32)
                if fresh.shape[0] != len(chunk):
                    raise RuntimeError(f"embedder returned {fresh.shape[0]} vectors for {len(chunk)} texts")
                if self.vectors is not None and self.vectors.shape[1] != fresh.shape[1]:
                    self._reject(f"dimension {self.vectors.shape[1]} differs from the model's {fresh.shape[1]}")
                    return self.embed(texts, embedder, chunk_size, map_chunks)
                start = len(self.keys)
                self.keys.extend(key for key, _ in chunk)
                self.vectors = fresh if self.vectors is None else np.vstack([self.vectors, fresh])
                index.update({key: start + i for i, (key, _) in enumerate(chunk)})
                # saved after every chunk: an interrupted long run keeps what it embedded
                self._save()
                progress.update(len(chunk))
        if self.vectors is None:
            return np.zeros((0, 0), dtype=np.float32), 0
        rows = np.fromiter((index[k] for k in keys), dtype=np.int64, count=len(keys))
        return self.vectors[rows], len(pending)

    def _save(self) -> None:
        assert self.vectors is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        # np.save appends ".npy" to names without it; the atomic temp name lacks it, so write
        # through a file handle.
        with atomic_path(self.directory / "vectors.npy") as tmp, tmp.open("wb") as handle:
            np.save(handle, self.vectors, allow_pickle=False)
        with atomic_path(self.directory / "keys.npy") as tmp, tmp.open("wb") as handle:
            np.save(handle, np.asarray(self.keys, dtype="<U40"), allow_pickle=False)
        write_json(self.manifest_path, {
            "format": CACHE_FORMAT,
            "model": self.model_name,
            "dim": int(self.vectors.shape[1]),
            "count": len(self.keys),
            "vectors_sha1": _file_sha1(self.directory / "vectors.npy"),
        })
