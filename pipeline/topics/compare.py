"""Comparison of groups of documents: what STM's estimateEffect gives R users, and more.

- Topic prevalence per group: the mean over the group's documents of each document's share
  of passages in the topic (every document weighs the same, like STM's document-level topic
  proportions), with percentile intervals from a bootstrap over DOCUMENTS: passages of one
  document are not independent evidence.
- Differences between every pair of groups, from the same bootstrap replicates, flagged
  distinguishable when the interval excludes 0 and both groups are large enough.
- Distinctive terms per group: weighted log-odds ratios with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16-22), as z-scores, per language.
- Entity emphasis: which canonical UNIVERSITY / PERSON / AGREEMENT entities each group names.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from pipeline.errors import PipelineError
from pipeline.topics.settings import CompareSettings
from pipeline.topics.terms import rank_terms

MISSING = ""


def check_group_column(frame: pd.DataFrame, column: str, wanted: list[str]) -> list[str]:
    """The groups to compare, in order; refuses a column that is absent or has one value.

    Passages whose value is missing ("") are not a group: they are left out (and counted
    in the notes). `wanted` (compare.groups) fixes the groups and their order.
    """
    # columns that identify or measure a passage are not groupings worth suggesting
    internal = {"passage_id", "text", "offset_map", "lang", "topic_id", "probability", "passage_index",
                "source_start", "source_end", "n_chars", "n_words", "encoding", "format"}
    if column not in frame.columns:
        available = sorted(c for c in frame.columns if c not in internal)
        raise PipelineError(
            f"params.yaml: compare.group_column '{column}' is not a column of the passages. "
            f"Available columns: {available}. Add it to corpus/metadata.csv or pick one of these."
        )
    values = group_values(frame, column)
    present = sorted(set(values) - {MISSING})
    if wanted:
        absent = [g for g in wanted if g not in present]
        if absent:
            raise PipelineError(
                f"params.yaml: compare.groups lists {absent}, but no passage has that value in "
                f"column '{column}' (values present: {present}). Fix the spelling in compare.groups "
                f"or metadata.csv, or check that those documents were ingested."
            )
        present = list(wanted)
    if len(present) < 2:
        raise PipelineError(
            f"Column '{column}' has {len(present)} value(s) among the passages ({present}): a "
            f"comparison needs at least two groups. Choose another compare.group_column or add "
            f"documents from another group to corpus/metadata.csv."
        )
    return present


def group_values(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as clean strings (missing → ""); whole numbers print without ".0" (years)."""
    values = frame[column]
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if (whole == whole.round()).all():
            values = values.astype("Int64")
    return values.astype("string").fillna(MISSING).astype(str).str.strip()


@dataclass
class Bootstrap:
    """Point estimates and bootstrap replicates of prevalence, per group."""

    topic_ids: list[int]
    point: dict[str, np.ndarray]       # group → (n_topics,)
    replicates: dict[str, np.ndarray]  # group → (n_boot, n_topics)
    n_docs: dict[str, int]
    n_passages: dict[str, int]
    shares: dict[str, np.ndarray]      # group → (n_docs, n_topics) document shares


def document_topic_shares(assign: pd.DataFrame, topic_ids: list[int]) -> pd.DataFrame:
    """(documents × topics) share of each document's passages in each topic."""
    table = pd.crosstab(assign["doc_id"], assign["topic_id"]).reindex(columns=topic_ids, fill_value=0)
    return table.div(table.sum(axis=1), axis=0).sort_index()


def bootstrap_prevalence(assign: pd.DataFrame, groups: list[str], settings: CompareSettings) -> Bootstrap:
    """Resample each group's documents with replacement `n_boot` times (seeded).

    `assign` has doc_id, group, topic_id, one row per passage.
    """
    topic_ids = sorted(int(t) for t in assign["topic_id"].unique())
    rng = np.random.default_rng(settings.seed)
    point, reps, n_docs, n_passages, all_shares = {}, {}, {}, {}, {}
    for group in groups:
        rows = assign[assign["group"] == group]
        shares = document_topic_shares(rows, topic_ids).to_numpy()
        n = shares.shape[0]
        n_docs[group], n_passages[group] = n, len(rows)
        all_shares[group] = shares
        point[group] = shares.mean(axis=0)
        # how often each document is drawn in each replicate: one multinomial per replicate
        draws = rng.multinomial(n, np.full(n, 1.0 / n), size=settings.n_boot)
        reps[group] = draws @ shares / n
    return Bootstrap(topic_ids, point, reps, n_docs, n_passages, all_shares)


