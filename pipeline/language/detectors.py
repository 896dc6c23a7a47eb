"""Language detectors behind one small interface, swappable by name in params.yaml.

Every detector maps a batch of texts to `(lang, confidence)` pairs (ISO 639-1, "und" when it
abstains). The names:

- `langdetect`: langdetect 1.0.9 with its 55 stock profiles (no Kazakh), restricted to the configured
  languages by a prior map.
- `langdetect-kk`: the same plus our Kazakh profile (`models/langid/langdetect-kk.json`).
- `lingua`: lingua-language-detector restricted to the configured languages, preloaded.
- `py3langid`: py3langid restricted to the configured languages, probabilities normalised.
- `project`: script rules + Kazakh/Ukrainian/Belarusian letters + the romanized-Russian model +
  lingua restricted to the configured languages for what the rules leave open (the default).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline.errors import PipelineError
from pipeline.language import letters
from pipeline.language.charnb import CharNgramNB
from pipeline.language.combiner import load_combiner
from pipeline.language.evidence import (
    CYRILLIC_FEATURES,
    LATIN_FEATURES,
    LATIN_KK_FEATURES,
    cyrillic_features,
    flatten,
    has_romanization_evidence,
    latin_features,
    latin_kk_features,
)
from pipeline.language.lexicon import Lexicon
from pipeline.language.script import words_of

MODELS_DIR = Path("models/langid")
ROMANIZED_MODEL = MODELS_DIR / "romanized.npz"
CYRILLIC_MODEL = MODELS_DIR / "cyrillic.npz"
KAZAKH_PROFILE = MODELS_DIR / "langdetect-kk.json"
LEXICON = MODELS_DIR / "lexicon.npz"
COMBINER = MODELS_DIR / "combiner.json"

ROMANIZED_EVIDENCE_CHARS = 160
ROMANIZED_EVIDENCE_WORDS = 24
MAX_WORD_LETTERS = 40  # longer runs of letters are not words (the longest Kazakh word forms stay below)
LONG_RUSSIAN_CONFIDENCE = 0.99  # long Cyrillic text without a Kazakh letter whose words Russian knows
LONG_RUSSIAN_KNOWN_SHARE = 0.75  # below this share of words known to Russian, the combiner decides
NAMES_ONLY_CONFIDENCE = 0.9  # Latin text of capitalised names only: English, and rarely anything else

# Languages a script alone decides when none of the configured languages is written in it.
SCRIPT_LANGUAGE = {"Jpan": "ja", "Kore": "ko", "Grek": "el", "Hebr": "he", "Armn": "hy", "Geor": "ka",
                   "Thai": "th", "Arab": "ar", "Deva": "hi", "Hans": "zh", "Hant": "zh", "Hani": "zh"}
# Languages for which a script cannot tell the language apart (Arabic script: ar, fa, ur, ...).
AMBIGUOUS_SCRIPTS = {"Arab", "Deva"}


class Detector(Protocol):
    """Anything that assigns a language to each text of a batch."""

    name: str

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(ISO 639-1 code or "und", confidence 0..1) for each text, in order."""
        ...


def _iso(language) -> str:
    return language.iso_code_639_1.name.lower()


class LinguaDetector:
    """lingua restricted to `languages` with preloaded models (built once, on first use)."""

    name = "lingua"

    def __init__(self, languages: Sequence[str]):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = []
        for code in languages:
            try:
                codes.append(IsoCode639_1.from_str(code))
            except ValueError as exc:
                raise PipelineError(f"params.yaml language.languages: lingua has no language '{code}'.") from exc
        if len(codes) < 2:
            raise PipelineError("params.yaml language.languages: give at least two languages.")
        self.languages = tuple(languages)
        self._detector = (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                          .with_preloaded_language_models().build())

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Top language and lingua's confidence; "und" when lingua finds no evidence."""
        out = []
        for values in self._detector.compute_language_confidence_values_in_parallel(list(texts)):
            if not values or values[0].value <= 0:
                out.append(("und", 0.0))
            else:
                out.append((_iso(values[0].language), float(values[0].value)))
        return out

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Confidence of every configured language for each text."""
        return [{_iso(v.language): float(v.value) for v in values}
                for values in self._detector.compute_language_confidence_values_in_parallel(list(texts))]


class Py3langidDetector:
    """py3langid restricted to `languages`, with normalised probabilities."""

    name = "py3langid"

    def __init__(self, languages: Sequence[str]):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        unknown = sorted(set(languages) - set(self._identifier.nb_classes))
        if unknown:
            raise PipelineError(f"params.yaml language.languages: py3langid has no language(s) {unknown}.")
        self._identifier.set_languages(list(languages))

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Top language and its normalised probability."""
        out = []
        for text in texts:
            lang, prob = self._identifier.classify(text)
            out.append((str(lang), float(prob)) if prob > 0 else ("und", 0.0))
        return out


