"""The whole pipeline, as a scholar runs it: `dvc repro` on a copy of the shipped corpus.

Slow: it runs every stage with the real models. It checks what the issues promise of the
pipeline as a whole: every declared output appears, a second `dvc repro` with nothing changed
does no work, and adding a document reruns the pipeline and keeps passage ids stable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COPIED = ["corpus", "data", "models", "pipeline", "params.yaml", "dvc.yaml", "dvc.lock", ".dvcignore"]

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(cwd)
    return subprocess.run(args, cwd=cwd, env=env, text=True, capture_output=True, timeout=1800)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite*"))
        else:
            shutil.copy2(src, root / name)
    done = _run([sys.executable, "-m", "dvc", "init", "--no-scm", "-q"], root)
    assert done.returncode == 0, done.stderr
    first = _run([sys.executable, "-m", "dvc", "repro"], root)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    return root


def _declared_outputs(root: Path) -> list[Path]:
    stages = yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    paths = []
    for stage in stages.values():
        for key in ("outs", "metrics", "plots"):
            for entry in stage.get(key, []):
                paths.append(root / (entry if isinstance(entry, str) else next(iter(entry))))
    return paths


def test_every_declared_output_is_written(project):
    missing = [str(p.relative_to(project)) for p in _declared_outputs(project) if not p.exists()]
    assert missing == []


def test_second_repro_does_no_work(project):
    again = _run([sys.executable, "-m", "dvc", "repro"], project)
    assert again.returncode == 0, again.stderr
    assert "Running stage" not in again.stdout


def test_adding_a_document_keeps_existing_passage_ids(project):
    before = pd.read_parquet(project / "outputs" / "passages.parquet")
    doc = project / "corpus" / "documents" / "900_added.txt"
    doc.write_text(
        "Қазақстан мен Ресей университеттері арасындағы академиялық ұтқырлық туралы келісім.\n\n"
        "The agreement expands student exchange between Kazakh and Russian universities.\n",
        encoding="utf-8",
    )
    with (project / "corpus" / "metadata.csv").open("a", encoding="utf-8") as f:
        f.write("900_added,documents/900_added.txt,Added note,2025,news,russia,kazakh,\n")
    rerun = _run([sys.executable, "-m", "dvc", "repro"], project)
    assert rerun.returncode == 0, rerun.stdout[-4000:] + rerun.stderr[-4000:]
    after = pd.read_parquet(project / "outputs" / "passages.parquet")
    assert set(before["passage_id"]) <= set(after["passage_id"])
    assert (after["doc_id"] == "900_added").sum() == 2
