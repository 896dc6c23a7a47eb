"""One CLI: `python -m pipeline <command>`.

Each DVC stage is a subcommand, plus tools (detect-language, extract-entities, review).
Every command module exposes `register(subparsers)`, which adds its parser and sets
`func` to a callable taking the parsed arguments.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from pipeline.errors import PipelineError

COMMAND_MODULES = (
    "pipeline.ingest.cli",
    "pipeline.language.cli",
    "pipeline.entities.cli",
    "pipeline.ner_training.cli",
    "pipeline.finetune.cli",
    "pipeline.topics.cli",
    "pipeline.report.cli",
    "pipeline.review.cli",
    "pipeline.evaluate",
)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subcommand per stage and tool."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Multilingual corpus pipeline: each DVC stage and tool is a subcommand.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that part of the package is not installed in this checkout
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the command, print user errors without a traceback."""
    args = build_parser().parse_args(argv)
    try:
        result = args.func(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