def _interval(replicates: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1.0 - level) / 2.0 * 100.0
    return np.percentile(replicates, tail, axis=0), np.percentile(replicates, 100.0 - tail, axis=0)


def prevalence_table(boot: Bootstrap, column: str, level: float) -> pd.DataFrame:
    """prevalence.parquet rows: one per (group, topic)."""
    rows = []
    for group, reps in boot.replicates.items():
        low, high = _interval(reps, level)
        for k, topic in enumerate(boot.topic_ids):
            rows.append({"group_column": column, "group": group, "topic_id": topic,
                         "prevalence": float(boot.point[group][k]), "ci_low": float(low[k]),
                         "ci_high": float(high[k]), "n_docs": boot.n_docs[group],
                         "n_passages": boot.n_passages[group]})
    return pd.DataFrame(rows)


CORRECTIONS = ("bh", "bonferroni", "none")


def welch_p_values(shares_a: np.ndarray, shares_b: np.ndarray) -> np.ndarray:
    """Two-sided Welch t-test per topic on document shares (documents are the units).

    A topic with no variation in either group (e.g. absent from both) gets p = 1.
    """
    from scipy import stats

    with np.errstate(divide="ignore", invalid="ignore"):
        result = stats.ttest_ind(shares_a, shares_b, axis=0, equal_var=False)
    p = np.atleast_1d(np.asarray(result.pvalue, dtype=float)).copy()
    constant = (shares_a.var(axis=0) == 0) & (shares_b.var(axis=0) == 0)
    # no variation at all: the groups differ for certain or not at all
    p[constant] = np.where(shares_a.mean(axis=0)[constant] == shares_b.mean(axis=0)[constant], 1.0, 0.0)
    return np.where(np.isnan(p), 1.0, p)


