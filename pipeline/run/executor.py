"""Map a function over partitions of passages, here or on Dask, results in input order.

One code path serves both executors: a stage cuts its passages into partitions (pandas frames),
hands a module-level function to `Executor.map` and consumes the results in order. The local
executor calls the function in this process; the Dask executor submits it as tasks, a bounded
number ahead (memory of the driver stays flat as the corpus grows), with retries when a worker
dies. Functions must be importable by the workers (module-level, in the `pipeline` package).
"""

from __future__ import annotations

import sys
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


class DaskExecutor:
    """Runs partitions as tasks of a Dask client; yields results in input order."""

    name = "dask"

    def __init__(self, client: Any, retries: int, in_flight: int) -> None:
        self.client = client
        self.retries = retries
        self.in_flight = max(1, in_flight)

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

    @staticmethod
    def _result(future: Any) -> Any:
        try:
            return future.result()
        except PipelineError:
            raise
        except Exception as exc:  # a task error, a lost worker past its retries, a dead scheduler
            name = type(exc).__name__
            raise PipelineError(f"dask: task {future.key} failed ({name}: {exc}). Check the workers' logs "
                                "(dashboard → Info); run with params.yaml run.executor: local to see the error "
                                "in this process.") from exc


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
    cluster = LocalCluster(n_workers=d.n_workers, threads_per_worker=d.threads_per_worker, processes=True,
                           memory_limit=d.memory_limit, dashboard_address=d.dashboard_address)
    try:
        return Client(cluster, timeout=d.timeout_s, set_as_default=False), cluster
    except BaseException:
        cluster.close()
        raise


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
        yield DaskExecutor(client, settings.dask.retries, in_flight)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
