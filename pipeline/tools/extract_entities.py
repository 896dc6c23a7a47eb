"""CLI: the `extract-entities` line tool (one JSON object per input line).

Apart from the `entities` stage's CLI because it detects each line's language: the stage reads
languages from the language stage, so it must not import (and depend on) language detection.
"""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.config import load_params, stage_settings
from pipeline.entities.cli import settings_from
from pipeline.errors import PipelineError
from pipeline.line_input import read_lines

LINES_PER_BATCH = 256


def register(subparsers) -> None:  # noqa: ANN001 (argparse's private subparsers type)
    """Add the `extract-entities` subcommand."""
    tool = subparsers.add_parser(
        "extract-entities",
        help="Find entities in each line of a UTF-8 text (file or stdin); one JSON object per line.",
        description=(
            "Read UTF-8 text, one passage per line, and write one JSON object per line, in order: "
            '{"lang": ..., "entities": [{"start", "end", "text", "label", "canonical", "specific"}, ...]} with '
            "offsets into that line; specific is false for generic and plural mentions (\"various agreements\"); "
            "normalized (only when it differs) is the text with Latin/Cyrillic look-alike letters folded. "
            "Without --lang the language of each line is detected."
        ),
    )
    tool.add_argument("file", nargs="?", help="UTF-8 text file; standard input when omitted")
    tool.add_argument("--lang", help="language code of every line (en, ru, kk, ...); detected when omitted")
    tool.add_argument("--params", default="params.yaml", help="settings file (default: %(default)s)")
    tool.set_defaults(func=run_extract_command)


def _detect(lines: list[str], params_path: str) -> tuple[list[str], list[str]]:
    from pipeline.language.identify import LanguageIdentifier
    from pipeline.language.settings import LanguageSettings

    identifier = LanguageIdentifier.from_settings(stage_settings(LanguageSettings, "language", load_params(params_path)))
    results = identifier.identify_many(lines)
    langs = [r["lang"] for r in results]
    segments = [r["segments"] if isinstance(r["segments"], str) else json.dumps(r["segments"]) for r in results]
    return langs, segments


def records_for(lines: list[str], extractor, lang: str | None, params_path: str) -> list[dict]:  # noqa: ANN001
    """The tool's output records for `lines` (one per line, in order)."""
    if lang:
        langs, segments = [lang] * len(lines), [None] * len(lines)
    else:
        langs, segments = _detect(lines, params_path)
    result = extractor.extract(lines, langs, segments)
    return [{"lang": lg, "entities": [{"start": m.start, "end": m.end, "text": m.text, "label": m.label,
                                       "canonical": extractor.canonicalizer.resolve(m.canonical_id),
                                       "specific": m.specific,
                                       **({"normalized": m.normalized} if m.normalized else {})} for m in mentions]}
            for lg, mentions in zip(langs, result.mentions, strict=True)]


def run_extract_command(args: argparse.Namespace) -> int:
    """Print one JSON object per input line."""
    from pipeline.entities.stage import build_extractor

    settings = settings_from(args.params)
    if args.lang and args.lang not in settings.backends:
        raise PipelineError(f"--lang {args.lang}: no backend configured for this language. "
                            f"Configured: {sorted(settings.backends)} (params.yaml entities.backends).")
    extractor = build_extractor(settings)
    batch: list[str] = []
    for line in read_lines(args.file):
        batch.append(line)
        if len(batch) >= LINES_PER_BATCH:
            _emit(records_for(batch, extractor, args.lang, args.params))
            batch = []
    if batch:
        _emit(records_for(batch, extractor, args.lang, args.params))
    return 0


def _emit(records: list[dict]) -> None:
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