def adjust_p_values(p: np.ndarray, correction: str) -> np.ndarray:
    """q-values: Benjamini–Hochberg step-up (FDR), Bonferroni (FWER) or none, over ALL tests given."""
    if correction not in CORRECTIONS:
        raise PipelineError(f"params.yaml: compare.correction is '{correction}'; choose one of {list(CORRECTIONS)}.")
    p = np.asarray(p, dtype=float)
    if correction == "none" or p.size == 0:
        return p.copy()
    if correction == "bonferroni":
        return np.minimum(p * p.size, 1.0)
    order = np.argsort(p, kind="stable")
    ranked = p[order] * p.size / np.arange(1, p.size + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty_like(p)
    q[order] = np.minimum(ranked, 1.0)
    return q


def difference_table(boot: Bootstrap, column: str, level: float, too_small: set[str],
                     correction: str = "bh", fdr_level: float = 0.05) -> pd.DataFrame:
    """differences.parquet rows: every pair of groups (in group order) × topic.

    `ci_low`/`ci_high` are the bootstrap percentile interval of the difference (descriptive,
    per comparison). Whether a difference is flagged does NOT come from that interval: with
    30 topics and 3 pairs, 90 intervals at 95% would show about 4.5 false differences. Each
    difference gets a Welch p-value on document shares, adjusted over every topic × pair
    together (`q_value`, compare.correction, default Benjamini–Hochberg); `distinguishable`
    is q ≤ compare.fdr_level with both groups large enough. The outlier topic (-1) is
    reported but never tested.
    """
    rows = []
    for a, b in itertools.combinations(list(boot.replicates), 2):
        delta = boot.replicates[a] - boot.replicates[b]
        low, high = _interval(delta, level)
        p = welch_p_values(boot.shares[a], boot.shares[b])
        for k, topic in enumerate(boot.topic_ids):
            rows.append({"group_column": column, "group_a": a, "group_b": b, "topic_id": topic,
                         "diff": float(boot.point[a][k] - boot.point[b][k]),
                         "ci_low": float(low[k]), "ci_high": float(high[k]),
                         "excludes_zero": bool(low[k] > 0 or high[k] < 0),
                         "p_value": float(p[k])})
    frame = pd.DataFrame(rows, columns=["group_column", "group_a", "group_b", "topic_id", "diff", "ci_low",
                                        "ci_high", "excludes_zero", "p_value"])
    tested = (frame["topic_id"] != -1) & frame["p_value"].notna()
    frame["q_value"] = np.nan
    frame.loc[tested, "q_value"] = adjust_p_values(frame.loc[tested, "p_value"].to_numpy(), correction)
    small = frame["group_a"].isin(too_small) | frame["group_b"].isin(too_small)
    frame["distinguishable"] = (tested & (frame["q_value"] <= fdr_level) & ~small).astype(bool)
    return frame


def log_odds_z(counts_i: np.ndarray, counts_j: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Weighted log-odds ratio z-scores of terms in i vs j with Dirichlet prior `prior` (α_w).

    Monroe et al. (2008) eq. 16 and 18-19: δ = log-odds(i) - log-odds(j) smoothed by α,
    Var(δ) ≈ 1/(y_i + α) + 1/(y_j + α); z = δ / √Var.
    """
    alpha0 = prior.sum()
    n_i, n_j = counts_i.sum(), counts_j.sum()
    yi, yj = counts_i + prior, counts_j + prior
    delta = np.log(yi / (n_i + alpha0 - yi)) - np.log(yj / (n_j + alpha0 - yj))
    return delta / np.sqrt(1.0 / yi + 1.0 / yj)


def _prior(counts: np.ndarray, size: float) -> np.ndarray:
    total = counts.sum()
    # a floor keeps α_w > 0 for terms absent from this slice (their z is then ~0)
    return np.maximum(size * counts / total if total else np.zeros_like(counts, dtype=float), 1e-3)


def distinctive_terms(counts: sp.csr_matrix, vocabulary: np.ndarray, langs: np.ndarray, group: np.ndarray,
                      groups: list[str], column: str, settings: CompareSettings) -> pd.DataFrame:
    """Terms each group uses more than the other groups, per language (top n by z > 0).

    The prior is the language's term distribution over all compared passages, scaled to
    compare.prior_size pseudo-counts. A language that only one group writes in has nothing
    to compare against and is skipped (`languages_with_one_group` says which).
    """
    rows = []
    for lang in sorted(set(langs.tolist())):
        in_lang = langs == lang
        if len(set(group[in_lang].tolist()) & set(groups)) < 2:
            continue
        total = np.asarray(counts[in_lang].sum(axis=0)).ravel().astype(float)
        if total.sum() == 0:
            continue
        prior = _prior(total, settings.prior_size)
        for g in groups:
            mine = np.asarray(counts[in_lang & (group == g)].sum(axis=0)).ravel().astype(float)
            if mine.sum() == 0:
                continue
            z = log_odds_z(mine, total - mine, prior)
            picked = rank_terms(z, (mine > 0) & (z > 0), vocabulary, settings.n_terms)
            rows += [{"group_column": column, "group": g, "term": str(vocabulary[j]), "lang": lang,
                      "score": float(z[j]), "count": int(mine[j])} for j in picked]
    return pd.DataFrame(rows, columns=["group_column", "group", "term", "lang", "score", "count"])


def languages_with_one_group(langs: np.ndarray, group: np.ndarray, groups: list[str]) -> dict[str, str]:
    """{lang: group} for languages whose passages all come from one compared group."""
    result = {}
    for lang in sorted(set(langs.tolist())):
        present = sorted(set(group[langs == lang].tolist()) & set(groups))
        if len(present) == 1:
            result[lang] = present[0]
    return result


def topic_group_terms(counts: sp.csr_matrix, vocabulary: np.ndarray, topics: np.ndarray, group: np.ndarray,
                      groups: list[str], n_terms: int, prior_size: float) -> pd.DataFrame:
    """Within each topic, the terms by which each group's passages differ from the others'.

    Log-odds z of the group's passages in the topic vs the other groups' passages in the
    same topic, prior from the topic's own term distribution.
    """
    rows = []
    for topic in sorted(set(topics.tolist())):
        in_topic = topics == topic
        total = np.asarray(counts[in_topic].sum(axis=0)).ravel().astype(float)
        if total.sum() == 0:
            continue
        prior = _prior(total, prior_size)
        for g in groups:
            mask = in_topic & (group == g)
            if not mask.any():
                continue
            mine = np.asarray(counts[mask].sum(axis=0)).ravel().astype(float)
            z = log_odds_z(mine, total - mine, prior)
            terms = [str(vocabulary[j]) for j in rank_terms(z, mine > 0, vocabulary, n_terms)]
            rows.append({"topic_id": int(topic), "group": g, "terms": terms, "n_passages": int(mask.sum())})
    return pd.DataFrame(rows, columns=["topic_id", "group", "terms", "n_passages"])


def entity_emphasis(entities: pd.DataFrame, doc_group: pd.Series, groups: list[str], column: str,
                    settings: CompareSettings) -> pd.DataFrame:
    """The canonical entities of each label that each group names most.

    Generic mentions (entities' `specific` = False, e.g. "40 agreements") are left out
    unless compare.specific_only is false. mentions = mentions in the group's passages, documents = the group's documents naming
    the entity, share = mentions / all mentions of that label in the group.
    """
    columns = ["group_column", "group", "label", "canonical_id", "canonical_name", "mentions", "documents", "share"]
    if entities.empty:
        return pd.DataFrame(columns=columns)
    frame = entities[entities["label"].isin(settings.entity_labels)].copy()
    if settings.specific_only and "specific" in frame.columns:
        # "40 agreements", "various accords": generic mentions are not entities a group names
        frame = frame[frame["specific"].fillna(True).astype(bool)]
    frame["group"] = frame["doc_id"].map(doc_group)
    frame = frame[frame["group"].isin(groups)]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["canonical_id"] = frame["canonical_id"].fillna("").astype(str)
    frame["canonical_name"] = frame["canonical_name"].fillna("").astype(str)
    frame.loc[frame["canonical_id"] == "", "canonical_id"] = frame["text"].astype(str)
    table = (frame.groupby(["group", "label", "canonical_id"], sort=True)
             .agg(canonical_name=("canonical_name", lambda s: s.mode().iloc[0] if len(s) else ""),
                  mentions=("passage_id", "size"), documents=("doc_id", "nunique"))
             .reset_index())
    totals = table.groupby(["group", "label"])["mentions"].transform("sum")
    table["share"] = table["mentions"] / totals
    table = table.sort_values(["group", "label", "mentions", "canonical_id"], ascending=[True, True, False, True])
    table = table.groupby(["group", "label"], sort=True).head(settings.n_entities)
    table.insert(0, "group_column", column)
    order = {g: i for i, g in enumerate(groups)}
    table = table.sort_values(["group", "label", "mentions", "canonical_id"],
                              key=lambda s: s.map(order) if s.name == "group" else s,
                              ascending=[True, True, False, True])
    return table[columns].reset_index(drop=True)


def correction_sentence(correction: str, fdr_level: float, n_tests: int) -> str:
    """How differences were flagged, in one sentence for the notes and the report."""
    if correction == "bh":
        return (f"Differences are flagged when their Benjamini–Hochberg q-value is at most {fdr_level:g}, over "
                f"all {n_tests} topic × pair tests together (Welch t-tests on document shares): at most "
                f"{fdr_level:.0%} of flagged differences are expected to be false.")
    if correction == "bonferroni":
        return (f"Differences are flagged when their Bonferroni-adjusted p-value is at most {fdr_level:g}, over all "
                f"{n_tests} topic × pair tests (Welch t-tests on document shares).")
    return (f"Differences are flagged when their p-value is at most {fdr_level:g} with NO correction for the "
            f"{n_tests} tests (compare.correction: none): expect about {fdr_level * n_tests:.1f} false flags.")


def difference_notes(diffs: pd.DataFrame, level: float, labels: dict[int, str], correction: str = "bh",
                     fdr_level: float = 0.05) -> list[str]:
    """How differences were flagged, then one plain sentence per pair of groups."""
    tested = diffs[diffs["topic_id"] != -1]
    notes = [correction_sentence(correction, fdr_level, len(tested))]
    for (a, b), rows in tested.groupby(["group_a", "group_b"], sort=False):
        clear = rows[rows["distinguishable"]]
        if clear.empty:
            sentence = (f"'{a}' vs '{b}': none of the {len(rows)} topic differences can be told from noise "
                        f"after correcting for multiple tests.")
        else:
            named = ", ".join(f"{labels.get(int(t), t)} ({d:+.2f}, q={q:.3g})"
                              for t, d, q in zip(clear["topic_id"], clear["diff"], clear["q_value"], strict=True))
            sentence = (f"'{a}' vs '{b}': {len(clear)} of {len(rows)} topic differences are flagged: {named}; "
                        f"the others cannot be told from noise.")
        notes.append(sentence)
    return notes
