"""Word lists with frequencies, looked up for a whole batch of words at once.

A word that a large Russian word list has never seen is rarely Russian, and a pair of frequent
English words ("daily basis") is English whatever its letters suggest: word-level evidence that
character n-grams alone do not give short texts. Sources (built by `build_lexicon`):

- `ru`, `en`: the `large` word lists of wordfreq 3.1.1 (Cyrillic resp. Latin words only; English
  down to Zipf 1.5), CC BY-SA 4.0 data (Speer et al., wordfreq; see models/langid/README.md);
- `kk`: word counts of the KazNERD TRAIN sentences (CC BY 4.0).

Words are stored as 32-bit FNV-1a hashes of their lower-cased code points (sorted, for
`np.searchsorted`) with their Zipf frequency (log10 of occurrences per billion words) in tenths.
A collision makes an unknown word look known with probability about 1 in 5,000: noise the
combiner tolerates, for a file six times smaller than the words themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import PipelineError

MAX_WORD = 40  # longer words are hashed on their first 40 letters
_FNV_OFFSET = np.uint64(2166136261)
_FNV_PRIME = np.uint64(16777619)
_MASK = np.uint64(0xFFFFFFFF)


def word_keys(words: Sequence[str]) -> np.ndarray:
    """32-bit FNV-1a hash of each lower-cased word (vectorised over the batch)."""
    n = len(words)
    if n == 0:
        return np.zeros(0, dtype=np.uint32)
    lowered = [w.lower()[:MAX_WORD] for w in words]
    width = max(1, max(len(w) for w in lowered))
    codes = np.zeros((n, width), dtype=np.uint64)
    padded = "".join(w.ljust(width, "\0") for w in lowered)
    codes[:] = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).reshape(n, width)
    lengths = np.fromiter((len(w) for w in lowered), dtype=np.int64, count=n)
    h = np.full(n, _FNV_OFFSET, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            live = lengths > j
            h = np.where(live, ((h ^ codes[:, j]) * _FNV_PRIME) & _MASK, h)
    return h.astype(np.uint32)


@dataclass
class Lexicon:
    """Zipf frequency of words per language (0 for words the list does not have)."""

    keys: dict[str, np.ndarray]  # language -> sorted uint32 hashes
    zipf10: dict[str, np.ndarray]  # language -> uint8 Zipf frequency in tenths

    def zipf(self, words: Sequence[str], lang: str) -> np.ndarray:
        """Zipf frequency of each word in `lang`'s list (0.0 when absent)."""
        keys, values = self.keys[lang], self.zipf10[lang]
        if not len(words) or not len(keys):
            return np.zeros(len(words), dtype=np.float64)
        k = word_keys(words)
        pos = np.searchsorted(keys, k)
        pos[pos == len(keys)] = 0
        return np.where(keys[pos] == k, values[pos] / 10.0, 0.0)

    def save(self, path: str | Path) -> None:
        """Write as a compressed .npz (through pipeline.atomic for committed files)."""
        arrays = {}
        for lang in sorted(self.keys):
            arrays[f"keys_{lang}"] = self.keys[lang]
            arrays[f"zipf_{lang}"] = self.zipf10[lang]
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """Read a lexicon written by `save`."""
        p = Path(path)
        if not p.exists():
            raise PipelineError(f"{p}: word lists missing. Rebuild them with "
                                "`python -m pipeline build-language-models` (or restore them with git).")
        with np.load(p, allow_pickle=False) as data:
            langs = sorted(name[5:] for name in data.files if name.startswith("keys_"))
            return cls({lang: data[f"keys_{lang}"] for lang in langs}, {lang: data[f"zipf_{lang}"] for lang in langs})

    @classmethod
    def from_frequencies(cls, frequencies: dict[str, dict[str, float]]) -> Lexicon:
        """From {lang: {word: frequency as a share of all words}}; duplicate hashes keep the higher value."""
        keys, zipf10 = {}, {}
        for lang, freqs in sorted(frequencies.items()):
            words = sorted(freqs)
            k = word_keys(words)
            z = np.clip(np.round((np.log10(np.array([freqs[w] for w in words], dtype=np.float64)) + 9) * 10), 1, 255)
            order = np.lexsort((-z, k))  # by key, highest frequency first
            k, z = k[order], z[order]
            first = np.ones(len(k), dtype=bool)
            first[1:] = k[1:] != k[:-1]
            keys[lang], zipf10[lang] = k[first], z[first].astype(np.uint8)
        return cls(keys, zipf10)


def counts_to_frequencies(tokens: Iterable[str]) -> dict[str, float]:
    """Share of each lower-cased token among all tokens."""
    counts = Counter(t.lower() for t in tokens)
    total = sum(counts.values()) or 1
    return {w: c / total for w, c in counts.items()}


def wordfreq_frequencies(lang: str, pattern: str, min_zipf: float = 0.0) -> dict[str, float]:
    """wordfreq's `large` list for `lang`: words fully matching `pattern` with Zipf >= `min_zipf`."""
    import re

    import wordfreq

    regex = re.compile(pattern)
    floor = 10 ** (min_zipf - 9)
    return {w: f for w, f in wordfreq.get_frequency_dict(lang, "large").items() if f >= floor and regex.fullmatch(w)}
