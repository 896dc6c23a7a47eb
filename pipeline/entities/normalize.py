"""Normalised keys that make spelling, script, case and inflection variants of a name collide.

Two keys are built from a surface form:

- `match_key(text)`: for institutions and agreements. Casefolded, Cyrillic (Russian and
  Kazakh) transliterated to Latin, diacritics and quotes removed, initials and function words
  ("of", "named after", "имени", "атындағы", ...) dropped, Russian/Kazakh case endings trimmed,
  tokens sorted, so "Russian State University ‘I.M. Gubkin’ for oil and gas" and
  "Gubkin Russian State University of Oil and Gas" share a key.
- `person_key(text)`: the surname's key. Initials dropped ("K. K. Tokayev" → Tokayev), the
  Russian/Kazakh case and gender endings of surnames removed (Токаева, Токаеву → Токаев;
  Ledeneva → Ledenev), transliteration variants folded (Tokayev / Tokaev / Тоқаев → tokaev).
"""

from __future__ import annotations

import re
import unicodedata

# One Latin rendering per Cyrillic letter (Russian + Kazakh). The choice does not matter as
# long as it is the same for every form; `_fold_latin` then removes the differences between
# the common English transliteration conventions (y/i, j/zh, kh/h, ...).
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}

_QUOTES = "«»“”„‟\"'‘’‚‛`´"
_STOP_TOKENS = frozenset(
    "the of for and named after a an in at on to "
    "im imeni i v na po atyndagy zhane ".split()
)
# Case endings trimmed from every institution token (longest first); they make "университета",
# "университетінде" and "университет" collide. Short stems are left alone.
# Written in folded form (`_fold_latin` runs first).
_INFLECTIONS = sorted(
    """ogo ego omu emu imi oi ei im om em aia oe ee ii ui ih
    am iam ami iami ah iah a ia u iu e i o
    inda inde nda nde ina ine nin din tin in""".split(),
    key=len, reverse=True,
)
# Russian/Kazakh surname endings: feminine and oblique cases of -ov/-ev/-in/-sky surnames.
_SURNAME_ENDINGS = (
    ("ovoi", "ov"), ("evoi", "ev"), ("inoi", "in"), ("ovu", "ov"), ("evu", "ev"), ("inu", "in"),
    ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("ovym", "ov"), ("evym", "ev"), ("inym", "in"),
    ("ovoi", "ov"), ("skaia", "ski"), ("skoi", "ski"), ("skogo", "ski"), ("skii", "ski"),
    ("skiy", "ski"), ("sky", "ski"), ("aia", "ai"), ("ogo", ""), ("ovich", "ovich"),
)
_INITIAL = re.compile(r"^(?:[^\W\d_]\.?){1,2}$")


def transliterate(text: str) -> str:
    """Cyrillic (Russian and Kazakh) → Latin, letter by letter, keeping case of the first letter."""
    out = []
    for ch in text:
        low = ch.lower()
        lat = _CYR_TO_LAT.get(low)
        if lat is None:
            out.append(ch)
        else:
            out.append(lat.capitalize() if ch != low and lat else lat)
    return "".join(out)


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_latin(token: str) -> str:
    """Remove differences between transliteration conventions (Tokayev/Tokaev, Zhomart/Jomart)."""
    t = token
    for a, b in (("kh", "h"), ("gh", "g"), ("zh", "j"), ("dzh", "j"), ("ts", "c"), ("tz", "c"), ("w", "v"),
                 ("yu", "iu"), ("ya", "ia"), ("ye", "e"), ("yo", "e"), ("ay", "ai"), ("iy", "i"),
                 ("yi", "i"), ("q", "k"), ("x", "ks")):
        t = t.replace(a, b)
    t = t.replace("y", "i")
    t = re.sub(r"(.)\1+", r"\1", t)  # doubled letters: Kassym / Kasym
    t = t.replace("aie", "ae").replace("aia", "aa") if len(t) > 6 else t
    return t


