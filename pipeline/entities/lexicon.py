"""Common (lower-case) Kazakh and Russian words, to tell a sentence-initial common noun from a name.

A Kazakh or Russian name run at the start of a sentence ("Форум Қарағанды техникалық
университетінде өтті") cannot be cut by capitalisation alone: "Форум" is capitalised only because
it starts the sentence. A word that KazNERD's annotated text writes in lower case in the middle
of sentences is a common word, not the first word of a name.

`models/lexicon/kk_common_words.txt` is built from the shipped KazNERD file
(`python -m pipeline.entities.lexicon data/kaznerd/IOB2_valid.txt models/lexicon/kk_common_words.txt`):
words seen at least twice in lower case, not first in their sentence, outside any entity.
It holds word forms only (no entity labels), so it says nothing about KazNERD's test sentences.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "models" / "lexicon" / "kk_common_words.txt"


def build(kaznerd: str | Path, out: str | Path, min_count: int = 2) -> int:
    """Write the common-word list from a KazNERD IOB2 file; returns how many words it holds."""
    counts: Counter[str] = Counter()
    position = 0
    for line in Path(kaznerd).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            position = 0
            continue
        word, _, tag = line.rpartition(" ")
        if position > 0 and tag == "O" and word.isalpha() and word.islower() and len(word) > 2:
            counts[word] += 1
        position += 1
    words = sorted(w for w, c in counts.items() if c >= min_count)
    Path(out).write_text("\n".join(words) + "\n", encoding="utf-8")
    return len(words)


@lru_cache(maxsize=2)
def common_words(path: str = str(DEFAULT_PATH)) -> frozenset[str]:
    """The common-word list (empty when the file is absent: nothing is then cut)."""
    p = Path(path)
    if not p.exists():
        return frozenset()
    return frozenset(p.read_text(encoding="utf-8").split())


if __name__ == "__main__":
    print(build(sys.argv[1], sys.argv[2]), "words")
