"""Where a stage's per-passage work runs: in this process, or as Dask tasks (params.yaml `run`)."""