class LangdetectDetector:
    """langdetect with the stock profiles, optionally plus extra ones (the Kazakh profile).

    With `languages`, a prior map gives every other profile probability zero, which restricts
    langdetect to those languages (those it has a profile for: plain langdetect has no `kk`).
    """

    def __init__(self, extra_profiles: Sequence[str | Path] = (), name: str = "langdetect",
                 languages: Sequence[str] | None = None):
        from pipeline.language.langdetect_kk import make_factory

        self.name = name
        self._factory = make_factory(extra_profiles, seed=0)
        self._prior: dict[str, float] | None = None
        if languages is not None:
            self._prior = {code: 1.0 for code in self._factory.get_lang_list() if code.split("-")[0] in languages}
            if not self._prior:
                raise PipelineError(f"params.yaml language.languages: langdetect has none of {list(languages)}.")

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Top language (zh-cn / zh-tw reported as zh) and its probability."""
        from langdetect.lang_detect_exception import LangDetectException

        out = []
        for text in texts:
            detector = self._factory.create()
            if self._prior is not None:
                detector.set_prior_map(self._prior)
            detector.append(text)
            try:
                best = detector.get_probabilities()[0]
            except (LangDetectException, IndexError):
                out.append(("und", 0.0))
                continue
            out.append((best.lang.split("-")[0], float(best.prob)))
        return out


class ProjectDetector:
    """Rules where the letters decide, word lists and trained models where they do not.

    - Han, kana, Hangul, Greek, ... : the script decides (zh, ja, ko, el, ...).
    - Cyrillic: ї/є/ґ mean Ukrainian and ў Belarusian (no configured language shares them) unless
      a Kazakh-only letter is present too (legacy Kazakh fonts put є for ғ). A text of at least
      `long_text_letters` letters with a letter only Kazakh has (ә ғ қ ұ һ) and at least
      `kk_letter_share` Kazakh-specific letters (ә ғ қ ң ө ұ ү һ і) is Kazakh (a Kazakh name in a
      Russian sentence stays below); one with none of them is Russian. Everything else (short
      texts, names, long texts in between) goes to the combiner (`combiner.py`): a logistic model
      per length over lingua's and our character model's log-odds, what a large Russian and a
      Kazakh word list know of the words, and the letters (`evidence.py`).
    - Latin: only lowercase-initial words count (names are romanized whatever the language around
      them). The text is English unless a word that is not a known English word carries a
      transliteration mark or a Kazakh Latin letter (positive evidence); then the combiner weighs
      that evidence, the romanized character model and the English word list, and a second model
      tells romanized Kazakh from romanized Russian. lingua decides between the configured Latin
      languages when English is not the only one.

    Confidences of the combiner are probabilities fitted on held-out dev data (calibrated); the
    letter rules' fixed confidences were checked against the same data (bench/bench_language.py).
    """

    name = "project"

    def __init__(self, languages: Sequence[str], romanized_model: str | Path = ROMANIZED_MODEL,
                 cyrillic_model: str | Path = CYRILLIC_MODEL, lexicon: str | Path = LEXICON,
                 combiner: str | Path | None = COMBINER,
                 kk_letter_share: float = 0.03, long_text_letters: int = 40,
                 romanized_min_probability_short: float = 0.9):
        from lingua import IsoCode639_1, Language

        self.languages = tuple(languages)
        latin = {_iso(lang) for lang in Language.all() if _is_latin(lang)}
        self.latin_languages = tuple(code for code in languages if code in latin)
        self.cyrillic_languages = tuple(code for code in languages if code in _CYRILLIC_LINGUA)
        for code in languages:
            try:
                IsoCode639_1.from_str(code)
            except ValueError as exc:
                raise PipelineError(f"params.yaml language.languages: unknown language code '{code}'.") from exc
        # The letter shortcuts are sound only when no configured language shares Kazakh letters
        self.letter_rules = set(self.cyrillic_languages) <= {"kk", "ru", "uk", "be"}
        self.kk_letter_share = kk_letter_share
        self.long_text_letters = long_text_letters
        self.romanized_min_probability_short = romanized_min_probability_short
        self.romanized = CharNgramNB.load(romanized_model)
        self.cyrillic = CharNgramNB.load(cyrillic_model)
        self.lexicon = Lexicon.load(lexicon)
        # None: evidence only, for fitting the combiner (bench/fit_language_combiner.py)
        self.combiner = None if combiner is None else load_combiner(
            combiner, {"cyrillic": CYRILLIC_FEATURES, "latin": LATIN_FEATURES, "latin_plain": LATIN_FEATURES,
                       "latin_kk": LATIN_KK_FEATURES})
        self._lingua_cyrillic: LinguaDetector | None = None
        self._lingua_latin: LinguaDetector | None = None

    def _cyrillic_lingua(self) -> LinguaDetector:
        if self._lingua_cyrillic is None:  # lazy: a Latin-only corpus never pays for it
            self._lingua_cyrillic = LinguaDetector(self.cyrillic_languages)
        return self._lingua_cyrillic

    def _latin_lingua(self) -> LinguaDetector:
        if self._lingua_latin is None:
            self._lingua_latin = LinguaDetector(self.latin_languages)
        return self._lingua_latin

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Language and confidence for each text (batched per route)."""
        out: list[tuple[str, float] | None] = [None] * len(texts)
        cyrillic_open: list[int] = []
        cyrillic_long_russian: list[int] = []
        latin: list[int] = []
        rows = letters.profiles(texts)
        for i, row in enumerate(rows):
            script = letters.script_of(row)
            if script == "Cyrl":
                out[i] = self._cyrillic_by_letters(row)
                if out[i] is None:
                    cyrillic_open.append(i)
                elif out[i] == ("ru", LONG_RUSSIAN_CONFIDENCE):
                    cyrillic_long_russian.append(i)
            elif script == "Latn":
                latin.append(i)
            elif script == "Zyyy":
                out[i] = ("und", 0.0)
            else:
                lang = SCRIPT_LANGUAGE.get(script, "und")
                out[i] = (lang, 0.6 if script in AMBIGUOUS_SCRIPTS else 0.99)
        if cyrillic_long_russian and "kk" in self.cyrillic_languages:
            # Kazakh typed without its letters ("окушыларына") is long but no Russian word list knows it
            words = [_cyrillic_words(texts[i]) for i in cyrillic_long_russian]
            flat, owner = flatten(words)
            known = self.lexicon.zipf(flat, "ru") >= 1.0
            share = np.bincount(owner, weights=known, minlength=len(words)) / np.maximum(
                np.bincount(owner, minlength=len(words)), 1)
            for i, s in zip(cyrillic_long_russian, share, strict=True):
                if s < LONG_RUSSIAN_KNOWN_SHARE:
                    cyrillic_open.append(i)
            cyrillic_open.sort()
        if cyrillic_open:
            if {"kk", "ru"} <= set(self.cyrillic_languages) and len(self.cyrillic_languages) == 2:
                found = self._cyrillic_open([texts[i] for i in cyrillic_open])
            elif len(self.cyrillic_languages) >= 2:
                found = self._cyrillic_lingua().detect_many([texts[i] for i in cyrillic_open])
            else:
                found = [(self.cyrillic_languages[0] if self.cyrillic_languages else "ru", 0.5)] * len(cyrillic_open)
            for i, res in zip(cyrillic_open, found, strict=True):
                out[i] = res
        if latin:
            for i, res in zip(latin, self._latin([texts[i] for i in latin]), strict=True):
                out[i] = res
        return [r if r is not None else ("und", 0.0) for r in out]

    def cyrillic_evidence(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(features for Kazakh against Russian, number of Cyrillic words) of each text."""
        words = [_cyrillic_words(t) for t in texts]
        # lingua and the character model read the same evidence as the word features: the
        # lowercase-initial words when there are any (names keep their own spelling)
        texts = [" ".join(_evidence_words(w)) for w in words]
        lingua = self._cyrillic_lingua().scores(texts)
        lingua_lo = np.array([np.log(s.get("kk", 0.0) + 1e-3) - np.log(s.get("ru", 0.0) + 1e-3) for s in lingua])
        scores, _ = self.cyrillic.log_likelihoods(texts)
        classes = self.cyrillic.classes
        model_llr = scores[:, classes.index("kk")] - scores[:, classes.index("ru")]
        n_words = np.array([len(w) for w in words])
        return cyrillic_features(words, lingua_lo, model_llr, self.lexicon), n_words

    def _cyrillic_open(self, texts: list[str]) -> list[tuple[str, float]]:
        """Short or undecided Cyrillic: the combiner's probability of Kazakh against Russian."""
        x, n_words = self.cyrillic_evidence(texts)
        p_kk = self.combiner["cyrillic"].probability(x, n_words)
        return [("und", 0.0) if not n else ("kk", float(p)) if p >= 0.5 else ("ru", float(1 - p))
                for p, n in zip(p_kk, n_words, strict=True)]

    def _cyrillic_by_letters(self, row) -> tuple[str, float] | None:
        col = letters.COL
        # Kazakh typed with legacy fonts borrows є for ғ: a Kazakh-only letter outvotes them
        if row[col["uk"]] and not row[col["kk_unique"]]:
            return ("uk", 0.95)
        if row[col["be"]] and not row[col["kk_unique"]]:
            return ("be", 0.95)
        cyrillic = int(row[col["Cyrl"]])
        if not self.letter_rules or cyrillic < self.long_text_letters:
            return None
        kazakh = int(row[col["kk_unique"]] + row[col["kk_shared"]])
        # і alone is also Ukrainian/Belarusian: without ә ғ қ ұ һ the combiner decides
        if "kk" in self.cyrillic_languages and row[col["kk_unique"]] and kazakh / cyrillic >= self.kk_letter_share:
            return ("kk", 0.99)
        if kazakh == 0 and "ru" in self.cyrillic_languages:
            return ("ru", LONG_RUSSIAN_CONFIDENCE)
        return None

    def latin_evidence(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(features for a romanization against English, features for romanized Kazakh against
        romanized Russian, number of evidence words) of each text."""
        # Names are romanized whatever the language around them ("Sergey Ryazantsev" in an English
        # author line): only words starting in lowercase are evidence. A few dozen words settle it.
        words = [_lowercase_words(t).split()[:ROMANIZED_EVIDENCE_WORDS] for t in texts]
        scores, _ = self.romanized.log_likelihoods([" ".join(w) for w in words])
        classes = self.romanized.classes
        en, kk, ru = classes.index("en"), classes.index("kk-Latn"), classes.index("ru-Latn")
        best = np.maximum(scores[:, kk], scores[:, ru]) - scores[:, en]
        n_words = np.array([len(w) for w in words])
        x = latin_features(words, best, self.lexicon)
        # which romanization matters only where one is possible
        x_kk = np.zeros((len(texts), len(LATIN_KK_FEATURES)))
        candidates = np.flatnonzero(has_romanization_evidence(x, n_words))
        if len(candidates):
            x_kk[candidates] = latin_kk_features([words[i] for i in candidates],
                                                 (scores[:, kk] - scores[:, ru])[candidates])
        return x, x_kk, n_words

    def _latin(self, texts: list[str]) -> list[tuple[str, float]]:
        x, x_kk, n_words = self.latin_evidence(texts)
        allowed = has_romanization_evidence(x, n_words)
        # Romanized only with positive evidence; the English of the others is weighed by its own model
        p_rom = np.where(allowed, self.combiner["latin"].probability(x, n_words),
                         1 - self.combiner["latin_plain"].probability(x, n_words))
        p_kk = self.combiner["latin_kk"].probability(x_kk, n_words)
        out: list[tuple[str, float] | None] = [None] * len(texts)
        english: list[int] = []
        # a text with no lowercase word may have no word at all ("xxxx…" a megabyte long)
        no_words = [not n and not any(len(w) <= MAX_WORD_LETTERS for w in words_of(t[: ROMANIZED_EVIDENCE_CHARS * 4]))
                    for t, n in zip(texts, n_words, strict=True)]
        for i in range(len(texts)):
            if no_words[i]:
                out[i] = ("und", 0.0)
                continue
            target = "kk" if p_kk[i] >= 0.5 else "ru"
            needed = 0.5 if n_words[i] >= 4 else self.romanized_min_probability_short
            if n_words[i] and allowed[i] and p_rom[i] >= needed and target in self.languages:
                out[i] = (target, float(p_rom[i] * max(p_kk[i], 1 - p_kk[i])))
            else:
                english.append(i)
        if english:
            if len(self.latin_languages) >= 2:
                found = self._latin_lingua().detect_many([texts[i] for i in english])
            else:
                only = self.latin_languages[0] if self.latin_languages else "und"
                # without lowercase words there is no evidence either way: names are written alike everywhere
                found = [(only, float(1 - p_rom[i]) if n_words[i] else NAMES_ONLY_CONFIDENCE) for i in english]
            for i, res in zip(english, found, strict=True):
                out[i] = res
        return [r if r is not None else ("und", 0.0) for r in out]


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04FF]+")


def _evidence_words(words: list[str]) -> list[str]:
    """The lowercase-initial words, or all words when every one is capitalised."""
    lower = [w for w in words if not w[:1].isupper()]
    return lower or words


def _cyrillic_words(text: str) -> list[str]:
    """Cyrillic letter runs of the start of a text (the combiner reads short texts)."""
    words = _CYRILLIC_WORD.findall(text[: ROMANIZED_EVIDENCE_CHARS * 4])
    return [w for w in words if len(w) <= MAX_WORD_LETTERS][:ROMANIZED_EVIDENCE_WORDS]


def _lowercase_words(text: str) -> str:
    """Words starting in lowercase; all words, lower-cased, when the text is in capitals (titles).

    Reads only the start of long texts: the evidence is capped anyway. A run of letters longer
    than `MAX_WORD_LETTERS` is no word ("xxxx…", base64) and no evidence."""
    words = [w for w in words_of(text[: ROMANIZED_EVIDENCE_CHARS * 4]) if len(w) <= MAX_WORD_LETTERS]
    lower = [w for w in words if w[:1].islower()]
    if not lower and len(words) >= 3 and all(w.isupper() for w in words):
        return " ".join(words).lower()
    return " ".join(lower)


_CYRILLIC_LINGUA = {"kk", "ru", "uk", "be", "bg", "mk", "mn", "sr"}


def _is_latin(language) -> bool:
    return _iso(language) not in _CYRILLIC_LINGUA | {
        "zh", "ja", "ko", "ar", "fa", "ur", "he", "el", "hy", "ka", "hi", "mr", "bn", "gu", "pa", "ta", "te", "th"}


def _project(languages: Sequence[str], models: Path, **options: float) -> Detector:
    return ProjectDetector(languages, romanized_model=models / ROMANIZED_MODEL.name,
                           cyrillic_model=models / CYRILLIC_MODEL.name, lexicon=models / LEXICON.name,
                           combiner=models / COMBINER.name, **options)


# Name → builder (languages, models dir, project options): the only list of detector names; the
# CLI's choices, error messages and the params.yaml comment follow it.
DETECTORS: dict[str, Callable[..., Detector]] = {
    "project": _project,
    "lingua": lambda languages, models, **_: LinguaDetector(languages),
    "py3langid": lambda languages, models, **_: Py3langidDetector(languages),
    "langdetect-kk": lambda languages, models, **_: LangdetectDetector(
        [models / KAZAKH_PROFILE.name], name="langdetect-kk", languages=languages),
    "langdetect": lambda languages, models, **_: LangdetectDetector(languages=languages),
}
DETECTOR_NAMES = tuple(DETECTORS)


def build_detector(name: str, languages: Sequence[str], models_dir: str | Path = MODELS_DIR,
                   **project_options: float) -> Detector:
    """The detector called `name`, restricted to `languages` where the library allows it.

    `project_options` (kk_letter_share, long_text_letters, romanized_min_probability_short) tune the project detector.
    """
    if name not in DETECTORS:
        raise PipelineError(f"params.yaml language.detector: unknown detector '{name}'. "
                            f"Choose one of {list(DETECTOR_NAMES)}.")
    return DETECTORS[name](languages, Path(models_dir), **project_options)
