"""Backends, detectors and embedders are chosen through one name → builder table per kind.

The params.yaml comments that list the choices, and the error messages, must follow the tables.
"""

from __future__ import annotations

import re

import pytest

from pipeline.entities.backends import BACKENDS, build_backend
from pipeline.errors import PipelineError
from pipeline.language.detectors import DETECTORS, build_detector
from pipeline.topics.embeddings import EMBEDDERS, make_embedder
from tests.import_graph import ROOT

PARAMS = (ROOT / "params.yaml").read_text(encoding="utf-8").splitlines()


def _comment_choices(key: str, section: str) -> set[str]:
    """The names a params.yaml comment offers for `section.key`: the comment on the key's line,
    or the comment lines right above it; each alternative's name is its first word before ':' or '('."""
    start = PARAMS.index(f"{section}:")
    line = next(i for i in range(start + 1, len(PARAMS)) if PARAMS[i].strip().startswith(f"{key}:"))
    if "#" in PARAMS[line]:
        text = PARAMS[line].split("#", 1)[1]
    else:
        above = []
        i = line - 1
        while PARAMS[i].strip().startswith("#"):
            above.insert(0, PARAMS[i].strip().lstrip("#"))
            i -= 1
        text = " ".join(above).split(":", 1)[1]  # after "backend per language:"
    return {re.split(r"[:(\s]", alt.strip(), maxsplit=1)[0] for alt in text.split("|") if alt.strip()}


def test_params_comments_list_exactly_the_table_names():
    assert _comment_choices("backends", "entities") == set(BACKENDS)
    assert _comment_choices("detector", "language") == set(DETECTORS)
    assert _comment_choices("embedding", "topics") == set(EMBEDDERS)


def test_unknown_names_fail_with_the_table_names():
    with pytest.raises(PipelineError) as err:
        build_backend("flair:x", "en")
    assert all(kind.usage in str(err.value) for kind in BACKENDS.values())
    with pytest.raises(PipelineError, match="natasha-crf:<model dir>"):
        build_backend("natasha-crf", "ru")  # the model dir is required
    with pytest.raises(PipelineError) as err:
        build_detector("fasttext", ["en", "ru"])
    assert all(name in str(err.value) for name in DETECTORS)
    with pytest.raises(PipelineError) as err:
        make_embedder("word2vec")
    assert all(name in str(err.value) for name in EMBEDDERS)


def test_table_entries_build_what_they_name():
    assert build_backend("rules", "zh").name == "rules"
    assert type(make_embedder("tfidf")).__name__ == "TfidfSvdEmbedder"
    assert build_detector("py3langid", ["en", "ru"]) is not None
