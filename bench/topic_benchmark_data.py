"""Benchmark corpora for the topics stage, with the labels and links the stage never sees.

- SIB-200 (en/ru/kk, parallel, 7 topic labels): `sib_sentences(split)` one passage per
  sentence; `sib_documents(split)` multi-sentence parallel documents (same-category sentences
  grouped in a seeded order, each sentence one passage, the same grouping in every language),
  so every document has a `triple` id linking its three translations. The project ships
  only the train split (data/sib200/); the dev split is read from ../shared when present
  and is what figures are reported on: no setting was chosen on it.
- BBC News (English, 5 categories) from ../shared/data/scale: `bbc_documents(n)` a seeded
  sample of n documents, split into paragraphs (at most `max_paragraphs` each).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
SIB_DIRS = (REPO / "data" / "sib200", SHARED / "sib200")
LANGS = ("en", "ru", "kk")


def _sib_rows(split: str) -> pd.DataFrame:
    for folder in SIB_DIRS:
        if all((folder / f"{lang}.jsonl").exists() for lang in LANGS):
            rows = [json.loads(line) for lang in LANGS
                    for line in (folder / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
            frame = pd.DataFrame(rows)
            frame = frame[frame["split"] == split]
            if not frame.empty:
                return frame.reset_index(drop=True)
    raise FileNotFoundError(f"SIB-200 split '{split}' not found in {[str(d) for d in SIB_DIRS]}")


def sib_sentences(split: str) -> pd.DataFrame:
    """One passage per sentence: passage_id, doc_id (= passage), triple, lang, label, text."""
    rows = _sib_rows(split)
    return pd.DataFrame({
        "passage_id": [f"sib-{split}-{i}-{lang}" for i, lang in zip(rows["index_id"], rows["lang"], strict=True)],
        "doc_id": [f"sib-{split}-{i}-{lang}" for i, lang in zip(rows["index_id"], rows["lang"], strict=True)],
        "triple": [f"sib-{split}-{i}" for i in rows["index_id"]],
        "lang": rows["lang"].to_numpy(), "label": rows["category"].to_numpy(), "text": rows["text"].to_numpy(),
    }).sort_values(["triple", "lang"], kind="stable").reset_index(drop=True)


def sib_documents(split: str, sentences_per_doc: int = 4, seed: int = 0) -> pd.DataFrame:
    """Parallel multi-passage documents: same-category sentences grouped, each one passage."""
    sentences = sib_sentences(split)
    english = sentences[sentences["lang"] == "en"].sort_values("triple")
    rng = random.Random(seed)
    doc_of = {}
    for label, rows in english.groupby("label", sort=True):
        ids = list(rows["triple"])
        rng.shuffle(ids)
        for k in range(0, len(ids), sentences_per_doc):
            for triple in ids[k:k + sentences_per_doc]:
                doc_of[triple] = f"sibdoc-{split}-{label[:5]}-{k // sentences_per_doc:03d}"
    frame = sentences.copy()
    frame["triple"] = frame["triple"].map(doc_of)
    frame["doc_id"] = frame["triple"] + "-" + frame["lang"]
    return frame.sort_values(["doc_id", "passage_id"], kind="stable").reset_index(drop=True)


def bbc_documents(n: int = 300, max_paragraphs: int = 6, seed: int = 0) -> pd.DataFrame:
    """A seeded sample of n BBC News documents, one passage per paragraph (≥ 40 chars)."""
    path = SHARED / "scale" / "en.jsonl"
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = sorted((d for d in docs if d["id"].split("-")[1] == "bbc"), key=lambda d: d["id"])
    picked = random.Random(seed).sample(docs, n)
    rows = []
    for doc in sorted(picked, key=lambda d: d["id"]):
        paragraphs = [p.strip() for p in doc["text"].split("\n") if len(p.strip()) >= 40][:max_paragraphs]
        rows += [{"passage_id": f"{doc['id']}-{k}", "doc_id": doc["id"], "triple": doc["id"], "lang": "en",
                  "label": doc["label"], "text": p} for k, p in enumerate(paragraphs)]
    return pd.DataFrame(rows)
