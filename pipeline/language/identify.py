"""The public API: `LanguageIdentifier` gives any text its language, script, confidence and segments.

    from pipeline.language.identify import LanguageIdentifier
    ident = LanguageIdentifier()                      # defaults (LanguageSettings())
    ident.identify("Аңдатпа. Жаһандық өзгерістер жағдайында ...")
    # {"lang": "kk", "script": "Cyrl", "confidence": 0.99, "segments": []}

Passages without linguistic content (numbers, URLs, DOIs, emoji, punctuation, a lone abbreviation
such as "УДК: 37.016.3", a run of letters too long to be a word) are `und`. Lone surrogates and
control characters are read as U+FFFD and spaces, never an error. A passage whose sentences are in different languages gets one
segment per run of same-language sentences and takes the language covering most letters.
The detector is built once, on first use; results are cached per distinct text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from pipeline.language import letters
from pipeline.language import script as scripts
from pipeline.language.detectors import Detector, build_detector
from pipeline.language.segments import Sentence, may_switch_language, split_sentences
from pipeline.language.settings import LanguageSettings

UNDETERMINED = "und"
# Lone surrogates (from broken UTF-16 or JSON) cannot be encoded; control characters carry no language
_UNSAFE = re.compile(r"[\ud800-\udfff]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """`text` with lone surrogates as U+FFFD and control characters (but tab and line feed) as spaces,
    same length so offsets into the original stay valid."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else " ", text)
_CONTENT_CHECK_LETTERS = 16  # above script.linguistic_content's abbreviation limit (< 12 letters)


def sample_long_text(text: str, max_chars: int) -> str:
    """`text` itself when short; otherwise its beginning, middle and end (max_chars in total)."""
    if len(text) <= max_chars:
        return text
    third = max_chars // 3
    middle = len(text) // 2 - third // 2
    return " ".join((text[:third], text[middle:middle + third], text[-third:]))


class LanguageIdentifier:
    """Language, script, confidence and per-sentence segments for texts, in batches."""

    def __init__(self, settings: LanguageSettings | None = None, detector: Detector | None = None):
        self.settings = settings or LanguageSettings()
        self._detector = detector
        self._cache: dict[str, dict] = {}

    @classmethod
    def from_settings(cls, settings: LanguageSettings) -> LanguageIdentifier:
        """An identifier configured by the `language` section of params.yaml."""
        return cls(settings)

    @property
    def detector(self) -> Detector:
        """The configured detector, built on first use (lingua preloading takes a moment)."""
        if self._detector is None:
            s = self.settings
            self._detector = build_detector(
                s.detector, s.languages, s.models_dir, kk_letter_share=s.kk_letter_share,
                long_text_letters=s.long_text_letters, romanized_min_probability_short=s.romanized_min_probability_short)
        return self._detector

    @property
    def detector_name(self) -> str:
        """Name recorded in the `detector` column."""
        return self.settings.detector if self._detector is None else self._detector.name

    def identify(self, text: str) -> dict:
        """{"lang", "script", "confidence", "segments"} for one text (segments: [] unless mixed)."""
        return self.identify_many([text])[0]

    def identify_many(self, texts: Iterable[str]) -> list[dict]:
        """`identify` for each text, in order; distinct texts are detected once, in batches."""
        texts = [clean_text(t) if isinstance(t, str) else "" for t in texts]
        todo = sorted({t for t in texts if t not in self._cache})
        fresh: dict[str, dict] = {}
        size = max(1, self.settings.batch_size)
        for start in range(0, len(todo), size):
            batch = todo[start:start + size]
            fresh.update(zip(batch, self._identify_batch(batch), strict=True))
        out = [_copy(fresh[t] if t in fresh else self._cache[t]) for t in texts]
        if len(self._cache) + len(fresh) > self.settings.cache_size:
            self._cache.clear()  # bounded memory on huge corpora; results never depend on the cache
        if len(fresh) <= self.settings.cache_size:
            self._cache.update(fresh)
        return out

    def _identify_batch(self, texts: Sequence[str]) -> list[dict]:
        s = self.settings
        whole, rows = self._detect_texts([sample_long_text(t, s.max_chars) for t in texts])
        results = list(whole)
        candidates: list[tuple[int, list[Sentence]]] = []
        for i in np.flatnonzero(_may_mix(rows, s.segment_min_letters)):
            text = texts[i]
            if len(text) <= s.max_chars * 4:  # per-sentence work stays bounded on huge passages
                sentences = split_sentences(text, s.max_sentences)
                if len(sentences) > 1:
                    candidates.append((int(i), sentences))
        switches = may_switch_language([sents for _, sents in candidates], s.segment_min_letters, s.kk_letter_share)
        mixed = [c for c, switch in zip(candidates, switches, strict=True) if switch]
        if mixed:
            flat = [sent.text for _, sentences in mixed for sent in sentences]
            found, sentence_rows = self._detect_texts(flat)
            counts = iter(letters.letters_in(sentence_rows).tolist())
            found_iter = iter(found)
            for i, sentences in mixed:
                per_sentence = [dict(next(found_iter), letters=next(counts)) for _ in sentences]
                segments = _segments(sentences, per_sentence, s.segment_min_letters)
                if segments:
                    results[i] = _passage_from_segments(segments)
        return results

    def _detect_texts(self, texts: Sequence[str]) -> tuple[list[dict], np.ndarray]:
        """Language of each text on its own (no segments), and the letter profile of each text."""
        stripped = [scripts.strip_non_linguistic(t) for t in texts]
        rows = letters.profiles(stripped)
        # Word extraction only where it changes the answer: short texts (a lone abbreviation is no
        # language) and bracketed notes; detectors ignore digits and punctuation themselves.
        contents = [scripts.content_words(t) if n < _CONTENT_CHECK_LETTERS or "[" in t else t
                    for t, n in zip(stripped, letters.letters_in(rows).tolist(), strict=True)]
        ask = [i for i, c in enumerate(contents) if c]
        found = dict(zip(ask, self.detector.detect_many([contents[i] for i in ask]), strict=True))
        out = []
        for i, script in enumerate(letters.scripts_of(rows)):
            lang, confidence = found.get(i, (UNDETERMINED, 0.0))
            if lang != UNDETERMINED and confidence < self.settings.min_confidence:
                lang = UNDETERMINED
            out.append({"lang": lang, "script": script, "confidence": round(float(confidence), 4),
                        "segments": []})
        return out, rows


