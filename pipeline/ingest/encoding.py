"""Detect the text encoding of a file: BOMs, UTF-16, UTF-8, GB18030, and the legacy
Cyrillic code pages (Windows-1251 for Russian, KZ-1048 for Kazakh) plus Windows-1252.

Order matters: a BOM is proof; NUL bytes mean UTF-16 (or binary); valid UTF-8 is almost
never an accident for non-ASCII text; GB18030 only when strict decoding succeeds and the
result is mostly Chinese. Single-byte code pages decode any byte string, so among them we
choose the one whose *words* are plausible: cp1251 and kz1048 differ in 16 bytes, which
cp1251 reads as Serbian/Macedonian/Ukrainian letters (ќ ј ѕ ћ є ї ...) and kz1048 as
Kazakh letters (қ ә ң һ ғ ү ...). A word is plausible when all its letters belong to one
language's alphabet and its case is regular; mixed-script words, wOrDs with odd case
and stray symbols count against a candidate.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass

from pipeline.ingest.problems import DocumentProblem

RU = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
KK = RU | frozenset("әғқңөұүһі")
UK = (RU - frozenset("ёъыэ")) | frozenset("іїєґ'")
BE = (RU - frozenset("ийщъ")) | frozenset("іў'")
# Letters that look the same in both scripts; real documents mix them inside words.
CYRILLIC_LOOKALIKES = frozenset("аеорсухіјѕкмнтв")
LATIN_LOOKALIKES = frozenset("aeopcyxijskmhtb")
SINGLE_BYTE_ALPHABETS = {
    "cp1251": (RU, UK, BE),
    "kz1048": (KK,),
}
SINGLE_BYTE_CANDIDATES = ("cp1251", "kz1048", "cp1252")
# Non-letters that real text in these languages uses; any other non-ASCII symbol in a
# decoding (™, ¤, ‰, ¦, control characters ...) suggests the wrong code page.
COMMON_SYMBOLS = frozenset("«»—–‑„“”‘’‚…№•·°§©®±×÷€′″‰\u00a0\u00ad")
WORD = re.compile(r"[^\W\d_]+")
NON_ASCII_SYMBOL = re.compile(r"[^\w\s\x00-\x7f]")
OTHER_SCRIPT_LETTER = re.compile(r"[^\W\d_\x00-\x7f\u00c0-\u024f\u0400-\u04ff]")
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0e-\x1f]")
BINARY_SIGNATURES = {
    b"%PDF-": "a PDF",
    b"PK\x03\x04": "a ZIP archive (a .docx, .xlsx or .zip)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (.doc/.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the Python codec that reproduces it: `raw.decode(encoding) == text`."""

    text: str
    encoding: str


