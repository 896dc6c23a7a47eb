"""`python -m pipeline report`: build the analyst report from the pipeline's outputs."""

from __future__ import annotations

import argparse

from pipeline.outputs import default_path
from pipeline.report.build import build_report


def run(args: argparse.Namespace) -> int:
    """Build the report and print where it went."""
    result = build_report(args.outputs, args.out, args.params, args.root, allow_stale=args.allow_stale)
    print(f"report: {result.index} ({len(result.figures)} figure files, {len(result.plots)} plot tables) "
          f"in {result.seconds:.1f} s")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` command."""
    parser = subparsers.add_parser(
        "report",
        help="build the self-contained HTML report (outputs/report/index.html)",
        description=(
            "Build the analyst report from the pipeline's outputs: outputs/report/index.html (opens offline, "
            "interactive charts with group/language filters), figures/*.png|svg, plots/*.csv for `dvc plots`, "
            "and summary.md. Fails with the stage to run when an upstream output is missing or stale."
        ),
    )
    parser.add_argument("--outputs", default="outputs", help="directory of upstream outputs (default: outputs)")
    parser.add_argument("--out", default=default_path("report"), help="report directory to write (default: %(default)s)")
    parser.add_argument("--params", default="params.yaml", help="parameters file (section 'report'; default: params.yaml)")
    parser.add_argument("--root", default=".", help="repository root, for dvc.yaml/dvc.lock and git (default: .)")
    parser.add_argument("--allow-stale", action="store_true",
                        help="build even when upstream outputs are older than their inputs; the page shows a warning")
    parser.set_defaults(func=run)
