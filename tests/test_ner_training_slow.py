"""End-to-end: the training commands build loadable models from a fresh checkout (tiny data, few steps)."""

from __future__ import annotations

import json

import pytest

from pipeline.__main__ import main
from pipeline.entities.stanza_backend import StanzaBackend
from pipeline.ner_training.load import load_kk_spacy


@pytest.fixture
def tiny_kaznerd(kaznerd_path, tmp_path):
    """The first 400 KazNERD sentences, as a file in KazNERD's own format."""
    blocks = kaznerd_path.read_text(encoding="utf-8").split("\n\n")[:400]
    path = tmp_path / "tiny.txt"
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def _run(command, tiny_kaznerd, tmp_path):
    out = tmp_path / command
    code = main([command, "--params", str(tmp_path / "no-params.yaml"), "--data", str(tiny_kaznerd),
                 "--output", str(out / "model"), "--metrics", str(out / "metrics.json"),
                 "--work-dir", str(out / "work"), "--max-steps", "60"])
    assert code == 0
    return out


@pytest.mark.slow
def test_train_kk_ner_builds_a_loadable_spacy_model_and_metrics(tiny_kaznerd, tmp_path):
    out = _run("train-kk-ner", tiny_kaznerd, tmp_path)
    nlp = load_kk_spacy(out / "model")
    assert "ner" in nlp.pipe_names and "PERSON" in nlp.get_pipe("ner").labels
    assert not (out / "model" / "model-last").exists()  # no training checkpoints in the model dir
    metrics = json.loads((out / "metrics.json").read_text())
    assert sum(metrics["split"][k] for k in ("train", "dev", "test")) == 400
    assert metrics["test"]["sentences"] == metrics["split"]["test"]
    assert 0.0 <= metrics["test"]["micro"]["f"] <= 1.0


@pytest.mark.slow
def test_train_kk_stanza_builds_a_model_the_backend_loads(tiny_kaznerd, tmp_path):
    out = _run("train-kk-stanza", tiny_kaznerd, tmp_path)
    backend = StanzaBackend(model_dir=out / "model", lang="kk")
    [mentions] = backend.extract(["Нұрсұлтан Назарбаев Астанада."])
    assert all(0 <= m.start < m.end <= len("Нұрсұлтан Назарбаев Астанада.") for m in mentions)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["split"]["test"] == metrics["test"]["sentences"] > 0
