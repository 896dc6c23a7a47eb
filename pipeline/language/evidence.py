"""Features of short texts for the combiner: what the letters, the word lists and the models say.

Two questions are hard on a few words and both get a small logistic model (`combiner.py`) over
the features computed here:

- Cyrillic: Kazakh or Russian? lingua's log-odds, our kk/ru character model, how many words a
  large Russian word list knows (a Kazakh word written without ә ғ қ ... is rarely in it), how many
  the Kazakh word list knows, and the share of words with Kazakh-only, Kazakh-shared and
  Russian-only letters, counted on the lowercase-initial words (names keep their own spelling),
  and the share of capitalised words.
- Latin: English, or romanized Russian/Kazakh? Romanization needs POSITIVE evidence: a word that is
  not a known English word and carries a transliteration mark (zh, kh, shch, ts, ya/yu/yo, -ogo,
  -iya, -nost, a soft-sign apostrophe, č š ž ...) or a Kazakh Latin letter (ä ğ ı ñ ö ū ü ş ç,
  á ǵ ń ó ú ý, q not before u, a' g' n' ...), or several words that no English word list knows.
  Without that a text is English whatever the character model says ("daily basis", "jennifer trisha").

Features are plain floats in fixed order (`CYRILLIC_FEATURES`, `LATIN_FEATURES`,
`LATIN_KK_FEATURES`), so a fitted model is a list of weights.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pipeline.language.lexicon import Lexicon

CYRILLIC_FEATURES = ("lingua", "model", "ru_known", "ru_zipf", "kk_known", "kk_unique", "kk_shared", "ru_only",
                     "capitalised")
LATIN_FEATURES = ("model", "en_known", "en_zipf", "en_unknown", "marked", "kk_marked", "english_only")
LATIN_KK_FEATURES = ("model", "kk_marked", "ru_marked")

ENGLISH_WORD_ZIPF = 2.0  # a word at least this frequent in English is English evidence, not a romanization
# A word this frequent in English that no frequent Russian or Kazakh word romanizes to ("said", "first",
# "area"; not "no", "on", "men", "da") makes a short text English: romanized names beside it are names
ENGLISH_ONLY_ZIPF = 4.0
_KK_UNIQUE = re.compile("[әғқұһ]")
_KK_SHARED = re.compile("[іңүө]")
_RU_ONLY = re.compile("[ёъщ]")
# Transliteration marks of Russian (GOST, BGN/PCGN, LoC, ISO 9, ICAO, informal web)
RU_MARK = re.compile(r"zh|kh|shch|sch|ts|tz|cz|ya|yu|yo|ye|ja|ju|jo|iya|iia|iye|ii$|iy$|yy$|ij$|yj$|yi$|"
                     r"ogo$|ego$|omu$|emu$|oj$|ej$|aja$|nost|stvo|ykh$|ikh$|yh$|ih$|nie$|nii$|nyj$|nyi$|nyy$|"
                     r"sk[iy]i$|skoi$|skoy$|tsia$|tsa$|sya$|sia$|ov$|ova$|ami$|['ʹʺ`]|[čšžëŝûâĭėè]")
# Kazakh Latin alphabets (2017 apostrophes, 2018 acutes, 2021), informal ASCII habits and endings
KK_MARK = re.compile(r"[äğıñöūüşçáǵńóúý]|q(?!u)|[aougniycs]'|gh|"
                     r"(?:[dtn][yi]n|[ldt][ae]r|[gqk][ae]n|[dtn]y|[dt]agy|[dt]egi|s[yi]n|[yi]m[yi]z|nd[yi])$")
MIN_UNKNOWN_WORDS = 2  # this many words no English list knows (and most of the text) are evidence too


def _clip(x: np.ndarray, bound: float) -> np.ndarray:
    return np.clip(np.nan_to_num(x, nan=0.0, posinf=bound, neginf=-bound), -bound, bound) / bound


def _per_text_mean(values: np.ndarray, owner: np.ndarray, n_texts: int) -> np.ndarray:
    counts = np.bincount(owner, minlength=n_texts)
    sums = np.bincount(owner, weights=values.astype(np.float64), minlength=n_texts)
    return np.divide(sums, counts, out=np.zeros(n_texts), where=counts > 0)


def flatten(word_lists: Sequence[Sequence[str]]) -> tuple[list[str], np.ndarray]:
    """All words of all texts, and the index of the text each word belongs to."""
    flat = [w for words in word_lists for w in words]
    owner = np.repeat(np.arange(len(word_lists)), [len(words) for words in word_lists])
    return flat, owner


def cyrillic_features(word_lists: Sequence[Sequence[str]], lingua_log_odds: np.ndarray, model_llr: np.ndarray,
                      lexicon: Lexicon) -> np.ndarray:
    """(n_texts, len(CYRILLIC_FEATURES)): evidence for Kazakh (positive) against Russian.

    `lingua_log_odds` and `model_llr` are log(P(kk)/P(ru)) of lingua and of our character model."""
    n = len(word_lists)
    flat, owner = flatten(word_lists)
    lower = [w.lower() for w in flat]
    ru = lexicon.zipf(lower, "ru")
    kk = lexicon.zipf(lower, "kk")
    capital = np.array([w[:1].isupper() for w in flat], dtype=bool)
    # Names are spelt in their own language ("Нұрлан Әбдіров заявил" is Russian): the words that
    # start in lowercase are the evidence; a text of names only is read whole.
    lowercase_words = np.bincount(owner, weights=~capital, minlength=n)
    evidence = ~capital | (lowercase_words[owner] == 0)
    ev_owner = owner[evidence]
    ev_words = [w for w, keep in zip(lower, evidence, strict=True) if keep]
    flags = np.array([(bool(_KK_UNIQUE.search(w)), bool(_KK_SHARED.search(w)), bool(_RU_ONLY.search(w)))
                      for w in ev_words], dtype=np.float64).reshape(-1, 3)
    out = np.zeros((n, len(CYRILLIC_FEATURES)))
    out[:, 0] = _clip(lingua_log_odds, 7.0)
    out[:, 1] = _clip(model_llr, 40.0)
    out[:, 2] = _per_text_mean(ru[evidence] >= 1.0, ev_owner, n)
    out[:, 3] = _per_text_mean(ru[evidence] / 7.0, ev_owner, n)
    out[:, 4] = _per_text_mean(kk[evidence] > 0, ev_owner, n)
    for j in range(3):
        out[:, 5 + j] = _per_text_mean(flags[:, j], ev_owner, n)
    out[:, 8] = _per_text_mean(capital, owner, n)
    return out


def latin_features(word_lists: Sequence[Sequence[str]], model_llr: np.ndarray, lexicon: Lexicon) -> np.ndarray:
    """(n_texts, len(LATIN_FEATURES)): evidence for a romanization (positive) against English.

    `word_lists` hold each text's evidence words (lowercase-initial: names carry no language);
    `model_llr` is the character model's best romanized class against English."""
    n = len(word_lists)
    flat, owner = flatten(word_lists)
    lower = [w.lower() for w in flat]
    en = lexicon.zipf(lower, "en")
    foreign = en < ENGLISH_WORD_ZIPF
    marked = np.zeros(len(lower), dtype=bool)
    kk_marked = np.zeros(len(lower), dtype=bool)
    for j in np.flatnonzero(foreign):  # known English words are never romanization evidence
        kk_marked[j] = bool(KK_MARK.search(lower[j]))
        marked[j] = kk_marked[j] or bool(RU_MARK.search(lower[j]))
    out = np.zeros((n, len(LATIN_FEATURES)))
    out[:, 0] = _clip(model_llr, 40.0)
    out[:, 1] = _per_text_mean(en >= 3.0, owner, n)
    out[:, 2] = _per_text_mean(en / 7.0, owner, n)
    out[:, 3] = _per_text_mean(en == 0, owner, n)
    out[:, 4] = _per_text_mean(marked, owner, n)
    out[:, 5] = _per_text_mean(kk_marked, owner, n)
    english_only = (en >= ENGLISH_ONLY_ZIPF) & (lexicon.zipf(lower, "rom") == 0)
    out[:, 6] = _per_text_mean(english_only, owner, n)
    return out


