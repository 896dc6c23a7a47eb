"""Contract-shaped passages built straight from corpus/, for tests and benchmarks.

The topics stage normally reads outputs/passages.parquet and outputs/languages.parquet from
the ingest and language stages. Tests and benchmarks must run without them, so this module
splits the shipped documents into non-empty lines and guesses each line's language from its
script alone (Kazakh-only Cyrillic letters → kk, other Cyrillic → ru, CJK → zh, Latin → en).
That guess is crude on purpose; it is never used by the stage itself.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str) -> str:
    """Script-based language guess for fixtures: kk, ru, zh, en or und."""
    counts = {"cyr": len(CYRILLIC.findall(text)) + len(KAZAKH_LETTERS.findall(text)),
              "cjk": len(CJK.findall(text)), "lat": len(LATIN.findall(text))}
    script = max(counts, key=counts.get)
    if counts[script] == 0:
        return "und"
    if script == "cyr":
        return "kk" if KAZAKH_LETTERS.search(text) else "ru"
    return "zh" if script == "cjk" else "en"


def passage_id(doc_id: str, text: str, seen: dict[str, int]) -> str:
    """`{doc_id}-{sha1(text)[:10]}`, with -2, -3 for repeats inside a document (the contract)."""
    base = f"{doc_id}-{hashlib.sha1(' '.join(text.split()).encode()).hexdigest()[:10]}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def seed_passages(corpus_dir: Path = REPO / "corpus") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(passages, languages) frames for the shipped .txt documents, one passage per line."""
    metadata = pd.read_csv(corpus_dir / "metadata.csv", dtype=str, keep_default_na=False)
    rows, langs = [], []
    for meta in metadata.to_dict("records"):
        source = (corpus_dir / meta["file"]).read_text(encoding="utf-8")
        seen: dict[str, int] = {}
        offset = 0
        for index, line in enumerate(s for s in source.splitlines() if s.strip()):
            start = source.index(line, offset)
            offset = start + len(line)
            text = line.strip()
            pid = passage_id(meta["doc_id"], text, seen)
            rows.append({**meta, "passage_id": pid, "passage_index": index, "text": text,
                         "source_start": start, "source_end": offset, "n_chars": len(text),
                         "n_words": len(text.split())})
            lang = guess_language(text)
            langs.append({"passage_id": pid, "lang": lang, "script": {"kk": "Cyrl", "ru": "Cyrl", "zh": "Hans",
                                                                      "en": "Latn"}.get(lang, "Zyyy"),
                          "confidence": 0.5, "detector": "script-guess", "segments": "[]"})
    return pd.DataFrame(rows), pd.DataFrame(langs)
