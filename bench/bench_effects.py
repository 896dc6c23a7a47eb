"""Covariate effects on topic prevalence: do the intervals cover known effects at the nominal rate?

Simulates data sets of documents with known effects of perspective, year and genre on topic
prevalence (tests/effects_simulation.py), runs `pipeline.topics.effects.estimate_effects` on
each, and prints per effect: the truth, the share of data sets whose interval covers it
(coverage), the mean error (bias), RMSE and mean interval width; then the pooled coverage of
the marginal effects and of the prevalence-over-time points.

    .venv/bin/python bench/bench_effects.py                     # 200 data sets × 250 documents, 1000 resamples
    .venv/bin/python bench/bench_effects.py --reps 50 --n-boot 300   # quicker look
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from effects_simulation import coverage_runs, summarise  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=200, help="simulated data sets (default: %(default)s)")
    parser.add_argument("--n-docs", type=int, default=250, help="documents per data set (default: %(default)s)")
    parser.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2026, help="simulation seed (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    eff, over = coverage_runs(args.reps, args.n_docs, args.n_boot, args.seed)
    table = summarise(eff)
    seconds = time.perf_counter() - started
    print(f"{args.reps} simulated data sets × {args.n_docs} documents, {args.n_boot} bootstrap resamples, "
          f"nominal 95% intervals ({seconds:.0f} s)\n")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    pooled, over_time = float(eff["covered"].mean()), float(over["covered"].mean())
    per_column = eff.groupby("column", sort=False)["covered"].mean()
    print(f"\npooled coverage of the marginal effects: {pooled:.3f} ({len(eff)} intervals)")
    for column, value in per_column.items():
        print(f"  {column}: {value:.3f}")
    print(f"pooled coverage of prevalence over time: {over_time:.3f} ({len(over)} intervals)")
    print(f"largest |bias| / mean width: {float((table['bias'].abs() / table['width']).max()):.3f}")
    if args.json:
        args.json.write_text(json.dumps({
            "reps": args.reps, "n_docs": args.n_docs, "n_boot": args.n_boot, "seed": args.seed,
            "coverage_effects": round(pooled, 4), "coverage_over_time": round(over_time, 4),
            "coverage_by_column": {c: round(float(v), 4) for c, v in per_column.items()},
            "per_effect": table.round(6).to_dict(orient="records")}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
