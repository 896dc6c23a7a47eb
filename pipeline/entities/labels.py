"""Mapping each backend's own labels onto the project's labels.

Project labels: UNIVERSITY, PERSON, AGREEMENT (the three the stage is for) and context types
ORG, GPE, LOC, NORP, FAC, EVENT, DATE, LANGUAGE, PRODUCT. Numeric types (CARDINAL, MONEY, ...),
KazNERD's POSITION, ADAGE, ... carry no entity and are dropped (mapped to None).
Organisations and laws are refined afterwards: an ORG whose name has a university head word
becomes UNIVERSITY, a LAW, WORK_OF_ART or PROJECT naming an agreement-like document (agreement,
law, decree, programme, ... in English, Russian or Kazakh) becomes AGREEMENT; other LAW mentions
stay as the context label LAW, other WORK_OF_ART mentions are dropped.
"""

from __future__ import annotations

import re

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
    if label in ("AGREEMENT", "WORK_OF_ART") and re.match(r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Dame)\.?\s+[A-Z]", text):
        return "PERSON"  # "Mr Law" tagged LAW: a person (the title is trimmed later)
    if label in ("ORG", "FAC") and looks_like_university(text):
        return "UNIVERSITY"
    if label in ("AGREEMENT", "WORK_OF_ART", "PROJECT"):
        if looks_like_agreement(text):
            return "AGREEMENT"
        # A "law" without a document word (Kazakh model LAW F1 is 0.25) stays a context label.
        return {"AGREEMENT": "LAW", "WORK_OF_ART": None, "PROJECT": "PROJECT"}[label]
    return label
