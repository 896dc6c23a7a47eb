"""Input for the line-oriented tools (detect-language, extract-entities): one passage per line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import PipelineError


def read_lines(path: str | None) -> Iterator[str]:
    """Lines of a UTF-8 file (or stdin when `path` is None) without their line ends.

    A file in another encoding gets an error naming the line and byte and how to convert it.
    """
    name = path or "standard input"
    if path is not None and not Path(path).is_file():
        raise PipelineError(f"{path}: no such file. Give a UTF-8 text file, or pipe text to standard input.")
    raw = Path(path).read_bytes() if path is not None else sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise PipelineError(f"{name}: not UTF-8 (line {line}, byte {exc.start}). Convert it first, e.g. "
                            f"`iconv -f WINDOWS-1251 -t UTF-8 {path or 'FILE'} > converted.txt`.") from exc
    yield from text.splitlines()
