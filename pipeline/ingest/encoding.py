"""Detect the text encoding of a file: BOMs, UTF-16, UTF-8, GB18030, and the legacy
Cyrillic code pages (Windows-1251 and KZ-1048; the Soviet-era KOI8-R, cp866 (DOS),
MacCyrillic and ISO-8859-5) plus Windows-1252.

Order matters: a BOM is proof; NUL bytes mean UTF-16 (or binary); valid UTF-8 is almost
never an accident for non-ASCII text; GB18030 only when strict decoding succeeds and the
result is mostly Chinese. Single-byte code pages decode any byte string, so among them we
choose the one whose *words* are plausible: cp1251 and kz1048 differ in 16 bytes, which
cp1251 reads as Serbian/Macedonian/Ukrainian letters (ќ ј ѕ ћ є ї ...) and kz1048 as
Kazakh letters (қ ә ң һ ғ ү ...). A word is plausible when all its letters belong to one
language's alphabet and its case is regular; mixed-script words, wOrDs with odd case
and stray symbols count against a candidate. The other Cyrillic code pages put the same
letters at other bytes, so a wrong one still yields Cyrillic words, but with letters in
the wrong proportions ("ч ЗЙНОБЪЙЙ" for KOI8-R read as Windows-1251): each letter also
scores its frequency in Russian or Kazakh against a uniform draw. A text that reads as
garbled in every candidate is refused, naming the likeliest code pages.
"""

from __future__ import annotations

