"""Stanza NER backend: a locally trained Stanza model behind the `NerBackend` interface.

Stanza cannot download models here, so the pipeline is built from a local directory holding the
tagger (`kk_nertagger.pt`) and a `resources.json` containing `{}`. Texts are tokenized by our own
regex tokenizer (`tokenize_with_offsets`), which keeps character offsets and cuts long texts
into bounded sentences; Stanza receives the tokens pre-tokenized and its BIOES tags are mapped
back onto those offsets, so every mention's `start`/`end` index the input text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.entities.mention import Mention
from pipeline.errors import PipelineError
from pipeline.text.kk_tokenizer import tokenize_with_offsets

MODEL_FILE = "kk_nertagger.pt"
REBUILD_HINT = "Rebuild it with `python -m pipeline train-kk-stanza` (or `dvc repro train_kk_stanza`)."


def spans_from_bioes(tags: Sequence[str], offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Group BIOES (or BIO) tags into (start_char, end_char, type) using token offsets.

    A tag sequence that breaks the scheme (I- after O, a type change mid-entity) starts a new
    entity rather than being dropped, so no tagged token is lost.
    """
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for tag, (start, end) in zip(tags, offsets, strict=True):
        prefix, _, label = tag.partition("-")
        if prefix in ("B", "S") or (prefix in ("I", "E") and (cur is None or cur[2] != label)):
            if cur:
                out.append((cur[0], cur[1], cur[2]))
            cur = [start, end, label]
        elif prefix in ("I", "E") and cur is not None:
            cur[1] = end
        else:
            if cur:
                out.append((cur[0], cur[1], cur[2]))
            cur = None
        if prefix in ("S", "E") and cur is not None:
            out.append((cur[0], cur[1], cur[2]))
            cur = None
    if cur:
        out.append((cur[0], cur[1], cur[2]))
    return out


class StanzaBackend:
    """Kazakh (or any language's) NER with a Stanza tagger loaded from `model_dir`.

    `score` is 1.0 on every mention: Stanza's CRF decoder gives no per-mention probability, so
    the value means "found by the model", not a calibrated confidence.
    """

    def __init__(self, model_dir: str | Path = "models/kk_ner_stanza", lang: str = "kk",
                 batch_sentences: int = 256, max_sentence_tokens: int = 150) -> None:
        self.model_dir = Path(model_dir)
        self.lang = lang
        self.name = f"stanza:{lang}"
        self.batch_sentences = batch_sentences
        self.max_sentence_tokens = max_sentence_tokens
        self._pipeline = self._load()

    def _load(self):
        model_path = self.model_dir / MODEL_FILE
        if not self.model_dir.is_dir():
            raise PipelineError(f"{self.model_dir}: Stanza NER model directory not found. {REBUILD_HINT}")
        if not model_path.is_file():
            raise PipelineError(f"{model_path}: Stanza NER model file missing. {REBUILD_HINT}")
        if not (self.model_dir / "resources.json").is_file():
            raise PipelineError(
                f"{self.model_dir / 'resources.json'}: missing (Stanza needs it, with content {{}}, to load "
                f"local models without downloading). {REBUILD_HINT}"
            )
        import stanza
        import torch

        torch.set_num_threads(1)
        try:
            return stanza.Pipeline(
                self.lang, dir=str(self.model_dir), download_method=None, allow_unknown_language=True,
                processors="tokenize,ner", tokenize_pretokenized=True, ner_model_path=str(model_path),
                # ERROR: "unsupported language: kk" is expected for a locally trained model.
                use_gpu=False, logging_level="ERROR",
            )
        except Exception as exc:  # torch/pickle errors of a truncated or foreign file vary widely
            raise PipelineError(f"{model_path}: cannot load the Stanza NER model ({exc}). {REBUILD_HINT}") from exc

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for each text, in order; sentences are tagged in batches of `batch_sentences`."""
        # Flatten all texts' sentences so short texts share batches; remember where each came from.
        sentences: list[tuple[int, list[tuple[int, int]]]] = []
        for i, text in enumerate(texts):
            for spans in tokenize_with_offsets(text, self.max_sentence_tokens):
                sentences.append((i, spans))
        results: list[list[Mention]] = [[] for _ in texts]
        for b in range(0, len(sentences), self.batch_sentences):
            batch = sentences[b:b + self.batch_sentences]
            words = [[texts[i][s:e] for s, e in spans] for i, spans in batch]
            doc = self._pipeline(words)
            for (i, spans), sent in zip(batch, doc.sentences, strict=True):
                tags = [token.ner for token in sent.tokens]
                for start, end, label in spans_from_bioes(tags, spans):
                    results[i].append(Mention(start, end, texts[i][start:end], label, 1.0, self.name))
        return results
