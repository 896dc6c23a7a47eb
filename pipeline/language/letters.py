"""Letter counts of many texts at once: letters per script and the letters that identify a language.

One numpy pass over the code points of a whole batch replaces per-character Python loops, which
dominated the stage's run time. `profiles(texts)` returns one row per text with the columns in
`COLUMNS`; `scripts_of(profile_rows)` turns rows into ISO 15924 codes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Letters that only Kazakh uses among the languages this corpus expects (en, kk, ru, zh) and
# their Cyrillic neighbours (uk, be, ky, mn): ә ғ қ ұ һ. The letters і ң ү ө are Kazakh too,
# but shared with Ukrainian/Belarusian (і) or Kyrgyz/Mongolian (ң ү ө).
# ə/Ə (Latin schwa) stands in for ә in Kazakh typed with legacy fonts.
KAZAKH_UNIQUE = frozenset("әғқұһӘҒҚҰҺəƏ")
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

SCRIPT_COLUMNS = ("Latn", "Cyrl", "Hani", "Kana", "Hang", "Arab", "Grek", "Hebr", "Armn", "Geor", "Deva", "Thai")
MARK_COLUMNS = ("kk_unique", "kk_shared", "uk", "be", "hans", "hant")
COLUMNS = SCRIPT_COLUMNS + MARK_COLUMNS
COL = {name: i for i, name in enumerate(COLUMNS)}

# Letter ranges (inclusive) per script; gaps (digits, punctuation, symbols) count nowhere.
_RANGES = [
    (0x41, 0x5A, "Latn"), (0x61, 0x7A, "Latn"), (0xC0, 0xD6, "Latn"), (0xD8, 0xF6, "Latn"), (0xF8, 0x24F, "Latn"),
    (0x370, 0x3FF, "Grek"), (0x400, 0x481, "Cyrl"), (0x48A, 0x52F, "Cyrl"), (0x531, 0x587, "Armn"),
    (0x5D0, 0x5EA, "Hebr"), (0x620, 0x64A, "Arab"), (0x671, 0x6D3, "Arab"), (0x904, 0x939, "Deva"),
    (0xE01, 0xE30, "Thai"), (0x10A0, 0x10FF, "Geor"), (0x1100, 0x11FF, "Hang"), (0x1E00, 0x1EFF, "Latn"),
    (0x1F00, 0x1FFF, "Grek"), (0x3041, 0x3096, "Kana"), (0x30A1, 0x30FA, "Kana"), (0x3131, 0x318E, "Hang"),
    (0x31F0, 0x31FF, "Kana"), (0x3400, 0x4DBF, "Hani"), (0x4E00, 0x9FFF, "Hani"), (0xAC00, 0xD7A3, "Hang"),
    (0xF900, 0xFAFF, "Hani"), (0xFF66, 0xFF9D, "Kana"), (0x20000, 0x2FA1F, "Hani"),
]
_NONE = len(COLUMNS)  # column index for code points outside every range
_BMP = 0x10000


def _script_table() -> np.ndarray:
    """Column of every Basic Multilingual Plane code point (a lookup beats a search per character)."""
    table = np.full(_BMP, _NONE, dtype=np.int64)
    for start, end, column in _RANGES:
        if start < _BMP:
            table[start:min(end, _BMP - 1) + 1] = COL[column]
    return table


_SCRIPT_TABLE = _script_table()


def _marks() -> tuple[np.ndarray, np.ndarray]:
    table: dict[int, int] = {}
    for chars, column in ((KAZAKH_UNIQUE, "kk_unique"), (KAZAKH_SHARED, "kk_shared"),
                          (UKRAINIAN_UNIQUE, "uk"), (BELARUSIAN_UNIQUE, "be"),
                          (SIMPLIFIED, "hans"), (TRADITIONAL, "hant")):
        for ch in chars:
            table[ord(ch)] = COL[column]
    codes = np.array(sorted(table), dtype=np.int64)
    return codes, np.array([table[c] for c in codes], dtype=np.int64)


def _mark_table() -> np.ndarray:
    table = np.full(_BMP, _NONE, dtype=np.int64)
    codes, cols = _marks()
    table[codes] = cols
    return table


_MARK_TABLE = _mark_table()


def profiles(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), len(COLUMNS)) letter counts: letters per script, then identifying letters."""
    n = len(texts)
    width = len(COLUMNS) + 1
    if n == 0:
        return np.zeros((0, len(COLUMNS)), dtype=np.int64)
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    if codes.size == 0:
        return np.zeros((n, len(COLUMNS)), dtype=np.int64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    base = np.repeat(np.arange(n, dtype=np.int64) * width, lengths)
    in_bmp = np.minimum(codes, _BMP - 1)
    col = _SCRIPT_TABLE[in_bmp]
    astral = codes >= _BMP
    if astral.any():  # outside the BMP only the Han extensions count as letters here
        col = np.where(astral, np.where((codes >= 0x20000) & (codes <= 0x2FA1F), COL["Hani"], _NONE), col)
    counts = np.bincount(base + col, minlength=n * width)
    mark = _MARK_TABLE[in_bmp]
    hit = (mark != _NONE) & ~astral
    counts += np.bincount(base[hit] + mark[hit], minlength=n * width)
    return counts.reshape(n, width)[:, :-1]


def script_of(row: np.ndarray) -> str:
    """ISO 15924 code of the script most letters are in: Jpan when there is kana, Kore with Hangul,
    Hans/Hant/Hani for Han (by the simplified/traditional characters present), Zyyy without letters."""
    counts = {name: int(row[COL[name]]) for name in SCRIPT_COLUMNS if row[COL[name]]}
    if not counts:
        return "Zyyy"
    if "Kana" in counts:  # Japanese mixes kana and Han
        counts["Jpan"] = counts.pop("Kana") + counts.pop("Hani", 0)
    if "Hang" in counts:
        counts["Kore"] = counts.pop("Hang") + counts.pop("Hani", 0)
    best = max(counts, key=counts.__getitem__)  # ties: the earlier column (Latn before Cyrl), as scripts_of
    if best == "Hani":
        hans, hant = int(row[COL["hans"]]), int(row[COL["hant"]])
        return "Hans" if hans > hant else "Hant" if hant > hans else "Hani"
    return best


_SIMPLE = np.array([name not in ("Hani", "Kana", "Hang") for name in SCRIPT_COLUMNS])


def scripts_of(rows: np.ndarray) -> list[str]:
    """`script_of` for every row (vectorised for rows without Han, kana or Hangul)."""
    counts = rows[:, : len(SCRIPT_COLUMNS)]
    best = counts.argmax(axis=1) if len(rows) else np.zeros(0, dtype=np.int64)
    simple = (counts[:, ~_SIMPLE].sum(axis=1) == 0) & (counts.sum(axis=1) > 0)
    names = np.array(SCRIPT_COLUMNS, dtype=object)[best]
    return [str(names[i]) if simple[i] else script_of(rows[i]) for i in range(len(rows))]


def letters_in(rows: np.ndarray) -> np.ndarray:
    """Number of letters (of any counted script) per row."""
    return rows[:, : len(SCRIPT_COLUMNS)].sum(axis=1)
