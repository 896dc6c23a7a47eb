"""Loading the committed spaCy Kazakh model with an error a scholar can act on."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError

SPACY_REBUILD_HINT = "Rebuild it with `dvc repro train_kk_ner` (or `python -m pipeline train-kk-ner`)."


def load_kk_spacy(model_dir: str | Path = "models/kk_ner"):
    """`spacy.load(model_dir)`, turning a missing or corrupt model into a `PipelineError`.

    The error names the directory or file at fault and how to rebuild the model.
    """
    import spacy

    path = Path(model_dir)
    if not path.is_dir():
        raise PipelineError(f"{path}: Kazakh spaCy NER model directory not found. {SPACY_REBUILD_HINT}")
    for required in ("config.cfg", "meta.json", "tokenizer", "ner", "tok2vec"):
        if not (path / required).exists():
            raise PipelineError(f"{path / required}: missing from the Kazakh spaCy NER model. {SPACY_REBUILD_HINT}")
    try:
        return spacy.load(path)
    except Exception as exc:  # spaCy/thinc/srsly raise many types for truncated or edited files
        raise PipelineError(f"{path}: cannot load the Kazakh spaCy NER model ({exc}). {SPACY_REBUILD_HINT}") from exc
