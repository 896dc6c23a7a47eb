"""Map a function over partitions of passages, here or on Dask, results in input order.

One code path serves both executors: a stage cuts its passages into partitions (pandas frames),
hands a module-level function to `Executor.map` and consumes the results in order. The local
executor calls the function in this process; the Dask executor submits it as tasks, a bounded
number ahead (memory of the driver stays flat as the corpus grows), with retries when a worker
dies. Functions must be importable by the workers (module-level, in the `pipeline` package).
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm

from pipeline.errors import PipelineError
from pipeline.run.settings import RunSettings


def log(message: str) -> None:
    """Executor lines go to stderr, like the stages' summaries."""
    print(message, file=sys.stderr, flush=True)


class LocalExecutor:
    """Runs every partition in this process, in order."""

    name = "local"

    def map(self, fn: Callable[[Any], Any], partitions: Iterable[Any], total: int | None = None,
            desc: str = "") -> Iterator[Any]:
        """fn(partition) for each partition, in order."""
        with tqdm(total=total, desc=desc, unit="partition", disable=None, leave=False, file=sys.stderr) as bar:
            for part in partitions:
                yield fn(part)
                bar.update(1)


# Where each stage's partition size is set: the first thing to lower when a task runs out of memory.
PARTITION_SETTINGS = {
    "ingest": "run.documents_per_partition or run.partition_mb",
    "language": "run.partition_size",
    "embeddings": "run.partition_size",
    "entities": "entities.passages_per_chunk",
}


class DaskExecutor:
    """Runs partitions as tasks of a Dask client; yields results in input order.

    A worker that dies (killed, out of memory) has its running task moved to another worker
    by the scheduler, up to `run.dask.allowed_failures` deaths per task; a task that raises is
    rerun `run.dask.retries` times. Past those, the stage stops with an error that says which
    happened; stages write their outputs only after the last result, so nothing is half-written.
    """

    name = "dask"

    def __init__(self, client: Any, retries: int, in_flight: int, stage: str = "") -> None:
        self.client = client
        self.retries = retries
        self.in_flight = max(1, in_flight)
        self.stage = stage
        self.started = time.time()

    def map(self, fn: Callable[[Any], Any], partitions: Iterable[Any], total: int | None = None,
            desc: str = "") -> Iterator[Any]:
        """fn(partition) for each partition on the workers, at most `in_flight` submitted ahead."""
        pending: deque = deque()
        with tqdm(total=total, desc=desc, unit="partition", disable=None, leave=False, file=sys.stderr) as bar:
            for part in partitions:
                pending.append(self.client.submit(fn, part, pure=False, retries=self.retries))
                if len(pending) >= self.in_flight:
                    yield self._result(pending.popleft())
                    bar.update(1)
            while pending:
                yield self._result(pending.popleft())
                bar.update(1)

    def _result(self, future: Any) -> Any:
        try:
            return future.result()
        except PipelineError:
            raise
        except Exception as exc:  # a task error, a lost worker past its retries, a dead scheduler
            from distributed import KilledWorker

            if isinstance(exc, KilledWorker):
                raise PipelineError(self._killed_message(future.key, exc)) from exc
            name = type(exc).__name__
            raise PipelineError(f"dask: task {future.key} failed ({name}: {exc}). Check the workers' logs "
                                "(dashboard → Info); run with params.yaml run.executor: local to see the error "
                                "in this process. The stage wrote no output.") from exc

    def _memory_restarts(self) -> list[dict]:
        """The scheduler's record of workers its nannies restarted for memory since this stage began."""
        try:
            events = self.client.get_events("worker-restart-memory")
        except Exception:  # noqa: BLE001 - the message below is still right without the details
            return []
        return [msg for when, msg in events if when >= self.started and isinstance(msg, dict)]

    def _memory_limit(self) -> int:
        """The largest memory limit of the current workers in bytes (0 if unknown or unlimited)."""
        try:
            workers = self.client.scheduler_info().get("workers", {}).values()
            return max((int(w.get("memory_limit") or 0) for w in workers), default=0)
        except Exception:  # noqa: BLE001 - only a detail of the message
            return 0

    def _killed_message(self, key: Any, exc: Any) -> str:
        """Why a task's workers kept dying, and what to change."""
        deaths = exc.allowed_failures + 1
        where = f"the {self.stage} stage's " if self.stage else "a "
        setting = PARTITION_SETTINGS.get(self.stage, "the stage's partition size")
        memory = self._memory_restarts()
        if memory:
            worst = max(memory, key=lambda m: m.get("rss", 0))
            limit = self._memory_limit()
            of_limit = f" of a {_mb(limit)} MB limit" if limit else ""
            return (f"dask: {where}task {key} ran out of memory: {len(memory)} worker restart(s) for exceeding "
                    f"the memory limit (worker {worst.get('worker')} reached {_mb(worst.get('rss', 0))} MB"
                    f"{of_limit}), "
                    f"and the task's workers died {deaths} time(s). Give each task less to hold (smaller "
                    f"partitions: params.yaml {setting}) or each worker more memory (run.dask.memory_limit, or "
                    "fewer run.dask.n_workers on this machine). The stage wrote no output.")
        return (f"dask: {where}task {key} was running on workers that died {deaths} time(s) "
                f"(run.dask.allowed_failures is {exc.allowed_failures}; last worker {exc.last_worker.address}): a "
                "worker was killed, crashed in native code, or ran out of memory outside Dask's watch (the "
                "system's OOM killer). Check the workers' logs (dashboard → Info) and free memory; smaller "
                f"partitions (params.yaml {setting}) need less. The stage wrote no output.")


