"""Small contract-conforming outputs built from the shipped seed corpus, for tests and benchmarks.

Not a stage: a stand-in for ingest + language + entities so the review app, apply and evaluate
can be exercised without those stages. Passages are real lines of corpus/documents; entities
are the occurrences of a short list of real names (exact string match), with canonical ids
that join variants (MGIMO and its full name; Russian and Kazakh spellings of one person).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from pipeline.review.decisions import mention_key, text_sha1

KNOWN_ENTITIES = (
    ("Al-Farabi Kazakh National University", "UNIVERSITY", "kaznu", "Al-Farabi Kazakh National University"),
    ("Moscow State Institute of International Relations", "UNIVERSITY", "mgimo", "MGIMO"),
    ("MGIMO", "UNIVERSITY", "mgimo", "MGIMO"),
    ("Abai Kazakh National Pedagogical University", "UNIVERSITY", "kaznpu", "Abai Kazakh National Pedagogical University"),
    ("South Ural State University", "UNIVERSITY", "susu", "South Ural State University"),
    ("M. V. Lomonosov Moscow State University", "UNIVERSITY", "msu", "Lomonosov Moscow State University"),
    ("Tokayev", "PERSON", "tokayev", "Kassym-Jomart Tokayev"),
    ("Takir Balykbayev", "PERSON", "balykbayev", "Takir Balykbayev"),
    ("Sergey Ryazantsev", "PERSON", "ryazantsev", "Sergey Ryazantsev"),
    ("Сергей Рязанцев", "PERSON", "ryazantsev", "Sergey Ryazantsev"),
    ("Лейла Деловарова", "PERSON", "delovarova", "Leila Delovarova"),
    ("Бибіназ Әлманова", "PERSON", "almanova", "Bibinaz Almanova"),
    ("Бибиназ Альманова", "PERSON", "almanova", "Bibinaz Almanova"),
    ("Agreement between the Government of the Republic of Kazakhstan and the Government of the Russian "
     "Federation on the establishment and functioning of branches", "AGREEMENT", "agreement_branches_2011",
     "Agreement on the establishment and functioning of branches of higher education organisations"),
    ("Chelyabinsk", "GPE", "chelyabinsk", "Chelyabinsk"),
    ("Kazakhstan", "GPE", "kazakhstan", "Kazakhstan"),
)
KAZAKH_LETTERS = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүІіҺһ]")


def guess_lang(text: str) -> str:
    """Crude script-based language for fixtures only (the language stage does this properly)."""
    if KAZAKH_LETTERS.search(text):
        return "kk"
    if re.search(r"[\u0400-\u04FF]", text):
        return "ru"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "en"


def seed_outputs(corpus_dir: str | Path, only_with_entities: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(passages, entities) frames following docs/DATA_CONTRACTS.md, one passage per non-empty line."""
    corpus = Path(corpus_dir)
    with open(corpus / "metadata.csv", encoding="utf-8", newline="") as fh:
        meta = list(csv.DictReader(fh))
    passages, entities = [], []
    for doc in meta:
        source = (corpus / doc["file"]).read_text(encoding="utf-8")
        seen: dict[str, int] = {}
        offset = 0
        index = 0
        for line in source.splitlines(keepends=True):
            text = line.strip()
            start_in_source = offset + line.find(text) if text else offset
            offset += len(line)
            if not text:
                continue
            found = []
            for surface, label, cid, cname in KNOWN_ENTITIES:
                for m in re.finditer(re.escape(surface), text):
                    found.append((m.start(), m.end(), label, cid, cname))
            if only_with_entities and not found:
                continue
            base = f"{doc['doc_id']}-{text_sha1(text)[:10]}"
            seen[base] = seen.get(base, 0) + 1
            pid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            lang = guess_lang(text)
            passages.append({
                "doc_id": doc["doc_id"], "passage_id": pid, "passage_index": index, "text": text,
                "source_start": start_in_source, "source_end": start_in_source + len(text),
                "offset_map": json.dumps([[0, start_in_source]]), "n_chars": len(text), "n_words": len(text.split()),
                "format": "txt", "encoding": "utf-8", "lang": lang,
                **{k: doc.get(k, "") or "" for k in ("file", "title", "year", "genre", "partner", "perspective", "source")},
            })
            index += 1
            # Longest first, overlaps dropped: "MGIMO" inside the full name is not a second mention.
            taken: list[tuple[int, int]] = []
            for s, e, label, cid, cname in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                entities.append({
                    "passage_id": pid, "doc_id": doc["doc_id"], "start": s, "end": e,
                    "doc_start": start_in_source + s, "doc_end": start_in_source + e, "text": text[s:e],
                    "label": label, "specific": True, "canonical_id": cid, "canonical_name": cname,
                    "backend": "gazetteer", "score": 0.9, "lang": lang, "mention_id": mention_key(pid, s, e),
                    "review_status": "machine",
                })
    ent = pd.DataFrame(entities).sort_values(["passage_id", "start", "end"]).reset_index(drop=True)
    return pd.DataFrame(passages), ent


def write_sample_outputs(corpus_dir: str | Path, out_dir: str | Path, only_with_entities: bool = False
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write passages.parquet and entities_machine.parquet (and entities.parquet) under `out_dir`."""
    from pipeline import atomic

    passages, entities = seed_outputs(corpus_dir, only_with_entities)
    out = Path(out_dir)
    atomic.write_parquet(out / "passages.parquet", passages)
    atomic.write_parquet(out / "entities_machine.parquet", entities)
    atomic.write_parquet(out / "entities.parquet", entities)
    return passages, entities
