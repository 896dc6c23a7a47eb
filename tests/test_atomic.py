"""Atomic writes leave the old output in place when writing fails."""

import pandas as pd
import pytest

from pipeline import atomic


def test_failed_write_keeps_previous_file(tmp_path):
    target = tmp_path / "out.json"
    atomic.write_json(target, {"a": 1})
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash mid-write")
    assert target.read_text(encoding="utf-8").strip().startswith("{")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_parquet_roundtrip(tmp_path):
    frame = pd.DataFrame({"passage_id": ["d-1"], "text": ["Қазақ тілі"]})
    atomic.write_parquet(tmp_path / "p.parquet", frame)
    assert pd.read_parquet(tmp_path / "p.parquet").equals(frame)


def test_directory_replaced_whole(tmp_path):
    target = tmp_path / "topics"
    with atomic.atomic_directory(target) as d:
        (d / "a.txt").write_text("1")
    with pytest.raises(ValueError), atomic.atomic_directory(target) as d:
        (d / "b.txt").write_text("2")
        raise ValueError
    assert sorted(p.name for p in target.iterdir()) == ["a.txt"]


def test_outputs_get_ordinary_file_permissions(tmp_path):
    import os
    mask = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "x.txt", "x")
        with atomic.atomic_directory(tmp_path / "d"):
            pass
    finally:
        os.umask(mask)
    assert (tmp_path / "x.txt").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o755
