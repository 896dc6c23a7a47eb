"""Language identification: every passage gets a language, a script, a confidence and, when it switches
language, per-sentence segments.

Modules, one job each:
- `letters`: letter counts per script and identifying letters for a whole batch (numpy).
- `script`: ISO 15924 script of a text; what counts as linguistic content (URLs, codes, numbers do not).
- `charnb`: character n-gram Naive Bayes scored in batches (used for romanized Russian/Kazakh).
- `romanized`: transliteration conventions and the training set of the romanized model.
- `langdetect_kk`: the Kazakh profile for langdetect and a factory with stock profiles + kk.
- `detectors`: langdetect, langdetect-kk, lingua, py3langid and the project's detector behind one interface.
- `segments`: sentence spans and the cheap test for passages that may switch language.
- `identify`: the public API, `LanguageIdentifier`.
- `gold`: held-out evaluation sentences from the shipped data; `evaluation`: accuracy figures.
- `build`: rebuilds models/langid/ from the shipped data; `stage`, `cli`, `settings`: the DVC stage and tools.
"""
