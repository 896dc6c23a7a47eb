"""Finding where a document's reference list starts.

Authors in a reference list are bibliographic metadata, not people the text is about (see
data/seed_gold/README.md); the stage marks every mention after a references heading with
`section = "references"` so that summaries and evaluations can leave those people out while
laws and universities cited there stay available.
"""

from __future__ import annotations

import re

_HEADING = re.compile(
    r"(?im)^[\s#*\-–—\d.]*(?:references|bibliography|literature|works cited|sources"
    r"|список\s+(?:использованн(?:ой|ых)\s+)?(?:литературы|источников)|литература|использованные\s+источники"
    r"|әдебиеттер(?:\s+тізімі)?|пайдаланылған\s+әдебиеттер(?:\s+тізімі)?|参考文献)[\s:.*#]*$")


def references_start(text: str) -> int | None:
    """Offset in `text` where a references heading line starts, or None when there is none."""
    m = _HEADING.search(text)
    return m.start() if m else None


def sections_for_document(texts: list[str]) -> list[int | None]:
    """For each passage of one document, in order: the offset where its references part starts
    (0 when the whole passage follows the heading), or None when it is body text."""
    out: list[int | None] = []
    in_refs = False
    for text in texts:
        if in_refs:
            out.append(0)
            continue
        start = references_start(text)
        out.append(start)
        in_refs = start is not None
    return out
