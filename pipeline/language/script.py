"""Writing systems (ISO 15924) and linguistic content of a text.

`dominant_script` counts letters per script and returns the script of the majority: Latn, Cyrl,
Hans / Hant (Han characters; Hani when the text has none of the characters that tell simplified
from traditional apart), Jpan (any kana), Kore, Arab, Grek, Hebr, Armn, Geor, Deva, Thai, and
Zyyy when the text has no letters at all.

`linguistic_content` removes what carries no language: URLs, e-mail addresses, DOIs, numbers,
punctuation, and abbreviations in capitals when nothing else is left ("УДК: 37.016.3",
"SRSTI: 11.25.29", "DOI:"), so such passages are `und` rather than a guess.
"""

from __future__ import annotations

import re

from pipeline.language.letters import (  # noqa: F401  (re-exported: the letters that identify languages)
    BELARUSIAN_UNIQUE,
    KAZAKH_SHARED,
    KAZAKH_UNIQUE,
    RUSSIAN_ONLY,
    SIMPLIFIED,
    TRADITIONAL,
    UKRAINIAN_UNIQUE,
    letters_in,
    profiles,
    script_of,
)

# URLs (also "URL:https:// host/path" with a stray space), bare host/path, e-mail, DOIs
_URL = re.compile(r"(?:https?://|www\.)\s?\S+|\b[\w-]+(?:\.[\w-]+)+/\S*|\S+@\S+\.\w+|\b10\.\d{4,9}/\S+"
                  r"|\bdoi:\s*\S+|\b(?:[\w-]+\.)+(?:com|org|net|edu|gov|int|info|io|kz|ru|cn|uk|рф|қаз)\b",
                  re.IGNORECASE)
_DOMAIN_HINT = re.compile(r"(?:www|\.(?:com|org|net|edu|gov|int|info|io|kz|ru|cn|uk|рф|қаз))\b", re.IGNORECASE)
_LOCATOR = re.compile(r"\bURL\s*:[^\n]*")  # to the end of the line: the next entry may follow
_BRACKETED = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def dominant_script(text: str) -> str:
    """ISO 15924 code of the script most letters of `text` are written in; Zyyy for none."""
    return script_of(profiles([text])[0])


def letter_count(text: str) -> int:
    """Number of letters in `text` (in the scripts `letters.py` counts)."""
    return int(letters_in(profiles([text]))[0])


def strip_non_linguistic(text: str) -> str:
    """`text` without URLs, e-mail addresses and DOIs (they are Latin but not English), and without
    the locator of a bibliography entry: from "URL:" on come a link and an access note ("(access
    date: 05.09.2022)", "(дата обращения: …)") whatever the language of the cited work."""
    if "/" not in text and "@" not in text and "doi" not in text.lower() and not _DOMAIN_HINT.search(text):
        return text  # nothing to strip; skipping the regex keeps the stage fast
    return _URL.sub(" ", _LOCATOR.sub(" ", text))


def words_of(text: str) -> list[str]:
    """Letter sequences of `text` (apostrophes inside words kept: "Posol'stvo")."""
    return _WORD.findall(text)


def linguistic_content(text: str) -> str:
    """The words of `text` that carry language, joined by spaces; "" when there are none.

    Square brackets hold editorial insertions: translations of a cited title ("[Migration
    classification: bases and taxa]"), "[Electronic resource]", citation numbers. The entry's language
    is that of the rest, so bracketed text is dropped unless nothing else is left.
    Capitalised abbreviations of up to five letters are kept when other words accompany them
    (a sentence mentioning "MGIMO" is still a sentence) but are dropped when they are all there is
    ("УДК: 37.016.3", "DOI:").
    """
    return content_words(strip_non_linguistic(text))


def content_words(text: str) -> str:
    """`linguistic_content` of a text already passed through `strip_non_linguistic`."""
    tokens = words_of(_BRACKETED.sub(" ", text) if "[" in text else text)
    if len(tokens) < 2:  # the brackets held all there is: keep them
        tokens = words_of(text)
    # Han and kana have no case (isupper() is False), so CJK words always count as language
    if all(len(t) <= 5 and t.isupper() for t in tokens) and sum(len(t) for t in tokens) < 12:
        return ""
    return " ".join(tokens)
