"""Tokenization that matches KazNERD's: hyphenated Kazakh words stay one token.

KazNERD writes "Нұр-Сұлтан", "әл-Фараби", "сондай-ақ", "11-інші" as single tokens, while spaCy's
`xx` tokenizer splits a hyphen between letters into its own token. A model that sees three tokens
at inference where it saw one in training loses the entity boundary, so:

- `use_kazakh_infixes(nlp)` drops the hyphen from spaCy's letter-dash-letter infix rule (en/em
  dashes and tildes still split). The patterns are saved with the pipeline, so
  `spacy.load("models/kk_ner")` needs no code from this package.
- `tokenize_with_offsets(text)` is the regex tokenizer for Stanza's pre-tokenized input: it
  returns sentences of (start, end) character spans, so mentions map back to the input text.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.util import compile_infix_regex

# spaCy's rule is (?<=[ALPHA])(?:-|–|—|--|---|——|~)(?=[ALPHA]); keep everything but the bare hyphen.
_HYPHEN_ALTERNATION = "(?:-|–|—|--|---|——|~)"
_DASH_ALTERNATION = "(?:–|—|---|——|~)"


def kazakh_infixes(infixes: list[str] | tuple[str, ...]) -> list[str]:
    """spaCy infix patterns with the letter-hyphen-letter split removed."""
    out = [p.replace(_HYPHEN_ALTERNATION, _DASH_ALTERNATION) for p in infixes]
    if out == list(infixes):
        raise RuntimeError("spaCy's hyphen infix rule was not found; the Kazakh tokenizer needs updating.")
    return out


def use_kazakh_infixes(nlp: Language) -> Language:
    """Give `nlp`'s tokenizer the Kazakh infix rules (in place) and return `nlp`."""
    nlp.tokenizer.infix_finditer = compile_infix_regex(kazakh_infixes(nlp.Defaults.infixes)).finditer
    return nlp


# As KazNERD tokenizes: numbers with decimal/thousand separators ("12,5"); a per cent sign with
# its case suffix ("%-ға"); words starting with a letter, with inner hyphens or apostrophes
# ("әл-Фараби", "COVID-19-ға"); digits with a suffix ("11-інші") but not digit ranges ("2019", "-",
# "2020"); any other non-space character (punctuation, « », symbols) on its own.
_TOKEN = re.compile(
    r"\d+(?:[.,]\d+)+"
    r"|%-[^\W\d_]+"
    r"|[^\W\d_][^\W_]*(?:[-'’][^\W_]+)*"
    r"|\d+(?:-[^\W\d_][^\W_]*)*"
    r"|_+|\S"
)
_SENTENCE_END = {".", "!", "?", "…"}


def tokenize_with_offsets(text: str, max_tokens: int = 150) -> list[list[tuple[int, int]]]:
    """Split `text` into sentences of token spans (start, end), `str` offsets, end exclusive.

    A sentence ends after ., ! or ? when the next token starts with an upper-case letter, a
    digit or an opening quote, and in any case after `max_tokens` tokens, so very long
    unpunctuated texts are cut into bounded chunks the tagger can handle.
    """
    spans = [m.span() for m in _TOKEN.finditer(text)]
    sentences: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for i, span in enumerate(spans):
        current.append(span)
        token = text[span[0]:span[1]]
        nxt = text[spans[i + 1][0]] if i + 1 < len(spans) else ""
        at_boundary = token in _SENTENCE_END and (nxt.isupper() or nxt.isdigit() or nxt in "«\"“(")
        if at_boundary or len(current) >= max_tokens:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences
