"""Decisions survive a killed server; the text export is flushed on a normal stop.

These run the real CLI server (`python -m pipeline review`) in a subprocess and talk HTTP to it;
each server start costs a few seconds, hence `slow`. The thread-level concurrency check on the
store itself is in test_review_store.py (fast).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.decisions.records import read_jsonl
from pipeline.fixtures.sample_outputs import write_sample_outputs
from pipeline.review.store import DecisionStore

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


class Server:
    """`python -m pipeline review` on a free loopback port, plus a tiny HTTP client with a session."""

    def __init__(self, tmp: Path, annotator: str = "aigerim"):
        self.tmp = tmp
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "review", "--port", "0", "--outputs", str(tmp / "outputs"),
             "--db", str(tmp / "review.sqlite"), "--jsonl", str(tmp / "decisions.jsonl"),
             *(["--annotator", annotator] if annotator else [])],
            cwd=tmp, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.proc.kill()
            raise AssertionError(f"server did not start: {line!r} {self.proc.stderr.read()}")
        self.port = int(match.group(1))
        self.cookie = ""
        html = self.request("GET", "/login")[1]
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": self.cookie, "X-CSRF-Token": getattr(self, "csrf", ""),
                   "Content-Type": "application/json"}
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";")[0]
        data = response.read().decode()
        conn.close()
        return response.status, data


@pytest.fixture
def outputs(corpus_dir, tmp_path):
    passages, _ = write_sample_outputs(corpus_dir, tmp_path / "outputs")
    return passages


def _longest(passages) -> tuple[str, str]:
    row = passages.loc[passages["text"].str.len().idxmax()]
    return row["passage_id"], row["text"]


def test_every_acknowledged_decision_survives_sigkill_mid_stream(outputs, tmp_path):
    pid, text = _longest(outputs)
    server = Server(tmp_path)
    acknowledged: list[str] = []
    stop = threading.Event()

    def stream() -> None:
        for i in range(len(text) - 1):
            if stop.is_set():
                return
            try:
                status, body = server.request("POST", "/api/decisions", {
                    "passage_id": pid, "action": "add", "start": i, "end": i + 1, "label": "PERSON"})
            except OSError:
                return  # the server is gone
            if status == 200:
                acknowledged.append(json.loads(body)["decision"]["decision_id"])

    writer = threading.Thread(target=stream)
    writer.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=10)
    stop.set()
    writer.join(timeout=15)
    assert len(acknowledged) >= 40
    stored = {d["decision_id"] for d in DecisionStore(tmp_path / "review.sqlite").all()}
    assert set(acknowledged) <= stored


def test_a_normal_stop_flushes_decisions_jsonl(outputs, tmp_path):
    pid, text = _longest(outputs)
    server = Server(tmp_path)
    status, body = server.request("POST", "/api/decisions",
                                  {"passage_id": pid, "action": "add", "start": 0, "end": 5, "label": "PERSON"})
    assert status == 200
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=15) == 0
    [decision] = read_jsonl(tmp_path / "decisions.jsonl")
    assert decision["decision_id"] == json.loads(body)["decision"]["decision_id"]
    assert decision["result"]["text"] == text[:5]


def test_two_annotator_processes_writing_at_once_lose_nothing(outputs, tmp_path):
    pid, text = _longest(outputs)
    servers = [Server(tmp_path, "aigerim"), Server(tmp_path, "dmitry")]
    acknowledged: list[str] = []

    def stream(server: Server, offset: int) -> None:
        for i in range(offset, min(len(text) - 1, offset + 120), 2):
            status, body = server.request("POST", "/api/decisions", {
                "passage_id": pid, "action": "add", "start": i, "end": i + 1, "label": "PERSON"})
            assert status == 200, body
            acknowledged.append(json.loads(body)["decision"]["decision_id"])

    threads = [threading.Thread(target=stream, args=(s, k)) for k, s in enumerate(servers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in servers:
        s.proc.send_signal(signal.SIGTERM)
        s.proc.wait(timeout=15)
    stored = DecisionStore(tmp_path / "review.sqlite").all()
    assert len(acknowledged) == 120 and {d["decision_id"] for d in stored} == set(acknowledged)
    assert {d["annotator"] for d in stored} == {"aigerim", "dmitry"}
    assert len(read_jsonl(tmp_path / "decisions.jsonl")) == 120


def test_a_fresh_clone_starts_with_the_decisions_from_git(outputs, tmp_path):
    """No database yet, but decisions.jsonl came with the repository: the server merges it in."""
    pid, text = _longest(outputs)
    server = Server(tmp_path)
    status, _ = server.request("POST", "/api/decisions",
                               {"passage_id": pid, "action": "add", "start": 0, "end": 5, "label": "PERSON"})
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=15)
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"review.sqlite{suffix}").unlink(missing_ok=True)
    exported = (tmp_path / "decisions.jsonl").read_bytes()
    again = Server(tmp_path)
    try:
        assert status == 200
        [decision] = DecisionStore(tmp_path / "review.sqlite").all()
        assert decision["result"]["text"] == text[:5]
    finally:
        again.proc.send_signal(signal.SIGTERM)
        again.proc.wait(timeout=15)
    assert (tmp_path / "decisions.jsonl").read_bytes() == exported


def test_starting_and_stopping_the_app_without_a_decision_leaves_decisions_jsonl_untouched(outputs, tmp_path):
    """Issue 15, defect 7: a start on a corpus with no decisions rewrote the tracked file."""
    jsonl = tmp_path / "decisions.jsonl"
    jsonl.write_bytes(b"\n")
    before = jsonl.stat().st_mtime_ns
    server = Server(tmp_path)
    server.request("GET", "/api/documents")
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=15) == 0
    assert jsonl.read_bytes() == b"\n" and jsonl.stat().st_mtime_ns == before


def test_a_session_survives_a_restart_of_the_server_process(outputs, tmp_path):
    from pipeline.review.accounts import Accounts

    Accounts(DecisionStore(tmp_path / "review.sqlite")).add("aigerim", secret="secret-of-aigerim")
    pid, text = _longest(outputs)
    first = Server(tmp_path, annotator="")
    status, body = first.request("POST", "/api/login", {"name": "aigerim", "secret": "secret-of-aigerim"})
    assert status == 200
    first.csrf = json.loads(body)["csrf"]
    first.proc.send_signal(signal.SIGTERM)
    first.proc.wait(timeout=15)
    second = Server(tmp_path, annotator="")
    second.cookie, second.csrf = first.cookie, first.csrf  # the same browser
    try:
        status, body = second.request("POST", "/api/decisions",
                                      {"passage_id": pid, "action": "add", "start": 0, "end": 5, "label": "PERSON"})
        assert status == 200, body
        assert json.loads(body)["decision"]["annotator"] == "aigerim"
    finally:
        second.proc.send_signal(signal.SIGTERM)
        second.proc.wait(timeout=15)
