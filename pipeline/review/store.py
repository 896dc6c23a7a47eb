"""SQLite decision store: an append-only log of annotators' decisions.

Durability: WAL journal, `synchronous=FULL`, one transaction per decision; `record` returns
only after the commit, so an acknowledged decision survives a killed process or a power cut.
Concurrency: writers take the write lock up front (`BEGIN IMMEDIATE`) and check that the
mention's latest decision is still the one the annotator saw; otherwise a `ConflictError`
names who changed it, and nothing is written. Nothing is ever updated or deleted.
An existing file that is not a readable database is never recreated or overwritten.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.decisions.records import ACTIONS, sort_key, to_json_line
from pipeline.errors import PipelineError

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY,  -- rowids only grow here: nothing is ever deleted
    decision_id TEXT NOT NULL UNIQUE,
    annotator TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    passage_id TEXT NOT NULL,
    passage_sha1 TEXT NOT NULL,
    mention_id TEXT,
    action TEXT NOT NULL,
    proposed TEXT,
    result TEXT,
    base_decision_id TEXT,
    source TEXT NOT NULL DEFAULT 'app',
    line TEXT NOT NULL,  -- the decision as its decisions.jsonl line, so exports need no JSON work
    batch_id TEXT,
    resolution INTEGER NOT NULL DEFAULT 0,
    undoes TEXT
);
CREATE INDEX IF NOT EXISTS decisions_mention ON decisions (mention_id, seq);
CREATE INDEX IF NOT EXISTS decisions_passage ON decisions (passage_id, seq);
CREATE INDEX IF NOT EXISTS decisions_action_doc ON decisions (action, doc_id, passage_id);
CREATE INDEX IF NOT EXISTS decisions_export ON decisions (passage_id, timestamp, seq, decision_id);
CREATE TRIGGER IF NOT EXISTS decisions_append_only_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_append_only_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""
# Added in schema 2 (undo, batches, adjudication), after the tables exist.
SCHEMA_2 = """
CREATE TABLE IF NOT EXISTS undone (decision_id TEXT PRIMARY KEY, undo_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, secret_hash TEXT, created TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, auth_version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS login_links (
    token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, expires TEXT NOT NULL, used TEXT
);
CREATE INDEX IF NOT EXISTS decisions_annotator ON decisions (annotator, seq);
CREATE INDEX IF NOT EXISTS decisions_batch ON decisions (batch_id);
CREATE TRIGGER IF NOT EXISTS undone_append_only_update BEFORE UPDATE ON undone
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS undone_append_only_delete BEFORE DELETE ON undone
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""
COLUMNS = ("seq", "decision_id", "annotator", "timestamp", "doc_id", "passage_id", "passage_sha1",
           "mention_id", "action", "proposed", "result", "base_decision_id", "source",
           "batch_id", "resolution", "undoes")
NOT_UNDONE = "decision_id NOT IN (SELECT decision_id FROM undone)"


class ConflictError(Exception):
    """The mention changed since the annotator loaded it; carries the newer decision."""

    def __init__(self, latest: dict[str, Any]):
        super().__init__(
            f"{latest['annotator']} changed this mention at {latest['timestamp']} "
            f"({latest['action']}) after you loaded it"
        )
        self.latest = latest


class StoreBusyError(PipelineError):
    """The database stayed locked by another process for longer than the busy timeout."""


def _locked(exc: Exception) -> bool:
    """Whether a SQLite error means another connection holds a lock (not that the file is bad)."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def utc_now() -> str:
    """Current time, ISO 8601 UTC with microseconds (sortable as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _row_to_decision(row: sqlite3.Row | tuple) -> dict[str, Any]:
    d = dict(zip(COLUMNS, row, strict=True))
    d["proposed"] = json.loads(d["proposed"]) if d["proposed"] else None
    d["result"] = json.loads(d["result"]) if d["result"] else None
    # Optional fields exist only when set, as in the decisions.jsonl line.
    if d["batch_id"] is None:
        del d["batch_id"]
    if d["resolution"]:
        d["resolution"] = True
    else:
        del d["resolution"]
    if d["undoes"]:
        d["undoes"] = json.loads(d["undoes"])
    else:
        del d["undoes"]
    return d


class DecisionStore:
    """Append-only decision log in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: str | os.PathLike[str], busy_timeout_ms: int = 10_000,
                 background_checkpoints: bool = False):
        """Open (or create) the store; with `background_checkpoints`, the owner calls
        `checkpoint()` from a background thread, so no decision waits for a WAL checkpoint."""
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.background_checkpoints = background_checkpoints
        self._local = threading.local()
        # Writers of this process queue here and wake at once; only other processes meet
        # SQLite's busy handler, whose sleep-and-retry backoff adds tens of milliseconds.
        self._write_lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and self.path.stat().st_size > 0:
            # Judged read-only first: a file that is not ours is refused before anything
            # (WAL mode, our tables) could change it.
            self._check_readable()
        conn = self._connect()
        try:
            self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise self._busy(exc) if _locked(exc) else self._unreadable(exc) from exc

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Create the tables, or bring an older review database up to this schema (nothing is
        written when it is already current)."""
        row = None
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is not None and int(row[0]) >= SCHEMA_VERSION:
            return
        # Every statement is idempotent, so two processes migrating at once end in the same state.
        conn.executescript(SCHEMA)
        present = {r[1] for r in conn.execute("PRAGMA table_info(decisions)")}
        for column, kind in (("batch_id", "TEXT"), ("resolution", "INTEGER NOT NULL DEFAULT 0"), ("undoes", "TEXT")):
            if column not in present:
                try:
                    conn.execute(f"ALTER TABLE decisions ADD COLUMN {column} {kind}")
                except sqlite3.OperationalError as exc:
                    if "duplicate column" not in str(exc):
                        raise
        conn.executescript(SCHEMA_2)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    # -- connections -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000,
                                   isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous=FULL")
            if self.background_checkpoints:
                conn.execute("PRAGMA wal_autocheckpoint=0")
        except sqlite3.DatabaseError as exc:
            raise self._busy(exc) if _locked(exc) else self._unreadable(exc) from exc
        if str(mode).lower() != "wal":
            raise PipelineError(f"{self.path}: could not switch the database to WAL mode (got {mode}).")
        self._local.conn = conn
        return conn

    def _unreadable(self, exc: Exception) -> PipelineError:
        return PipelineError(
            f"{self.path}: cannot be read as a review database ({exc}). The file was left untouched. "
            f"Keep a copy of it; start the app with another --db path, and restore decisions from "
            f"the text export with `python -m pipeline review restore corpus/annotations/decisions.jsonl "
            f"--db NEW.sqlite`."
        )

    def _busy(self, exc: Exception) -> StoreBusyError:
        return StoreBusyError(
            f"{self.path}: the database is locked by another program ({exc}) and stayed locked for "
            f"{self.busy_timeout_ms} ms. Nothing was changed and no decision is lost; close the other "
            f"program using it (or wait a moment) and start again.")

    def _check_readable(self) -> None:
        """Refuse a file that is not a readable review database, without writing to it."""
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                   timeout=self.busy_timeout_ms / 1000, isolation_level=None)
        except sqlite3.DatabaseError as exc:
            raise self._busy(exc) if _locked(exc) else self._unreadable(exc) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise self._busy(exc) if _locked(exc) else self._unreadable(exc) from exc
        finally:
            conn.close()
        if result != "ok":
            raise self._unreadable(RuntimeError(f"integrity check: {result}"))
        if tables and "decisions" not in tables:
            raise self._unreadable(RuntimeError(
                f"it is a SQLite database of something else (tables: {', '.join(sorted(tables)[:5])}), "
                f"not a review database"))

    def checkpoint(self) -> None:
        """Copy committed WAL content into the database file (without blocking writers)."""
        self._connect().execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- writing -----------------------------------------------------------------------
    def record(self, decision: dict[str, Any], check_base: bool = True, own_only: bool = False) -> dict[str, Any]:
        """Append one decision in its own durable transaction and return it with id, seq, time.

        With `check_base`, a mention decision whose `base_decision_id` is not the mention's
        latest decision raises `ConflictError` and nothing is written. With `own_only` (blind
        review), only the annotator's own earlier decisions count. A decision whose id is
        already stored (a browser retrying after a lost answer) is returned as stored: sending
        the same decision twice records it once.
        """
        return self.record_many([decision], check_base=check_base, own_only=own_only)[0]

    def record_many(self, decisions: list[dict[str, Any]], check_base: bool = True, own_only: bool = False,
                    skip_conflicts: bool = False) -> list[dict[str, Any]]:
        """Append several decisions in one durable transaction (one gesture: all or nothing).

        With `skip_conflicts`, a decision that conflicts is left out (someone decided that
        mention meanwhile: their decision stands) instead of failing the whole batch.
        """
        prepared = [self._prepare(d) for d in decisions]
        with self._write_lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreBusyError(
                    f"{self.path}: the database stayed locked for {self.busy_timeout_ms} ms; "
                    f"the decision was NOT saved. Try again."
                ) from exc
            stored = []
            try:
                for d in prepared:
                    known = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM decisions WHERE decision_id=?",
                                         (d["decision_id"],)).fetchone()
                    if known is not None:
                        stored.append(_row_to_decision(known))
                        continue
                    if check_base and d.get("mention_id"):
                        latest = self._latest_for_mention(conn, d["mention_id"], d["annotator"] if own_only else None)
                        if latest is not None and latest["decision_id"] != d.get("base_decision_id"):
                            if skip_conflicts:
                                continue
                            raise ConflictError(latest)
                    stored.append(self._insert(conn, d))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return stored

    @staticmethod
    def _prepare(decision: dict[str, Any]) -> dict[str, Any]:
        d = dict(decision)
        if d.get("action") not in ACTIONS:
            raise ValueError(f"unknown action {d.get('action')!r}; expected one of {ACTIONS}")
        for key in ("annotator", "doc_id", "passage_id", "passage_sha1"):
            if not d.get(key):
                raise ValueError(f"decision is missing {key}")
        if d["action"] == "undo" and not d.get("undoes"):
            raise ValueError("an undo decision names the decisions it undoes")
        if not d.get("decision_id"):
            d["decision_id"] = uuid.uuid4().hex
        d.setdefault("timestamp", utc_now())
        d.setdefault("source", "app")
        return d

    @staticmethod
    def _latest_for_mention(conn: sqlite3.Connection, mention_id: str, annotator: str | None) -> dict[str, Any] | None:
        """The mention's decision that counts now (see `decisions.latest_per_mention`)."""
        own = " AND annotator=?" if annotator is not None else ""
        row = conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM decisions WHERE mention_id=?{own} AND {NOT_UNDONE} "
            "ORDER BY resolution DESC, timestamp DESC, seq DESC LIMIT 1",
            (mention_id, annotator) if annotator is not None else (mention_id,),
        ).fetchone()
        return _row_to_decision(row) if row is not None else None

    @staticmethod
    def _insert(conn: sqlite3.Connection, d: dict[str, Any]) -> dict[str, Any]:
        """Insert one decision (inside the caller's transaction) with the next seq and its JSON line."""
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions").fetchone()[0]
        record = {
            "seq": seq, "decision_id": d["decision_id"], "annotator": d["annotator"], "timestamp": d["timestamp"],
            "doc_id": d.get("doc_id") or "", "passage_id": d["passage_id"], "passage_sha1": d.get("passage_sha1") or "",
            "mention_id": d.get("mention_id"), "action": d["action"], "proposed": d.get("proposed") or None,
            "result": d.get("result") or None, "base_decision_id": d.get("base_decision_id"),
            "source": d.get("source") or "app",
        }
        # Optional fields only when set: lines written before they existed keep their exact text.
        if d.get("batch_id"):
            record["batch_id"] = str(d["batch_id"])
        if d.get("resolution"):
            record["resolution"] = True
        undoes = [str(i) for i in d.get("undoes") or ()] if d["action"] == "undo" else []
        if undoes:
            record["undoes"] = undoes
        conn.execute(
            "INSERT INTO decisions (seq, decision_id, annotator, timestamp, doc_id, passage_id, passage_sha1,"
            " mention_id, action, proposed, result, base_decision_id, source, line, batch_id, resolution, undoes)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (seq, record["decision_id"], record["annotator"], record["timestamp"], record["doc_id"],
             record["passage_id"], record["passage_sha1"], record["mention_id"], record["action"],
             json.dumps(record["proposed"], ensure_ascii=False, sort_keys=True) if record["proposed"] else None,
             json.dumps(record["result"], ensure_ascii=False, sort_keys=True) if record["result"] else None,
             record["base_decision_id"], record["source"],
             # seq is local to this database: left out of the text export so that two
             # clones merging each other's decisions.jsonl produce the same file.
             to_json_line({k: v for k, v in record.items() if k != "seq"}),
             record.get("batch_id"), 1 if record.get("resolution") else 0,
             json.dumps(undoes) if undoes else None),
        )
        for undone in undoes:
            conn.execute("INSERT OR IGNORE INTO undone VALUES (?, ?)", (undone, record["decision_id"]))
        return record

    def import_decisions(self, decisions: Iterable[dict[str, Any]]) -> int:
        """Add decisions made elsewhere (restore, Label Studio); skips ids already stored."""
        with self._write_lock:
            return self._import_locked(list(decisions))

    def _import_locked(self, decisions: list[dict[str, Any]]) -> int:
        conn = self._connect()
        added = 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            for d in sorted(decisions, key=sort_key):
                known = conn.execute("SELECT 1 FROM decisions WHERE decision_id=?", (d["decision_id"],)).fetchone()
                if known is None:
                    self._insert(conn, dict(d, source=d.get("source") or "import"))
                    added += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return added

    def meta_secret(self, key: str) -> str:
        """A random secret kept in this database (created once): e.g. the key that signs the
        app's session cookies, so sessions survive a restart. The database is not tracked by git."""
        conn = self._connect()
        row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        if row is None:
            with self._write_lock:
                conn.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, secrets.token_hex(32)))
            row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0]

    # -- reading -----------------------------------------------------------------------
    def _select(self, where: str = "", params: tuple = ()) -> list[dict[str, Any]]:
        rows = self._connect().execute(
            f"SELECT {', '.join(COLUMNS)} FROM decisions {where} ORDER BY seq", params
        ).fetchall()
        return [_row_to_decision(r) for r in rows]

    def all(self) -> list[dict[str, Any]]:
        """Every decision, in store order."""
        return self._select()

    def for_passage(self, passage_id: str, annotator: str | None = None) -> list[dict[str, Any]]:
        """Every decision on one passage (only `annotator`'s, if given), in store order."""
        if annotator is not None:
            return self._select("WHERE passage_id=? AND annotator=?", (passage_id, annotator))
        return self._select("WHERE passage_id=?", (passage_id,))

    def count(self) -> int:
        """Number of decisions stored."""
        return self._connect().execute("SELECT COUNT(*) FROM decisions").fetchone()[0]

    def _reviewed_where(self, annotator: str | None) -> tuple[str, tuple]:
        where = f"action='review_passage' AND {NOT_UNDONE}"
        return (where + " AND annotator=?", (annotator,)) if annotator is not None else (where, ())

    def reviewed_passages(self, annotator: str | None = None) -> set[str]:
        """Passages someone (or `annotator`) marked fully reviewed and did not undo."""
        where, params = self._reviewed_where(annotator)
        rows = self._connect().execute(f"SELECT DISTINCT passage_id FROM decisions WHERE {where}", params).fetchall()
        return {r[0] for r in rows}

    def reviewed_among(self, passage_ids: list[str], annotator: str | None = None) -> set[str]:
        """Which of the given passages are marked reviewed (by `annotator`, if given)."""
        return set(self.reviewers_among(passage_ids, annotator))

    def reviewers_among(self, passage_ids: list[str], annotator: str | None = None) -> dict[str, set[str]]:
        """Who marked each of the given passages reviewed (one indexed query per page)."""
        if not passage_ids:
            return {}
        where, params = self._reviewed_where(annotator)
        out: dict[str, set[str]] = {}
        for pid, who in self._connect().execute(
                f"SELECT DISTINCT passage_id, annotator FROM decisions WHERE {where} AND passage_id IN "
                f"({','.join('?' * len(passage_ids))})", params + tuple(passage_ids)):
            out.setdefault(pid, set()).add(who)
        return out

    def reviewer_counts(self, exclude: str | None = None) -> dict[str, int]:
        """Number of annotators (other than `exclude`) who marked each passage reviewed."""
        where, params = self._reviewed_where(None)
        if exclude is not None:
            where += " AND annotator != ?"
            params = (exclude,)
        return dict(self._connect().execute(
            f"SELECT passage_id, COUNT(DISTINCT annotator) FROM decisions WHERE {where} GROUP BY passage_id",
            params).fetchall())

    def touched_passages(self, annotator: str | None = None) -> set[str]:
        """Passages with at least one decision that counts (by `annotator`, if given)."""
        sql = f"SELECT DISTINCT passage_id FROM decisions WHERE action != 'undo' AND {NOT_UNDONE}"
        if annotator is not None:
            return {r[0] for r in self._connect().execute(sql + " AND annotator=?", (annotator,))}
        return {r[0] for r in self._connect().execute(sql)}

    def reviewed_count_by_doc(self, doc_ids: Iterable[str] | None = None, annotator: str | None = None
                              ) -> dict[str, int]:
        """Number of passages marked reviewed per document (by anyone, or by `annotator`)."""
        where, params = self._reviewed_where(annotator)
        sql = f"SELECT doc_id, COUNT(DISTINCT passage_id) FROM decisions WHERE {where}"
        if doc_ids is not None:
            ids = list(doc_ids)
            if not ids:
                return {}
            sql += f" AND doc_id IN ({','.join('?' * len(ids))})"
            params = params + tuple(ids)
        return dict(self._connect().execute(sql + " GROUP BY doc_id", params).fetchall())

    def annotators(self) -> list[str]:
        """Names of everyone who decided something, sorted."""
        return [r[0] for r in self._connect().execute("SELECT DISTINCT annotator FROM decisions ORDER BY 1")]

    def last_gesture(self, annotator: str, passage_id: str | None = None) -> list[dict[str, Any]]:
        """The annotator's latest decision that still counts, with the rest of its batch
        (what one `undo` takes back); [] when there is nothing to undo."""
        where = f"annotator=? AND action != 'undo' AND resolution = 0 AND {NOT_UNDONE}"
        params: tuple = (annotator,)
        if passage_id is not None:
            where += " AND passage_id=?"
            params += (passage_id,)
        row = self._connect().execute(
            f"SELECT {', '.join(COLUMNS)} FROM decisions WHERE {where} ORDER BY seq DESC LIMIT 1", params).fetchone()
        if row is None:
            return []
        last = _row_to_decision(row)
        if not last.get("batch_id"):
            return [last]
        return self._select(f"WHERE batch_id=? AND annotator=? AND {NOT_UNDONE}", (last["batch_id"], annotator))

    # -- export ------------------------------------------------------------------------
    def export_jsonl(self, path: str | os.PathLike[str]) -> int:
        """Write every decision to `path` atomically, sorted, one JSON object a line.

        The file is left as it is (not even touched) when it already holds exactly these
        decisions, in whatever order or spacing: decisions.jsonl is tracked by git and DVC, so
        starting or stopping the app must not change it unless a decision was made. With no
        decisions the file is one blank line (an empty dependency makes DVC warn).
        """
        lines = [r[0] for r in self._connect().execute(
            "SELECT line FROM decisions ORDER BY passage_id, timestamp, seq, decision_id")]
        target = Path(path)
        if _holds_same_decisions(target, lines):
            return len(lines)
        atomic.write_text(target, "".join(line + "\n" for line in lines) if lines else "\n")
        return len(lines)


def _holds_same_decisions(path: Path, lines: list[str]) -> bool:
    """Whether the text export at `path` holds exactly the decisions `lines` (canonical JSON lines)."""
    try:
        existing = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return False
    if len(existing) != len(lines):
        return False
    try:
        canonical = sorted(to_json_line({k: v for k, v in json.loads(line).items() if k != "seq"})
                           for line in existing)
    except (json.JSONDecodeError, AttributeError):
        return False
    return canonical == sorted(lines)
