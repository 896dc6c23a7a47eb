"""What every training command shares: one thread, a one-line summary, settings overrides."""

from __future__ import annotations

import argparse
import dataclasses


def limit_threads() -> None:
    """One BLAS/torch thread: the machine is shared and single-thread training is reproducible."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # spaCy training does not need torch
        pass


def summary(metrics: dict) -> str:
    part = "test" if "test" in metrics else "dev"
    scores = metrics[part]
    per = scores["per_type"]
    keys = ("PERSON", "ORGANISATION", "GPE")
    parts = ", ".join(f"{k} {per[k]['f']:.3f}" for k in keys if k in per)
    where = "held-out test" if part == "test" else "dev (test not scored)"
    return (f"{metrics['model']}: {where} micro F1 {scores['micro']['f']:.3f} ({parts}); "
            f"split {metrics['split']['train']}/{metrics['split']['dev']}/{metrics['split']['test']} "
            f"train/dev/test sentences; {metrics['train_seconds']} s")


def replace_settings(settings, overrides: dict):
    """`settings` with the command-line overrides applied."""
    return dataclasses.replace(settings, **overrides)


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """--params, --data, --output, --metrics: what every Kazakh training command accepts."""
    parser.add_argument("--params", default="params.yaml", help="settings file (default: params.yaml)")
    parser.add_argument("--data", help="KazNERD IOB2 file (overrides params.yaml)")
    parser.add_argument("--output", help="model directory to write (overrides params.yaml)")
    parser.add_argument("--metrics", help="metrics JSON to write (overrides params.yaml)")
