"""The decision store: durable, append-only, conflict-aware, never clobbers a bad file."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from pipeline.decisions.records import read_jsonl, text_sha1
from pipeline.errors import PipelineError
from pipeline.review.store import ConflictError, DecisionStore, StoreBusyError

TEXT = "Head of Department of the Moscow State Institute of International Relations (MGIMO) MFA of Russia"
PID = "002_3ac2eefe626476ff-" + text_sha1(TEXT)[:10]


def decision(annotator: str = "aigerim", action: str = "accept", start: int = 77, end: int = 82,
             label: str = "UNIVERSITY", base: str | None = None) -> dict:
    span = {"start": start, "end": end, "label": label, "text": TEXT[start:end], "canonical_id": "mgimo"}
    return {"annotator": annotator, "doc_id": "002_3ac2eefe626476ff", "passage_id": PID,
            "passage_sha1": text_sha1(TEXT), "mention_id": f"{PID}:77-82", "action": action,
            "proposed": span, "result": None if action == "reject" else dict(span, label=label),
            "base_decision_id": base}


def test_recorded_decision_reads_back_with_id_sequence_and_utc_time(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    stored = store.record(decision())
    [again] = DecisionStore(tmp_path / "review.sqlite").all()
    assert again["decision_id"] == stored["decision_id"] and again["seq"] == 1
    assert again["timestamp"].endswith("Z") and again["proposed"]["text"] == "MGIMO"


def test_database_uses_wal_journal_and_full_sync(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    conn = store._connect()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_decisions_can_be_neither_updated_nor_deleted(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    store.record(decision())
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store._connect().execute("UPDATE decisions SET action='reject'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store._connect().execute("DELETE FROM decisions")
    assert store.count() == 1


def test_deciding_on_a_mention_changed_since_loading_is_a_conflict_and_writes_nothing(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    first = store.record(decision("aigerim"))
    with pytest.raises(ConflictError, match="aigerim"):
        store.record(decision("dmitry", action="reject", base=None))
    store.record(decision("dmitry", action="reject", base=first["decision_id"]))
    assert [d["annotator"] for d in store.all()] == ["aigerim", "dmitry"]


def test_jsonl_export_is_sorted_and_identical_when_rewritten(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    a = store.record(decision("aigerim"))
    store.record(decision("dmitry", action="relabel", label="ORG", base=a["decision_id"]))
    store.export_jsonl(tmp_path / "decisions.jsonl")
    first = (tmp_path / "decisions.jsonl").read_bytes()
    store.export_jsonl(tmp_path / "decisions.jsonl")
    assert (tmp_path / "decisions.jsonl").read_bytes() == first
    assert [d["action"] for d in read_jsonl(tmp_path / "decisions.jsonl")] == ["accept", "relabel"]


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "review.sqlite"
    path.write_bytes(b"these are an annotator's notes, not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(PipelineError, match="left untouched"):
        DecisionStore(path)
    assert path.read_bytes() == before


def test_a_database_locked_by_another_program_fails_clearly_without_losing_decisions(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite", busy_timeout_ms=100)
    store.record(decision())
    other = sqlite3.connect(tmp_path / "review.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusyError, match="NOT saved"):
            store.record(decision("dmitry", base=store.all()[0]["decision_id"]))
    finally:
        other.execute("ROLLBACK")
    assert store.count() == 1


def test_two_annotators_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "review.sqlite"
    DecisionStore(path)

    def write(name: str) -> None:
        store = DecisionStore(path)  # its own connection, as a second server would have
        for i in range(80):
            d = decision(name)
            d["mention_id"] = f"{PID}:{name}-{i}"
            store.record(d)

    threads = [threading.Thread(target=write, args=(n,)) for n in ("aigerim", "dmitry")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = DecisionStore(path).all()
    assert len(stored) == 160
    assert len({d["mention_id"] for d in stored}) == 160
