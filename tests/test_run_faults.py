"""Faults on a real Dask LocalCluster: a worker killed mid-run, a task past its worker's memory limit.

No mocks: workers are separate processes; the kill is a SIGKILL of a worker's pid while it
is running one of the stage's tasks (the first task of a worker loads its models for seconds,
so there is a wide window), and the memory test gives workers a limit below what the entities
models need, so Dask's nanny restarts them. Either the stage completes with the local
executor's output, or it fails with an error saying which fault happened and writes nothing.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.run.settings import DaskSettings, RunSettings
from tests.test_run_executor import LOCAL, _entities, _language

pytestmark = pytest.mark.slow  # each test starts a cluster whose workers load the entities models


@pytest.fixture(scope="module")
def passages(tmp_path_factory) -> Path:
    from pipeline.ingest.settings import IngestSettings
    from pipeline.ingest.stage import ingest_corpus

    path = tmp_path_factory.mktemp("faults") / "passages.parquet"
    ingest_corpus(Path(__file__).resolve().parents[1] / "corpus", IngestSettings()).passages.to_parquet(path, index=False)
    return path


@pytest.fixture(scope="module")
def local_run(passages, tmp_path_factory) -> Path:
    """languages.parquet and the entities outputs of the local executor."""
    out = tmp_path_factory.mktemp("local")
    _language(passages, out, LOCAL)
    return _entities(passages, out / "languages.parquet", out, LOCAL)


class WorkerKiller(threading.Thread):
    """Kills the first worker seen running a task for `after` seconds (SIGKILL, no goodbye)."""

    def __init__(self, address: str, after: float = 0.5, timeout: float = 120.0) -> None:
        super().__init__(daemon=True)
        self.address, self.after, self.timeout = address, after, timeout
        self.killed: list[tuple[str, int, str]] = []  # (worker, pid, task)
        self.ready = threading.Event()

    def run(self) -> None:
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:
            pids = client.run(os.getpid)
            self.ready.set()
            seen: dict[tuple[str, str], float] = {}
            end = time.monotonic() + self.timeout
            while time.monotonic() < end:
                for worker, keys in client.processing().items():
                    for key in keys:
                        began = seen.setdefault((worker, str(key)), time.monotonic())
                        if time.monotonic() - began >= self.after:
                            os.kill(pids[worker], signal.SIGKILL)
                            self.killed.append((worker, pids[worker], str(key)))
                            return
                time.sleep(0.05)


def _cluster(allowed_failures: int):
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")


def _on(address: str, **dask) -> RunSettings:
    return RunSettings(executor="dask", min_passages_for_dask=0,
                       dask=DaskSettings(scheduler=address, timeout_s=30, **dask))


def test_a_worker_killed_mid_run_is_replaced_and_the_output_is_unchanged(passages, local_run, tmp_path):
    with _cluster(allowed_failures=3) as cluster:
        killer = WorkerKiller(cluster.scheduler_address)
        killer.start()
        assert killer.ready.wait(60)
        out = _entities(passages, local_run / "languages.parquet", tmp_path / "dask", _on(cluster.scheduler_address))
        killer.join(5)
    assert len(killer.killed) == 1, "no worker was killed while running a task: the test proved nothing"
    for name in ("entities.parquet", "machine.parquet", "summary.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(local_run / name))
    assert (out / "skipped.json").read_text() == (local_run / "skipped.json").read_text()


def test_a_task_whose_workers_keep_dying_is_a_clear_error_and_nothing_is_written(passages, local_run, tmp_path):
    with _cluster(allowed_failures=0) as cluster:  # the first death fails the task
        killer = WorkerKiller(cluster.scheduler_address)
        killer.start()
        assert killer.ready.wait(60)
        with pytest.raises(PipelineError) as err:
            _entities(passages, local_run / "languages.parquet", tmp_path / "out",
                      _on(cluster.scheduler_address, allowed_failures=0))
        killer.join(5)
    assert len(killer.killed) == 1
    message = str(err.value)
    assert "entities stage's task" in message and "died 1 time(s)" in message
    assert "was killed" in message and "entities.passages_per_chunk" in message and "wrote no output" in message
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []  # not even a temporary file is left


def test_a_task_past_the_worker_memory_limit_says_so_and_suggests_smaller_partitions(passages, local_run, tmp_path):
    # ~130 MB for an idle worker, ~530 MB once the entities models are loaded: 400 MB lets the
    # workers start and kills them (at 95 %) in the first task. The stage starts this cluster
    # itself, from the settings: memory_limit and allowed_failures are the params under test.
    run = RunSettings(executor="dask", min_passages_for_dask=0,
                      dask=DaskSettings(n_workers=2, memory_limit="400MB", allowed_failures=1,
                                        dashboard_address=":0", timeout_s=30))
    began = time.perf_counter()
    with pytest.raises(PipelineError) as err:
        _entities(passages, local_run / "languages.parquet", tmp_path / "out", run)
    message = str(err.value)
    assert "ran out of memory" in message and "exceeding the memory limit" in message, message
    assert "died 2 time(s)" in message
    assert "entities.passages_per_chunk" in message and "run.dask.memory_limit" in message
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
    assert time.perf_counter() - began < 120
