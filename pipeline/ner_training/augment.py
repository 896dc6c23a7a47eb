"""Mention-replacement augmentation: more training sentences with other names in the same slots.

A model trained on 8,000 sentences learns many names by heart and little about the contexts they
stand in. Each augmented copy of a training sentence swaps every name-like mention (person,
organisation, place, facility) for another training mention of the same type, so the model
sees the same context with names it cannot have memorised there (Dai & Adel 2020, "An Analysis
of Simple Data Augmentation for Named Entity Recognition"). Kazakh case endings sit on the last
word of a name ("Қалыбекованың"), so a replacement is drawn, when possible, among mentions whose
last word ends in the same two letters, keeping the sentence grammatical more often.

Deterministic: the choices depend only on the seed and the sentence's position.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from pipeline.datasets.kaznerd import TaggedSentence, spans_from_tags

NAME_TYPES = ("PERSON", "ORGANISATION", "GPE", "LOCATION", "FACILITY")
_MIN_SAME_ENDING = 3  # fewer candidates with the same ending: draw from all mentions of the type


def _token_spans(sentence: TaggedSentence) -> list[tuple[int, int, str]]:
    """Entities as (first token, end token, type)."""
    return spans_from_tags(sentence.tags, [(i, i + 1) for i in range(len(sentence.tokens))])


def mention_inventory(sentences: Sequence[TaggedSentence], types: Sequence[str] = NAME_TYPES) -> dict:
    """Distinct mentions (token tuples) per type and per (type, ending of the last word), sorted."""
    by_type: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for s in sentences:
        for start, end, label in _token_spans(s):
            if label in types:
                by_type[label].add(s.tokens[start:end])
    by_ending: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
    for label, mentions in by_type.items():
        for m in sorted(mentions):
            by_ending[(label, m[-1][-2:].lower())].append(m)
    return {"type": {k: sorted(v) for k, v in by_type.items()}, "ending": dict(by_ending)}


def replace_mentions(sentence: TaggedSentence, inventory: dict, rng: random.Random,
                     types: Sequence[str] = NAME_TYPES) -> TaggedSentence | None:
    """A copy of `sentence` with each mention of `types` replaced; None when it has none."""
    spans = [s for s in _token_spans(sentence) if s[2] in types and inventory["type"].get(s[2])]
    if not spans:
        return None
    tokens: list[str] = []
    tags: list[str] = []
    pos = 0
    for start, end, label in spans:
        tokens.extend(sentence.tokens[pos:start])
        tags.extend(sentence.tags[pos:start])
        same_ending = inventory["ending"].get((label, sentence.tokens[end - 1][-2:].lower()), [])
        pool = same_ending if len(same_ending) >= _MIN_SAME_ENDING else inventory["type"][label]
        new = pool[rng.randrange(len(pool))]
        tokens.extend(new)
        tags.extend([f"B-{label}"] + [f"I-{label}"] * (len(new) - 1))
        pos = end
    tokens.extend(sentence.tokens[pos:])
    tags.extend(sentence.tags[pos:])
    return TaggedSentence(tuple(tokens), tuple(tags))


def augment(sentences: Sequence[TaggedSentence], copies: int, seed: int,
            types: Sequence[str] = NAME_TYPES) -> list[TaggedSentence]:
    """`copies` replaced versions of every sentence that holds a name-like mention (originals not included)."""
    if copies <= 0:
        return []
    inventory = mention_inventory(sentences, types)
    out: list[TaggedSentence] = []
    for i, sentence in enumerate(sentences):
        rng = random.Random(f"{seed}:{i}")
        for _ in range(copies):
            new = replace_mentions(sentence, inventory, rng, types)
            if new is None:
                break
            out.append(new)
    return out