def decode_bytes(raw: bytes) -> Decoded:
    """Detect the encoding of `raw` and decode it; raise DocumentProblem if it is not text."""
    if not raw.strip():
        raise DocumentProblem("the file is empty. Add the document's text or remove its metadata row.")
    for magic, what in BINARY_SIGNATURES.items():
        if raw.startswith(magic):
            raise DocumentProblem(
                f"the file is {what}, not plain text. Give it the right extension or export it as UTF-8 text."
            )
    if raw.startswith(codecs.BOM_UTF8):
        return _decode(raw, "utf-8-sig")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(raw, "utf-16")
    if b"\x00" in raw:
        return _decode(raw, _utf16_without_bom(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_control_characters(text)
        return Decoded(text, "utf-8")
    chinese = _try_gb18030(raw)
    if chinese is not None:
        return chinese
    return _best_single_byte(raw)


def _decode(raw: bytes, encoding: str) -> Decoded:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentProblem(
            f"the file starts like {encoding} but byte {exc.start} is invalid in it. "
            "Re-save the file as UTF-8."
        ) from exc
    _refuse_control_characters(text)
    return Decoded(text, encoding)


def _utf16_without_bom(raw: bytes) -> str:
    """UTF-16 without a BOM: every ASCII character (space, newline, digit) has a NUL high byte,
    so NULs sit on one side only (odd positions for LE, even for BE). Cyrillic or Chinese
    text has few such characters, so the test is one-sidedness, then a strict decode whose
    result must look like text."""
    even_nuls = raw[0::2].count(0)
    odd_nuls = raw[1::2].count(0)
    if len(raw) % 2 == 0 and max(even_nuls, odd_nuls) >= 1 and min(even_nuls, odd_nuls) <= 0.05 * max(even_nuls, odd_nuls):
        encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = ""
        if text and _looks_like_text(text):
            return encoding
    raise DocumentProblem(
        "the file contains NUL bytes and is not UTF-16 text: it looks binary. "
        "Export the document as UTF-8 text (or .docx/.pdf) and use that file."
    )


def _looks_like_text(text: str) -> bool:
    """Mostly letters, digits, spaces and punctuation; almost no control characters."""
    sample = text[:20_000]
    controls = len(CONTROL_CHARACTER.findall(sample))
    private = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff" or "\ud800" <= ch <= "\udfff")
    return controls + private <= 0.01 * len(sample)


def _refuse_control_characters(text: str) -> None:
    sample = text[:100_000]
    controls = len(CONTROL_CHARACTER.findall(sample))
    if controls > max(3, 0.01 * len(sample)):
        raise DocumentProblem(
            f"the file has {controls} control characters: it looks binary, not text. "
            "Export the document as UTF-8 text and use that file."
        )


def _try_gb18030(raw: bytes) -> Decoded | None:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    # Windows-1251/1252 text with a few curly quotes often decodes as valid GB18030 too,
    # each quote swallowing the next ASCII letter into a CJK character: demand that
    # Chinese is a real share of the text, not a sprinkle.
    letters = [ch for ch in text if ch.isalpha()]
    non_ascii = [ch for ch in letters if ord(ch) > 127]
    cjk = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff")
    if non_ascii and cjk >= 0.8 * len(non_ascii) and cjk >= 0.2 * len(letters):
        return Decoded(text, "gb18030")
    return None


def plausibility(text: str, encoding: str) -> int:
    """Score how natural a single-byte decoding looks: plausible words minus implausible ones.

    Only words with non-ASCII letters count (pure ASCII reads the same in every candidate).
    Each distinct word is judged once and weighted by its frequency.
    """
    alphabets = SINGLE_BYTE_ALPHABETS.get(encoding, ())
    words = Counter(w for w in WORD.findall(text) if not w.isascii())
    score = sum(count * _word_score(word, alphabets) for word, count in words.items())
    symbols = Counter(NON_ASCII_SYMBOL.findall(text))
    return score - sum(count for ch, count in symbols.items() if ch not in COMMON_SYMBOLS)


def _word_score(word: str, alphabets: tuple[frozenset[str], ...]) -> int:
    """+1 for a word that reads naturally in this code page, -1 otherwise."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return -1  # "ҰҚһәҢГ": real words are lower, Title or UPPER case
    lower = word.lower()
    if OTHER_SCRIPT_LETTER.search(lower):
        return -1  # Greek, Arabic ... from a single-byte code page: mojibake
    letters = set(lower)
    cyrillic = {ch for ch in letters if "\u0400" <= ch <= "\u04ff"}
    if len(cyrillic) == len(letters):
        return 1 if any(letters <= alphabet for alphabet in alphabets) else -1
    if not cyrillic:
        accented = sum(1 for ch in lower if not ch.isascii())
        return 1 if accented * 2 <= len(lower) else -1
    latin = letters - cyrillic
    if any(cyrillic <= alphabet for alphabet in alphabets) and (
        cyrillic <= CYRILLIC_LOOKALIKES or latin <= LATIN_LOOKALIKES
    ):
        return 1  # a real typo: "Тoday" typed with a Cyrillic Т, "бiлiм" with a Latin i
    return -1


def _best_single_byte(raw: bytes) -> Decoded:
    best: Decoded | None = None
    best_score = None
    for encoding in SINGLE_BYTE_CANDIDATES:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text, encoding)
        if best_score is None or score > best_score:  # ties keep the earlier, commoner code page
            best, best_score = Decoded(text, encoding), score
    only_punctuation = best is not None and all(ch.isascii() or ch in COMMON_SYMBOLS for ch in best.text)
    if best is None or best_score is None or (best_score <= 0 and not only_punctuation):
        raise DocumentProblem(
            "the text encoding could not be recognised (tried UTF-8, UTF-16, GB18030, Windows-1251, "
            "KZ-1048, Windows-1252). Re-save the file as UTF-8, or name its encoding in an "
            "'encoding' column of metadata.csv."
        )
    _refuse_control_characters(best.text)
    return best


def decode_with(raw: bytes, encoding: str) -> Decoded:
    """Decode with an encoding the user named (metadata.csv `encoding` column)."""
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise DocumentProblem(
            f"metadata names encoding '{encoding}', which Python does not know. "
            "Use a codec name such as utf-8, cp1251, kz1048, utf-16, gb18030."
        ) from exc
    try:
        return Decoded(raw.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        raise DocumentProblem(
            f"the file is not valid {encoding} (byte {exc.start}). Fix the 'encoding' column or re-save the file."
        ) from exc
