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
    "pipeline.tools.extract_entities",
    "pipeline.ner_training.cli",
    "pipeline.ner_training.e5_cli",
    "pipeline.finetune.cli",
    "pipeline.topics.cli",
    "pipeline.topics.language_reference",
    "pipeline.report.cli",
    "pipeline.review.cli",
    "pipeline.evaluate",
)


# The module of each command, so one call imports only what it runs (a line tool or
# ingest-preview starts in well under a second instead of importing every stage's libraries).
# A command missing here still works: then every module is imported (and tests/test_dvc_deps.py
# fails, since that stage's real import closure would be the whole package).
COMMAND_MODULE = {
    "ingest": "pipeline.ingest.cli", "ingest-preview": "pipeline.ingest.cli",
    "language": "pipeline.language.cli", "detect-language": "pipeline.language.cli",
    "build-language-models": "pipeline.language.cli",
    "entities": "pipeline.entities.cli", "extract-entities": "pipeline.tools.extract_entities",
    "train-kk-ner": "pipeline.ner_training.cli", "train-kk-stanza": "pipeline.ner_training.cli",
    "train-kk-e5": "pipeline.ner_training.e5_cli",
    "train-ru-crf": "pipeline.ner_training.cli", "finetune-kk": "pipeline.finetune.cli",
    "topics": "pipeline.topics.cli", "train-topic-language": "pipeline.topics.language_reference",
    "report": "pipeline.report.cli", "review": "pipeline.review.cli",
    "evaluate": "pipeline.evaluate",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser with one subcommand per stage and tool (only `command`'s when it is known)."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Multilingual corpus pipeline: each DVC stage and tool is a subcommand.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    modules = [COMMAND_MODULE[command]] if command in COMMAND_MODULE else COMMAND_MODULES
    for name in modules:
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
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
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
