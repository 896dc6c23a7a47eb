"""What the app shows: passages and machine entities from outputs/, indexed for fast paging.

The outputs are loaded once into an in-memory SQLite database with indexes, so listing
documents or filtering passages stays fast at 50,000 passages. Decisions are not here: they
live in the `DecisionStore` and are combined with this catalog per request.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.decisions.records import mention_key
from pipeline.outputs import OUTPUT
from pipeline.stage_inputs import read_output

SCHEMA = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, title TEXT, year TEXT, partner TEXT, perspective TEXT,
                        n_passages INTEGER, langs TEXT);
CREATE TABLE passages (passage_id TEXT PRIMARY KEY, doc_id TEXT, passage_index INTEGER, lang TEXT,
                       n_entities INTEGER, text TEXT);
CREATE TABLE entities (mention_id TEXT, passage_id TEXT, start INTEGER, "end" INTEGER, label TEXT,
                       text TEXT, canonical_id TEXT, canonical_name TEXT, backend TEXT, score REAL, doc_id TEXT);
"""
# Built after the bulk insert: creating an index once is much cheaper than maintaining it row by row.
INDEXES = """
CREATE INDEX passages_doc ON passages (doc_id, passage_index);
CREATE INDEX passages_lang ON passages (lang, doc_id);
CREATE INDEX entities_passage ON entities (passage_id, start);
CREATE INDEX entities_label ON entities (label, passage_id);
CREATE INDEX entities_canonical ON entities (canonical_id, passage_id);
CREATE INDEX entities_label_doc ON entities (label, doc_id);
CREATE INDEX entities_canonical_doc ON entities (canonical_id, doc_id);
"""



