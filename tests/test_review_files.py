"""The review app's files: decisions.jsonl is rewritten only when a decision was made, and a
database that is not ours (or is briefly locked) is never modified or mistaken for a damaged one."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from pipeline.decisions.records import text_sha1
from pipeline.errors import PipelineError
from pipeline.review.jsonl_sync import JsonlSync
from pipeline.review.store import DecisionStore, StoreBusyError

TEXT = "Head of Department of the Moscow State Institute of International Relations (MGIMO) MFA of Russia"
PID = "002_3ac2eefe626476ff-" + text_sha1(TEXT)[:10]


def _accept(store: DecisionStore, annotator: str = "aigerim") -> dict:
    span = {"start": 77, "end": 82, "label": "UNIVERSITY", "text": "MGIMO", "canonical_id": "mgimo"}
    return store.record({"annotator": annotator, "doc_id": "002_3ac2eefe626476ff", "passage_id": PID,
                         "passage_sha1": text_sha1(TEXT), "mention_id": f"{PID}:77-82", "action": "accept",
                         "proposed": span, "result": span, "base_decision_id": None})


def test_starting_and_stopping_without_decisions_leaves_decisions_jsonl_byte_identical(tmp_path):
    jsonl = tmp_path / "decisions.jsonl"
    jsonl.write_bytes(b"\n")  # as shipped: one blank line, read as no decisions
    before = jsonl.stat().st_mtime_ns
    sync = JsonlSync(DecisionStore(tmp_path / "review.sqlite"), jsonl, delay=0.01)
    sync.flush()
    sync.close()
    assert jsonl.read_bytes() == b"\n" and jsonl.stat().st_mtime_ns == before


def test_a_merged_decisions_jsonl_holding_the_same_decisions_is_not_rewritten(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    _accept(store, "aigerim")
    store.record({"annotator": "dmitry", "doc_id": "002_3ac2eefe626476ff", "passage_id": PID,
                  "passage_sha1": text_sha1(TEXT), "action": "review_passage"})
    store.export_jsonl(tmp_path / "sorted.jsonl")
    lines = (tmp_path / "sorted.jsonl").read_text(encoding="utf-8").splitlines()
    merged = tmp_path / "decisions.jsonl"
    merged.write_text("\n".join(reversed(lines)) + "\n\n", encoding="utf-8")  # what a git merge may leave
    before = merged.read_bytes()
    sync = JsonlSync(store, merged, delay=0.01)
    sync.close()
    assert merged.read_bytes() == before


def test_a_decision_made_is_written_to_decisions_jsonl_on_stop(tmp_path):
    jsonl = tmp_path / "decisions.jsonl"
    jsonl.write_bytes(b"\n")
    store = DecisionStore(tmp_path / "review.sqlite")
    sync = JsonlSync(store, jsonl, delay=0.01)
    stored = _accept(store)
    sync.notify()
    sync.close()
    assert stored["decision_id"] in jsonl.read_text(encoding="utf-8")


def test_a_foreign_sqlite_database_is_refused_and_left_byte_identical(tmp_path):
    path = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('an annotator''s notes')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(PipelineError, match="not a review database"):
        DecisionStore(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "notes.sqlite-wal").exists()


def _hold_write_lock(path, seconds: float, ready: threading.Event) -> None:
    """Another program in the middle of a write transaction on the database."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta VALUES ('lock-test', 'x')")
    ready.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def test_a_database_another_program_is_writing_to_opens_for_reading(tmp_path):
    path = tmp_path / "review.sqlite"
    first = DecisionStore(path)
    _accept(first)
    first.close()
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 1.0, ready))
    holder.start()
    assert ready.wait(5), "the lock could not be taken"
    try:
        assert DecisionStore(path, busy_timeout_ms=100).count() == 1
    finally:
        holder.join()


def test_a_database_locked_briefly_at_start_up_is_waited_for(tmp_path):
    path = tmp_path / "review.sqlite"
    first = DecisionStore(path)
    _accept(first)
    first._connect().execute("UPDATE meta SET value='1' WHERE key='schema_version'")  # needs a write to open
    first.close()
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 0.3, ready))
    holder.start()
    assert ready.wait(5), "the lock could not be taken"
    store = DecisionStore(path, busy_timeout_ms=5000)
    holder.join()
    assert store.count() == 1


def test_a_database_locked_for_long_at_start_up_is_reported_as_busy_not_unreadable(tmp_path):
    path = tmp_path / "review.sqlite"
    first = DecisionStore(path)
    _accept(first)
    first._connect().execute("UPDATE meta SET value='1' WHERE key='schema_version'")  # an older database
    first.close()
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 1.0, ready))
    holder.start()
    assert ready.wait(5), "the lock could not be taken"
    try:
        with pytest.raises(StoreBusyError) as caught:
            DecisionStore(path, busy_timeout_ms=100)
    finally:
        holder.join()
    message = str(caught.value)
    assert "locked" in message and "restore" not in message and "another --db" not in message
    assert DecisionStore(path).count() == 1
