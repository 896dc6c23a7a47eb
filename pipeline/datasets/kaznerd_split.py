"""The honest train / dev / test split of KazNERD: by groups of near-duplicate sentences.

KazNERD's validation file holds many TV-news sentences twice, as neighbouring lines: once with
numbers spelled out and once with digits ("... төрт мың үш жүз елу бала бар ." / "... 4350 бала
бар ."), and it repeats bylines ("Name, Name, « Қорытынды жаңалықтар » ."). A split by single
sentences puts one copy in train and the other in test, so the test figure measures memory, not
generalisation (the first split did exactly that: its "held-out" micro F1 was 0.95 on test
sentences whose twin it had trained on, 0.75 on the others). Here near-duplicates are grouped
first and a whole group goes to one part:

- two sentences are linked when their sets of lower-cased alphabetic words have Jaccard >= 0.5,
  or, within `NEIGHBOUR_LINES` lines of each other, when the smaller set shares >= 60 % of its
  words (and at least 3) with the other (spelled-out numbers add words to one copy only);
- linked sentences form groups (union-find); a group's part is fixed by a SHA-1 bucket of the salt
  and the group's smallest sentence text, so it does not depend on the order within the group.

Sentences that sat in a retired held-out part (one on which settings were once chosen) are never
put in test: a group holding one is trained on instead.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.datasets.kaznerd import TaggedSentence
from pipeline.errors import PipelineError

JACCARD_LINK = 0.5
NEIGHBOUR_LINES = 3
NEIGHBOUR_OVERLAP = 0.6
NEIGHBOUR_MIN_SHARED = 3
# Words in more sentences than this carry no evidence of duplication and would make the candidate
# search quadratic; two copies of a sentence always share rarer words as well.
_MAX_POSTING = 40


@dataclass(frozen=True)
class Split:
    """The three parts, each in file order."""

    train: list[TaggedSentence]
    dev: list[TaggedSentence]
    test: list[TaggedSentence]

    def counts(self) -> dict[str, int]:
        """Number of sentences in each part."""
        return {"train": len(self.train), "dev": len(self.dev), "test": len(self.test)}


def bucket(text: str, seed: int | str) -> float:
    """A number in [0, 1) fixed by the text and the seed (SHA-1 based, stable across runs and machines)."""
    digest = hashlib.sha1(f"{seed}\x00{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _words(sentence: TaggedSentence) -> frozenset[str]:
    return frozenset(t.lower() for t in sentence.tokens if any(c.isalpha() for c in t))


def near_duplicate_groups(sentences: Sequence[TaggedSentence]) -> list[int]:
    """A group id per sentence (the index of the group's first sentence); see the module docstring."""
    words = [_words(s) for s in sentences]
    frequency: dict[str, int] = defaultdict(int)
    for ws in words:
        for w in ws:
            frequency[w] += 1
    postings: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        for w in ws:
            if frequency[w] <= _MAX_POSTING:
                postings[w].append(i)

    parent = list(range(len(sentences)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def link(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for i, ws in enumerate(words):
        if not ws:
            continue
        candidates = {k for w in ws if frequency[w] <= _MAX_POSTING for k in postings[w] if k > i}
        candidates.update(k for k in range(i + 1, min(len(words), i + NEIGHBOUR_LINES + 1)))
        for k in candidates:
            shared = len(ws & words[k])
            if not shared:
                continue
            if shared / len(ws | words[k]) >= JACCARD_LINK:
                link(i, k)
            elif (k - i <= NEIGHBOUR_LINES and shared >= NEIGHBOUR_MIN_SHARED
                  and shared / min(len(ws), len(words[k])) >= NEIGHBOUR_OVERLAP):
                link(i, k)
    return [root(i) for i in range(len(sentences))]


def split_kaznerd(sentences: Sequence[TaggedSentence], dev_ratio: float = 0.15, test_ratio: float = 0.2,
                    salt: str = "kaznerd-2026", retired_seed: int | str | None = 13,
                    retired_ratio: float = 0.2) -> Split:
    """Assign each near-duplicate group to test, dev or train by a bucket of `salt` and its text.

    A group's bucket b: test if b < `test_ratio` and no sentence of it is retired (a retired one
    is trained on instead), dev if b < `test_ratio + dev_ratio`, train otherwise.
    A sentence is retired when `bucket(text, retired_seed) < retired_ratio` (the first split's
    dev + test part, seed 13); `retired_seed=None` retires nothing.
    """
    if not (0 < dev_ratio < 1 and 0 < test_ratio < 1 and dev_ratio + test_ratio < 1):
        raise PipelineError(
            f"params.yaml: dev_ratio={dev_ratio} and test_ratio={test_ratio} must each be in (0, 1) "
            "and leave some sentences for training (their sum below 1)."
        )
    groups = near_duplicate_groups(sentences)
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        members[g].append(i)
    part_of_group: dict[int, str] = {}
    for g, idx in members.items():
        b = bucket(min(sentences[i].text for i in idx), salt)
        retired = retired_seed is not None and any(
            bucket(sentences[i].text, retired_seed) < retired_ratio for i in idx)
        if b < test_ratio:
            part_of_group[g] = "train" if retired else "test"
        elif b < test_ratio + dev_ratio:
            part_of_group[g] = "dev"
        else:
            part_of_group[g] = "train"
    parts: dict[str, list[TaggedSentence]] = {"train": [], "dev": [], "test": []}
    for sentence, g in zip(sentences, groups, strict=True):
        parts[part_of_group[g]].append(sentence)
    return Split(parts["train"], parts["dev"], parts["test"])