def _connect(settings: RunSettings) -> tuple[Any, Any]:
    """A client and, for a cluster on this machine, the cluster (closed with the client)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise PipelineError("params.yaml run.executor is dask but dask.distributed is not installed: "
                            "run `make setup` (requirements.lock pins dask and distributed).") from exc
    d = settings.dask
    if d.scheduler:
        try:
            return Client(d.scheduler, timeout=d.timeout_s, set_as_default=False), None
        except (OSError, TimeoutError) as exc:
            raise PipelineError(
                f"dask: no scheduler answered at {d.scheduler} within {d.timeout_s:g} s ({exc}). Start one there "
                "(`dask scheduler`, then `dask worker <address>` on each machine), fix params.yaml "
                "run.dask.scheduler, or set it to \"\" for a cluster on this machine. Nothing was written.") from exc
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": d.allowed_failures}):
        cluster = LocalCluster(n_workers=d.n_workers, threads_per_worker=d.threads_per_worker, processes=True,
                               memory_limit=d.memory_limit, dashboard_address=d.dashboard_address)
    try:
        return Client(cluster, timeout=d.timeout_s, set_as_default=False), cluster
    except BaseException:
        cluster.close()
        raise


def _mb(nbytes: float) -> int:
    return round(nbytes / 2**20)


# Packages whose versions must agree between this process and the workers: a task pickled here
# is unpickled there, and a model or detector of another version gives other results.
CHECKED_PACKAGES = ("spacy", "natasha", "lingua", "pyarrow", "torch")


def version_differences(versions: dict) -> list[str]:
    """'name here vs there on address' for each package that differs (`Client.get_versions` layout)."""
    mine = versions["client"]["packages"]
    others = {"scheduler": versions.get("scheduler"), **(versions.get("workers") or {})}
    diffs = []
    for where, info in sorted(others.items()):
        if not isinstance(info, dict):
            continue
        for name, version in sorted((info.get("packages") or {}).items()):
            if name in mine and mine[name] != version:
                diffs.append(f"{name} {mine[name]} here, {version} on {where}")
    return diffs


def _check_versions(client: Any, address: str) -> None:
    diffs = version_differences(client.get_versions(packages=list(CHECKED_PACKAGES)))
    if diffs:
        raise PipelineError(f"dask: the workers of {address} run other package versions than this process: "
                            f"{'; '.join(diffs)}. Start the workers from the same checkout and .venv "
                            "(make setup installs requirements.lock). Nothing was written.")


@contextmanager
def open_executor(settings: RunSettings, n_passages: int, stage: str, *, unit: str = "passages",
                  minimum: tuple[str, int] | None = None) -> Iterator[LocalExecutor | DaskExecutor]:
    """The executor a stage uses for `n_passages` items; a Dask cluster it started is closed on exit.

    `minimum` is (params.yaml name, value) of the size below which the stage runs locally
    (default: run.min_passages_for_dask); `unit` names the items in the log line.
    """
    if settings.executor == "local":
        yield LocalExecutor()
        return
    setting, least = minimum or ("min_passages_for_dask", settings.min_passages_for_dask)
    if n_passages < least:
        log(f"{stage}: {n_passages} {unit} < run.{setting} ({least}): "
            "running locally (a cluster would cost more than it saves)")
        yield LocalExecutor()
        return
    client, cluster = _connect(settings)
    try:
        where = settings.dask.scheduler or "a LocalCluster on this machine"
        _check_versions(client, where)
        workers = len(client.scheduler_info().get("workers", {}))
        log(f"{stage}: dask on {where}, {workers} worker(s); dashboard: {client.dashboard_link}")
        in_flight = settings.dask.in_flight_per_worker * max(1, workers or settings.dask.n_workers)
        yield DaskExecutor(client, settings.dask.retries, in_flight, stage)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