def latin_kk_features(word_lists: Sequence[Sequence[str]], kk_vs_ru_llr: np.ndarray) -> np.ndarray:
    """(n_texts, len(LATIN_KK_FEATURES)): romanized Kazakh (positive) against romanized Russian."""
    n = len(word_lists)
    flat, owner = flatten(word_lists)
    lower = [w.lower() for w in flat]
    out = np.zeros((n, len(LATIN_KK_FEATURES)))
    out[:, 0] = _clip(kk_vs_ru_llr, 40.0)
    out[:, 1] = _per_text_mean(np.array([bool(KK_MARK.search(w)) for w in lower], dtype=bool), owner, n)
    out[:, 2] = _per_text_mean(np.array([bool(RU_MARK.search(w)) for w in lower], dtype=bool), owner, n)
    return out


def has_romanization_evidence(latin: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Texts that may be romanized Russian/Kazakh: at least one marked non-English word, or at least
    `MIN_UNKNOWN_WORDS` words that no English word list knows, making up most of the evidence; and,
    in one to three words, no frequent English-only word ("aituganov said" is English)."""
    unknown = latin[:, LATIN_FEATURES.index("en_unknown")]
    english_only = latin[:, LATIN_FEATURES.index("english_only")]
    evidence = (latin[:, LATIN_FEATURES.index("marked")] > 0) | (
        (unknown * n_words >= MIN_UNKNOWN_WORDS - 1e-9) & (unknown >= 0.5))
    # in one to three words, a frequent English-only word outweighs any romanized-looking name beside it
    return evidence & ~((n_words <= 3) & (english_only > 0))
