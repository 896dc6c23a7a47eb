"""Documents with KNOWN covariate effects on topic prevalence, to validate `pipeline.topics.effects`.

The generator (used by tests/test_topics_effects*.py and bench/bench_effects.py, never by the
stage) draws documents with a perspective (kazakh / russian / chinese), a year (2010-2024,
uniform) and a genre (journal_article / news / report). A document's expected topic mix is
linear in its covariates:

    mu(x) = BASE + PERSPECTIVE[p] + GENRE[g] + (YEAR_SLOPE + TREND[p]) * (year - 2017)

Each document's own mix is Dirichlet(CONCENTRATION * mu) (documents differ beyond their
covariates) and its passages' topics are a multinomial draw from that mix, so its share of
passages in topic k has expectation mu_k(x). Every effect vector sums to 0 over topics, so
mu sums to 1; the magnitudes keep mu inside [0.04, 0.6] over the whole design.

The true average marginal effects in the population follow from the parameters:
- perspective p vs kazakh: PERSPECTIVE[p] + TREND[p] * (E[year] - 2017) = PERSPECTIVE[p]
  (E[year] is 2017);
- genre g vs journal_article: GENRE[g];
- year, per year: YEAR_SLOPE + sum_p P(p) * TREND[p].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.topics.effects import estimate_effects
from pipeline.topics.settings import EffectsSettings

TOPICS = [0, 1, 2, 3]
BASE = np.array([0.40, 0.30, 0.20, 0.10])
PERSPECTIVES = {"kazakh": 0.4, "russian": 0.3, "chinese": 0.3}
PERSPECTIVE = {"kazakh": np.zeros(4), "russian": np.array([0.08, -0.04, -0.02, -0.02]),
               "chinese": np.array([-0.06, 0.06, 0.02, -0.02])}
GENRES = {"journal_article": 0.5, "news": 0.3, "report": 0.2}
GENRE = {"journal_article": np.zeros(4), "news": np.array([0.05, 0.0, -0.05, 0.0]),
         "report": np.array([-0.03, 0.03, 0.0, 0.0])}
YEARS = np.arange(2010, 2025)
CENTRE = 2017.0
YEAR_SLOPE = np.array([-0.006, 0.004, 0.002, 0.0])
TREND = {"kazakh": np.zeros(4), "russian": np.array([0.004, -0.004, 0.0, 0.0]),
         "chinese": np.array([0.0, 0.003, -0.003, 0.0])}
CONCENTRATION = 20.0
MEAN_PASSAGES = 12


def expected_mix(perspective: str, genre: str, year: float) -> np.ndarray:
    """mu(x): the expected share of a document's passages in each topic."""
    return BASE + PERSPECTIVE[perspective] + GENRE[genre] + (YEAR_SLOPE + TREND[perspective]) * (year - CENTRE)


def simulate(n_docs: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shares: documents × topics, covariates: perspective, year, genre), both indexed by doc_id."""
    persp = rng.choice(list(PERSPECTIVES), size=n_docs, p=list(PERSPECTIVES.values()))
    genre = rng.choice(list(GENRES), size=n_docs, p=list(GENRES.values()))
    year = rng.choice(YEARS, size=n_docs).astype(float)
    shares = np.empty((n_docs, len(TOPICS)))
    for d in range(n_docs):
        mix = rng.dirichlet(CONCENTRATION * expected_mix(persp[d], genre[d], year[d]))
        passages = 1 + rng.poisson(MEAN_PASSAGES - 1)
        shares[d] = rng.multinomial(passages, mix) / passages
    ids = pd.Index([f"doc{d:05d}" for d in range(n_docs)], name="doc_id")
    covariates = pd.DataFrame({"perspective": persp, "year": year, "genre": genre}, index=ids)
    return pd.DataFrame(shares, index=ids, columns=TOPICS), covariates


def true_effects() -> pd.DataFrame:
    """The population average marginal effects the estimator should recover (column, level, topic_id, truth)."""
    rows = []
    for level in ("russian", "chinese"):
        trend_at_mean = TREND[level] * (float(YEARS.mean()) - CENTRE)
        rows += [("perspective", level, k, PERSPECTIVE[level][k] + trend_at_mean[k]) for k in TOPICS]
    for level in ("news", "report"):
        rows += [("genre", level, k, GENRE[level][k]) for k in TOPICS]
    slope = YEAR_SLOPE + sum(share * TREND[p] for p, share in PERSPECTIVES.items())
    rows += [("year", "+1", k, slope[k]) for k in TOPICS]
    return pd.DataFrame(rows, columns=["column", "level", "topic_id", "truth"])


def true_over_time() -> pd.DataFrame:
    """Population prevalence per perspective and year, averaged over genres (group, time, topic_id, truth)."""
    rows = []
    for p in PERSPECTIVES:
        for year in YEARS:
            mix = sum(share * expected_mix(p, g, float(year)) for g, share in GENRES.items())
            rows += [(p, float(year), k, mix[k]) for k in TOPICS]
    return pd.DataFrame(rows, columns=["group", "time", "topic_id", "truth"])


def settings(n_boot: int, seed: int, ci_level: float = 0.95) -> EffectsSettings:
    """The effects settings used on simulated data (perspective + year + genre, year numeric)."""
    return EffectsSettings(covariates=["perspective", "year", "genre"], numeric=["year"], time_column="year",
                           n_boot=n_boot, ci_level=ci_level, seed=seed, min_docs=10)


def coverage_runs(reps: int, n_docs: int, n_boot: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Estimate on `reps` simulated data sets: (effects with truth and `covered`, over-time with the same)."""
    rng = np.random.default_rng(seed)
    effects, over = [], []
    truth, truth_time = true_effects(), true_over_time()
    for rep in range(reps):
        shares, covariates = simulate(n_docs, rng)
        result = estimate_effects(shares, covariates, settings(n_boot, seed=rep), "perspective",
                                  ["kazakh", "russian", "chinese"])
        effects.append(result.effects.assign(rep=rep))
        over.append(result.over_time.assign(rep=rep))
    eff = pd.concat(effects).merge(truth, on=["column", "level", "topic_id"], validate="many_to_one")
    tim = pd.concat(over).merge(truth_time, on=["group", "time", "topic_id"], validate="many_to_one")
    for frame, value in ((eff, "estimate"), (tim, "prevalence")):
        frame["covered"] = (frame["ci_low"] <= frame["truth"]) & (frame["truth"] <= frame["ci_high"])
        frame["error"] = frame[value] - frame["truth"]
    return eff, tim


def summarise(eff: pd.DataFrame) -> pd.DataFrame:
    """Coverage, bias and mean interval width per effect (column, level, topic)."""
    return (eff.assign(width=eff["ci_high"] - eff["ci_low"])
            .groupby(["column", "level", "topic_id"], sort=False)
            .agg(truth=("truth", "first"), coverage=("covered", "mean"), bias=("error", "mean"),
                 rmse=("error", lambda e: float(np.sqrt(np.mean(np.square(e))))), width=("width", "mean"))
            .reset_index())