def _tokens(text: str) -> list[str]:
    """Casefolded Latin tokens of `text`, quotes and punctuation removed."""
    t = unicodedata.normalize("NFC", text)
    t = transliterate(t)
    t = _strip_diacritics(t).casefold()
    t = re.sub(r"['’]s\b", "", t)  # English possessive: "Manshina's"
    t = re.sub(f"[{re.escape(_QUOTES)}]", " ", t)
    t = re.sub(r"[^\w\s.-]", " ", t)
    return [tok for tok in re.split(r"[\s-]+", t) if tok]


def _trim_inflection(token: str) -> str:
    if len(token) <= 5:
        return token
    for ending in _INFLECTIONS:
        if token.endswith(ending) and len(token) - len(ending) >= 5:
            return token[: -len(ending)]
    return token


def match_key(text: str) -> str:
    """Order-free key of an institution or agreement name (see module docstring)."""
    words = []
    for tok in _tokens(text):
        if _INITIAL.match(tok) or "." in tok.strip("."):
            continue  # initials inside names: "I.M. Gubkin", "M. V. Lomonosov"
        tok = tok.strip(".")
        if not tok or tok in _STOP_TOKENS:
            continue
        words.append(_trim_inflection(_fold_latin(tok)))
    return " ".join(sorted(set(words)))


def strip_initials(text: str) -> str:
    """A person's name without initials: "K. K. Tokayev" → "Tokayev", "Bulatbaeva A.A." → "Bulatbaeva"."""
    cleaned = re.sub(r"[,;:()\[\]]|['’]s\b", " ", text).strip(" -–—")
    parts = [p for p in re.split(r"\s+|(?<=\.)(?=\w)", cleaned.strip()) if p]
    kept = [p for p in parts if not _INITIAL.match(p)]
    return " ".join(kept) if kept else text.strip()


def surname(text: str) -> str:
    """The surname of a person's name as written: last token after initials are dropped.

    Name order varies ("Vladimir Putin", "Bulatbaeva A.A."); when initials follow the name the
    remaining single token is the surname, otherwise the last token is.
    """
    name = strip_initials(text)
    tokens = name.split()
    return tokens[-1] if tokens else name


# Kazakh case suffixes after a surname (Исаеваға, Дулатовтың, Ысмайыловпен), transliterated;
# only removed when what remains ends like a surname, so other names are left alone.
_KK_CASE_SUFFIXES = sorted("""tyn tin dyn din nyn nin ga ge ka ke ny ni dy di ty ti da de ta te dan den tan ten
    nan nen men ben pen na ne""".split(), key=len, reverse=True)
_SURNAME_STEM = re.compile(r"(?:ov|ev|in|ova|eva|ina)$")


def fold_surname(token: str) -> str:
    """Key of one surname: transliterated, casefolded, gender/case endings removed."""
    toks = _tokens(token)
    if not toks:
        return ""
    t = "".join(toks)
    for suffix in _KK_CASE_SUFFIXES:
        if t.endswith(suffix) and _SURNAME_STEM.search(t[: -len(suffix)]) and len(t) - len(suffix) >= 4:
            t = t[: -len(suffix)]
            break
    for ending, repl in _SURNAME_ENDINGS:
        if t.endswith(ending) and len(t) - len(ending) >= 3:
            t = t[: -len(ending)] + repl
            break
    return _fold_latin(t)


def person_key(text: str) -> str:
    """Key of a person mention: the folded surname (see module docstring)."""
    return fold_surname(surname(text))


def given_initial(text: str) -> str:
    """First letter (Latin, lower case) of a person's given name or first initial, "" when the
    mention is a bare surname: "Gordon Brown" → g, "K. K. Tokayev" → k, "Bulatbaeva A.A." → a,
    "Beech, S." → s, "Brown" → ""."""
    cleaned = re.sub(r"['’]s\b", "", text).strip()
    if "," in cleaned:  # "Surname, I." / "Surname, Firstname"
        rest = cleaned.split(",", 1)[1].strip()
    else:
        parts = [p for p in re.split(r"\s+|(?<=\.)(?=\w)", cleaned) if p]
        if len(parts) < 2:
            return ""
        initials_after = all(_INITIAL.match(p) for p in parts[1:])
        rest = parts[1] if initials_after else parts[0]
    first = next((c for c in rest if c.isalpha()), "")
    return transliterate(first).lower()[:1] if first else ""
