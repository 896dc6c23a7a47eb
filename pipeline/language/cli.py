"""Commands: `language` (the DVC stage), `detect-language` (any text), `build-language-models`."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.config import load_params, stage_settings
from pipeline.language.detectors import DETECTOR_NAMES
from pipeline.language.settings import LanguageSettings
from pipeline.line_input import read_lines

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
    stage.add_argument("--passages", default="outputs/passages.parquet", help="ingest output (default: %(default)s)")
    stage.add_argument("--out", default="outputs/languages.parquet", help="one row per passage (default: %(default)s)")
    stage.add_argument("--metrics", default="outputs/language_metrics.json", help="DVC metrics file (default: %(default)s)")
    stage.add_argument("--params", default="params.yaml", help="settings file (default: %(default)s)")
    stage.set_defaults(func=run_stage_command)

    tool = subparsers.add_parser(
        "detect-language",
        help="Identify the language of each line of a UTF-8 text (file or stdin).",
        description=(
            "Read UTF-8 text, one passage per line, and write one JSON object per line, in order: "
            "lang, script, confidence, detector, and segments when the line switches language. "
            "An empty line gives lang 'und'."
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

    run_stage(args.passages, args.out, args.metrics, _settings(args.params))
    return 0


def run_detect_command(args: argparse.Namespace) -> int:
    """Print one JSON object per input line."""
    from pipeline.language.identify import LanguageIdentifier

    settings = _settings(args.params)
    if args.detector:
        settings.detector = args.detector
    identifier = LanguageIdentifier.from_settings(settings)
    batch: list[str] = []
    lines = read_lines(args.file)
    out = sys.stdout
    for line in lines:
        batch.append(line)
        if len(batch) >= LINES_PER_BATCH:
            _emit(identifier, batch, out)
            batch = []
    _emit(identifier, batch, out)
    return 0


def _emit(identifier, lines: list[str], out) -> None:
    for res in identifier.identify_many(lines):
        record = {"lang": res["lang"], "script": res["script"], "confidence": res["confidence"],
                  "detector": identifier.detector_name}
        if res["segments"]:
            record["segments"] = res["segments"]
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def run_build_command(args: argparse.Namespace) -> int:
    """Rebuild the committed language models."""
    from pipeline.language.build import build_models

    info = build_models(".", args.out)
    print(json.dumps(info, ensure_ascii=False, indent=2))
    return 0
