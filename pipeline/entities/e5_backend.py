"""NER backend: the project's e5 tagger (`pipeline/e5_tokens/tagger.py`) on raw text.

Texts are cut into sentences of KazNERD-style tokens by `tokenize_with_offsets` (the tokenizer
the tagger was trained to see), each sentence's words get their multilingual-e5-small states in
context, and the tagger's IOB2 tags are mapped back onto the character offsets, so every
mention's `start`/`end` index the input text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.datasets.kaznerd import spans_from_tags
from pipeline.entities.mention import Mention
from pipeline.text.kk_tokenizer import tokenize_with_offsets

REBUILD_HINT = "Rebuild it with `python -m pipeline train-kk-e5` (or `dvc repro train_kk_e5`)."


class E5TaggerBackend:
    """Tags texts with the e5 tagger saved in `model_dir`.

    `score` is 1.0 on every mention: the CRF's best path gives no per-mention probability, so the
    value means "found by the model", not a calibrated confidence.
    """

    def __init__(self, model_dir: str | Path = "models/kk_ner_e5", lang: str = "kk",
                 batch_sentences: int = 64, max_sentence_tokens: int = 150) -> None:
        import torch

        from pipeline.e5_tokens.states import WordStates
        from pipeline.e5_tokens.tagger import load_tagger

        torch.set_num_threads(1)
        self.model_dir = Path(model_dir)
        self.lang = lang
        self.name = f"e5:{lang}"
        self.batch_sentences = batch_sentences
        self.max_sentence_tokens = max_sentence_tokens
        self._tagger = load_tagger(self.model_dir, REBUILD_HINT)
        self._states = WordStates(sentences_per_call=batch_sentences, from_layer=self._tagger.spec.from_layer)

    def tag_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags for pre-tokenized sentences (used by training to score dev)."""
        tags: list[list[str]] = []
        for b in range(0, len(sentences), self.batch_sentences):
            batch = [list(s) for s in sentences[b:b + self.batch_sentences]]
            nonempty = [s for s in batch if s]
            states = self._states.encode(nonempty)
            predicted = iter(self._tagger.predict([self._tagger.features(s, v) for s, v in zip(nonempty, states, strict=True)])
                             if nonempty else [])
            tags.extend(next(predicted) if s else [] for s in batch)
        return tags

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for each text, in order; sentences of all texts are tagged in shared batches."""
        sentences: list[tuple[int, list[tuple[int, int]]]] = []
        for i, text in enumerate(texts):
            for spans in tokenize_with_offsets(text, self.max_sentence_tokens):
                if spans:
                    sentences.append((i, spans))
        tags = self.tag_words([[texts[i][s:e] for s, e in spans] for i, spans in sentences])
        results: list[list[Mention]] = [[] for _ in texts]
        for (i, spans), sentence_tags in zip(sentences, tags, strict=True):
            for start, end, label in spans_from_tags(sentence_tags, spans):
                results[i].append(Mention(start, end, texts[i][start:end], label, 1.0, self.name))
        return results
