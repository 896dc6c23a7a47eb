"""A Kazakh profile for langdetect, which ships 55 profiles and none for Kazakh.

langdetect reads JSON n-gram profiles `{"name", "freq", "n_words"}`. We build the Kazakh one with
langdetect's own extraction (`LangProfile.update`: its character normalisation, 1- to 3-grams,
capitalised words skipped) followed by its own pruning (`omit_less_freq`), from the TRAIN split of
KazNERD, and load it next to the stock profiles in one `DetectorFactory`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from langdetect.detector_factory import DetectorFactory
from langdetect.utils.lang_profile import LangProfile

from pipeline import atomic
from pipeline.errors import PipelineError

PROFILE_PATH = Path("models/langid/langdetect-kk.json")


def build_profile(sentences: Iterable[str], name: str = "kk") -> dict:
    """The langdetect profile of `sentences` as a JSON-ready dict."""
    profile = LangProfile(name)
    for sentence in sentences:
        profile.update(sentence)
    profile.omit_less_freq()
    return {"name": name, "freq": dict(sorted(profile.freq.items())), "n_words": list(profile.n_words)}


def write_profile(profile: dict, path: str | Path = PROFILE_PATH) -> None:
    """Write a profile atomically, compact (it is read by langdetect, not by people)."""
    atomic.write_text(path, json.dumps(profile, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def stock_profile_dir() -> Path:
    """Directory of the profiles bundled with langdetect."""
    import langdetect

    return Path(os.path.dirname(langdetect.__file__)) / "profiles"


def make_factory(extra_profiles: Iterable[str | Path] = (), seed: int = 0) -> DetectorFactory:
    """A langdetect factory with every stock profile plus `extra_profiles`, seeded for determinism."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(stock_profile_dir().iterdir()) if p.is_file()]
    for extra in extra_profiles:
        path = Path(extra)
        if not path.exists():
            raise PipelineError(f"{path}: langdetect Kazakh profile missing. Rebuild it with "
                                "`python -m pipeline build-language-models` (or restore it with git).")
        texts.append(path.read_text(encoding="utf-8"))
    factory = DetectorFactory()
    factory.load_json_profile(texts)
    factory.set_seed(seed)
    return factory
