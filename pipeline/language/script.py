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
import unicodedata
from collections import Counter
from functools import lru_cache

# Letters that only Kazakh uses among the languages this corpus expects (en, kk, ru, zh) and
# their Cyrillic neighbours (uk, be, ky, mn): ә ғ қ ұ һ. The letters і ң ү ө are Kazakh too,
# but shared with Ukrainian/Belarusian (і) or Kyrgyz/Mongolian (ң ү ө).
KAZAKH_UNIQUE = frozenset("әғқұһӘҒҚҰҺ")
KAZAKH_SHARED = frozenset("іңүөІҢҮӨ")
UKRAINIAN_UNIQUE = frozenset("їєґЇЄҐ")
BELARUSIAN_UNIQUE = frozenset("ўЎ")
RUSSIAN_ONLY = frozenset("ёъыэЁЪЫЭ")  # Russian letters Ukrainian lacks (ы/э are also kk, be)

# Frequent characters that differ between simplified and traditional Chinese (pairs from the
# most common characters); enough to tell a sentence's standard apart.
SIMPLIFIED = frozenset("这个们来时国说为会对发学经还过动没后种开么进样关现长问间给点头实见"
                       "无与东门车书马电话业产务网军区历华应变级计认识观论际组织议贸协领导")
TRADITIONAL = frozenset("這個們來時國說為會對發學經還過動沒後種開麼進樣關現長問間給點頭實見"
                        "無與東門車書馬電話業產務網軍區歷華應變級計認識觀論際組織議貿協領導")

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b10\.\d{4,9}/\S+|\bdoi:\s*\S+", re.IGNORECASE)
_BRACKETED = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=4096)
def _script_of_char(ch: str) -> str | None:
    """The ISO 15924 family of one letter, or None for a non-letter."""
    if not ch.isalpha():
        return None
    code = ord(ch)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return "Latn"
    if 0x400 <= code < 0x530 or 0x1C80 <= code < 0x1C90 or 0xA640 <= code < 0xA6A0:
        return "Cyrl"
    if 0x3040 <= code < 0x3100 or 0x31F0 <= code < 0x3200 or 0xFF66 <= code < 0xFF9E:
        return "Kana"
    if 0x4E00 <= code < 0xA000 or 0x3400 <= code < 0x4DC0 or 0x20000 <= code < 0x2FA20 or 0xF900 <= code < 0xFB00:
        return "Hani"
    if 0xAC00 <= code < 0xD7B0 or 0x1100 <= code < 0x1200 or 0x3130 <= code < 0x3190:
        return "Hang"
    name = unicodedata.name(ch, "")
    for prefix, script in (("ARABIC", "Arab"), ("GREEK", "Grek"), ("HEBREW", "Hebr"), ("ARMENIAN", "Armn"),
                           ("GEORGIAN", "Geor"), ("DEVANAGARI", "Deva"), ("THAI", "Thai"), ("LATIN", "Latn"),
                           ("CYRILLIC", "Cyrl"), ("CJK", "Hani"), ("HANGUL", "Hang")):
        if name.startswith(prefix):
            return script
    return "Zyyy"


def script_counts(text: str) -> Counter[str]:
    """Number of letters per script family (Kana and Hang before combination into Jpan/Kore)."""
    counts: Counter[str] = Counter()
    for ch in text:
        script = _script_of_char(ch)
        if script is not None:
            counts[script] += 1
    return counts


def han_variant(text: str) -> str:
    """Hans, Hant or Hani (undecided) for a text containing Han characters."""
    simplified = sum(1 for ch in text if ch in SIMPLIFIED)
    traditional = sum(1 for ch in text if ch in TRADITIONAL)
    if simplified > traditional:
        return "Hans"
    if traditional > simplified:
        return "Hant"
    return "Hani"


def dominant_script(text: str) -> str:
    """ISO 15924 code of the script most letters of `text` are written in; Zyyy for none."""
    counts = script_counts(text)
    if not counts:
        return "Zyyy"
    if counts["Kana"]:  # Japanese mixes kana and Han: any kana makes the Han part Japanese
        counts["Jpan"] = counts.pop("Kana") + counts.pop("Hani", 0)
    if counts["Hang"]:
        counts["Kore"] = counts.pop("Hang") + counts.pop("Hani", 0)
    script = max(sorted(counts), key=lambda s: counts[s])
    return han_variant(text) if script == "Hani" else script


def strip_non_linguistic(text: str) -> str:
    """`text` without URLs, e-mail addresses and DOIs (they are Latin but not English)."""
    return _URL.sub(" ", text)


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
    text = strip_non_linguistic(text)
    tokens = words_of(_BRACKETED.sub(" ", text))
    if len(tokens) < 2:  # the brackets held all there is: keep them
        tokens = words_of(text)
    # Han and kana have no case (isupper() is False), so CJK words always count as language
    if all(len(t) <= 5 and t.isupper() for t in tokens) and sum(len(t) for t in tokens) < 12:
        return ""
    return " ".join(tokens)
