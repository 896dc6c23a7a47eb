"""Held-out language-identification sets from sources the language models were never built from.

    .venv/bin/python bench/language_heldout.py            # (re)build the sets, check them against the manifest
    .venv/bin/python bench/language_heldout.py --freeze   # write the manifest (done once, before any tuning)

The models under models/langid/ are built from KazNERD, factRuEval-2016, the seed corpus, the shipped
licence texts and CPython's documentation (models/langid/README.md); lingua from its own corpora.
These sets come from `../shared/data/scale/` instead (source key = `id.split("-")[1]`), split BY SOURCE
so that the test figures are measured on sources no choice was made on:

| lang | dev (tuning)          | test (reporting)          |
|------|-----------------------|---------------------------|
| en   | bbc (BBC News)        | pmkz (primeminister.kz)   |
| ru   | nerel (Wikinews)      | govmin + cc100_ru         |
| kk   | kazqad (Wikipedia)    | fvd + cc100_kk            |

Sets per split (`ITEMS` items per language, fewer only where a source runs out):
- `sentence`: sentences (a plain splitter of its own) with at least three words of two or more letters, most of
  their letters in the language's script;
- `pair`: two consecutive letters-only tokens in the language's script, case kept;
- `word`: distinct lowercase letters-only tokens of at least three letters in the language's script.
  Kazakh and Russian word TYPES that occur in the other language's scale texts (loanwords such as
  "президент", "университет") have no single language and are left out; they are kept, flagged
  `shared`, in `word_shared` so the figure with them can be reported too;
- `pair_lower`: English pairs lower-cased ("daily basis", "jennifer trisha");
- `latin_sentence` / `latin_pair`: Kazakh and Russian sentences / pairs of the split written in Latin
  letters with conventions implemented here, independently of the training transliterator
  (pipeline/language/romanized.py): Kazakh 2017 apostrophe, 2018 acute and 2021 alphabets and informal
  ASCII; Russian BGN/PCGN, ISO 9:1995, ALA-LC, ICAO 2013 passports and informal web translit.
  Gold: `kk` / `ru` (the language, whatever the script).

Sampling is deterministic (sha1 ranking with a fixed salt). The items stay outside git (the scale
licences do not all allow redistribution): they are rebuilt from ../shared on demand and checked
against the sha256 of every set recorded in `language_heldout_manifest.json`, which was frozen before
any tuning. Without ../shared the benchmark falls back to the shipped gold (TEST split).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SCALE_DIR = REPO.parent / "shared" / "data" / "scale"
MANIFEST = REPO / "bench" / "language_heldout_manifest.json"
SALT = "issue14-heldout-v1"
ITEMS = 1500
LATIN_ITEMS = 1000
SOURCES = {
    "dev": {"en": ("bbc",), "ru": ("nerel",), "kk": ("kazqad",)},
    "test": {"en": ("pmkz",), "ru": ("govmin", "cc100_ru"), "kk": ("fvd", "cc100_kk")},
}
_CYR = "а-яёәғқңөұүһі"
_SCRIPT_TOKEN = {"en": re.compile(r"[A-Za-z]+"), "kk": re.compile(rf"[{_CYR}]+", re.IGNORECASE),
                 "ru": re.compile(rf"[{_CYR}]+", re.IGNORECASE)}
_STRIP = ".,;:!?()[]{}\"'«»“”„‘’-–—…/*"


def _rank(text: str) -> str:
    return hashlib.sha1(f"{SALT}\x00{text}".encode()).hexdigest()


def _sample(items: list, n: int, key=lambda x: x) -> list:
    return sorted(items, key=lambda it: _rank(key(it)))[:n]


def read_documents(lang: str, sources: tuple[str, ...], scale_dir: Path = SCALE_DIR) -> list[str]:
    """Texts of the scale documents of `lang` from `sources`, in file order."""
    out = []
    with (scale_dir / f"{lang}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            if doc["id"].split("-")[1] in sources:
                out.append(unicodedata.normalize("NFC", doc["text"]))
    return out


def tokens(sentence: str, lang: str) -> list[str | None]:
    """Whitespace tokens stripped of punctuation; None where not letters-only in `lang`'s script."""
    script = _SCRIPT_TOKEN[lang]
    out: list[str | None] = []
    for raw in sentence.split():
        tok = raw.strip(_STRIP)
        out.append(tok if tok and script.fullmatch(tok) else None)
    return out


# A plain splitter of its own (not the pipeline's, so the frozen sets never move with pipeline code):
# a sentence ends at . ! ? … before whitespace and a capital, unless the dot closes an initial ("A.").
_SENTENCE_END = re.compile(r"(?<![\s.][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.)(?<=[.!?…])[\"»”)]*\s+(?=[\"«“(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")


def sentences_of(text: str) -> list[str]:
    """Sentences of every paragraph of a document, whitespace-normalised."""
    out = []
    for para in text.split("\n"):
        for sentence in _SENTENCE_END.split(para):
            sentence = " ".join(sentence.split())
            if sentence:
                out.append(sentence)
    return out


