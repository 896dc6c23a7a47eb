"""Sentence boundaries and splitting over-long paragraphs into passages.

A regex splitter that knows the abbreviations of these documents: initials ("K. K.
Tokayev", "V.Yu. Ledeneva", "А.З."), English, Russian and Kazakh abbreviations ("Prof.",
"No.", "т.е.", "им.", "г.", "ж."), decimal numbers ("2.5" has no space after the dot) and
Chinese full stops, which need no space.
"""

from __future__ import annotations

import bisect
import math
import re

ABBREVIATIONS = frozenset(
    # English
    "mr mrs ms dr prof st jr sr vs etc e.g i.e cf al fig figs no nos vol vols p pp ed eds eq approx "
    "inc ltd co corp dept univ assoc jan feb mar apr jun jul aug sep sept oct nov dec est ca "
    "art para sect ch min max resp repr rev gen gov col lt sgt capt"
    # Russian
    " т.е т.к т.д т.п т.н т.ч др пр им г гг в вв см ср рис табл стр с ст гл п пп ч чл ул д "
    "проф акад доц канд докт акад тыс млн млрд руб долл коп обл р-н респ м.б н.э до н.э т.о "
    "и.о зав зам напр ок юрид экон пед ист филол техн мин федер"
    # Kazakh
    " ж жж т.б т.с.с б.з.д б.з ғ ғғ б бб м.ж қ ж.б"
    .split()
)
SENTENCE_END = re.compile(r"(?:[.!?…]+|[。！？]+)[\"'»”’)\]]*")
NEXT_START = re.compile(r"\s*[\"'«“‘(\[—–-]*\s*([^\W_]|\d)")
INITIALS = re.compile(r"^(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яё]?\.)*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яё]?$")
TOKEN_BEFORE = re.compile(r"(\S+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of each sentence; together they cover the text except whitespace between."""
    spans: list[tuple[int, int]] = []
    start = 0
    text_end = len(text.rstrip())
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        if end >= text_end:
            break  # the end of the text closes the last sentence anyway
        if not _is_boundary(text, start, match):
            continue
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _is_boundary(text: str, sentence_start: int, match: re.Match[str]) -> bool:
    end = match.end()
    mark = match.group()
    chinese = mark[0] in "。！？"
    following = text[end : end + 40]  # bounded windows keep this linear on huge paragraphs
    if not chinese and not following[:1].isspace():
        return False  # "2.5", "V.Yu.", "doi.org"
    if not any(ch.isalnum() for ch in text[max(sentence_start, match.start() - 40) : match.start()]) \
            and not any(ch.isalnum() for ch in text[sentence_start : match.start()]):
        return False  # "3." at the start of a numbered heading is not a sentence
    if chinese:
        return True
    nxt = NEXT_START.match(following)
    if not nxt or (nxt.group(1).isalpha() and nxt.group(1).islower()):
        return False
    if mark.startswith(".") and len(mark.rstrip("\"'»”’)]")) == 1:
        token = TOKEN_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        word = token.group(1).lstrip("\"'«“‘([") if token else ""
        if _is_abbreviation(word):
            return False
    return True


def _is_abbreviation(word: str) -> bool:
    if not word:
        return False
    lower = word.lower()
    if lower in ABBREVIATIONS or lower.rstrip(".") in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        return True  # an initial or a one-letter abbreviation: sentences rarely end in one
    return bool(INITIALS.match(word))


def split_long(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut `text` into spans of at most `max_chars`, at sentence boundaries near even sizes.

    A sentence longer than `max_chars` is cut at the last space before the limit (or hard
    at the limit when there is none), so no span ever exceeds `max_chars`.
    """
    if len(text) <= max_chars:
        return [(0, len(text))]
    cuts = sorted({s for s, _ in sentence_spans(text)} - {0})
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > max_chars:
        remaining = len(text) - start
        target = start + remaining / math.ceil(remaining / max_chars)
        fitting = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_right(cuts, start + max_chars)]
        if fitting:
            cut = min(fitting, key=lambda c: (abs(c - target), -c))
        else:
            window = text[start : start + max_chars]
            space = window.rfind(" ")
            cut = start + space if space > 0 else start + max_chars
        spans.append((start, cut))
        start = cut
        while start < len(text) and text[start].isspace():
            start += 1
    spans.append((start, len(text)))
    return [(a, _rstrip_end(text, a, b)) for a, b in spans if text[a:b].strip()]


def _rstrip_end(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1].isspace():
        b -= 1
    return b
