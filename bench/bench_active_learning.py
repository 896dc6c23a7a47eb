"""Learning curve of fine-tuning on reviewed passages: random order vs active order.

There are no real annotator reviews yet, so annotators are SIMULATED from gold data the project
ships: KazNERD sentences from the TRAINING part of the split the Kazakh model uses (never dev,
never test). Because the committed models/kk_ner was trained on that whole part, the base model
here is a smaller one trained by the project's own training code on a slice A1 of it; the
simulated review pool B and the held-out reviews H are other, disjoint slices, which that base
has never seen:

- A1, A2: two halves of 1,500 train sentences. base = spaCy model trained on A1; a second
  model on A2 forms a committee with it (query by committee, as in Prodigy's `ner.teach` idea
  of serving the examples the models are least sure of).
- B: 1,500 further train sentences = the passages annotators would review.
- H: 600 further train sentences = held-out reviews, for F1.
- random order: B shuffled (3 seeds); active order: B sorted by committee disagreement
  (1 − span F1 between the two models), most uncertain first.
- After 0, 25, 50, 100 reviewed passages: fine-tune base on them (with rehearsal of A1) for
  `--steps` steps and score exact-span micro F1 on H, with a 95 % bootstrap interval over H.

Run one at a time under nice (the machine is shared):

    nice -n 10 .venv/bin/python bench/bench_active_learning.py [--steps 200] [--base-steps 600]

Models are cached under /work/notes/cache-issue15/ (or --cache), so re-runs only fine-tune.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.finetune.examples import Example  # noqa: E402
from pipeline.finetune.kaznerd_parts import as_examples, kaznerd_parts  # noqa: E402
from pipeline.finetune.train import fine_tune, predict  # noqa: E402

SIZES = (0, 25, 50, 100)


def write_iob(sentences: list, path: Path) -> None:
    """Sentences back in KazNERD's own IOB2 format (so the project's trainer reads them)."""
    blocks = ["\n".join(f"{t} {g}" for t, g in zip(s.tokens, s.tags, strict=True)) for s in sentences]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def train_small(sentences: list, cache: Path, name: str, steps: int, seed: int) -> Path:
    """A small Kazakh spaCy model trained by `pipeline.ner_training` on `sentences` (cached)."""
    from pipeline.ner_training.settings import SpacyNerSettings
    from pipeline.ner_training.train_spacy import train_spacy_ner

    out = cache / name
    if (out / "ner").is_dir():
        return out
    data = cache / f"{name}.iob2"
    write_iob(sentences, data)
    fields = {f for f in SpacyNerSettings.__dataclass_fields__}
    options = {"data": str(data), "output": str(out), "metrics": str(cache / f"{name}_metrics.json"),
               "work_dir": str(cache / f"{name}_work"), "max_steps": steps, "patience": steps, "seed": seed,
               "eval_frequency": max(50, steps // 4)}
    train_spacy_ner(SpacyNerSettings(**{k: v for k, v in options.items() if k in fields}))
    return out


def f1_with_interval(gold: list[Example], predicted: list[list], n_boot: int = 1000, seed: int = 0) -> dict:
    """Micro F1 on the held-out sentences and a 95 % bootstrap interval (resampling sentences)."""
    per = []
    for e, p in zip(gold, predicted, strict=True):
        g, q = set(e.spans), set(p)
        per.append((len(g & q), len(q), len(g)))

    def f1(rows: list) -> float:
        tp, n_pred, n_gold = (sum(r[i] for r in rows) for i in range(3))
        return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0

    rng = random.Random(seed)
    boots = sorted(f1([per[rng.randrange(len(per))] for _ in per]) for _ in range(n_boot))
    return {"f1": round(f1(per), 4), "ci95": [round(boots[int(0.025 * n_boot)], 4), round(boots[int(0.975 * n_boot)], 4)]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=200, help="fine-tuning steps per point")
    parser.add_argument("--base-steps", type=int, default=600, help="training steps of the small base models")
    parser.add_argument("--seeds", type=int, default=3, help="random-order repetitions")
    parser.add_argument("--cache", default="/work/notes/cache-issue15/active-learning")
    parser.add_argument("--out", default="bench/results/active_learning.json")
    args = parser.parse_args()
    from pipeline.ner_training.cli import _limit_threads

    _limit_threads()
    import spacy

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    train, _dev = kaznerd_parts(str(REPO / "params.yaml"))
    order = random.Random(2026).sample(train, len(train))
    a1, a2, pool, held = order[:750], order[750:1500], order[1500:3000], order[3000:3600]
    started = time.perf_counter()
    base_dir = train_small(a1, cache, "base_a1", args.base_steps, 1)
    other_dir = train_small(a2, cache, "committee_a2", args.base_steps, 2)
    base, other = spacy.load(base_dir), spacy.load(other_dir)
    pool_ex, held_ex, rehearsal = as_examples(pool, "b"), as_examples(held, "h"), as_examples(a1, "a")
    p1, p2 = predict(base, [e.text for e in pool_ex]), predict(other, [e.text for e in pool_ex])

    def disagreement(x: list, y: list) -> float:
        x, y = set(x), set(y)
        return 0.0 if not x and not y else 1 - 2 * len(x & y) / (len(x) + len(y))

    active = [e for _, _, e in sorted(((-disagreement(a, b), i, e) for i, (a, b, e) in
                                       enumerate(zip(p1, p2, pool_ex, strict=True))), key=lambda t: t[:2])]
    orders = {"active": [active]}
    orders["random"] = [random.Random(s).sample(pool_ex, len(pool_ex)) for s in range(args.seeds)]
    results: dict = {"data": "KazNERD train part only (simulated annotators); base trained on 750 sentences (A1), "
                             "pool 1,500 (B), held-out 600 (H), disjoint", "steps": args.steps,
                     "base_steps": args.base_steps, "curve": {}}
    base_score = f1_with_interval(held_ex, predict(base, [e.text for e in held_ex]))
    for name, runs in orders.items():
        results["curve"][name] = {"0": base_score}
        for n in SIZES[1:]:
            scores = []
            for k, ranked in enumerate(runs):
                tuned, _ = fine_tune(base_dir, ranked[:n], rehearsal, args.steps, seed=k)
                scores.append(f1_with_interval(held_ex, predict(tuned, [e.text for e in held_ex])))
            results["curve"][name][str(n)] = {"f1": round(sum(s["f1"] for s in scores) / len(scores), 4),
                                              "runs": scores}
            print(f"{name:6s} after {n:3d} reviewed passages: F1 {results['curve'][name][str(n)]['f1']:.4f} "
                  f"(runs: {[s['f1'] for s in scores]}, 95% CI of first {scores[0]['ci95']})", flush=True)
    results["seconds"] = round(time.perf_counter() - started)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"base (0 reviews): F1 {base_score['f1']} {base_score['ci95']}; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
