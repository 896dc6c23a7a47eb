"""The committed language models are exactly what the shipped data and the code produce."""

import json

import numpy as np
import pytest

from pipeline.language.build import build_models
from pipeline.language.charnb import CharNgramNB
from pipeline.language.lexicon import Lexicon


@pytest.mark.slow
def test_rebuilding_the_models_reproduces_the_committed_ones(repo_root, tmp_path):
    info = build_models(repo_root, tmp_path)
    committed = repo_root / "models" / "langid"
    assert (tmp_path / "langdetect-kk.json").read_text(encoding="utf-8") == \
        (committed / "langdetect-kk.json").read_text(encoding="utf-8")
    rebuilt, shipped = CharNgramNB.load(tmp_path / "romanized.npz"), CharNgramNB.load(committed / "romanized.npz")
    assert rebuilt.classes == shipped.classes
    assert np.array_equal(rebuilt.keys, shipped.keys)
    assert np.allclose(rebuilt.log_prob, shipped.log_prob)
    rebuilt_words, shipped_words = Lexicon.load(tmp_path / "lexicon.npz"), Lexicon.load(committed / "lexicon.npz")
    for lang in ("en", "kk", "ru", "rom"):
        assert np.array_equal(rebuilt_words.keys[lang], shipped_words.keys[lang])
        assert np.array_equal(rebuilt_words.zipf10[lang], shipped_words.zipf10[lang])
    assert info == json.loads((committed / "build_info.json").read_text(encoding="utf-8"))