def load_outputs(outputs: str | os.PathLike[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Passages (with a `lang` column) and the machine's entities from an outputs directory.

    Machine entities come from `entities_machine.parquet` (before review); without it, from
    `entities.parquet` minus rows the review itself produced.
    """
    out = Path(outputs)
    passages = read_output("passages", out / OUTPUT["passages"].name, ("doc_id", "passage_id", "passage_index", "text"),
                                 what="passages (or point --outputs at the directory holding them)")
    if "lang" not in passages.columns:
        langs_path = out / OUTPUT["languages"].name
        if langs_path.exists():
            langs = read_output("languages", langs_path, columns=("passage_id", "lang"))
            passages = passages.merge(langs, on="passage_id", how="left")
        passages["lang"] = passages.get("lang", pd.Series("", index=passages.index)).fillna("")
    machine_path = out / OUTPUT["entities_machine"].name
    columns = ("passage_id", "start", "end", "text", "label")
    if machine_path.exists():
        entities = read_output("entities_machine", machine_path, columns)
    elif (out / OUTPUT["entities"].name).exists():
        entities = read_output("entities", out / OUTPUT["entities"].name, columns)
        if "backend" in entities.columns:
            entities = entities[entities["backend"] != "review"]
    else:
        entities = pd.DataFrame(columns=list(columns))
    entities = entities.copy()
    if "mention_id" not in entities.columns:
        entities["mention_id"] = [mention_key(p, s, e) for p, s, e in
                                  zip(entities["passage_id"], entities["start"], entities["end"], strict=True)]
    for column, default in (("canonical_id", ""), ("canonical_name", ""), ("backend", ""), ("score", 0.0)):
        if column not in entities.columns:
            entities[column] = default
    return passages.reset_index(drop=True), entities.reset_index(drop=True)


def load_uncertainty(path: str | os.PathLike[str]) -> dict[str, float]:
    """Per-passage uncertainty written by the review_queue stage; {} when it was not run."""
    p = Path(path)
    if not p.exists():
        return {}
    frame = read_output("uncertainty", p)
    return dict(zip(frame["passage_id"].astype(str), frame["uncertainty"].astype(float), strict=True))


def _strings(frame: pd.DataFrame, name: str) -> list[str]:
    """A column as a list of str, missing values as "" (all "" when the column is absent)."""
    if name not in frame.columns:
        return [""] * len(frame)
    return frame[name].astype(object).where(frame[name].notna(), "").astype(str).tolist()


class Catalog:
    """Indexed, read-only view of passages and machine entities; safe to share between threads."""

    def __init__(self, passages: pd.DataFrame, entities: pd.DataFrame):
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.executescript(SCHEMA)
        entities = entities.copy()
        if "mention_id" not in entities.columns:
            entities["mention_id"] = [mention_key(p, s, e) for p, s, e in
                                      zip(entities["passage_id"], entities["start"], entities["end"], strict=True)]
        if "score" not in entities.columns:
            entities["score"] = 0.0
        # Whole columns go through .tolist(): iterating Arrow-backed pandas columns value by
        # value is ~50x slower, which dominated start-up at 50,000 passages.
        counts = entities["passage_id"].value_counts().to_dict() if len(entities) else {}
        passage_ids = _strings(passages, "passage_id")
        self._db.executemany(
            "INSERT INTO passages VALUES (?,?,?,?,?,?)",
            zip(passage_ids, _strings(passages, "doc_id"), passages["passage_index"].astype(int).tolist(),
                _strings(passages, "lang"), [int(counts.get(p, 0)) for p in passage_ids],
                _strings(passages, "text"), strict=True),
        )
        first_of_doc = passages.drop_duplicates("doc_id")
        self._db.executemany(
            "INSERT INTO documents (doc_id, title, year, partner, perspective) VALUES (?,?,?,?,?)",
            zip(*(_strings(first_of_doc, c) for c in ("doc_id", "title", "year", "partner", "perspective")),
                strict=True),
        )
        doc_of = dict(zip(passage_ids, _strings(passages, "doc_id"), strict=True))
        entity_passages = _strings(entities, "passage_id")
        self._db.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            zip(_strings(entities, "mention_id"), entity_passages, entities["start"].astype(int).tolist(),
                entities["end"].astype(int).tolist(), _strings(entities, "label"), _strings(entities, "text"),
                _strings(entities, "canonical_id"), _strings(entities, "canonical_name"),
                _strings(entities, "backend"), entities["score"].astype(float).fillna(0.0).tolist(),
                [doc_of.get(p, "") for p in entity_passages], strict=True),
        )
        self._db.executescript(INDEXES)
        self._db.execute(
            "UPDATE documents SET n_passages = (SELECT COUNT(*) FROM passages p WHERE p.doc_id = documents.doc_id),"
            " langs = (SELECT group_concat(lang, ',') FROM (SELECT DISTINCT lang FROM passages p"
            " WHERE p.doc_id = documents.doc_id AND lang != '' ORDER BY lang))")
        self._db.execute("ANALYZE")
        self.n_passages = len(passages)
        self.n_entities = len(entities)
        self.document_sizes = {r[0]: r[1] for r in self._db.execute("SELECT doc_id, n_passages FROM documents")}
        # The catalog never changes after loading, so filtered id lists can be memoised: the
        # first page of a filter pays for the query, later pages and prev/next are lookups.
        self._filtered = lru_cache(maxsize=64)(self._filtered_uncached)
        self.labels = [r[0] for r in self._db.execute("SELECT DISTINCT label FROM entities ORDER BY 1")]
        self.uncertainty: dict[str, float] = {}
        self._ordered = lru_cache(maxsize=64)(self._ordered_uncached)

    def set_uncertainty(self, scores: dict[str, float]) -> None:
        """Per-passage model uncertainty (higher: less certain), for the `active` queue order."""
        self.uncertainty = {str(k): float(v) for k, v in scores.items()}
        self._ordered.cache_clear()

    def orders(self) -> list[str]:
        """Queue orders available: `active` only when uncertainty scores were loaded."""
        return ["document", "random", *(["active"] if self.uncertainty else [])]

    def ordered_ids(self, order: str, annotator: str, doc_id: str = "", lang: str = "", label: str = "",
                    canonical_id: str = "") -> tuple[str, ...]:
        """Passage ids matching the filters in a queue order (see `pipeline.review.queues`)."""
        return self._ordered(order, annotator if order == "random" else "", doc_id, lang, label, canonical_id)

    def _ordered_uncached(self, order: str, annotator: str, doc_id: str, lang: str, label: str,
                          canonical_id: str) -> tuple[str, ...]:
        from pipeline.review.queues import ordered

        ids = self._filtered(doc_id, lang, label, canonical_id)[0]
        return tuple(ordered(ids, order, annotator, self.uncertainty))

    def _q(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    @staticmethod
    def _passage_filter(lang: str = "", label: str = "", canonical_id: str = "", doc_id: str = ""
                        ) -> tuple[str, list[str]]:
        clauses, params = [], []
        if doc_id:
            clauses.append("p.doc_id = ?")
            params.append(doc_id)
        if lang:
            clauses.append("p.lang = ?")
            params.append(lang)
        if label:
            clauses.append("p.passage_id IN (SELECT passage_id FROM entities WHERE label = ?)")
            params.append(label)
        if canonical_id:
            clauses.append("p.passage_id IN (SELECT passage_id FROM entities WHERE canonical_id = ?)")
            params.append(canonical_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def document_ids(self, lang: str = "", label: str = "", canonical_id: str = "") -> list[str]:
        """Ids of documents with passages in `lang` and mentions of `label` / `canonical_id`, sorted."""
        return list(self._document_ids(lang, label, canonical_id))

    @lru_cache(maxsize=64)  # noqa: B019 - one catalog per app, alive as long as the app
    def _document_ids(self, lang: str, label: str, canonical_id: str) -> tuple[str, ...]:
        clauses, params = [], []
        for value, sql in ((lang, "SELECT doc_id FROM passages WHERE lang = ?"),
                           (label, "SELECT doc_id FROM entities WHERE label = ?"),
                           (canonical_id, "SELECT doc_id FROM entities WHERE canonical_id = ?")):
            if value:
                clauses.append(f"d.doc_id IN ({sql})")
                params.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return tuple(r[0] for r in self._q(f"SELECT d.doc_id FROM documents d{where} ORDER BY d.doc_id", params))

    def documents(self, doc_ids: list[str]) -> list[dict[str, Any]]:
        """Rows of the documents table for the given ids, in that order."""
        if not doc_ids:
            return []
        rows = self._q(f"SELECT * FROM documents WHERE doc_id IN ({','.join('?' * len(doc_ids))})", doc_ids)
        by_id = {r["doc_id"]: dict(r) for r in rows}
        return [by_id[d] for d in doc_ids if d in by_id]

    def warm(self, labels: list[str] | tuple[str, ...] = ()) -> None:
        """Fill the memo for the unfiltered lists and the given labels (done once at server start)."""
        self._filtered("", "", "", "")
        self._document_ids("", "", "")
        for label in labels:
            self._filtered("", "", label, "")
            self._document_ids("", label, "")

    def _filtered_uncached(self, doc_id: str, lang: str, label: str, canonical_id: str
                           ) -> tuple[tuple[str, ...], dict[str, int]]:
        where, params = self._passage_filter(lang, label, canonical_id, doc_id)
        ids = tuple(r[0] for r in self._q(f"SELECT p.passage_id FROM passages p{where} "
                                          f"ORDER BY p.doc_id, p.passage_index", params))
        return ids, {pid: i for i, pid in enumerate(ids)}

    def passage_ids(self, doc_id: str = "", lang: str = "", label: str = "", canonical_id: str = ""
                    ) -> list[str]:
        """Passage ids matching the filters, in document order."""
        return list(self._filtered(doc_id, lang, label, canonical_id)[0])

    def passage_page(self, offset: int, limit: int, doc_id: str = "", lang: str = "", label: str = "",
                     canonical_id: str = "") -> tuple[list[dict[str, Any]], int]:
        """One page of passage rows matching the filters (document order) and the total count."""
        ids = self._filtered(doc_id, lang, label, canonical_id)[0]
        return self.passage_rows(list(ids[offset:offset + limit])), len(ids)

    def neighbours(self, passage_id: str, doc_id: str = "", lang: str = "", label: str = "",
                   canonical_id: str = "", keep: Any = None) -> dict[str, Any]:
        """Previous and next passage (document order) among those matching the filters.

        `keep` is an optional predicate on passage ids (e.g. review status) applied on top.
        Also returns the 1-based position and the total when no predicate is given.
        """
        ids, position = self._filtered(doc_id, lang, label, canonical_id)
        here = position.get(passage_id)
        if here is None:
            return {"prev": None, "next": None, "position": None, "total": None}
        ok = keep or (lambda _: True)
        nxt = next((p for p in ids[here + 1:] if ok(p)), None)
        prev = next((ids[i] for i in range(here - 1, -1, -1) if ok(ids[i])), None)
        return {"prev": prev, "next": nxt, "position": here + 1 if keep is None else None,
                "total": len(ids) if keep is None else None}

    def passage_rows(self, passage_ids: list[str]) -> list[dict[str, Any]]:
        """Short rows (no full text: a 160-character snippet) for a page of passages, in order."""
        if not passage_ids:
            return []
        rows = self._q(
            "SELECT passage_id, doc_id, passage_index, lang, n_entities, length(text) AS n_chars, "
            "substr(text, 1, 160) AS snippet "
            f"FROM passages WHERE passage_id IN ({','.join('?' * len(passage_ids))})", passage_ids)
        by_id = {r["passage_id"]: dict(r) for r in rows}
        return [by_id[p] for p in passage_ids if p in by_id]

    def passage(self, passage_id: str) -> dict[str, Any] | None:
        """One passage with its text and machine entities, or None if unknown."""
        rows = self._q("SELECT * FROM passages WHERE passage_id = ?", (passage_id,))
        if not rows:
            return None
        passage = dict(rows[0])
        passage["entities"] = [dict(r) for r in self._q(
            'SELECT * FROM entities WHERE passage_id = ? ORDER BY start, "end", label', (passage_id,))]
        title = self._q("SELECT title FROM documents WHERE doc_id = ?", (passage["doc_id"],))
        passage["title"] = title[0][0] if title else ""
        return passage

    def canonical_entities(self, query: str = "", limit: int = 50) -> list[dict[str, Any]]:
        """Canonical entities (id, name, label, mentions) whose id or name contains `query`."""
        like = f"%{query}%"
        rows = self._q(
            "SELECT canonical_id, MAX(canonical_name) AS canonical_name, MAX(label) AS label, COUNT(*) AS mentions "
            "FROM entities WHERE canonical_id != '' AND (canonical_id LIKE ? OR canonical_name LIKE ? OR text LIKE ?) "
            "GROUP BY canonical_id ORDER BY mentions DESC, canonical_id LIMIT ?", (like, like, like, limit))
        return [dict(r) for r in rows]

    def languages(self) -> list[str]:
        """Languages present among passages, sorted."""
        return [r[0] for r in self._q("SELECT DISTINCT lang FROM passages WHERE lang != '' ORDER BY 1")]

