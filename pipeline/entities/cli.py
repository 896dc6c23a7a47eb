"""CLI: the `entities` stage (the `extract-entities` line tool is pipeline/tools/extract_entities.py)."""

from __future__ import annotations

import argparse
import sys

from pipeline.config import load_params, stage_settings
from pipeline.entities.settings import EntitiesSettings
from pipeline.outputs import default_path


def register(subparsers) -> None:  # noqa: ANN001 (argparse's private subparsers type)
    """Add the `entities` subcommand."""
    stage = subparsers.add_parser(
        "entities",
        help="Find universities, people and agreements in every passage (DVC stage).",
        description=(
            "Tag every passage with the NER backend of its language (params.yaml entities.backends), add "
            "university and agreement patterns and the gazetteer, link variants to canonical entities, apply "
            "reviewed decisions when corpus/annotations/decisions.jsonl exists, and write one row per mention "
            "plus a per-entity summary. Passages of a language no backend covers are listed in the skipped file. "
            "Settings: params.yaml section `entities`."
        ),
    )
    stage.add_argument("--passages", default=default_path("passages"), help="ingest output (default: %(default)s)")
    stage.add_argument("--languages", default=default_path("languages"),
                       help="language stage output (default: %(default)s)")
    stage.add_argument("--decisions", default="corpus/annotations/decisions.jsonl",
                       help="reviewed decisions, applied when the file exists (default: %(default)s)")
    stage.add_argument("--out", default=default_path("entities"),
                       help="mentions after review (default: %(default)s)")
    stage.add_argument("--machine-out", default=default_path("entities_machine"),
                       help="mentions before review (default: %(default)s)")
    stage.add_argument("--summary", default=default_path("entity_summary"),
                       help="one row per canonical entity (default: %(default)s)")
    stage.add_argument("--skipped", default=default_path("entities_skipped"),
                       help="passages no backend covers, orphaned decisions (default: %(default)s)")
    stage.add_argument("--params", default="params.yaml", help="settings file (default: %(default)s)")
    stage.set_defaults(func=run_stage_command)


def settings_from(params_path: str) -> EntitiesSettings:
    """The `entities` settings from params.yaml (defaults when the file or section is absent)."""
    return stage_settings(EntitiesSettings, "entities", load_params(params_path))


def run_stage_command(args: argparse.Namespace) -> int:
    """Run the entities stage and print its one-line summary."""
    from pipeline.entities.stage import run_entities
    from pipeline.run.settings import run_settings

    result = run_entities(args.passages, args.languages, args.decisions, args.out, args.machine_out,
                          args.summary, args.skipped, settings_from(args.params),
                          run=run_settings(load_params(args.params)))
    print(result.summary(args.out), file=sys.stderr)
    return 0
