"""Settings of the language stage (section `language` of params.yaml); defaults live here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LanguageSettings:
    """How passages get their language.

    detector: one of project, lingua, py3langid, langdetect-kk, langdetect (see detectors.py).
    languages: the languages a detector may answer, as ISO 639-1. The corpus languages only: every
      extra close language costs accuracy on short texts (with uk, be, mn added, lingua's accuracy on
      single Russian words drops from 98% to 89%, bench/bench_language.py). Ukrainian and Belarusian
      are still recognised by their own letters (ї є ґ, ў), other scripts by the script.
    min_confidence: below it a passage is `und` (0 keeps every guess; the guess is in `confidence`).
    max_chars: longer passages are identified from three slices of this total size (bounded time).
    segment_min_letters: sentences shorter than this never make a passage count as mixed.
    max_sentences: at most this many sentences of a passage get their own segment.
    kk_letter_share: share of Kazakh-specific letters (ә ғ қ ң ө ұ ү һ і) that makes Cyrillic Kazakh.
    long_text_letters: Cyrillic text this long without any Kazakh letter is Russian without a model.
    romanized_min_probability_short: probability of a romanization (combiner) needed to call a Latin
      text of one to three words romanized Russian/Kazakh rather than English (longer texts: 0.5);
      chosen on the dev held-out sets: short English lines (titles, captions, lowercased names) are far
      more common than short romanized ones.
    batch_size: passages per batch; cache_size: distinct texts remembered between batches.
    """

    detector: str = "project"
    languages: list[str] = field(default_factory=lambda: ["en", "kk", "ru", "zh"])
    min_confidence: float = 0.0
    max_chars: int = 1200
    segment_min_letters: int = 12
    max_sentences: int = 500
    kk_letter_share: float = 0.03
    long_text_letters: int = 40
    romanized_min_probability_short: float = 0.9
    batch_size: int = 5000
    cache_size: int = 200_000
    models_dir: str = "models/langid"
