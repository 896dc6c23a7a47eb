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
    metrics = json.loads((out / "metrics_details.json").read_text())
    assert sum(metrics["split"][k] for k in ("train", "dev", "test")) == 400
    assert metrics["test"]["sentences"] == metrics["split"]["test"]
    assert 0.0 <= metrics["test"]["micro"]["f"] <= 1.0


@pytest.mark.slow
def test_train_kk_stanza_builds_a_model_the_backend_loads(tiny_kaznerd, tmp_path):
    out = _run("train-kk-stanza", tiny_kaznerd, tmp_path)
    backend = StanzaBackend(model_dir=out / "model", lang="kk")
    [mentions] = backend.extract(["Нұрсұлтан Назарбаев Астанада."])
    assert all(0 <= m.start < m.end <= len("Нұрсұлтан Назарбаев Астанада.") for m in mentions)
    metrics = json.loads((out / "metrics_details.json").read_text())
    assert metrics["split"]["test"] == metrics["test"]["sentences"] > 0


@pytest.mark.slow
def test_train_kk_ner_is_deterministic_and_dev_only_leaves_test_unscored(tiny_kaznerd, tmp_path):
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert main(["train-kk-ner", "--params", str(tmp_path / "no-params.yaml"), "--data", str(tiny_kaznerd),
                     "--output", str(out / "model"), "--metrics", str(out / "metrics.json"),
                     "--work-dir", str(out / "work"), "--max-steps", "40", "--dev-only"]) == 0
        runs.append(out)
    first, second = ((r / "model" / "ner" / "model").read_bytes() for r in runs)
    assert first == second  # same data, settings and seed: the same weights, byte for byte
    metrics = json.loads((runs[0] / "metrics_details.json").read_text())
    assert "test" not in metrics and metrics["dev"]["sentences"] == metrics["split"]["dev"]


@pytest.mark.slow
def test_train_kk_ner_metrics_carry_bootstrap_intervals_on_test(tiny_kaznerd, tmp_path):
    out = _run("train-kk-ner", tiny_kaznerd, tmp_path)
    interval = json.loads((out / "metrics_details.json").read_text())["test"]["ci95"]["micro"]
    assert interval["f_ci95"][0] <= interval["f"] <= interval["f_ci95"][1]


@pytest.mark.slow
def test_train_ru_crf_cross_validates_and_installs_a_model_the_backend_loads(repo_root, tmp_path):
    import shutil

    from pipeline.entities.natasha_crf_backend import NatashaCrfBackend

    devset = tmp_path / "devset"
    devset.mkdir()
    source = repo_root / "data" / "factrueval" / "devset"
    for txt in sorted(source.glob("*.txt"))[:12]:
        for f in source.glob(txt.stem + ".*"):
            shutil.copy(f, devset / f.name)
    out = tmp_path / "ru"
    assert main(["train-ru-crf", "--params", str(tmp_path / "no-params.yaml"), "--data", str(devset),
                 "--output", str(out / "model"), "--metrics", str(out / "metrics.json")]) == 0
    metrics = json.loads((out / "metrics_details.json").read_text())
    assert set(metrics["cross_validation"]) == {"natasha_crf", "natasha"}
    assert metrics["cross_validation"]["natasha_crf"]["PER"]["support"] > 0
    [mentions] = NatashaCrfBackend(out / "model").extract(["Президент России Владимир Путин прибыл в Астану."])
    assert ("Владимир Путин", "PER") in {(m.text, m.label) for m in mentions}
