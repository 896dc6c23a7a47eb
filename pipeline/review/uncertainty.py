"""How unsure the models are about each passage: what the `active` queue order serves first.

A second opinion re-reads every passage with another backend for its language (by default the
Stanza model for Kazakh against the spaCy one the entities stage uses, and rules + gazetteer
alone against the model for the other languages: "rules vs model"), through the same extractor
(rules, gazetteer, label mapping). Where the two disagree, a reviewer's decision teaches the
most: uncertainty = 1 − span F1 between the machine's mentions and the second opinion's (exact
start, end, label), 0 when both find nothing. Ties keep document order.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

import pandas as pd

Span = tuple[int, int, str]


def disagreement(machine: set[Span], second: set[Span]) -> float:
    """1 − F1 between two span sets (0 when both are empty)."""
    if not machine and not second:
        return 0.0
    return 1.0 - 2 * len(machine & second) / (len(machine) + len(second))


def uncertainty_frame(passages: pd.DataFrame, machine: pd.DataFrame, second: dict[str, list[Span]],
                      second_name: dict[str, str]) -> pd.DataFrame:
    """One row per passage: passage_id, lang, uncertainty, and why (counts of each side)."""
    by_passage: dict[str, set[Span]] = defaultdict(set)
    for pid, s, e, label in zip(machine["passage_id"], machine["start"], machine["end"], machine["label"],
                                strict=True):
        by_passage[str(pid)].add((int(s), int(e), str(label)))
    rows = []
    for pid, lang in zip(passages["passage_id"].astype(str), passages["lang"].fillna("").astype(str), strict=True):
        m, o = by_passage.get(pid, set()), set(second.get(pid, []))
        rows.append({"passage_id": pid, "lang": lang, "uncertainty": round(disagreement(m, o), 4),
                     "machine_mentions": len(m), "second_mentions": len(o), "agreed": len(m & o),
                     "second_opinion": second_name.get(lang, "")})
    return pd.DataFrame(rows, columns=["passage_id", "lang", "uncertainty", "machine_mentions", "second_mentions",
                                       "agreed", "second_opinion"])


def second_opinion(passages: pd.DataFrame, specs: dict[str, str], entities_settings: Any) -> dict[str, list[Span]]:
    """Mentions of every passage whose language has a second-opinion backend, by passage id."""
    from pipeline.entities.stage import build_extractor

    covered = passages[passages["lang"].isin(list(specs))]
    if covered.empty:
        return {}
    settings = dataclasses.replace(entities_settings, backends=dict(specs))
    extractor = build_extractor(settings)
    out: dict[str, list[Span]] = {}
    texts = covered["text"].astype(str).tolist()
    langs = covered["lang"].astype(str).tolist()
    segments = covered["segments"].tolist() if "segments" in covered.columns else None
    scopes = covered["doc_id"].astype(str).tolist()
    step = 500
    for i in range(0, len(texts), step):
        result = extractor.extract(texts[i:i + step], langs[i:i + step],
                                   segments[i:i + step] if segments is not None else None, scopes[i:i + step])
        for pid, mentions in zip(covered["passage_id"].iloc[i:i + step], result.mentions, strict=True):
            out[str(pid)] = [(m.start, m.end, m.label) for m in mentions]
    return out
