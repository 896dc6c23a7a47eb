"""Romanized Russian (and Kazakh) in Latin letters: transliteration and a detector trained on it.

Reference lists in this corpus cite Russian titles in Latin letters ("Rybakovskii L.L. (2016).
Klassifikaciya migracii: osnovaniya i taksony"), which every off-the-shelf detector calls English,
Croatian or Slovak. We teach a character n-gram model what romanized Russian looks like by
transliterating Russian sentences ourselves with the conventions scholars use:

- GOST 7.79-2000 system B, BGN/PCGN, Library of Congress (no diacritics), ISO 9 / scholarly
  (č š ž), ICAO passport romanization, and an informal web mix (х→h, ц→c, й→j or i);

and romanized Kazakh with the 2021 official Kazakh Latin alphabet and its informal ASCII form
(қ→q, ғ→gh, ң→ng, ұ/ү→u, ө→o, ә→a, і→i). The Russian sentences come from factRuEval, the
Kazakh ones from KazNERD, English from the seed corpus, the licence texts shipped next to the
data and CPython's bundled documentation prose (`english_reference_texts`); only TRAIN-split sentences are used (`pipeline.language.gold.split_of`).
Classes: `en`, `ru-Latn`, `kk-Latn`.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from pathlib import Path

from pipeline.language.charnb import CharNgramNB

ROMANIZED_CLASSES = ("en", "kk-Latn", "ru-Latn")

_BASE = dict(zip("абвгдезиклмнопрстуф", "abvgdeziklmnoprstuf", strict=True))

# Letters whose romanization differs between conventions.
RUSSIAN_SCHEMES: dict[str, dict[str, str]] = {
    "gost-7.79-b": {"ё": "yo", "ж": "zh", "й": "j", "х": "x", "ц": "cz", "ч": "ch", "ш": "sh", "щ": "shh",
                    "ъ": "``", "ы": "y'", "ь": "`", "э": "e'", "ю": "yu", "я": "ya"},
    "bgn-pcgn": {"ё": "ë", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
                 "ъ": "\"", "ы": "y", "ь": "'", "э": "e", "ю": "yu", "я": "ya"},
    "loc": {"ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
            "ъ": "\"", "ы": "y", "ь": "'", "э": "e", "ю": "iu", "я": "ia"},
    "iso9-scholarly": {"ё": "ë", "ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč",
                       "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "ju", "я": "ja"},
    "icao": {"ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
             "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia"},
}
# Informal web romanization: each letter drawn from what people actually type.
RUSSIAN_INFORMAL: dict[str, tuple[str, ...]] = {
    "ё": ("e", "yo", "jo"), "ж": ("zh", "j", "zh"), "й": ("j", "i", "y"), "х": ("h", "kh", "x"),
    "ц": ("c", "ts", "tz"), "ч": ("ch",), "ш": ("sh",), "щ": ("sch", "shch", "sh"), "ъ": ("", "'"),
    "ы": ("y", "i"), "ь": ("'", ""), "э": ("e",), "ю": ("yu", "ju", "iu"), "я": ("ya", "ja", "ia"),
}

KAZAKH_OFFICIAL_2021 = {
    "ә": "ä", "ғ": "ğ", "ё": "io", "ж": "j", "и": "i", "й": "i", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū",
    "ү": "ü", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "", "ы": "y", "і": "ı",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
KAZAKH_INFORMAL: dict[str, tuple[str, ...]] = {
    "ә": ("a", "ae"), "ғ": ("g", "gh"), "ё": ("yo",), "ж": ("zh", "j"), "и": ("i",), "й": ("i", "y"),
    "қ": ("q", "k"), "ң": ("n", "ng"), "ө": ("o", "u"), "ұ": ("u",), "ү": ("u", "ü"), "х": ("kh", "h"),
    "һ": ("h",), "ц": ("ts",), "ч": ("ch",), "ш": ("sh",), "щ": ("sh",), "ъ": ("",), "ы": ("y", "i"),
    "і": ("i",), "ь": ("",), "э": ("e",), "ю": ("yu", "iu"), "я": ("ya", "ia"),
}


def _apply(text: str, table: dict[str, str]) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        rom = table.get(low, _BASE.get(low))
        if rom is None:
            out.append(ch)
        elif ch != low:
            out.append(rom[:1].upper() + rom[1:])
        else:
            out.append(rom)
    return "".join(out)


def _informal_table(choices: dict[str, tuple[str, ...]], seed_text: str) -> dict[str, str]:
    rng = random.Random(int(hashlib.sha1(seed_text.encode("utf-8")).hexdigest()[:8], 16))
    return {letter: rng.choice(options) for letter, options in sorted(choices.items())}


def transliterate_russian(text: str, scheme: str) -> str:
    """Russian Cyrillic `text` in Latin letters by `scheme` (a RUSSIAN_SCHEMES key or "informal")."""
    if scheme == "informal":
        return _apply(text, _informal_table(RUSSIAN_INFORMAL, text))
    return _apply(text, RUSSIAN_SCHEMES[scheme])


def transliterate_kazakh(text: str, scheme: str) -> str:
    """Kazakh Cyrillic `text` in Latin letters: "official-2021" or "informal"."""
    if scheme == "informal":
        return _apply(text, _informal_table(KAZAKH_INFORMAL, text))
    return _apply(text, KAZAKH_OFFICIAL_2021)


def training_set(russian: Sequence[str], kazakh: Sequence[str], english: Sequence[str],
                 max_kazakh: int = 2000) -> tuple[list[str], list[str]]:
    """(texts, labels): every Russian sentence in every scheme, Kazakh in both, English as is."""
    texts: list[str] = []
    labels: list[str] = []
    for sentence in russian:
        for scheme in (*RUSSIAN_SCHEMES, "informal"):
            texts.append(transliterate_russian(sentence, scheme))
            labels.append("ru-Latn")
    for sentence in list(kazakh)[:max_kazakh]:
        for scheme in ("official-2021", "informal"):
            texts.append(transliterate_kazakh(sentence, scheme))
            labels.append("kk-Latn")
    texts.extend(english)
    labels.extend(["en"] * len(english))
    return texts, labels


def train_romanized_model(russian: Sequence[str], kazakh: Sequence[str], english: Sequence[str]) -> CharNgramNB:
    """Fit the en / kk-Latn / ru-Latn character model."""
    texts, labels = training_set(russian, kazakh, english)
    return CharNgramNB.fit(texts, labels, ngram_range=(1, 4), min_count=2, alpha=0.5)


_CODE_LIKE = re.compile(r"[=<>{}\[\]_\\/*#|]|\.\.\.|\w\(")


def _prose_lines(text: str) -> list[str]:
    """Lines of at least eight words that look like prose, not code or markup."""
    out = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if (len(line.split()) >= 8 and not _CODE_LIKE.search(line)
                and sum(c.isalpha() or c == " " for c in line) / len(line) > 0.93):
            out.append(line)
    return out


def english_reference_texts(repo_root: str | Path) -> list[str]:
    """English prose always at hand: the licence texts shipped next to the data and the prose of the
    Python documentation topics bundled with CPython (`pydoc_data.topics`). The seed corpus alone
    has too few English sentences to model English spelling."""
    import pydoc_data.topics

    lines: list[str] = []
    for rel in ("data/kaznerd/LICENSE.md", "data/factrueval/LICENSE"):
        path = Path(repo_root, rel)
        if path.exists():
            lines.extend(_prose_lines(path.read_text(encoding="utf-8")))
    for key in sorted(pydoc_data.topics.topics):
        lines.extend(_prose_lines(pydoc_data.topics.topics[key]))
    return lines
