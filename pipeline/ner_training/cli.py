"""CLI: `train-kk-ner` (spaCy), `train-kk-stanza` (Stanza): the Kazakh NER training stages; `train-ru-crf`: the
Russian CRF. (`train-kk-e5` lives in e5_cli.py, so editing the e5 tagger re-runs none of these stages.)"""

from __future__ import annotations

import argparse

from pipeline.config import stage_settings
from pipeline.ner_training.cli_common import add_model_arguments, limit_threads, replace_settings, summary


def run_train_spacy(args: argparse.Namespace) -> int:
    """Train the spaCy model with the `ner_train_kk` settings."""
    from pipeline.ner_training.settings import SpacyNerSettings
    from pipeline.ner_training.train_spacy import train_spacy_ner

    settings = stage_settings(SpacyNerSettings, "ner_train_kk", path=args.params)
    overrides = {k: v for k, v in (("output", args.output), ("metrics", args.metrics),
                                   ("work_dir", args.work_dir), ("max_steps", args.max_steps),
                                   ("data", args.data)) if v is not None}
    settings = replace_settings(settings, overrides)
    limit_threads()
    if args.rescore:
        from pipeline.ner_training.train_spacy import rescore_spacy_ner

        print(summary(rescore_spacy_ner(settings)))
        return 0
    print(summary(train_spacy_ner(settings, dev_only=args.dev_only)))
    return 0


def run_train_stanza(args: argparse.Namespace) -> int:
    """Train the Stanza model with the `ner_train_kk_stanza` settings."""
    from pipeline.ner_training.settings import StanzaNerSettings
    from pipeline.ner_training.train_stanza import train_stanza_ner

    settings = stage_settings(StanzaNerSettings, "ner_train_kk_stanza", path=args.params)
    overrides = {k: v for k, v in (("output", args.output), ("metrics", args.metrics),
                                   ("work_dir", args.work_dir), ("max_steps", args.max_steps),
                                   ("data", args.data)) if v is not None}
    settings = replace_settings(settings, overrides)
    limit_threads()
    if args.rescore:
        from pipeline.ner_training.train_stanza import rescore_stanza_ner

        print(summary(rescore_stanza_ner(settings)))
        return 0
    print(summary(train_stanza_ner(settings)))
    return 0


def run_train_ru_crf(args: argparse.Namespace) -> int:
    """Cross-validate and train the Russian CRF with the `ner_train_ru` settings."""
    from pipeline.ner_training.settings import RussianCrfSettings
    from pipeline.ner_training.train_ru_crf import train_ru_crf

    settings = stage_settings(RussianCrfSettings, "ner_train_ru", path=args.params)
    overrides = {k: v for k, v in (("output", args.output), ("metrics", args.metrics), ("data", args.data))
                 if v is not None}
    settings = replace_settings(settings, overrides)
    metrics = train_ru_crf(settings)
    cv = metrics["cross_validation"]
    cells = "; ".join(f"{name}: " + ", ".join(f"{t} {cv[name][t]['f']:.3f} {cv[name][t]['f_ci95']}"
                                               for t in ("PER", "ORG", "LOC")) for name in ("natasha_crf", "natasha"))
    print(f"{metrics['model']}: cross-validated naeval F1 [95 % CI] on {metrics['data']}: {cells}; "
          f"{metrics['train_seconds']} s")
    return 0


def _add_common(parser: argparse.ArgumentParser) -> None:
    add_model_arguments(parser)
    parser.add_argument("--work-dir", dest="work_dir", help="scratch directory for converted data and checkpoints")
    parser.add_argument("--max-steps", dest="max_steps", type=int,
                        help="stop after this many optimizer steps (overrides params.yaml; for quick tries)")


def register(subparsers) -> None:
    """Add the training commands to the pipeline CLI."""
    spacy_parser = subparsers.add_parser(
        "train-kk-ner",
        help="train the Kazakh spaCy NER model (models/kk_ner) on KazNERD",
        description="Split KazNERD deterministically into train/dev/test, train a spaCy xx tok2vec+ner model "
                    "with early stopping on dev, install it at models/kk_ner and write held-out test scores "
                    "to models/kk_ner_metrics.json. Settings: params.yaml section ner_train_kk.",
    )
    _add_common(spacy_parser)
    spacy_parser.add_argument("--dev-only", dest="dev_only", action="store_true",
                              help="score dev only, leave test untouched (for comparing settings on dev)")
    spacy_parser.add_argument("--rescore", action="store_true",
                              help="no training: score the installed model on dev and test again and rewrite "
                                   "the metrics (e.g. for the model a --dev-only run of the same settings trained)")
    spacy_parser.set_defaults(func=run_train_spacy)

    stanza_parser = subparsers.add_parser(
        "train-kk-stanza",
        help="train the Kazakh Stanza NER model (models/kk_ner_stanza) on KazNERD",
        description="Train Stanza's NER tagger (BiLSTM-CRF, character LSTM, no pretrained vectors) on the same "
                    "KazNERD split, install it at models/kk_ner_stanza and write held-out test scores to "
                    "models/kk_ner_stanza_metrics.json. Settings: params.yaml section ner_train_kk_stanza.",
    )
    _add_common(stanza_parser)
    stanza_parser.add_argument("--rescore", action="store_true",
                               help="no training: score the installed model on the held-out split again "
                                    "(e.g. after a tokenizer change) and rewrite the metrics")
    stanza_parser.set_defaults(func=run_train_stanza)

    ru_parser = subparsers.add_parser(
        "train-ru-crf",
        help="train the Russian CRF over natasha's tags (models/ru_ner_crf) on factRuEval-2016",
        description="Cross-validate by document (naeval protocol, natasha alone as the peer), then train a CRF "
                    "over natasha's tags and word features on every factRuEval-2016 dev document and install "
                    "it at models/ru_ner_crf; figures go to models/ru_ner_crf_metrics.json. "
                    "Settings: params.yaml section ner_train_ru.",
    )
    ru_parser.add_argument("--params", default="params.yaml", help="settings file (default: params.yaml)")
    ru_parser.add_argument("--data", help="factRuEval dev directory (overrides params.yaml)")
    ru_parser.add_argument("--output", help="model directory to write (overrides params.yaml)")
    ru_parser.add_argument("--metrics", help="metrics JSON to write (overrides params.yaml)")
    ru_parser.set_defaults(func=run_train_ru_crf)
