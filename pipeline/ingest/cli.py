"""`python -m pipeline ingest`: the ingest DVC stage's command."""

from __future__ import annotations

import argparse

from pipeline.config import stage_settings
from pipeline.ingest.settings import IngestSettings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `ingest` command."""
    parser = subparsers.add_parser(
        "ingest",
        help="read corpus/ documents into cleaned, offset-tracked passages",
        description=(
            "Read every document listed in <corpus>/metadata.csv (.txt .md .html .pdf .docx), detect "
            "encodings, clean markup and page furniture, split into passages with stable ids and offsets "
            "back into the source, and write a Parquet table plus a JSON report. The corpus is never modified. "
            "Settings: section `ingest` of params.yaml (strict, max_passage_chars, min_passage_chars, "
            "repeated_line_min_count)."
        ),
    )
    parser.add_argument("--corpus", default="corpus", help="corpus directory holding metadata.csv (default: corpus)")
    parser.add_argument("--out", default="outputs/passages.parquet",
                        help="passages table to write (default: outputs/passages.parquet)")
    parser.add_argument("--report", default="outputs/ingest_report.json",
                        help="report of counts and skipped documents (default: outputs/ingest_report.json)")
    parser.add_argument("--params", default="params.yaml", help="parameters file (default: params.yaml)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the stage with the parsed arguments; print the one-line summary."""
    from pipeline.ingest.stage import run_ingest

    settings = stage_settings(IngestSettings, "ingest", path=args.params)
    result = run_ingest(args.corpus, args.out, args.report, settings)
    print(result.summary(args.out))
    return 0
