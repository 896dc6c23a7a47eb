"""The `language` stage: outputs/passages.parquet → outputs/languages.parquet + language_metrics.json."""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from pipeline import atomic
from pipeline.language.evaluation import gold_metrics
from pipeline.language.identify import LanguageIdentifier
from pipeline.language.settings import LanguageSettings
from pipeline.metrics_files import write_metrics
from pipeline.run.executor import open_executor
from pipeline.run.settings import RunSettings
from pipeline.run.worker_cache import per_process
from pipeline.stage_inputs import read_stage_output

OUTPUT_COLUMNS = ["passage_id", "doc_id", "lang", "script", "confidence", "detector", "segments"]


def read_passages(path: str | Path) -> pd.DataFrame:
    """The ingest output, checked for the columns this stage needs."""
    return read_stage_output(path, "ingest", ("passage_id", "text"), what="passages")


def identify_passages(passages: pd.DataFrame, identifier: LanguageIdentifier, progress: bool = True) -> pd.DataFrame:
    """One row per passage, in input order: passage_id, doc_id, lang, script, confidence, detector, segments."""
    texts = passages["text"].fillna("").astype(str).tolist()
    batch = max(1, identifier.settings.batch_size)
    results: list[dict] = []
    with tqdm(total=len(texts), unit="passage", disable=not progress or len(texts) < batch, file=sys.stderr) as bar:
        for start in range(0, len(texts), batch):
            results.extend(identifier.identify_many(texts[start:start + batch]))
            bar.update(min(batch, len(texts) - start))
    doc_ids = passages["doc_id"].astype(str).tolist() if "doc_id" in passages.columns else [""] * len(texts)
    return pd.DataFrame({
        "passage_id": passages["passage_id"].astype(str).tolist(),
        "doc_id": doc_ids,
        "lang": [r["lang"] for r in results],
        "script": [r["script"] for r in results],
        "confidence": [float(r["confidence"]) for r in results],
        "detector": identifier.detector_name,
        "segments": [json.dumps(r["segments"], ensure_ascii=False, sort_keys=True) for r in results],
    }, columns=OUTPUT_COLUMNS).astype({"passage_id": str, "doc_id": str, "lang": str, "script": str,
                                        "confidence": float, "detector": str, "segments": str})


# The headline numbers of language_metrics.json (the full record goes to its _details.json).
LANGUAGE_HEADLINE = {
    **{f"{bucket}_accuracy_{lang}": f"gold.{bucket}.accuracy.{lang}"
       for bucket in ("sentence", "snippet3", "word") for lang in ("kk", "ru", "en")},
    "passages": "corpus.passages", "mixed_passages": "corpus.mixed_passages", "undetermined": "corpus.undetermined",
}


def corpus_summary(languages: pd.DataFrame) -> dict:
    """Counts the report shows: passages per language and script, mixed passages, undetermined."""
    return {
        "passages": int(len(languages)),
        "per_language": dict(sorted(Counter(languages["lang"]).items())),
        "per_script": dict(sorted(Counter(languages["script"]).items())),
        "mixed_passages": int((languages["segments"] != "[]").sum()),
        "undetermined": int((languages["lang"] == "und").sum()),
    }


def identifier_for(settings: LanguageSettings) -> LanguageIdentifier:
    """The identifier for `settings`, built once per process (a Dask worker runs many partitions)."""
    return per_process("language.identifier", settings, lambda: LanguageIdentifier.from_settings(settings))


def identify_partition(settings: LanguageSettings, passages: pd.DataFrame) -> pd.DataFrame:
    """One partition's rows of languages.parquet; the task both executors run."""
    return identify_passages(passages, identifier_for(settings), progress=False)


def identify_all(passages: pd.DataFrame, settings: LanguageSettings, run: RunSettings) -> pd.DataFrame:
    """Every passage's row, in input order, through the executor of params.yaml `run`."""
    size = run.partition_size
    parts = [passages.iloc[i:i + size] for i in range(0, len(passages), size)] or [passages]
    with open_executor(run, len(passages), "language") as executor:
        frames = list(executor.map(functools.partial(identify_partition, settings), parts, total=len(parts),
                                   desc="language"))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)


def run_stage(passages_path: str | Path, out_path: str | Path, metrics_path: str | Path,
              settings: LanguageSettings, repo_root: str | Path = ".", run: RunSettings | None = None) -> dict:
    """Identify every passage, write both outputs atomically, return the metrics."""
    started = time.perf_counter()
    passages = read_passages(passages_path)
    languages = identify_all(passages, settings, run or RunSettings())
    identifier = identifier_for(settings)
    metrics = {"detector": identifier.detector_name, "corpus": corpus_summary(languages)}
    metrics.update(gold_metrics(identifier, repo_root))
    atomic.write_parquet(out_path, languages)
    write_metrics(metrics_path, metrics, LANGUAGE_HEADLINE)
    elapsed = time.perf_counter() - started
    summary = metrics["corpus"]
    print(f"language: {summary['passages']} passages ({summary['per_language']}, {summary['mixed_passages']} mixed) "
          f"with {metrics['detector']} in {elapsed:.1f}s → {out_path}, {metrics_path}", file=sys.stderr)
    return metrics
