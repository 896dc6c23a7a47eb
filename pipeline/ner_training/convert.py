"""KazNERD sentences → spaCy `DocBin` and Stanza's JSON training format.

Both keep KazNERD's own tokens (spaCy via `Doc(words=...)`), so no entity is lost to a
tokenizer disagreement during training.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from pipeline.datasets.kaznerd import TaggedSentence


def to_doc(vocab: Vocab, sentence: TaggedSentence) -> Doc:
    """A spaCy Doc with the sentence's tokens (single spaces) and its IOB2 entities."""
    words = list(sentence.tokens)
    doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False], ents=list(sentence.tags))
    return doc


def to_docbin(vocab: Vocab, sentences: Iterable[TaggedSentence]) -> DocBin:
    """All sentences as one DocBin (what `spacy train` reads)."""
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    for sentence in sentences:
        docbin.add(to_doc(vocab, sentence))
    return docbin


def to_stanza_json(sentences: Iterable[TaggedSentence]) -> list[list[dict[str, str]]]:
    """Stanza NER training data: a list of sentences, each a list of {"text", "ner"} in BIO."""
    return [[{"text": tok, "ner": tag} for tok, tag in zip(s.tokens, s.tags, strict=True)] for s in sentences]
