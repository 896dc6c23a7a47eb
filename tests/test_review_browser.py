"""The review app in a real browser (Debian chromium driven by Playwright)."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest
from werkzeug.serving import make_server

from pipeline.decisions.records import text_sha1
from pipeline.fixtures.sample_outputs import seed_outputs
from pipeline.review.accounts import Accounts
from pipeline.review.app import create_app
from pipeline.review.catalog import Catalog
from pipeline.review.settings import ReviewSettings
from pipeline.review.store import DecisionStore

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium: apt-get install chromium")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def serve(catalog: Catalog, store: DecisionStore, port: int = 0, settings: ReviewSettings | None = None,
          annotator: str | None = "aigerim"):
    """The app on a real threaded werkzeug server on a loopback port (a free one by default)."""
    app = create_app(catalog, store, settings or ReviewSettings(port=port), annotator=annotator)
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def sign_in(page, port: int, name: str) -> None:
    page.goto(f"http://127.0.0.1:{port}/login")
    page.fill("#login-name", name)
    page.fill("#login-secret", f"secret-of-{name}")
    page.click("#login-form button")
    page.wait_for_url(f"http://127.0.0.1:{port}/")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def test_keyboard_review_survives_a_reload(browser, corpus_dir, tmp_path):
    passages, entities = seed_outputs(corpus_dir)
    store = DecisionStore(tmp_path / "review.sqlite")
    server = serve(Catalog(passages, entities), store)
    pid = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]["passage_id"]
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"http://127.0.0.1:{server.port}/passage/{pid}")
        page.wait_for_selector("#passage-root[data-loaded='1']")
        rows = page.locator("#mentions tbody tr")
        n = rows.count()
        assert n >= 3
        assert "accept" in page.locator("#shortcuts").inner_text()  # shortcuts are shown
        page.keyboard.press("a")  # accept the first mention; selection moves to the second
        page.wait_for_selector("#mentions tbody tr[data-index='0'].st-accepted")
        page.keyboard.press("r")  # reject the second
        page.wait_for_selector("#mentions tbody tr[data-index='1'].st-rejected")
        page.keyboard.press("2")  # relabel the third as PERSON (label 2)
        page.wait_for_selector("#mentions tbody tr[data-index='2'].st-corrected")
        page.reload()
        page.wait_for_selector("#passage-root[data-loaded='1']")
        statuses = [page.locator(f"#mentions tbody tr[data-index='{i}'] td.status").inner_text() for i in range(3)]
        assert statuses == ["accepted", "rejected", "corrected"]
        assert page.locator("#mentions tbody tr[data-index='2'] td.label").inner_text() == "PERSON"
        assert [d["action"] for d in store.all()] == ["accept", "reject", "relabel"]
        assert errors == []
    finally:
        server.shutdown()


def test_selecting_text_and_pressing_a_label_key_adds_the_entity(browser, corpus_dir, tmp_path):
    passages, entities = seed_outputs(corpus_dir)
    store = DecisionStore(tmp_path / "review.sqlite")
    server = serve(Catalog(passages, entities), store)
    row = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/passage/{row['passage_id']}")
        page.wait_for_selector("#passage-root[data-loaded='1']")
        # Select "Abai KazNPU" in the first text node of the passage (it precedes every mention).
        page.evaluate("""() => {
            const box = document.getElementById('passage-text');
            const node = box.firstChild;
            const i = node.textContent.indexOf('Abai KazNPU');
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 'Abai KazNPU'.length);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }""")
        page.keyboard.press("1")  # UNIVERSITY
        page.wait_for_selector("#mentions tbody tr.st-added")
        [added] = [d for d in store.all() if d["action"] == "add"]
        start = row["text"].index("Abai KazNPU")
        assert (added["result"]["start"], added["result"]["end"], added["result"]["label"]) == (
            start, start + 11, "UNIVERSITY")
    finally:
        server.shutdown()


def test_markup_in_a_document_is_shown_as_text_and_never_runs(browser, tmp_path):
    text = 'Al-Farabi Kazakh National University <script>window.pwned = 1</script><img src=x onerror="window.pwned=2">'
    pid = "doc1-" + text_sha1(text)[:10]
    passages = pd.DataFrame([{"doc_id": "doc1", "passage_id": pid, "passage_index": 0, "text": text, "lang": "en",
                              "title": "<b>bold?</b>"}])
    entities = pd.DataFrame([{"passage_id": pid, "start": 0, "end": 36, "text": text[:36], "label": "UNIVERSITY"}])
    server = serve(Catalog(passages, entities), DecisionStore(tmp_path / "review.sqlite"))
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/passage/{pid}")
        page.wait_for_selector("#passage-root[data-loaded='1']")
        assert page.locator("#passage-text").inner_text() == text
        assert page.locator("#doc-title").inner_text() == "<b>bold?</b>"
        assert page.evaluate("() => window.pwned === undefined")
        assert page.locator("#passage-text script, #passage-text img").count() == 0
    finally:
        server.shutdown()


def test_document_list_opens_with_progress_and_leads_to_passages(browser, corpus_dir, tmp_path):
    server = serve(Catalog(*seed_outputs(corpus_dir)), DecisionStore(tmp_path / "review.sqlite"))
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/")
        page.wait_for_selector("#documents tbody tr")
        assert page.locator("#documents tbody tr").count() == 5
        page.locator("#documents tbody tr[data-doc-id='002_3ac2eefe626476ff'] a").click()
        page.wait_for_selector("#passages tbody tr")
        assert "doc_id=002_3ac2eefe626476ff" in page.url
        assert page.locator("#passages tbody tr").count() > 10
    finally:
        server.shutdown()


def test_a_conflicting_edit_is_reported_and_the_page_shows_the_newer_decision(browser, corpus_dir, tmp_path):
    passages, entities = seed_outputs(corpus_dir)
    store = DecisionStore(tmp_path / "review.sqlite")
    for name in ("aigerim", "dmitry"):
        Accounts(store).add(name, secret=f"secret-of-{name}")
    server = serve(Catalog(passages, entities), store, annotator=None)
    pid = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]["passage_id"]
    pages = []
    try:
        for name in ("aigerim", "dmitry"):
            page = browser.new_context().new_page()
            sign_in(page, server.port, name)
            page.goto(f"http://127.0.0.1:{server.port}/passage/{pid}")
            page.wait_for_selector("#passage-root[data-loaded='1']")
            pages.append(page)
        aigerim, dmitry = pages
        aigerim.keyboard.press("a")
        aigerim.wait_for_selector("#mentions tbody tr[data-index='0'].st-accepted")
        dmitry.keyboard.press("r")  # dmitry still sees the mention undecided
        dmitry.wait_for_selector("#banner.error")
        assert "Conflict" in dmitry.locator("#banner").inner_text()
        dmitry.wait_for_selector("#mentions tbody tr[data-index='0'].st-accepted")
        assert [(d["annotator"], d["action"]) for d in store.all()] == [("aigerim", "accept")]
    finally:
        server.shutdown()


def test_a_decision_refused_by_a_busy_database_is_kept_and_retried(browser, corpus_dir, tmp_path):
    import sqlite3

    passages, entities = seed_outputs(corpus_dir)
    store = DecisionStore(tmp_path / "review.sqlite", busy_timeout_ms=50)
    server = serve(Catalog(passages, entities), store)
    pid = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]["passage_id"]
    page = browser.new_page()
    other = sqlite3.connect(tmp_path / "review.sqlite", isolation_level=None)
    try:
        page.goto(f"http://127.0.0.1:{server.port}/passage/{pid}")
        page.wait_for_selector("#passage-root[data-loaded='1']")
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        page.keyboard.press("a")
        page.wait_for_selector("#banner.warn")
        assert store.count() == 0
        assert "not saved yet" in page.locator("#banner").inner_text()
        other.execute("ROLLBACK")
        page.wait_for_function("() => JSON.parse(localStorage.getItem('review-pending-v2') || '[]').length === 0",
                               timeout=15_000)
        assert [d["action"] for d in store.all()] == ["accept"]
    finally:
        other.close()
        server.shutdown()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_decision_queued_while_the_server_was_down_is_saved_after_the_restart(browser, corpus_dir, tmp_path):
    """Issue 15, defect 1: the queue was thrown away ("Choose your annotator name first")."""
    passages, entities = seed_outputs(corpus_dir)
    catalog = Catalog(passages, entities)
    store = DecisionStore(tmp_path / "review.sqlite")
    Accounts(store).add("aigerim", secret="secret-of-aigerim")
    port = _free_port()
    server = serve(catalog, store, port=port, annotator=None)
    pid = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]["passage_id"]
    page = browser.new_page()
    try:
        sign_in(page, port, "aigerim")
        page.goto(f"http://127.0.0.1:{port}/passage/{pid}")
        page.wait_for_selector("#passage-root[data-loaded='1']")
        server.shutdown()
        server.server_close()
        page.keyboard.press("a")  # the server is down
        page.wait_for_selector("#banner.warn")
        assert store.count() == 0
        server = serve(catalog, DecisionStore(tmp_path / "review.sqlite"), port=port, annotator=None)  # restarted
        page.wait_for_function("() => JSON.parse(localStorage.getItem('review-pending-v2') || '[]').length === 0",
                               timeout=20_000)
        assert [(d["annotator"], d["action"]) for d in store.all()] == [("aigerim", "accept")]
        assert page.evaluate("() => localStorage.getItem('review-refused-v1')") is None
    finally:
        server.shutdown()


def test_shortcuts_work_after_the_label_menu_and_reach_the_tenth_label(browser, corpus_dir, tmp_path):
    passages, entities = seed_outputs(corpus_dir)
    store = DecisionStore(tmp_path / "review.sqlite")
    labels = ("UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE", "LOC", "DATE", "NORP", "FAC", "EVENT", "LAW")
    server = serve(Catalog(passages, entities), store, settings=ReviewSettings(labels=labels))
    pid = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]["passage_id"]
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/passage/{pid}")
        page.wait_for_selector("#passage-root[data-loaded='1']")
        page.select_option("#mentions tbody tr[data-index='0'] select.label-select", "ORG")
        page.wait_for_selector("#mentions tbody tr[data-index='0'].st-corrected")
        page.keyboard.press("r")  # no click in between: the keyboard still drives the page
        page.wait_for_selector("#mentions tbody tr[data-index='1'].st-rejected")
        page.keyboard.press("0")  # the tenth label
        page.wait_for_selector("#mentions tbody tr[data-index='2'].st-corrected")
        page.keyboard.press("Shift+1")  # the eleventh, on the next mention
        page.wait_for_function("() => Array.from(document.querySelectorAll('#mentions tbody td.label'))"
                               ".some(td => td.textContent === 'LAW')")
        assert [d["result"]["label"] for d in store.all() if d["action"] == "relabel"] == ["ORG", "EVENT", "LAW"]
    finally:
        server.shutdown()


def test_d_asks_before_accepting_many_mentions_and_u_undoes_it(browser, corpus_dir, tmp_path):
    passages, entities = seed_outputs(corpus_dir)
    store = DecisionStore(tmp_path / "review.sqlite")
    server = serve(Catalog(passages, entities), store, settings=ReviewSettings(confirm_accept_over=1))
    pid = passages[passages["text"].str.contains("Rector of Abai KazNPU", regex=False)].iloc[0]["passage_id"]
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/passage/{pid}")
        page.wait_for_selector("#passage-root[data-loaded='1']")
        page.keyboard.press("d")
        page.wait_for_selector("#confirm-dialog[open]")
        page.keyboard.press("Escape")  # no: nothing is stored
        page.wait_for_function("() => !document.getElementById('confirm-dialog').open")
        assert store.count() == 0
        page.keyboard.press("d")
        page.wait_for_selector("#confirm-dialog[open]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#mentions tbody tr.st-accepted")
        assert store.reviewed_passages() == {pid}
        page.keyboard.press("u")
        page.wait_for_function("() => document.querySelectorAll('#mentions tbody tr.st-accepted').length === 0")
        assert store.reviewed_passages() == set()
    finally:
        server.shutdown()
