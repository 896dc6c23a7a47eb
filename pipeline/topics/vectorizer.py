"""Terms for topic words: a tokenizer that keeps every script of the corpus, and stop words.

BERTopic's default CountVectorizer pattern drops non-ASCII tokens when embeddings are
precomputed, so Russian and Kazakh words would vanish from topic words. Here a word is a run
of letters in any script (Latin, Cyrillic incl. Kazakh ә ғ қ ң ө ұ ү һ і), with inner hyphens
kept (әл-Фараби, socio-economic). Chinese has no spaces, so CJK runs become character bigrams
(a single character is kept when the run has one).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

STOPWORDS_DIR = Path(__file__).resolve().parents[2] / "models" / "stopwords"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A letter that is not CJK: \w minus digits, underscore and CJK ideographs.
_LETTER = rf"[^\W\d_{_CJK}]"
TOKEN_PATTERN = re.compile(rf"{_LETTER}{{2,}}(?:-{_LETTER}+)*|[{_CJK}]+")
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of `text`, CJK runs split into character bigrams."""
    tokens: list[str] = []
    for match in TOKEN_PATTERN.finditer(text.lower()):
        token = match.group()
        if _CJK_RUN.match(token):
            if len(token) == 1:
                tokens.append(token)
            else:
                tokens.extend(token[i:i + 2] for i in range(len(token) - 1))
        else:
            tokens.append(token)
    return tokens


def read_word_list(path: Path) -> set[str]:
    """Words of a one-word-a-line list; blank lines and lines starting with # are skipped."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and not word.startswith("#"):
            words.add(word)
    return words


@lru_cache(maxsize=4)
def stop_words(directory: Path = STOPWORDS_DIR) -> frozenset[str]:
    """English (scikit-learn), Russian and Kazakh stop words plus markup leftovers."""
    words = set(ENGLISH_STOP_WORDS)
    for name in ("ru.txt", "kk.txt", "markup.txt"):
        words |= read_word_list(directory / name)
    return frozenset(words)


def make_vectorizer(n_passages: int, min_df: int = 0, max_df: float = 0.9) -> CountVectorizer:
    """The CountVectorizer for topic words; `min_df` 0 scales with corpus size.

    A term must occur in 2+ passages once the corpus has 1,000 passages (hapaxes then only
    inflate the vocabulary); on a small corpus every term counts. `max_df` is ignored below
    50 passages, where one word in most passages is not evidence of a stop word.
    """
    if min_df <= 0:
        min_df = 1 if n_passages < 1000 else 2
    return CountVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,  # tokenize() lower-cases
        stop_words=sorted(stop_words()),
        min_df=min_df,
        max_df=max_df if n_passages >= 50 else 1.0,
        dtype=np.int64,
    )

