"""Reviewed passages as training examples, and which of them are held out for evaluation."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import pandas as pd

Span = tuple[int, int, str]
# Project labels → the KazNERD types the Kazakh model predicts (pipeline/entities/labels.py maps
# them the other way at extraction time).
KAZNERD_TYPE = {"UNIVERSITY": "ORGANISATION", "ORG": "ORGANISATION", "PERSON": "PERSON", "GPE": "GPE",
                "LOC": "LOCATION", "FAC": "FACILITY", "EVENT": "EVENT", "DATE": "DATE", "NORP": "NORP",
                "PROJECT": "PROJECT", "LAW": "LAW", "AGREEMENT": "LAW", "LANGUAGE": "LANGUAGE",
                "PRODUCT": "PRODUCT"}


@dataclass(frozen=True)
class Example:
    """One passage with its gold spans (model label scheme)."""

    key: str  # passage id (or a sentence id in simulations)
    text: str
    spans: tuple[Span, ...]


def bucket(key: str, salt: str) -> float:
    """A number in [0, 1) fixed by the key and the salt."""
    return int.from_bytes(hashlib.sha1(f"{salt}\x00{key}".encode()).digest()[:8], "big") / 2**64


def split_held_out(examples: list[Example], ratio: float, salt: str) -> tuple[list[Example], list[Example]]:
    """(train, held out): a passage is held out when its bucket is below `ratio`; stable as reviews
    accumulate (a passage never moves between the parts)."""
    train = [e for e in examples if bucket(e.key, salt) >= ratio]
    held = [e for e in examples if bucket(e.key, salt) < ratio]
    return train, held


def to_model_spans(spans: list[tuple[int, int, str]]) -> tuple[Span, ...]:
    """Project-label spans as KazNERD types; labels the model has no type for are dropped;
    overlaps keep the first (longest at a start)."""
    out: list[Span] = []
    for s, e, label in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        kind = KAZNERD_TYPE.get(label)
        if kind and (not out or s >= out[-1][1]):
            out.append((s, e, kind))
    return tuple(out)


def reviewed_examples(passages: pd.DataFrame, machine: pd.DataFrame, decisions_path: str | os.PathLike[str],
                      lang: str) -> list[Example]:
    """Every passage in `lang` someone marked reviewed, with its mentions after review."""
    from pipeline.decisions.apply import apply_decisions, reviewed_passage_ids
    from pipeline.decisions.records import read_jsonl

    decisions = read_jsonl(decisions_path)
    if not decisions:
        return []
    reviewed = reviewed_passage_ids(decisions, passages)
    gold, _ = apply_decisions(machine, passages, decisions_path)
    in_lang = passages[(passages["lang"] == lang) & passages["passage_id"].isin(reviewed)]
    by_passage: dict[str, list[tuple[int, int, str]]] = {}
    for pid, s, e, label in zip(gold["passage_id"], gold["start"], gold["end"], gold["label"], strict=True):
        by_passage.setdefault(str(pid), []).append((int(s), int(e), str(label)))
    return [Example(str(pid), str(text), to_model_spans(by_passage.get(str(pid), [])))
            for pid, text in zip(in_lang["passage_id"], in_lang["text"], strict=True)]