def is_sentence(sentence: str, lang: str) -> bool:
    """Three or more words of 2+ letters in the script, and most letters in the script."""
    words = [t for t in tokens(sentence, lang) if t and len(t) >= 2]
    letters = [c for c in sentence if c.isalpha()]
    in_script = sum(1 for c in letters if _SCRIPT_TOKEN[lang].fullmatch(c))
    return len(words) >= 3 and in_script > 0.8 * len(letters)


def pairs_of(sentence: str, lang: str) -> list[str]:
    """Non-overlapping pairs of consecutive letters-only tokens in the script."""
    toks = tokens(sentence, lang)
    out, i = [], 0
    while i + 1 < len(toks):
        if toks[i] and toks[i + 1]:
            out.append(f"{toks[i]} {toks[i + 1]}")
            i += 2
        else:
            i += 1
    return out


# --- transliteration for the Latin-script sets (independent of pipeline/language/romanized.py) ---

_RU_COMMON = dict(zip("абвгдезиклмнопрстуф", "abvgdeziklmnoprstuf", strict=True))
RU_SCHEMES = {
    "bgn": {"ё": "ë", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "\"",
            "ы": "y", "ь": "'", "э": "e", "ю": "yu", "я": "ya"},
    "iso9": {"ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š", "щ": "ŝ", "ъ": "ʺ",
             "ы": "y", "ь": "ʹ", "э": "è", "ю": "û", "я": "â"},
    "ala-lc": {"ё": "ë", "ж": "zh", "й": "ĭ", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ʺ",
               "ы": "y", "ь": "ʹ", "э": "ė", "ю": "iu", "я": "ia"},
    "icao": {"ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie",
             "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia"},
    "web": {"ё": "yo", "ж": "zh", "й": "y", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "",
            "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"},
}
_KK_COMMON = dict(zip("абвгдезклмнопрстф", "abvgdezklmnoprstf", strict=True))
KK_SCHEMES = {
    "2017": {"ә": "a'", "ғ": "g'", "ё": "io", "ж": "j", "и": "i'", "й": "i'", "қ": "q", "ң": "n'", "ө": "o'",
             "ұ": "u", "ү": "u'", "у": "y'", "х": "h", "һ": "h", "ц": "ts", "ч": "c'", "ш": "s'", "щ": "s'",
             "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia"},
    "2018": {"ә": "á", "ғ": "ǵ", "ё": "io", "ж": "j", "и": "ı", "й": "ı", "қ": "q", "ң": "ń", "ө": "ó",
             "ұ": "u", "ү": "ú", "у": "ý", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
             "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "ıý", "я": "ıa"},
    "2021": {"ә": "ä", "ғ": "ğ", "ё": "io", "ж": "j", "и": "i", "й": "i", "қ": "q", "ң": "ñ", "ө": "ö",
             "ұ": "ū", "ү": "ü", "у": "u", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş",
             "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia"},
    "web": {"ә": "a", "ғ": "g", "ё": "e", "ж": "zh", "и": "i", "й": "i", "қ": "k", "ң": "n", "ө": "o",
            "ұ": "u", "ү": "u", "у": "u", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
            "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya"},
}


def romanize(text: str, table: dict[str, str], common: dict[str, str]) -> str:
    """`text` with every Cyrillic letter in `table`/`common` replaced, keeping capitals."""
    out = []
    for ch in text:
        low = ch.lower()
        rom = table.get(low, common.get(low))
        if rom is None:
            out.append(ch)
        else:
            out.append(rom[:1].upper() + rom[1:] if ch != low else rom)
    return "".join(out)


def romanize_item(text: str, lang: str) -> tuple[str, str]:
    """(Latin-script text, scheme); the scheme is chosen by hash so each item has one."""
    schemes = KK_SCHEMES if lang == "kk" else RU_SCHEMES
    common = _KK_COMMON if lang == "kk" else _RU_COMMON
    name = sorted(schemes)[int(_rank("scheme" + text)[:8], 16) % len(schemes)]
    return romanize(text, schemes[name], common), name


def word_types(texts: list[str], lang: str) -> set[str]:
    """Lower-cased letters-only tokens of `texts` in the script of `lang`."""
    out = set()
    for text in texts:
        for tok in tokens(text, lang):
            if tok:
                out.add(tok.lower())
    return out


def build_sets(scale_dir: Path = SCALE_DIR) -> dict[str, list[dict]]:
    """Every set of both splits: name "split/set" -> items {"text", "lang", "source", ...}."""
    other_types: dict[str, set[str]] = {}
    all_docs = {lang: read_documents(lang, tuple({s for sp in SOURCES.values() for s in sp[lang]}), scale_dir)
                for lang in ("kk", "ru")}
    other_types["kk"] = word_types(all_docs["ru"], "ru")
    other_types["ru"] = word_types(all_docs["kk"], "kk")
    sets: dict[str, list[dict]] = {}
    for split, per_lang in SOURCES.items():
        pools: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for lang, sources in per_lang.items():
            seen_sent, seen_pair, seen_word = set(), set(), set()
            for source in sources:
                for text in read_documents(lang, (source,), scale_dir):
                    for sentence in sentences_of(text):
                        if not is_sentence(sentence, lang) or sentence in seen_sent:
                            continue
                        seen_sent.add(sentence)
                        pools["sentence"][lang].append({"text": sentence, "lang": lang, "source": source})
                        for pair in pairs_of(sentence, lang):
                            if pair not in seen_pair:
                                seen_pair.add(pair)
                                pools["pair"][lang].append({"text": pair, "lang": lang, "source": source})
                        for tok in tokens(sentence, lang):
                            if tok and len(tok) >= 3 and tok[0].islower() and tok not in seen_word:
                                seen_word.add(tok)
                                shared = lang in other_types and tok in other_types[lang]
                                pools["word_all"][lang].append({"text": tok, "lang": lang, "source": source,
                                                                "shared": shared})
        for lang in per_lang:
            for name in ("sentence", "pair"):
                sets[f"{split}/{name}"] = sets.get(f"{split}/{name}", []) + _sample(
                    pools[name][lang], ITEMS, key=lambda it: it["text"])
            words = _sample(pools["word_all"][lang], ITEMS * 2, key=lambda it: it["text"])
            sets[f"{split}/word"] = sets.get(f"{split}/word", []) + [w for w in words if not w["shared"]][:ITEMS]
            sets[f"{split}/word_shared"] = sets.get(f"{split}/word_shared", []) + words[:ITEMS]
        english_pairs = [it for it in sets[f"{split}/pair"] if it["lang"] == "en"]
        sets[f"{split}/pair_lower"] = [dict(it, text=it["text"].lower()) for it in english_pairs]
        for name, pool_name, n in (("latin_sentence", "sentence", LATIN_ITEMS), ("latin_pair", "pair", LATIN_ITEMS)):
            items = []
            for lang in ("kk", "ru"):
                for it in _sample(pools[pool_name][lang], n, key=lambda it: "latin" + it["text"]):
                    text = it["text"].lower() if pool_name == "pair" else it["text"]
                    latin, scheme = romanize_item(text, lang)
                    items.append({"text": latin, "lang": lang, "source": it["source"], "scheme": scheme})
            sets[f"{split}/{name}"] = items
    return dict(sorted(sets.items()))


def digest(items: list[dict]) -> str:
    """sha256 of a set, independent of how it is stored."""
    blob = "\n".join(json.dumps(it, ensure_ascii=False, sort_keys=True) for it in items)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def manifest_of(sets: dict[str, list[dict]]) -> dict:
    """Counts per language and the sha256 of each set."""
    out = {"salt": SALT, "sources": SOURCES, "sets": {}}
    for name, items in sets.items():
        counts: dict[str, int] = defaultdict(int)
        for it in items:
            counts[it["lang"]] += 1
        out["sets"][name] = {"n": dict(sorted(counts.items())), "sha256": digest(items)}
    return out


def load_heldout(scale_dir: Path = SCALE_DIR, cache_dir: Path | None = None) -> dict[str, list[dict]] | None:
    """The frozen sets (None without the scale corpus). Raises when they differ from the manifest."""
    if not (scale_dir / "kk.jsonl").exists():
        return None
    cache = cache_dir / "heldout.json" if cache_dir else None
    if cache and cache.exists():
        sets = json.loads(cache.read_text(encoding="utf-8"))
    else:
        sets = build_sets(scale_dir)
    frozen = json.loads(MANIFEST.read_text(encoding="utf-8"))
    now = manifest_of(sets)
    changed = [name for name in frozen["sets"] if frozen["sets"][name] != now["sets"].get(name)]
    if changed:
        raise SystemExit(f"held-out sets differ from {MANIFEST.name}: {changed}. The sets are frozen: "
                         "restore the sampling code or the scale corpus.")
    if cache and not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(sets, ensure_ascii=False), encoding="utf-8")
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--freeze", action="store_true", help="write the manifest from the sets built now")
    parser.add_argument("--out", type=Path, help="also write the items as JSON lines under this directory")
    args = parser.parse_args()
    sets = build_sets()
    manifest = manifest_of(sets)
    if args.freeze:
        MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"froze {len(sets)} sets → {MANIFEST}")
    else:
        frozen = json.loads(MANIFEST.read_text(encoding="utf-8"))
        same = frozen["sets"] == manifest["sets"]
        print("sets match the frozen manifest" if same else "SETS DIFFER FROM THE FROZEN MANIFEST")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, items in sets.items():
            path = args.out / (name.replace("/", "_") + ".jsonl")
            path.write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items), encoding="utf-8")
    for name, info in manifest["sets"].items():
        print(f"  {name:<22} {info['n']}")


if __name__ == "__main__":
    main()