def _may_mix(rows: np.ndarray, min_letters: int) -> np.ndarray:
    """Passages worth splitting into sentences: letters of two scripts, or Cyrillic with Kazakh letters
    (a Kazakh sentence in a Russian paragraph, or the reverse). English and Russian passages without
    either sign skip sentence splitting altogether."""
    scripts_present = (rows[:, : len(letters.SCRIPT_COLUMNS)] >= min_letters).sum(axis=1)
    kazakh = rows[:, letters.COL["kk_unique"]] + rows[:, letters.COL["kk_shared"]]
    return (scripts_present >= 2) | ((kazakh > 0) & (rows[:, letters.COL["Cyrl"]] >= 2 * min_letters))


def _copy(result: dict) -> dict:
    """A result the caller may change without changing the cache."""
    return dict(result, segments=[dict(seg) for seg in result["segments"]])


def _segments(sentences: list[Sentence], found: list[dict], min_letters: int) -> list[dict]:
    """Runs of same-language sentences; [] when the passage turns out to be in one language.

    `found` holds each sentence's result plus its number of letters ("letters").

    Short or language-less sentences ("2.", "URL: ...") join the run before them instead of
    starting their own.
    """
    runs: list[dict] = []
    for sentence, res in zip(sentences, found, strict=True):
        n_letters = res["letters"]
        weak = res["lang"] == UNDETERMINED or n_letters < min_letters
        if runs and (weak or runs[-1]["lang"] == res["lang"]):
            run = runs[-1]
            run["end"] = sentence.end
            if not weak:
                run["_letters"] += n_letters
                run["_conf"] += res["confidence"] * n_letters
            continue
        if weak and not runs:
            runs.append({"start": sentence.start, "end": sentence.end, "lang": res["lang"], "script": res["script"],
                         "_letters": 0, "_conf": 0.0})
            continue
        if runs and runs[-1]["_letters"] == 0:  # a leading weak run takes the first real language
            run = runs[-1]
            run.update(end=sentence.end, lang=res["lang"], script=res["script"], _letters=n_letters,
                       _conf=res["confidence"] * n_letters)
            continue
        runs.append({"start": sentence.start, "end": sentence.end, "lang": res["lang"], "script": res["script"],
                     "_letters": n_letters, "_conf": res["confidence"] * n_letters})
    languages = {r["lang"] for r in runs if r["_letters"] > 0}
    if len(languages) < 2:
        return []
    return [{"start": r["start"], "end": r["end"], "lang": r["lang"], "script": r["script"],
             "confidence": round(r["_conf"] / r["_letters"], 4) if r["_letters"] else 0.0,
             "_letters": r["_letters"]} for r in runs]


def _passage_from_segments(segments: list[dict]) -> dict:
    """The passage takes the language (and its script) covering most letters; its confidence is
    that language's share of letters times its segments' confidence."""
    per_lang: dict[str, int] = {}
    for seg in segments:
        per_lang[seg["lang"]] = per_lang.get(seg["lang"], 0) + seg["_letters"]
    lang = max(sorted(per_lang), key=lambda code: per_lang[code])
    total = sum(per_lang.values()) or 1
    conf = sum(seg["confidence"] * seg["_letters"] for seg in segments if seg["lang"] == lang) / total
    script = max((seg for seg in segments if seg["lang"] == lang), key=lambda seg: seg["_letters"])["script"]
    clean = [{k: v for k, v in seg.items() if not k.startswith("_")} for seg in segments]
    return {"lang": lang, "script": script, "confidence": round(conf, 4), "segments": clean}
