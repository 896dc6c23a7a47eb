"""Settings of the executor (section `run` of params.yaml); defaults live here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from pipeline.errors import PipelineError

EXECUTORS = ("local", "dask")


@dataclass
class DaskSettings:
    """How to reach Dask.

    scheduler: "" starts a `distributed.LocalCluster` on this machine (worker processes, not
      threads: spaCy and the language models hold the GIL); "tcp://host:8786" connects to a running
      scheduler (`dask scheduler`, dask-jobqueue, the Helm chart).
    n_workers, threads_per_worker, memory_limit: the LocalCluster's workers (ignored when connecting).
    timeout_s: how long to wait for a scheduler before giving up with a clear error.
    retries: times a task that raises is rerun before the stage fails (a transient error).
    allowed_failures: workers that may die while running one task (killed, out of memory) before
      the stage fails; the scheduler reruns the task on another worker meanwhile. Applies to the
      LocalCluster; a running scheduler uses its own `distributed.scheduler.allowed-failures`.
    in_flight_per_worker: partitions submitted ahead per worker; bounds the driver's memory.
    dashboard_address: where the LocalCluster serves its dashboard (":0" picks a free port).
    """

    scheduler: str = ""
    n_workers: int = 2
    threads_per_worker: int = 1
    memory_limit: str = "auto"
    timeout_s: float = 10.0
    retries: int = 2
    allowed_failures: int = 3
    in_flight_per_worker: int = 2
    dashboard_address: str = ":8787"


@dataclass
class RunSettings:
    """Which executor the per-document and per-passage stages use (ingest, language, entities,
    the embeddings of topics).

    executor: local (this process) or dask.
    min_passages_for_dask: smaller inputs run locally even with executor dask (starting a cluster
      and shipping models costs seconds that a small corpus never wins back); for the embeddings,
      the passages not yet in the embedding cache count.
    partition_size: passages per task of the language stage and of the embeddings on Dask (the
      entities stage's tasks are its own `passages_per_chunk` chunks, so its batches, and so its
      output, do not change).
    min_documents_for_dask: the ingest stage runs locally for fewer documents.
    documents_per_partition, partition_mb: an ingest task holds at most this many documents and
      about this many megabytes of files (the files travel with the task, through the scheduler,
      so workers need no access to the corpus; Dask warns about tasks over 10 MB; a single
      larger file is a task of its own).
    """

    executor: str = "local"
    dask: DaskSettings = field(default_factory=DaskSettings)
    min_passages_for_dask: int = 5000
    partition_size: int = 2000
    min_documents_for_dask: int = 200
    documents_per_partition: int = 20
    partition_mb: int = 8

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise PipelineError(f"params.yaml: run.executor must be one of {list(EXECUTORS)} (got {self.executor!r}).")
        if isinstance(self.dask, dict):
            known = {f.name for f in dataclasses.fields(DaskSettings)}
            unknown = sorted(set(self.dask) - known)
            if unknown:
                raise PipelineError(f"params.yaml: unknown setting(s) {unknown} in section 'run.dask'. "
                                    f"Known settings: {sorted(known)}.")
            self.dask = DaskSettings(**self.dask)
        for name, value in (("partition_size", self.partition_size), ("dask.n_workers", self.dask.n_workers),
                            ("documents_per_partition", self.documents_per_partition),
                            ("partition_mb", self.partition_mb),
                            ("dask.threads_per_worker", self.dask.threads_per_worker),
                            ("dask.in_flight_per_worker", self.dask.in_flight_per_worker)):
            if not isinstance(value, int) or value <= 0:
                raise PipelineError(f"params.yaml: run.{name} must be a positive integer (got {value!r}).")
        for name in ("min_passages_for_dask", "min_documents_for_dask"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise PipelineError(f"params.yaml: run.{name} must be a whole number >= 0 (got {value!r}).")
        for name in ("retries", "allowed_failures"):
            value = getattr(self.dask, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise PipelineError(f"params.yaml: run.dask.{name} must be a whole number >= 0 (got {value!r}).")
        if not isinstance(self.dask.timeout_s, int | float) or self.dask.timeout_s <= 0:
            raise PipelineError(f"params.yaml: run.dask.timeout_s must be a positive number (got {self.dask.timeout_s!r}).")
        if self.dask.scheduler and "://" not in self.dask.scheduler:
            raise PipelineError(f"params.yaml: run.dask.scheduler must be empty (a cluster on this machine) or an "
                                f"address like tcp://host:8786 (got {self.dask.scheduler!r}).")


def run_settings(params: dict) -> RunSettings:
    """The `run` section of already loaded params (defaults when absent)."""
    from pipeline.config import stage_settings

    return stage_settings(RunSettings, "run", params)
