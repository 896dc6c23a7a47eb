"""Shared test fixtures: paths to the shipped corpus and gold data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (tests run from anywhere)."""
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shipped seed corpus."""
    return REPO / "corpus"


@pytest.fixture(scope="session")
def kaznerd_path() -> Path:
    """KazNERD validation split shipped under data/ (CC BY 4.0)."""
    return REPO / "data" / "kaznerd" / "IOB2_valid.txt"


@pytest.fixture(scope="session")
def factrueval_dir() -> Path:
    """factRuEval-2016 dev set shipped under data/ (MIT)."""
    return REPO / "data" / "factrueval" / "devset"
