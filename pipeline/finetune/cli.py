"""CLI: `finetune-kk`, the stage in which reviewed decisions fine-tune the Kazakh spaCy model."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Run the `finetune_kk` stage with params.yaml settings."""
    import dataclasses

    from pipeline.config import stage_settings
    from pipeline.finetune.stage import FinetuneSettings, run_finetune
    from pipeline.ner_training.cli_common import limit_threads

    settings = stage_settings(FinetuneSettings, "finetune_kk", path=args.params)
    if args.steps is not None:
        settings = dataclasses.replace(settings, steps=args.steps)
    limit_threads()
    m = run_finetune(settings, args.params)
    scores = m.get("scores")
    figures = (f"held-out reviews F1 {scores['base']['held_out_reviews']['f']:.3f} → "
               f"{scores['fine_tuned']['held_out_reviews']['f']:.3f}; KazNERD dev "
               f"{scores['base']['kaznerd_dev']['f']:.3f} → {scores['fine_tuned']['kaznerd_dev']['f']:.3f}; "
               if scores else "")
    print(f"{settings.output}: {m['installed']} model installed ({m['reviewed_passages']} reviewed "
          f"{settings.lang} passages, {m['held_out_reviews']} held out); {figures}{m['note']}")
    return 0


def register(subparsers) -> None:  # noqa: ANN001
    """Add `finetune-kk`."""
    parser = subparsers.add_parser(
        "finetune-kk", help="fine-tune the Kazakh spaCy NER model on reviewed passages",
        description="Reviewed Kazakh passages (decisions.jsonl) fine-tune models/kk_ner with rehearsal of KazNERD; "
                    "a part of the reviews is held out; the fine-tuned model is installed only when it scores "
                    "better there without losing KazNERD dev F1. Settings: params.yaml section finetune_kk.")
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--steps", type=int, help="training steps (overrides params.yaml)")
    parser.set_defaults(func=run)
