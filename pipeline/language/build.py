"""Build the language models committed under models/langid/ from the shipped data (TRAIN split only).

- `langdetect-kk.json`: langdetect profile for Kazakh (KazNERD TRAIN sentences).
- `romanized.npz`: en / kk-Latn / ru-Latn character model (factRuEval and KazNERD TRAIN sentences
  transliterated; English TRAIN sentences of the seed corpus, shipped licence texts, CPython documentation prose).
- `cyrillic.npz`: kk / ru character model for short Cyrillic texts (KazNERD and factRuEval TRAIN sentences).
- `lexicon.npz`: word lists with frequencies: Russian and English from wordfreq 3.1.1 (CC BY-SA 4.0),
  Kazakh from the words of KazNERD TRAIN sentences.
- `build_info.json`: how many sentences of which split went into each model.

`combiner.json` is not built here: its weights are fitted on held-out dev data by
`bench/fit_language_combiner.py`.

Deterministic: the same data gives byte-identical profiles and identical model arrays.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import atomic
from pipeline.language.charnb import CharNgramNB
from pipeline.language.gold import load_gold
from pipeline.language.langdetect_kk import build_profile, write_profile
from pipeline.language.lexicon import Lexicon, counts_to_frequencies, wordfreq_frequencies
from pipeline.language.romanized import (
    RUSSIAN_SCHEMES,
    english_reference_texts,
    train_romanized_model,
    transliterate_kazakh,
    transliterate_russian,
)


def train_cyrillic_model(kazakh: list[str], russian: list[str]) -> CharNgramNB:
    """kk / ru character model for short Cyrillic texts, where letters alone cannot decide.

    Russian has ten times fewer training sentences; the multinomial model normalises per class, and
    priors are uniform, so the imbalance does not tilt decisions."""
    return CharNgramNB.fit(kazakh + russian, ["kk"] * len(kazakh) + ["ru"] * len(russian),
                           ngram_range=(1, 5), min_count=3, alpha=0.1)


RUSSIAN_WORD = r"[а-яё]+(?:-[а-яё]+)*"
ENGLISH_WORD = r"[a-z]+(?:'[a-z]+)?"
ENGLISH_MIN_ZIPF = 1.5
ROMANIZED_FREQUENT = 1000
_KAZAKH_TOKEN = re.compile(r"[а-яёәғқңөұүһі]+(?:-[а-яёәғқңөұүһі]+)*", re.IGNORECASE)


def english_word_text(per_million: float = 1.0, words_per_line: int = 20) -> list[str]:
    """English as the character model should know it: wordfreq's English words, each repeated in
    proportion to its frequency (`per_million` times per millionth of all words, at least once for
    words down to that frequency), in lines of `words_per_line`. The shipped English prose alone
    (seed corpus, licences, Python docs) is too little and too technical: "daily basis" looked foreign."""
    freqs = wordfreq_frequencies("en", ENGLISH_WORD, min_zipf=3.0)
    tokens: list[str] = []
    for word in sorted(freqs, key=lambda w: (-freqs[w], w)):
        tokens.extend([word] * max(1, round(freqs[word] * 1e6 * per_million)))
    return [" ".join(tokens[i:i + words_per_line]) for i in range(0, len(tokens), words_per_line)]


def build_lexicon(kazakh_sentences: list[str]) -> Lexicon:
    """Russian and English word lists of wordfreq, the words of the Kazakh TRAIN sentences, and
    `rom`: the 1,000 most frequent Russian and Kazakh words in every romanization we know."""
    kazakh_tokens = [t for s in kazakh_sentences for t in _KAZAKH_TOKEN.findall(s)]
    kazakh = counts_to_frequencies(kazakh_tokens)
    russian = wordfreq_frequencies("ru", RUSSIAN_WORD)
    romanized: set[str] = set()
    for word in sorted(russian, key=lambda w: (-russian[w], w))[:ROMANIZED_FREQUENT]:
        romanized.update(transliterate_russian(word, scheme) for scheme in (*RUSSIAN_SCHEMES, "informal"))
    for word in sorted(kazakh, key=lambda w: (-kazakh[w], w))[:ROMANIZED_FREQUENT]:
        romanized.update(transliterate_kazakh(word, scheme) for scheme in ("official-2021", "informal"))
    return Lexicon.from_frequencies({
        "ru": russian,
        "en": wordfreq_frequencies("en", ENGLISH_WORD, ENGLISH_MIN_ZIPF),
        "kk": kazakh,
        "rom": {w: 1e-6 for w in sorted(romanized) if w},
    })


def build_models(repo_root: str | Path = ".", out_dir: str | Path = "models/langid") -> dict:
    """Train both models from TRAIN-split gold sentences and write them to `out_dir`; returns build info."""
    root = Path(repo_root)
    out = Path(out_dir)
    gold = [g for g in load_gold(root) if g.split == "train"]
    by_lang = {lang: [g.text for g in gold if g.lang == lang] for lang in ("en", "kk", "ru")}

    profile = build_profile(by_lang["kk"])
    write_profile(profile, out / "langdetect-kk.json")

    licence = english_reference_texts(root)
    english_words = english_word_text()
    model = train_romanized_model(by_lang["ru"], by_lang["kk"], by_lang["en"] + licence + english_words)
    with atomic.atomic_path(out / "romanized.npz") as tmp:
        model.save(tmp)

    cyrillic = train_cyrillic_model(by_lang["kk"], by_lang["ru"])
    with atomic.atomic_path(out / "cyrillic.npz") as tmp:
        cyrillic.save(tmp)

    lexicon = build_lexicon(by_lang["kk"])
    with atomic.atomic_path(out / "lexicon.npz") as tmp:
        lexicon.save(tmp)

    info = {
        "split": "train (sha1 of sentence text, see pipeline/language/gold.py)",
        "langdetect-kk": {"sentences": len(by_lang["kk"]), "source": "data/kaznerd/IOB2_valid.txt",
                          "ngrams": len(profile["freq"]), "n_words": profile["n_words"]},
        "romanized": {"classes": model.classes, "ngrams": len(model.keys),
                      "ru_sentences": len(by_lang["ru"]), "kk_sentences": min(len(by_lang["kk"]), 2000),
                      "en_sentences": len(by_lang["en"]), "en_reference_lines": len(licence),
                      "en_wordfreq_lines": len(english_words)},
        "lexicon": {"words": {lang: len(keys) for lang, keys in sorted(lexicon.keys.items())},
                    "source": {"ru": "wordfreq 3.1.1 large (Cyrillic words)",
                               "en": f"wordfreq 3.1.1 large (Latin words, Zipf >= {ENGLISH_MIN_ZIPF})",
                               "kk": "KazNERD TRAIN sentences",
                               "rom": f"the {ROMANIZED_FREQUENT} most frequent ru and kk words, romanized"}},
        "cyrillic": {"classes": cyrillic.classes, "ngrams": len(cyrillic.keys),
                     "kk_sentences": len(by_lang["kk"]), "ru_sentences": len(by_lang["ru"])},
    }
    atomic.write_json(out / "build_info.json", info)
    return info
