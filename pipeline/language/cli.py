"""Commands: `language` (the DVC stage), `detect-language` (any text), `build-language-models`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import load_params, stage_settings
from pipeline.errors import PipelineError
from pipeline.language.detectors import DETECTOR_NAMES
from pipeline.language.settings import LanguageSettings
from pipeline.outputs import default_path

LINES_PER_BATCH = 5000


def register(subparsers) -> None:
    """Add the `language`, `detect-language` and `build-language-models` subcommands."""
    stage = subparsers.add_parser(
        "language",
        help="Identify the language of every passage (DVC stage).",
        description=(
            "Give every passage of the ingest output its language (ISO 639-1, 'und' without linguistic "
            "content), script (ISO 15924), confidence, detector and per-sentence segments when it switches "
            "language; write accuracy on the shipped gold to the metrics file. "
            "Settings: params.yaml section `language`."
        ),
    )
    stage.add_argument("--passages", default=default_path("passages"), help="ingest output (default: %(default)s)")
    stage.add_argument("--out", default=default_path("languages"), help="one row per passage (default: %(default)s)")
    stage.add_argument("--metrics", default=default_path("language_metrics"), help="DVC metrics file (default: %(default)s)")
    stage.add_argument("--params", default="params.yaml", help="settings file (default: %(default)s)")
    stage.set_defaults(func=run_stage_command)

    tool = subparsers.add_parser(
        "detect-language",
        help="Identify the language of each line of a UTF-8 text (file or stdin).",
        description=(
            "Read UTF-8 text, one passage per line, and write one JSON object per line, in order: "
            "lang, script, confidence, detector, and segments when the line switches language. "
            "An empty line, or one without words (numbers, URLs, DOIs, emoji, punctuation), gives lang 'und'. "
            "Lines are split at line feeds only; a line that is not UTF-8 gives 'und' with an \"error\" naming "
            "the line (and a warning), and the rest of the file is read on."
        ),
    )
    tool.add_argument("file", nargs="?", help="UTF-8 text file; standard input when omitted")
    tool.add_argument("--detector", choices=DETECTOR_NAMES,
                      help="detector to use (default: params.yaml language.detector, else 'project')")
    tool.add_argument("--params", default="params.yaml", help="settings file (default: %(default)s)")
    tool.set_defaults(func=run_detect_command)

    build = subparsers.add_parser(
        "build-language-models",
        help="Rebuild models/langid/ (langdetect Kazakh profile, romanized and kk/ru character models) from shipped data.",
        description="Train the langdetect Kazakh profile, the romanized-Russian model and the kk/ru model on the TRAIN split "
                    "of the shipped gold sentences and write them to models/langid/.",
    )
    build.add_argument("--out", default="models/langid", help="output directory (default: %(default)s)")
    build.set_defaults(func=run_build_command)


def _settings(params_path: str) -> LanguageSettings:
    return stage_settings(LanguageSettings, "language", load_params(params_path))


def run_stage_command(args: argparse.Namespace) -> int:
    """Run the language stage."""
    from pipeline.language.stage import run_stage
    from pipeline.run.settings import run_settings

    run_stage(args.passages, args.out, args.metrics, _settings(args.params),
              run=run_settings(load_params(args.params)))
    return 0


def run_detect_command(args: argparse.Namespace) -> int:
    """Print one JSON object per input line."""
    from pipeline.language.identify import LanguageIdentifier

    settings = _settings(args.params)
    if args.detector:
        settings.detector = args.detector
    identifier = LanguageIdentifier.from_settings(settings)
    batch: list[str] = []
    problems: list[str | None] = []
    out = sys.stdout
    for _number, line, problem in read_lines_tolerant(args.file):
        if problem:
            print(f"detect-language: {problem}; written as 'und' with the error", file=sys.stderr)
        batch.append(line)
        problems.append(problem)
        if len(batch) >= LINES_PER_BATCH:
            _emit(identifier, batch, problems, out)
            batch, problems = [], []
    _emit(identifier, batch, problems, out)
    return 0


def read_lines_tolerant(path: str | None) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, problem) for every line of a file (or stdin), split at line feeds only.

    A line that is not valid UTF-8 (a stray byte, an encoded lone surrogate) gives "" and a problem
    naming its line and byte, and reading goes on: one bad line never stops a file. A file most of
    whose lines are not UTF-8 is in another encoding and is refused before any output, with the fix.
    """
    name = path or "standard input"
    if path is not None and not Path(path).is_file():
        raise PipelineError(f"{path}: no such file. Give a UTF-8 text file, or pipe text to standard input.")
    raw = Path(path).read_bytes() if path is not None else sys.stdin.buffer.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    chunks = raw.split(b"\n")
    if chunks and chunks[-1] == b"":
        chunks.pop()  # the newline that ends the last line
    decoded: list[tuple[int, str, str | None]] = []
    bad = 0
    first_bad: tuple[int, int] | None = None
    for number, chunk in enumerate(chunks, start=1):
        if chunk.endswith(b"\r"):
            chunk = chunk[:-1]
        try:
            decoded.append((number, chunk.decode("utf-8"), None))
        except UnicodeDecodeError as exc:
            bad += 1
            first_bad = first_bad or (number, exc.start)
            decoded.append((number, "", f"{name}: line {number} is not UTF-8 (byte {exc.start} of the line: "
                                        f"{chunk[exc.start:exc.start + 4]!r})"))
    non_empty = sum(1 for chunk in chunks if chunk.strip())
    if first_bad and bad * 2 > non_empty:
        line, byte = first_bad
        raise PipelineError(f"{name}: not UTF-8 (line {line}, byte {byte} of the line). Convert it first, e.g. "
                            f"`iconv -f WINDOWS-1251 -t UTF-8 {path or 'FILE'} > converted.txt`.")
    yield from decoded


def _emit(identifier, lines: list[str], problems: list[str | None], out) -> None:
    for res, problem in zip(identifier.identify_many(lines), problems, strict=True):
        record = {"lang": res["lang"], "script": res["script"], "confidence": res["confidence"],
                  "detector": identifier.detector_name}
        if res["segments"]:
            record["segments"] = res["segments"]
        if problem:
            record["error"] = problem
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def run_build_command(args: argparse.Namespace) -> int:
    """Rebuild the committed language models."""
    from pipeline.language.build import build_models

    info = build_models(".", args.out)
    print(json.dumps(info, ensure_ascii=False, indent=2))
    return 0
