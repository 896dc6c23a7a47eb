"""Fit the combiner's weights (models/langid/combiner.json) on the DEV held-out sets.

    .venv/bin/python bench/fit_language_combiner.py

Reads the frozen held-out sets of bench/language_heldout.py (needs ../shared/data/scale), takes
only their DEV part (sources bbc, nerel, kazqad: never the TEST sources), computes the evidence
features of pipeline/language/evidence.py with the committed models and word lists, and fits one
logistic model per question and length (pipeline/language/combiner.py). Deterministic.

- cyrillic (Kazakh = 1, Russian = 0): the kk and ru items of the word, pair and sentence sets;
- latin (romanized = 1, English = 0): the Latin-script kk/ru sentences and pairs, each pair's
  marked words also alone, against the English words, pairs, lower-cased pairs and sentences, among the
  texts with positive evidence of a romanization (evidence.has_romanization_evidence);
- latin_plain (English = 1): the same texts without such evidence (they are English; this model
  says how sure);
- latin_kk (Kazakh = 1, Russian = 0): the Latin-script items with positive evidence.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.chdir(REPO)

from language_heldout import load_heldout  # noqa: E402

from pipeline.language.combiner import LogisticModel, save_combiner  # noqa: E402
from pipeline.language.detectors import ProjectDetector  # noqa: E402
from pipeline.language.evidence import (  # noqa: E402
    CYRILLIC_FEATURES,
    LATIN_FEATURES,
    LATIN_KK_FEATURES,
    has_romanization_evidence,
)
from pipeline.language.settings import LanguageSettings  # noqa: E402

HELDOUT_CACHE = REPO.parent.parent / "notes" / "cache-issue14"
OUT = REPO / "models" / "langid" / "combiner.json"
C = 1.0


def main() -> None:
    sets = load_heldout(cache_dir=HELDOUT_CACHE if HELDOUT_CACHE.parent.is_dir() else None)
    if sets is None:
        raise SystemExit("../shared/data/scale is needed to refit the combiner (the committed weights stay).")
    dev = {name.split("/", 1)[1]: items for name, items in sets.items() if name.startswith("dev/")}
    detector = ProjectDetector(LanguageSettings().languages, combiner=None)

    cyr = [it for name in ("word", "pair", "sentence") for it in dev[name] if it["lang"] in ("kk", "ru")]
    x, n = detector.cyrillic_evidence([it["text"] for it in cyr])
    y = np.array([it["lang"] == "kk" for it in cyr], dtype=int)
    cyrillic = LogisticModel.fit(CYRILLIC_FEATURES, x, y, n, c=C)

    romanized = [it for name in ("latin_sentence", "latin_pair") for it in dev[name]]
    singles = [dict(it, text=w) for it in dev["latin_pair"] for w in it["text"].split()]
    x1, _, n1 = detector.latin_evidence([it["text"] for it in singles])
    # a lone word is romanized only when it carries a mark: no unmarked single word teaches the English model
    romanized += [it for it, ok in zip(singles, has_romanization_evidence(x1, n1), strict=True) if ok]
    english = [it for name in ("word", "pair", "pair_lower", "sentence") for it in dev[name] if it["lang"] == "en"]
    texts = [it["text"] for it in romanized + english]
    x, x_kk, n = detector.latin_evidence(texts)
    y = np.array([1] * len(romanized) + [0] * len(english))
    allowed = has_romanization_evidence(x, n)
    latin = LogisticModel.fit(LATIN_FEATURES, x[allowed], y[allowed], n[allowed], c=C)
    plain = ~allowed & (n > 0)
    latin_plain = LogisticModel.fit(LATIN_FEATURES, x[plain], 1 - y[plain], n[plain], c=C)
    k = len(romanized)
    y_kk = np.array([it["lang"] == "kk" for it in romanized], dtype=int)
    candidate = allowed[:k]  # the detector asks which romanization only where one is possible
    latin_kk = LogisticModel.fit(LATIN_KK_FEATURES, x_kk[:k][candidate], y_kk[candidate], n[:k][candidate], c=C)

    save_combiner({"cyrillic": cyrillic, "latin": latin, "latin_plain": latin_plain, "latin_kk": latin_kk}, OUT, {
        "fitted_by": "bench/fit_language_combiner.py", "data": "DEV held-out sets of bench/language_heldout.py "
        "(scale sources bbc, nerel, kazqad; never the TEST sources pmkz, govmin, cc100_ru, fvd, cc100_kk)",
        "examples": {"cyrillic": len(cyr), "latin": len(texts), "latin_kk": k}, "regularisation_C": C})
    print(f"wrote {OUT}: cyrillic {len(cyr)}, latin {len(texts)}, latin_kk {k} examples")


if __name__ == "__main__":
    main()
