"""Colours shared by the interactive charts and the static figures, so both read the same way."""

from __future__ import annotations

# Colour-blind-safe (Okabe–Ito) order; groups and languages take colours in sorted order.
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
LABELS = {"UNIVERSITY": "#0072B2", "AGREEMENT": "#D55E00", "PERSON": "#009E73"}
NEUTRAL = "#9aa5b1"


def colour_map(names: list[str]) -> dict[str, str]:
    """A stable colour per name (sorted), cycling when there are more names than colours."""
    return {name: SERIES[i % len(SERIES)] for i, name in enumerate(sorted(names))}