import codecs
import math
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
    "koi8_r": (RU,),
    "cp866": (RU, UK, BE),
    "mac_cyrillic": (RU, UK, BE),
    "iso8859_5": (RU, UK, BE),
}
# Ties keep the earlier, commoner code page (MacCyrillic reads lower-case Russian exactly like
# Windows-1251, so without capitals the two decodings are the same text anyway).
SINGLE_BYTE_CANDIDATES = ("cp1251", "kz1048", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5", "cp1252")
CODEC_NAMES = {"cp1251": "Windows-1251", "kz1048": "KZ-1048", "koi8_r": "KOI8-R", "cp866": "cp866 (DOS)",
               "mac_cyrillic": "MacCyrillic", "iso8859_5": "ISO-8859-5", "cp1252": "Windows-1252"}
# Letter frequencies, case-folded: Russian from factRuEval-2016 dev texts (data/factrueval),
# Kazakh from KazNERD validation sentences (data/kaznerd). A letter scores the larger of the two.
RU_LETTER_FREQUENCY = {
    "о": 0.1068, "е": 0.0812, "а": 0.0809, "и": 0.0790, "н": 0.0654, "т": 0.0639, "р": 0.0574, "с": 0.0574,
    "в": 0.0470, "л": 0.0418, "к": 0.0327, "д": 0.0308, "м": 0.0307, "п": 0.0295, "у": 0.0235, "я": 0.0195,
    "ы": 0.0175, "г": 0.0168, "б": 0.0162, "з": 0.0158, "ь": 0.0139, "ч": 0.0124, "й": 0.0117, "х": 0.0082,
    "ж": 0.0077, "ю": 0.0064, "ц": 0.0062, "ш": 0.0058, "ф": 0.0038, "щ": 0.0036, "э": 0.0036, "ё": 0.0023,
    "ъ": 0.0004,
}
KK_LETTER_FREQUENCY = {
    "а": 0.1278, "ы": 0.0791, "е": 0.0762, "н": 0.0672, "т": 0.0600, "і": 0.0561, "р": 0.0552, "л": 0.0514,
    "д": 0.0446, "с": 0.0406, "м": 0.0319, "қ": 0.0315, "к": 0.0280, "о": 0.0264, "б": 0.0258, "ж": 0.0198,
    "з": 0.0169, "ғ": 0.0166, "у": 0.0161, "п": 0.0154, "й": 0.0148, "ң": 0.0146, "и": 0.0133, "ш": 0.0132,
    "г": 0.0115, "ө": 0.0093, "ұ": 0.0092, "ү": 0.0089, "ә": 0.0067, "я": 0.0032, "в": 0.0024, "х": 0.0021,
    "ц": 0.0014, "э": 0.0009, "ф": 0.0008, "ь": 0.0005, "ю": 0.0003, "ч": 0.0002, "һ": 0.0001, "ё": 0.0001,
    "ъ": 0.0001, "щ": 0.0001,
}
# Only the 33 letters every Cyrillic code page holds are scored: Kazakh, Ukrainian or Serbian
# letters (where Windows-1251 and KZ-1048 differ) are judged by the word rules alone, so one
# "ї" in a Russian text cannot tip it into KZ-1048.
LETTER_LOG_ODDS = {
    letter: math.log(max(RU_LETTER_FREQUENCY[letter], KK_LETTER_FREQUENCY.get(letter, 0.0)) * 33)
    for letter in RU
}
# Non-letters that real text in these languages uses; any other non-ASCII symbol in a
# decoding (™, ¤, ‰, ¦, control characters ...) suggests the wrong code page.
COMMON_SYMBOLS = frozenset("«»—–‑„“”‘’‚…№•·°§©®±×÷€£¥¢′″‰\u00a0\u00ad")
WORD = re.compile(r"[^\W\d_]+")
# A non-ASCII capital opening a sentence: MacCyrillic and Windows-1251 read lower-case Russian
# alike, but only the right one of the two reads the capitals after ". " as capitals.
# Symbols that never touch a letter in real text ("мо€" is "моя" read in the wrong code page).
GLUED_SYMBOL = re.compile(r"(?<=[^\W\d_])[€£¥¢¤©®°±×÷§№•·]|[€£¥¢¤©®°±×÷§№•·](?=[^\W\d_])")
SENTENCE_START = re.compile(r"(?<=[.!?…]\s)([^\W\d_])[^\W\d_]")
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
        _refuse_double_encoding(text)
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


def _refuse_double_encoding(text: str) -> None:
    """Refuse UTF-8 text that was already mojibake when saved ("Ð¿Ñ€Ð¸" for "при")."""
    sample = text[:20_000]
    if "Ð" not in sample and "Ñ" not in sample:
        return
    out = bytearray()
    for ch in sample:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ch == "\ufffd":
                continue  # a byte Windows-1252 does not define, lost when it was garbled
            if ord(ch) > 255:
                return
            out.append(ord(ch))
    repaired = out.decode("utf-8", errors="ignore")
    cyrillic = sum(1 for ch in repaired if "\u0400" <= ch <= "\u04ff")
    if cyrillic >= 20 and not any("\u0400" <= ch <= "\u04ff" for ch in sample):
        raise DocumentProblem(
            "the file is UTF-8 text that was already garbled when it was saved (Cyrillic UTF-8 read as "
            f"Windows-1252 and saved again: it shows {sample[:30]!r} for {repaired[:15]!r}). Export it again "
            "from the original source."
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
    if not any(len(w) > 1 and _is_cyrillic(w) for w in words):
        # Lone Cyrillic letters in a text with no Cyrillic word are symbols of another code page
        # ("£" or "’" read as "г" or "у"), not the Russian words "в", "у", "и".
        words = Counter({w: c for w, c in words.items() if not _is_cyrillic(w)}) + Counter(
            {f"\x00{w}": c for w, c in words.items() if _is_cyrillic(w)})
    score = sum(count * (-1 if word.startswith("\x00") else _word_score(word, alphabets))
                for word, count in words.items())
    symbols = Counter(NON_ASCII_SYMBOL.findall(text))
    penalty = sum(count for ch, count in symbols.items() if ch not in COMMON_SYMBOLS)
    capitals = sum(1 for ch in SENTENCE_START.findall(text) if not ch.isascii() and ch.isupper())
    glued = len(GLUED_SYMBOL.findall(text))
    return round(score - penalty - glued + letter_log_odds(text) + capitals)


def _is_cyrillic(word: str) -> bool:
    return all("\u0400" <= ch <= "\u04ff" for ch in word.lower())


def letter_log_odds(text: str) -> float:
    """How much likelier the Cyrillic letters are under Russian/Kazakh frequencies than uniformly drawn (nats).

    Real text scores about +0.5 per letter; the same bytes read in a wrong Cyrillic code page
    shuffle the letters and score below zero.
    """
    letters: Counter[str] = Counter()
    words = [w for w in WORD.findall(text.lower()) if _is_cyrillic(w)]  # letters glued to Latin words prove nothing
    if any(len(w) > 1 for w in words):
        for word in words:
            letters.update(word)
    return sum(count * LETTER_LOG_ODDS.get(ch, 0.0) for ch, count in letters.items())


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
    n_cyrillic = sum(1 for ch in lower if ch in cyrillic)
    one_foreign_letter = (len(cyrillic) == 1 and cyrillic <= CYRILLIC_LOOKALIKES and len(lower) - n_cyrillic >= 3) or (
        len(latin) == 1 and latin <= LATIN_LOOKALIKES and n_cyrillic >= 3)
    if any(cyrillic <= alphabet for alphabet in alphabets) and one_foreign_letter:
        return 1  # a real typo: "Тoday" typed with a Cyrillic Т, "бiлiм" with a Latin i
    return -1  # "ТHelloУ": quotes of another code page read as letters


def _best_single_byte(raw: bytes) -> Decoded:
    scored: list[tuple[int, int, Decoded]] = []
    for rank, encoding in enumerate(SINGLE_BYTE_CANDIDATES):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        punctuation_only = all(ch.isascii() or ch in COMMON_SYMBOLS for ch in text)
        scored.append((plausibility(text, encoding), punctuation_only, -rank, Decoded(text, encoding)))
    # Ties go to a reading whose only non-ASCII characters are punctuation (quotes, dashes), then
    # to the commoner code page.
    scored.sort(key=lambda item: item[:3], reverse=True)
    best_score, only_punctuation, _, best = scored[0] if scored else (None, False, 0, None)
    if best is None or best_score is None or (best_score <= 0 and not only_punctuation):
        likeliest = " or ".join(CODEC_NAMES[d.encoding] for *_, d in scored[:2])
        codec = scored[0][-1].encoding if scored else "koi8_r"
        raise DocumentProblem(
            "the text encoding could not be recognised: the file reads as garbled text in every encoding tried "
            f"(UTF-8, UTF-16, GB18030, {', '.join(CODEC_NAMES[c] for c in SINGLE_BYTE_CANDIDATES)}). "
            f"The likeliest are {likeliest}. Re-save the file as UTF-8, or name its encoding in an 'encoding' "
            f"column of metadata.csv (try `python -m pipeline ingest-preview FILE --encoding {codec}`)."
        )
    _refuse_control_characters(best.text)
    return best


# Labels that name a subset of what the files really use, decoded as browsers do (WHATWG
# Encoding Standard): "gb2312" pages contain GBK characters, "iso-8859-1" pages Windows-1252 quotes.
LABEL_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "csgb2312": "gb18030",
                 "gb_2312-80": "gb18030", "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
                 "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


def decode_with(raw: bytes, encoding: str) -> Decoded:
    """Decode with an encoding the user named (metadata.csv `encoding` column) or the file declares."""
    encoding = LABEL_ALIASES.get(encoding.strip().lower(), encoding)
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
