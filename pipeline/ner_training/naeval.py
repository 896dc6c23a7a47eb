"""naeval's per-token scoring (natasha's benchmark protocol) as per-document counts.

A token (`\\w+` or one punctuation character) is tagged T when a span of type T covers it; a
document contributes, per type, the tokens predicted T, gold T, and both. Pooled over documents
this gives naeval's tag-level precision, recall and F1; per document, the counts feed bootstrap
intervals over documents (pipeline/bootstrap.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.bootstrap import Counts

TYPES = ("PER", "ORG", "LOC")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def naeval_token_counts(text: str, predicted: Sequence[tuple[int, int, str]], gold: Sequence[tuple[int, int, str]],
                        types: Sequence[str] = TYPES) -> dict[str, Counts]:
    """Per-type token counts of one document (spans are (start, end, type) character offsets)."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: dict[str, Counts] = {}
    for t in types:
        p = [any(s <= a and b <= e for s, e, tt in predicted if tt == t) for a, b in tokens]
        g = [any(s <= a and b <= e for s, e, tt in gold if tt == t) for a, b in tokens]
        out[t] = Counts(sum(x and y for x, y in zip(p, g, strict=True)), sum(p), sum(g))
    return out
