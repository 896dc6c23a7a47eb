"""Latin/Cyrillic look-alike letters inside one word ("Рutin" with a Cyrillic Р, "Tokaеv").

OCR and copy-paste mix scripts inside names; a model then sees an unknown word, and the same
person gets two keys. `fold_confusables` rewrites, inside each word that mixes Latin and
Cyrillic letters, the letters of the minority script that have a look-alike in the majority
script. It maps one character to one character, so every offset stays valid: the stage runs on
the folded text, reports the mention as written, and records the folded form as `normalized`.
"""

from __future__ import annotations

import re

_PAIRS = ("AА", "BВ", "CС", "EЕ", "HН", "KК", "MМ", "OО", "PР", "TТ", "XХ", "YУ", "aа", "cс", "eе", "oо", "pр",
          "xх", "yу", "iі", "jј", "sѕ", "IІ")
_TO_CYR = {lat: cyr for lat, cyr in _PAIRS}
_TO_LAT = {cyr: lat for lat, cyr in _PAIRS}
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORD = re.compile(r"[^\W\d_]+")


def _fold_word(word: str) -> str:
    latin = sum(1 for c in word if "A" <= c <= "z" and c.isalpha())
    cyrillic = sum(1 for c in word if "\u0400" <= c <= "\u04ff")
    if not latin or not cyrillic:
        return word
    table = _TO_LAT if latin >= cyrillic else _TO_CYR
    return "".join(table.get(c, c) for c in word)


def fold_confusables(text: str) -> str:
    """`text` with look-alike letters folded inside mixed-script words (same length as `text`)."""
    if not (_LATIN.search(text) and _CYRILLIC.search(text)):
        return text
    return _WORD.sub(lambda m: _fold_word(m.group()), text)


def has_mixed_script(word: str) -> bool:
    """Whether `word` mixes Latin and Cyrillic letters."""
    return bool(_LATIN.search(word) and _CYRILLIC.search(word))
