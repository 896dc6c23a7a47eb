"""Benchmark the review app over real HTTP on loopback, at 50,000 passages, with annotator accounts on.

Every client signs in with its own account (issue 15); the passage page is also timed against
the same outputs served in single-user mode (no accounts), the peer for the cost of accounts.
Figures (targets from issue 6, kept by issue 15):
- page for a passage with 50 entities (HTML shell + its JSON) served in < 100 ms
- a decision acknowledged in < 50 ms at the 95th percentile with 4 annotators writing at once
- the document list stays fast at 50,000 passages (paginated, indexed)
Peers measured in the same run:
- document list at 50,000 passages vs at 1,000 passages (does it slow down with size?)
- the per-decision cost of the naive alternative: rewriting decisions.jsonl atomically after
  every decision, at 400 and at 20,000 decisions, vs one SQLite WAL commit (synchronous=FULL)

Passages are paragraphs of real documents from ../shared/data/scale (en/ru/kk) when present,
else lines of the shipped seed corpus repeated under new document ids. Entities are synthetic
(capitalised word runs tagged with rotating labels), which is all the app needs to be measured.

    .venv/bin/python bench/bench_review.py [--passages 50000] [--per-annotator 100]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import atomic  # noqa: E402
from pipeline.decisions.records import mention_key, text_sha1  # noqa: E402
from pipeline.fixtures.sample_outputs import seed_outputs  # noqa: E402
from pipeline.review.store import DecisionStore  # noqa: E402

SCALE = REPO.parent / "shared" / "data" / "scale"
LABELS = ("UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE")
CAPITALISED = re.compile(r"\b[A-ZА-ЯЁӘҒҚҢӨҰҮІҺ][\w-]+(?: [A-ZА-ЯЁӘҒҚҢӨҰҮІҺ][\w-]+)*")


def real_paragraphs(limit: int) -> tuple[list[tuple[str, str, str]], str]:
    """(doc_id, lang, paragraph) triples from the scale corpus, or from the seed corpus as fallback."""
    out: list[tuple[str, str, str]] = []
    if SCALE.exists():
        files = [SCALE / f"{lang}.jsonl" for lang in ("en", "ru", "kk")]
        handles = [open(f, encoding="utf-8") for f in files if f.exists()]
        while len(out) < limit and handles:
            for h in list(handles):  # interleave languages
                line = h.readline()
                if not line:
                    handles.remove(h)
                    continue
                d = json.loads(line)
                for para in d["text"].split("\n"):
                    if len(para.strip()) >= 40:
                        out.append((d["id"], d["lang"], para.strip()))
        for h in handles:
            h.close()
        return out[:limit], f"{SCALE} (real en/ru/kk documents)"
    passages, _ = seed_outputs(REPO / "corpus")
    rows = list(zip(passages["doc_id"], passages["lang"], passages["text"], strict=True))
    k = 0
    while len(out) < limit:
        out += [(f"{doc}-copy{k}", lang, text) for doc, lang, text in rows]
        k += 1
    return out[:limit], "corpus/documents (seed corpus repeated; ../shared/data/scale not found)"


def build_outputs(out: Path, n: int) -> tuple[str, str]:
    """Write passages.parquet and entities_machine.parquet; return (id of the 50-entity passage, source)."""
    paragraphs, source = real_paragraphs(n)
    passages, entities = [], []
    counters: dict[str, int] = {}
    for doc_id, lang, text in paragraphs:
        index = counters.get(doc_id, 0)
        counters[doc_id] = index + 1
        pid = f"{doc_id}-{text_sha1(text)[:10]}-{index}"
        passages.append({"doc_id": doc_id, "passage_id": pid, "passage_index": index, "text": text, "lang": lang,
                         "title": doc_id, "source_start": 0, "source_end": len(text), "offset_map": "[]"})
        for k, m in enumerate(CAPITALISED.finditer(text)):
            if k >= 5:
                break
            entities.append({"passage_id": pid, "start": m.start(), "end": m.end(), "text": m.group(),
                             "label": LABELS[k % len(LABELS)], "canonical_id": m.group().lower()[:40],
                             "canonical_name": m.group(), "backend": "bench", "score": 0.5,
                             "mention_id": mention_key(pid, m.start(), m.end())})
    # One passage carrying exactly 50 entities: 50 real sentences' first words, joined.
    words = [t.split()[0] for _, _, t in paragraphs[:400] if t.split()][:50]
    text = " ".join(f"{w} met the rector." for w in words)
    pid = "bench50-" + text_sha1(text)[:10]
    passages.append({"doc_id": "bench50", "passage_id": pid, "passage_index": 0, "text": text, "lang": "en",
                     "title": "50 entities", "source_start": 0, "source_end": len(text), "offset_map": "[]"})
    at = 0
    for k, w in enumerate(words):
        start = text.index(w, at)
        at = start + len(w)
        entities.append({"passage_id": pid, "start": start, "end": at, "text": w, "label": LABELS[k % 5],
                         "canonical_id": w.lower(), "canonical_name": w, "backend": "bench", "score": 0.5,
                         "mention_id": mention_key(pid, start, at)})
    atomic.write_parquet(out / "passages.parquet", pd.DataFrame(passages))
    atomic.write_parquet(out / "entities_machine.parquet", pd.DataFrame(entities))
    return pid, source


class Client:
    """One annotator's HTTP session against the server."""

    def __init__(self, port: int, name: str | None):
        self.port = port
        self.cookie = ""
        self.csrf = ""
        html = self.call("GET", "/login")[1]
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
        if name is not None:  # accounts on: sign in as this annotator
            status, body, _ = self.call("POST", "/api/login", {"name": name, "secret": f"secret-of-{name}"})
            assert status == 200, body
            self.csrf = json.loads(body)["csrf"]

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, float]:
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={"Cookie": self.cookie, "X-CSRF-Token": self.csrf, "Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read().decode()
        elapsed = time.perf_counter() - t0
        if r.getheader("Set-Cookie"):
            self.cookie = r.getheader("Set-Cookie").split(";")[0]
        conn.close()
        return r.status, data, elapsed


ANNOTATORS = ("bench-reader", "annotator-0", "annotator-1", "annotator-2", "annotator-3")


def start_server(outputs: Path, tmp: Path, name: str, accounts: bool = True) -> tuple[subprocess.Popen, int, float]:
    if accounts:
        from pipeline.review.accounts import Accounts

        people = Accounts(DecisionStore(tmp / f"{name}.sqlite"))
        for who in ANNOTATORS:
            people.add(who, secret=f"secret-of-{who}")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "review", "--port", "0", "--outputs", str(outputs),
         "--db", str(tmp / f"{name}.sqlite"), "--jsonl", str(tmp / f"{name}.jsonl")],
        cwd=tmp, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    port = int(re.search(r":(\d+)/", line).group(1))
    return proc, port, time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def time_calls(client: Client, paths: list[str], reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        for p in paths:
            status, _, elapsed = client.call("GET", p)
            assert status == 200, (p, status)
            times.append(elapsed)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=50_000)
    parser.add_argument("--per-annotator", type=int, default=100)
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench_review_") as tmp_name:
        tmp = Path(tmp_name)
        big, small = tmp / "big", tmp / "small"
        t0 = time.perf_counter()
        pid50, source = build_outputs(big, args.passages)
        build_outputs(small, 1_000)
        print(f"built outputs from {source} in {time.perf_counter() - t0:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings are noisy when high)")
        proc_big, port_big, start_big = start_server(big, tmp, "big")
        proc_small, port_small, start_small = start_server(small, tmp, "small")
        proc_single, port_single, _ = start_server(big, tmp, "single", accounts=False)
        try:
            print(f"server start incl. catalog load: {start_big:.1f} s at {args.passages + 1} passages, "
                  f"{start_small:.1f} s at 1,001")
            a = Client(port_big, "bench-reader")
            # 1. Passage page with 50 entities: HTML shell + JSON, as the browser loads it.
            page = []
            for _ in range(30):
                t = time_calls(a, [f"/passage/{pid50}", f"/api/passages/{pid50}"], 1)
                page.append(sum(t))
            n_ent = len(json.loads(a.call("GET", f"/api/passages/{pid50}")[1])["mentions"])
            results["passage_page_50_entities_ms"] = {"median": statistics.median(page) * 1000,
                                                      "p95": pct(page, 0.95) * 1000, "entities": n_ent}
            single = Client(port_single, None)
            page_single = [sum(time_calls(single, [f"/passage/{pid50}", f"/api/passages/{pid50}"], 1))
                           for _ in range(30)]
            results["passage_page_single_user_ms"] = {"median": statistics.median(page_single) * 1000,
                                                      "p95": pct(page_single, 0.95) * 1000}
            print(f"passage page with {n_ent} entities (HTML + JSON), signed in: median {ms(statistics.median(page))}, "
                  f"p95 {ms(pct(page, 0.95))}  [target < 100 ms]; peer single-user (no accounts): median "
                  f"{ms(statistics.median(page_single))}, p95 {ms(pct(page_single, 0.95))}")
            # 2. Document list at 50k vs 1k passages (the peer).
            paths = ["/api/documents?page=0", "/api/documents?page=40", "/api/documents?lang=ru&page=3",
                     "/api/documents?label=PERSON&page=1", "/api/passages?page=500"]
            small_client = Client(port_small, "bench-reader")
            docs_big = time_calls(a, paths, 6)
            docs_small = time_calls(small_client, paths, 6)
            results["document_list_ms"] = {
                "passages_50k": {"median": statistics.median(docs_big) * 1000, "p95": pct(docs_big, 0.95) * 1000},
                "passages_1k": {"median": statistics.median(docs_small) * 1000, "p95": pct(docs_small, 0.95) * 1000}}
            print(f"document/passage list pages at {args.passages} passages: median {ms(statistics.median(docs_big))}, "
                  f"p95 {ms(pct(docs_big, 0.95))}; peer at 1,000 passages: median {ms(statistics.median(docs_small))}, "
                  f"p95 {ms(pct(docs_small, 0.95))}")
            # 3. Four annotators deciding at once.
            ids = json.loads(a.call("GET", "/api/passages?page=10")[1])["passages"]
            latencies: list[float] = []
            failures: list[str] = []
            lock = threading.Lock()

            def annotate(k: int) -> None:
                c = Client(port_big, f"annotator-{k}")
                for i in range(args.per_annotator):
                    row = ids[(k * 7 + i) % len(ids)]
                    start = (4 * i + k) % (row["n_chars"] - 1)  # distinct spans: no two annotators collide
                    body = {"passage_id": row["passage_id"], "action": "add", "start": start, "end": start + 1,
                            "label": "PERSON"}
                    status, data, elapsed = c.call("POST", "/api/decisions", body)
                    with lock:
                        if status == 200:
                            latencies.append(elapsed)
                        else:
                            failures.append(f"{status} {data[:120]}")

            threads = [threading.Thread(target=annotate, args=(k,)) for k in range(4)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            results["decision_ack_ms_4_annotators"] = {
                "n": len(latencies), "failures": len(failures), "median": statistics.median(latencies) * 1000,
                "p95": pct(latencies, 0.95) * 1000, "p99": pct(latencies, 0.99) * 1000,
                "decisions_per_s": len(latencies) / wall}
            print(f"decision acknowledged (4 annotators at once, {len(latencies)} decisions, {len(failures)} refused): "
                  f"median {ms(statistics.median(latencies))}, p95 {ms(pct(latencies, 0.95))}, "
                  f"p99 {ms(pct(latencies, 0.99))}, {len(latencies) / wall:.0f} decisions/s  [target p95 < 50 ms]")
            if failures:
                print("  refused:", failures[:3])
        finally:
            for proc in (proc_big, proc_small, proc_single):
                proc.terminate()
                proc.wait(timeout=30)
        stored = DecisionStore(tmp / "big.sqlite")
        exported = sum(1 for _ in open(tmp / "big.jsonl", encoding="utf-8"))
        print(f"after shutdown: {stored.count()} decisions in the store, {exported} lines in decisions.jsonl")
        results["stored_after_shutdown"] = stored.count()
        # 4. Peer: rewrite decisions.jsonl after every decision, vs one durable commit.
        peer = {}
        for n in (400, 20_000):
            store = DecisionStore(tmp / f"peer{n}.sqlite")
            store.import_decisions([{**d, "decision_id": f"{d['decision_id']}-{k}"}
                                    for k in range(n // max(1, stored.count()) + 1) for d in stored.all()][:n])
            t_commit, t_rewrite = [], []
            for i in range(20):
                d = {"annotator": "peer", "doc_id": "x", "passage_id": "x", "passage_sha1": "x",
                     "mention_id": f"x:{i}", "action": "reject"}
                t0 = time.perf_counter()
                store.record(d)
                t_commit.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                store.export_jsonl(tmp / f"peer{n}.jsonl")
                t_rewrite.append(time.perf_counter() - t0)
            peer[n] = (statistics.median(t_commit), statistics.median(t_rewrite))
            print(f"at {store.count()} decisions: SQLite commit (WAL, FULL) median {ms(peer[n][0])}; "
                  f"peer 'rewrite decisions.jsonl per decision' median {ms(peer[n][1])}")
        results["peer_jsonl_rewrite_ms"] = {str(n): {"sqlite_commit": c * 1000, "jsonl_rewrite": r * 1000}
                                            for n, (c, r) in peer.items()}
    results["passages"] = args.passages + 1
    results["load_average_at_end"] = os.getloadavg()[0]
    results["source"] = source
    atomic.write_json(REPO / "bench" / "results" / "review.json", results)
    print(f"written to {REPO / 'bench' / 'results' / 'review.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
