"""Covariate effects on topic prevalence, as STM's `estimateEffect` gives R users.

The model
---------
The unit is the DOCUMENT: y_dk is document d's share of passages in topic k (what
`compare.document_topic_shares` computes, so every document weighs the same). For every
topic, one linear model of that share on a design matrix built from several metadata
columns at once (params.yaml `effects.covariates`, e.g. perspective + year + genre):

    y_dk = b0_k + Σ_c x_dc · b_ck + (time_d − t̄) · group_d · g_k + e_dk

- categorical columns are one-hot coded against a reference level: the first of
  `compare.groups` for the group column when that list is set, otherwise the first level in
  sorted order;
- numeric columns (`effects.numeric`, and `effects.time_column`, always numeric) enter
  linearly, centred on their mean over the modelled documents;
- when both the time column and the group column (`compare.group_column`) are covariates, the
  model also has a time × group interaction, so each group can have its own trend over time.

Two kinds of output, each from the fitted coefficients:

- average marginal effects (effects.parquet): for a level of a categorical column, the mean
  over the modelled documents of (predicted prevalence with that column set to the level −
  set to the reference), every other covariate kept as observed; for a numeric column, the
  change in predicted prevalence per unit (per year), averaged the same way. With the
  interaction, a group's effect is its difference at the documents' own years, and the per-year
  effect is the trend averaged over the groups' mix.
- prevalence over time per group (prevalence_over_time.parquet): predicted prevalence at each
  observed value of the time column for each group, averaged over the other covariates of the
  modelled documents. Years where a group has no document are the model's interpolation along
  the group's linear trend; `n_docs` says how many documents were observed there.

Uncertainty: a bootstrap over documents (resample the modelled documents with replacement,
refit, recompute every effect; `effects.n_boot` times, seeded), with percentile intervals at
`effects.ci_level`. Resamples whose design is singular (a rare level drawn zero times) are
left out and counted in the notes.

How this differs from STM
-------------------------
STM estimates topics and the covariates' effect on prevalence jointly (the covariates are a
prior on each document's topic proportions). Here topics are fitted first, without the
metadata, and the fitted document-topic shares are regressed on the covariates afterwards,
as `estimateEffect` does with its "method of composition" on sampled thetas. Two consequences:
the topics themselves never bend towards the covariates (no risk of covariates creating the
differences they measure), and the intervals reflect which documents happened to be sampled,
not the uncertainty of the topic assignments (estimateEffect's composition draws thetas from
the approximate posterior; our topic of a passage is a single hard assignment). Predicted
shares come from a linear model, as in estimateEffect's default, and are not constrained to
[0, 1]; a prediction outside it says the linear model is stretched on those documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.errors import PipelineError
from pipeline.topics.settings import EffectsSettings

MISSING = ""
ALL_DOCUMENTS = "all documents"
# columns that identify or measure a passage are not covariates worth suggesting
INTERNAL = {"passage_id", "text", "offset_map", "lang", "topic_id", "probability", "passage_index", "source_start",
            "source_end", "n_chars", "n_words", "encoding", "format", "doc_id", "file"}
EFFECT_COLUMNS = ["topic_id", "column", "kind", "level", "reference", "estimate", "ci_low", "ci_high",
                  "excludes_zero", "n_docs", "n_level_docs"]
OVER_TIME_COLUMNS = ["topic_id", "time_column", "time", "group_column", "group", "prevalence", "ci_low", "ci_high",
                     "n_docs"]


@dataclass
class EffectsResult:
    """effects.parquet, prevalence_over_time.parquet, plain-language notes, and the model summary."""

    effects: pd.DataFrame
    over_time: pd.DataFrame
    notes: list[str]
    summary: dict = field(default_factory=dict)


def empty_result(notes: list[str], summary: dict | None = None) -> EffectsResult:
    """No effects estimated (covariates off, corpus too small, nothing varies): the notes say why."""
    return EffectsResult(pd.DataFrame(columns=EFFECT_COLUMNS), pd.DataFrame(columns=OVER_TIME_COLUMNS), notes,
                         summary or {"estimated": False})


def numeric_columns(settings: EffectsSettings) -> set[str]:
    """Covariates entered linearly: `effects.numeric` plus the time column."""
    return set(settings.numeric) | ({settings.time_column} if settings.time_column else set())


def _clean_strings(values: pd.Series) -> pd.Series:
    """Categorical values as clean strings (missing → ""); whole numbers print without ".0"."""
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if (whole == whole.round()).all():
            values = values.astype("Int64")
    return values.astype("string").fillna(MISSING).astype(str).str.strip()


def _parse_numeric(values: pd.Series, doc_ids: pd.Series, column: str) -> pd.Series:
    """Floats, NaN where missing; a value that is present but not a number is an error naming it."""
    text = values.astype("string").str.strip()
    numbers = pd.to_numeric(text.replace("", pd.NA), errors="coerce").astype(float)
    bad = numbers.isna() & text.notna() & (text != "")
    if bad.any():
        where = bad.to_numpy().nonzero()[0]
        first = where[0]
        raise PipelineError(
            f"params.yaml: effects covariate '{column}' is numeric (listed in effects.numeric or "
            f"effects.time_column), but document '{doc_ids.iloc[first]}' has the value {text.iloc[first]!r} "
            f"({len(where)} passage(s) in {doc_ids[bad].nunique()} document(s) are not numbers). Fix the value in "
            f"corpus/metadata.csv, leave it empty, or remove '{column}' from effects.numeric to treat it as categories."
        )
    return pd.Series(numbers.to_numpy(), index=values.index)


def check_covariates(frame: pd.DataFrame, settings: EffectsSettings) -> None:
    """Refuse covariates that are not columns and numeric columns holding text, before any work is done."""
    numeric = numeric_columns(settings)
    stray = sorted(numeric - set(settings.covariates) - {settings.time_column})
    if stray:
        raise PipelineError(f"params.yaml: effects.numeric lists {stray}, which are not in effects.covariates "
                            f"{list(settings.covariates)}. Add them to effects.covariates or remove them.")
    duplicated = sorted({c for c in settings.covariates if list(settings.covariates).count(c) > 1})
    if duplicated:
        raise PipelineError(f"params.yaml: effects.covariates lists {duplicated} more than once.")
    missing = [c for c in settings.covariates if c not in frame.columns]
    if missing:
        available = sorted(c for c in frame.columns if c not in INTERNAL)
        raise PipelineError(
            f"params.yaml: effects.covariates lists {missing}, which the passages have no column for. Available columns: "
            f"{available}. Add the column to corpus/metadata.csv or remove it from effects.covariates."
        )
    if not 0 < settings.ci_level < 1:
        raise PipelineError(f"params.yaml: effects.ci_level must be between 0 and 1, not {settings.ci_level}.")
    if settings.n_boot < 1:
        raise PipelineError(f"params.yaml: effects.n_boot must be at least 1, not {settings.n_boot}.")
    for column in settings.covariates:
        if column in numeric:
            _parse_numeric(frame[column], frame["doc_id"].astype(str), column)


def document_covariates(corpus: pd.DataFrame, settings: EffectsSettings) -> pd.DataFrame:
    """One row per document (index doc_id, sorted): categorical columns as strings, numeric as floats.

    Metadata travel with every passage of a document, so the first passage's values are the
    document's. Missing values are "" (categorical) or NaN (numeric).
    """
    check_covariates(corpus, settings)
    numeric = numeric_columns(settings)
    first = corpus.drop_duplicates("doc_id").set_index(corpus.drop_duplicates("doc_id")["doc_id"].astype(str))
    out = pd.DataFrame(index=first.index.rename("doc_id"))
    for column in settings.covariates:
        if column in numeric:
            out[column] = _parse_numeric(first[column], pd.Series(first.index, index=first.index), column)
        else:
            out[column] = _clean_strings(first[column])
    return out.sort_index()


@dataclass
class ModelSpec:
    """How covariate values become design-matrix columns (fixed once, reused for counterfactuals)."""

    categorical: dict[str, list[str]]  # column → levels, reference first
    numeric: dict[str, float]          # column → centre
    order: list[str]                   # covariates in params order
    interaction: tuple[str, str] | None = None  # (time column, group column)

    def terms(self) -> list[str]:
        """Names of the design columns, in order."""
        names = ["(intercept)"]
        for column in self.order:
            if column in self.numeric:
                names.append(column)
            else:
                names += [f"{column}={level}" for level in self.categorical[column][1:]]
        if self.interaction:
            time, group = self.interaction
            names += [f"{time}×{group}={level}" for level in self.categorical[group][1:]]
        return names

    def design(self, frame: pd.DataFrame) -> np.ndarray:
        """The design matrix of `frame` (one row per document)."""
        blocks = [np.ones((len(frame), 1))]
        for column in self.order:
            if column in self.numeric:
                blocks.append((frame[column].to_numpy(dtype=float) - self.numeric[column])[:, None])
            else:
                values = frame[column].to_numpy(dtype=object)
                blocks.append(np.column_stack([values == level for level in self.categorical[column][1:]])
                              .astype(float).reshape(len(frame), -1))
        if self.interaction:
            time, group = self.interaction
            centred = frame[time].to_numpy(dtype=float) - self.numeric[time]
            values = frame[group].to_numpy(dtype=object)
            blocks.append(np.column_stack([centred * (values == level) for level in self.categorical[group][1:]])
                          .reshape(len(frame), -1))
        return np.hstack(blocks)


def _levels(values: pd.Series, column: str, group_column: str, groups: list[str]) -> list[str]:
    present = sorted(set(values.tolist()))
    if column == group_column and groups:
        return [g for g in groups if g in present]
    return present


def _aliased_terms(design: np.ndarray, terms: list[str]) -> list[str]:
    """Terms that are linear combinations of the terms before them (their effect cannot be separated)."""
    aliased, kept = [], []
    for j, name in enumerate(terms):
        trial = design[:, kept + [j]]
        if np.linalg.matrix_rank(trial) == len(kept) + 1:
            kept.append(j)
        else:
            aliased.append(name)
    return aliased


@dataclass
class Contrast:
    """One reported quantity: the mean over documents of `rows` (n × p) times the coefficients."""

    key: dict
    rows: np.ndarray


def _effect_contrasts(frame: pd.DataFrame, spec: ModelSpec) -> list[Contrast]:
    contrasts = []
    n = len(frame)
    for column in spec.order:
        if column in spec.numeric:
            step = frame.assign(**{column: frame[column] + 1.0})
            contrasts.append(Contrast({"column": column, "kind": "per_unit", "level": "+1", "reference": "",
                                       "n_level_docs": n}, spec.design(step) - spec.design(frame)))
            continue
        levels = spec.categorical[column]
        base = spec.design(frame.assign(**{column: levels[0]}))
        for level in levels[1:]:
            contrasts.append(Contrast({"column": column, "kind": "level", "level": level, "reference": levels[0],
                                       "n_level_docs": int((frame[column] == level).sum())},
                                      spec.design(frame.assign(**{column: level})) - base))
    return contrasts


def _time_contrasts(frame: pd.DataFrame, spec: ModelSpec, time: str, group: str | None) -> list[Contrast]:
    contrasts = []
    levels = spec.categorical[group] if group else [ALL_DOCUMENTS]
    for level in levels:
        for t in sorted(set(frame[time].tolist())):
            change = {time: float(t)} | ({group: level} if group else {})
            observed = (frame[time] == t) & ((frame[group] == level) if group else True)
            contrasts.append(Contrast({"time": float(t), "group": level, "n_docs": int(observed.sum())},
                                      spec.design(frame.assign(**change))))
    return contrasts


@dataclass
class Fit:
    """Point estimates and bootstrap replicates of every contrast, per topic."""

    point: np.ndarray       # (contrasts, topics)
    replicates: np.ndarray  # (n_boot, contrasts, topics); NaN for discarded resamples
    discarded: int


def fit_contrasts(design: np.ndarray, shares: np.ndarray, contrasts: list[np.ndarray], n_boot: int,
                  seed: int) -> Fit:
    """Least squares of every topic's share on `design`, and a seeded bootstrap over documents (rows).

    A resample is a vector of how often each document is drawn, so each replicate is a
    weighted least-squares fit and each contrast a weighted mean of its rows: the same numbers
    as refitting on the resampled documents, without copying them.
    """
    n, p = design.shape
    stacked = np.stack(contrasts, axis=0) if contrasts else np.zeros((0, n, p))  # (E, n, p)
    beta = np.linalg.lstsq(design, shares, rcond=None)[0]
    point = stacked.mean(axis=1) @ beta  # (E, K)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)  # (B, n)
    means = (weights @ stacked.transpose(1, 0, 2).reshape(n, -1) / n).reshape(n_boot, len(contrasts), p)
    replicates = np.full((n_boot, len(contrasts), shares.shape[1]), np.nan)
    discarded = 0
    for b in range(n_boot):
        w = weights[b]
        gram = design.T @ (design * w[:, None])
        if np.linalg.matrix_rank(gram) < p:
            discarded += 1
            continue
        coef = np.linalg.solve(gram, design.T @ (shares * w[:, None]))
        replicates[b] = means[b] @ coef
    return Fit(point, replicates, discarded)


def _interval(replicates: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1.0 - level) / 2.0 * 100.0
    return np.nanpercentile(replicates, tail, axis=0), np.nanpercentile(replicates, 100.0 - tail, axis=0)


def _select_documents(covariates: pd.DataFrame, settings: EffectsSettings, group_column: str,
                      groups: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Documents with a value in every covariate; refuses when missing values leave too few."""
    notes: list[str] = []
    numeric = numeric_columns(settings)
    missing = pd.DataFrame({c: covariates[c].isna() if c in numeric else covariates[c] == MISSING
                            for c in settings.covariates}, index=covariates.index)
    if group_column in settings.covariates and group_column not in numeric and groups:
        outside = ~missing[group_column] & ~covariates[group_column].isin(groups)
        if outside.any():
            notes.append(f"Covariate effects: {int(outside.sum())} document(s) whose '{group_column}' is not in "
                         f"compare.groups are left out of the model.")
            missing[group_column] |= outside
    counts = {c: int(missing[c].sum()) for c in settings.covariates if missing[c].any()}
    kept = covariates[~missing.any(axis=1)]
    if counts:
        per = ", ".join(f"'{c}' in {k}" for c, k in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
        notes.append(f"Covariate effects: {len(covariates) - len(kept)} of {len(covariates)} document(s) have a "
                     f"missing value ({per}) and are left out of the model.")
    if len(kept) < settings.min_docs:
        worst = max(counts, key=lambda c: (counts[c], c))
        raise PipelineError(
            f"Covariate effects: missing values leave {len(kept)} of {len(covariates)} documents, fewer than "
            f"effects.min_docs={settings.min_docs}. Column '{worst}' is missing for {counts[worst]} document(s)"
            + (f" (missing per column: {counts})" if len(counts) > 1 else "")
            + f". Fill in '{worst}' in corpus/metadata.csv, or remove it from effects.covariates in params.yaml."
        )
    return kept, notes


def estimate_effects(shares: pd.DataFrame, covariates: pd.DataFrame, settings: EffectsSettings,
                     group_column: str, groups: list[str] | None = None, min_level_docs: int = 5) -> EffectsResult:
    """Average marginal effects of each covariate and prevalence over time per group, with intervals.

    `shares`: documents × topics (index doc_id, columns topic ids), rows summing to 1.
    `covariates`: `document_covariates` for the same documents. `group_column` and `groups`
    are compare.group_column and compare.groups: the groups of the over-time table and their order.
    Levels with fewer than `min_level_docs` documents (compare.min_docs_per_group) are named in a note.
    """
    groups = list(groups or [])
    if not settings.covariates:
        return empty_result(["Covariate effects are switched off (effects.covariates is empty)."])
    covariates = covariates.loc[covariates.index.isin(shares.index)].sort_index()
    if len(covariates) < settings.min_docs:
        return empty_result([f"Covariate effects are not estimated: the corpus has {len(covariates)} document(s), "
                             f"fewer than effects.min_docs={settings.min_docs}; a regression on so few documents "
                             f"would describe those documents, not the covariates."])
    frame, notes = _select_documents(covariates, settings, group_column, groups)
    numeric = numeric_columns(settings)
    used = []
    for column in settings.covariates:
        distinct = frame[column].nunique()
        if distinct < 2:
            value = frame[column].iloc[0]
            notes.append(f"Covariate effects: '{column}' has a single value ({value!r}) among the modelled documents, "
                         f"so it has no effect to estimate and is left out of the model.")
        else:
            used.append(column)
    if not used:
        return empty_result(notes + ["Covariate effects are not estimated: no covariate varies across the documents."])
    spec = ModelSpec(
        categorical={c: _levels(frame[c], c, group_column, groups) for c in used if c not in numeric},
        numeric={c: float(frame[c].mean()) for c in used if c in numeric},
        order=used)
    for column, levels in spec.categorical.items():
        counts = frame[column].value_counts()
        few = [f"'{level}' ({int(counts[level])})" for level in levels if counts[level] < min_level_docs]
        if few:
            notes.append(f"Covariate effects: in '{column}', {', '.join(few)} have fewer than {min_level_docs} "
                         f"documents: effects involving them rest on those few documents and their intervals "
                         f"mean little.")
    time = settings.time_column if settings.time_column in spec.numeric else None
    group = group_column if group_column in spec.categorical else None
    if time and group:
        spec.interaction = (time, group)
    design = spec.design(frame)
    terms = spec.terms()
    if len(frame) <= len(terms):
        raise PipelineError(
            f"Covariate effects: the model has {len(terms)} terms ({', '.join(terms)}) but only {len(frame)} "
            f"documents. Remove a covariate with many levels from effects.covariates, or add documents.")
    aliased = _aliased_terms(design, terms)
    if aliased:
        raise PipelineError(
            f"Covariate effects: {aliased} cannot be separated from the other covariates (the same documents, "
            f"or a combination of them, carry these values), so their effects are not identifiable. Remove one of "
            f"the overlapping columns from effects.covariates ({list(used)}), or add documents that break the overlap.")
    y = shares.loc[frame.index].to_numpy(dtype=float)
    topic_ids = [int(t) for t in shares.columns]
    effect_list = _effect_contrasts(frame, spec)
    time_list = _time_contrasts(frame, spec, time, group) if time else []
    fit = fit_contrasts(design, y, [c.rows for c in effect_list + time_list], settings.n_boot, settings.seed)
    low, high = _interval(fit.replicates, settings.ci_level)
    if fit.discarded:
        notes.append(f"Covariate effects: {fit.discarded} of {settings.n_boot} bootstrap resamples lacked a level "
                     f"(its documents were not drawn) and were left out; the intervals use the other resamples.")
    if not time:
        notes.append(f"Covariate effects: no prevalence over time, because effects.time_column "
                     f"'{settings.time_column}' is not among the modelled covariates.")
    rows = []
    for e, c in enumerate(effect_list):
        for k, topic in enumerate(topic_ids):
            est, lo, hi = float(fit.point[e, k]), float(low[e, k]), float(high[e, k])
            rows.append({"topic_id": topic, **{x: c.key[x] for x in ("column", "kind", "level", "reference")},
                         "estimate": est, "ci_low": lo, "ci_high": hi, "excludes_zero": bool(lo > 0 or hi < 0),
                         "n_docs": len(frame), "n_level_docs": c.key["n_level_docs"]})
    over = []
    offset = len(effect_list)
    for e, c in enumerate(time_list, start=offset):
        for k, topic in enumerate(topic_ids):
            over.append({"topic_id": topic, "time_column": time, "time": c.key["time"],
                         "group_column": group or "", "group": c.key["group"], "prevalence": float(fit.point[e, k]),
                         "ci_low": float(low[e, k]), "ci_high": float(high[e, k]), "n_docs": c.key["n_docs"]})
    summary = {
        "estimated": True,
        "model": "per topic, least squares of each document's share of passages in the topic on the covariates; "
                 "average marginal effects; bootstrap percentile intervals over documents",
        "covariates": used,
        "reference_levels": {c: levels[0] for c, levels in spec.categorical.items()},
        "numeric_centres": spec.numeric,
        "interaction": f"{time} × {group}" if spec.interaction else None,
        "terms": terms,
        "n_docs": len(frame),
        "n_boot": settings.n_boot,
        "ci_level": settings.ci_level,
        "seed": settings.seed,
        "discarded_resamples": fit.discarded,
    }
    effects = pd.DataFrame(rows, columns=EFFECT_COLUMNS)
    over_time = pd.DataFrame(over, columns=OVER_TIME_COLUMNS)
    return EffectsResult(effects, over_time, notes + effect_notes(effects, settings.ci_level), summary)


def effect_notes(effects: pd.DataFrame, level: float) -> list[str]:
    """One plain sentence per covariate: how many topic effects have intervals that exclude 0."""
    notes = []
    for column, rows in effects.groupby("column", sort=False):
        rows = rows[rows["topic_id"] != -1]
        clear = rows[rows["excludes_zero"]]
        notes.append(f"Covariate effects of '{column}': {len(clear)} of {len(rows)} topic effects have {level:.0%} "
                     f"intervals that exclude 0 (not corrected for testing many topics).")
    return notes
