"""Mapping each backend's own labels onto the project's labels.

Project labels: UNIVERSITY, PERSON, AGREEMENT (the three the stage is for) and context types
ORG, GPE, LOC, NORP, FAC, EVENT, DATE, LANGUAGE, PRODUCT. Numeric types (CARDINAL, MONEY, ...),
KazNERD's POSITION, ADAGE, ... carry no entity and are dropped (mapped to None).
Organisations and laws are refined afterwards: an ORG whose name has a university head word
becomes UNIVERSITY, a LAW or WORK_OF_ART naming an agreement-like document becomes AGREEMENT.
"""

from __future__ import annotations

from pipeline.entities.rules import looks_like_agreement, looks_like_university

MAIN_LABELS = ("UNIVERSITY", "PERSON", "AGREEMENT")

_MAP = {
    # spaCy OntoNotes (en_core_web_sm)
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "FAC",
    "EVENT": "EVENT", "DATE": "DATE", "LAW": "AGREEMENT", "LANGUAGE": "LANGUAGE", "PRODUCT": "PRODUCT",
    "WORK_OF_ART": "WORK_OF_ART",
    # natasha / slovnet, Stanza WikiNER-style
    "PER": "PERSON", "MISC": None,
    # KazNERD (models/kk_ner, stanza kk)
    "ORGANISATION": "ORG", "LOCATION": "LOC", "FACILITY": "FAC", "PROJECT": "PROJECT",
}


def map_label(backend_label: str, text: str) -> str | None:
    """The project label of a mention the backend labelled `backend_label`, or None to drop it."""
    label = _MAP.get(backend_label.upper())
    if label in ("ORG", "FAC") and looks_like_university(text):
        return "UNIVERSITY"
    if label in ("AGREEMENT", "WORK_OF_ART", "PROJECT"):
        return "AGREEMENT" if looks_like_agreement(text) else (None if label == "WORK_OF_ART" else label)
    return label
