"""The committed language models are exactly what the shipped data and the code produce."""

import json

import numpy as np
import pytest

from pipeline.language.build import build_models
from pipeline.language.charnb import CharNgramNB


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
    assert info == json.loads((committed / "build_info.json").read_text(encoding="utf-8"))
