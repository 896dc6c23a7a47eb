"""Sessions and access: they survive a restart, stay apart between instances, and the access
token never lingers in logs, addresses or a link nobody can open."""

from __future__ import annotations

import re

import pytest

from pipeline.review.accounts import Accounts
from pipeline.review.app import create_app
from pipeline.review.catalog import Catalog
from pipeline.review.sample_outputs import seed_outputs
from pipeline.review.settings import ReviewSettings
from pipeline.review.store import DecisionStore


@pytest.fixture(scope="module")
def catalog(corpus_dir):
    return Catalog(*seed_outputs(corpus_dir))


def _csrf(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def _tokayev(catalog):
    pid = next(p for p in catalog.passage_ids() if "Tokayev graduated" in catalog.passage(p)["text"])
    mention = next(m for m in catalog.passage(pid)["entities"] if m["text"] == "Tokayev")
    return pid, mention["mention_id"]


def test_a_session_survives_a_restart_of_the_app(catalog, tmp_path):
    settings = ReviewSettings(db=str(tmp_path / "review.sqlite"))
    store = DecisionStore(tmp_path / "review.sqlite")
    first = create_app(catalog, store, settings, annotator="aigerim")
    client = first.test_client()
    csrf = _csrf(client)
    restarted = create_app(catalog, DecisionStore(tmp_path / "review.sqlite"), settings, annotator="aigerim")
    pid, mid = _tokayev(catalog)
    with restarted.test_client() as again:
        for cookie in client._cookies.values():  # noqa: SLF001 - carry the browser's cookies over
            again.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
        r = again.post("/api/decisions", json={"passage_id": pid, "mention_id": mid, "action": "accept",
                                                "base_decision_id": None}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.get_json()


def test_two_instances_on_different_ports_use_different_session_cookies(catalog, tmp_path):
    names = []
    for port in (8765, 8766):
        settings = ReviewSettings(port=port, db=str(tmp_path / f"{port}.sqlite"))
        client = create_app(catalog, DecisionStore(tmp_path / f"{port}.sqlite"), settings,
                            annotator="aigerim").test_client()
        client.get("/")
        names.append({c.key for c in client._cookies.values()})  # noqa: SLF001
    assert names[0] and names[1] and names[0].isdisjoint(names[1])


def test_a_token_in_the_address_is_moved_into_the_session_and_removed_from_the_address(catalog, tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    Accounts(store).add("aigerim", secret="secret-of-aigerim")
    app = create_app(catalog, store, ReviewSettings(host="0.0.0.0"), token="correct-horse-battery")
    client = app.test_client()
    r = client.get("/login?next=/passages&token=correct-horse-battery")
    assert r.status_code in (302, 303) and "token" not in r.headers["Location"]
    assert r.headers["Location"].endswith("/login?next=%2Fpassages")
    assert client.get("/login").status_code == 200  # the token is in the session now


def test_the_access_log_never_shows_the_token():
    from pipeline.review.security import redact

    line = '127.0.0.1 - - "GET /passages?lang=kk&token=correct-horse-battery HTTP/1.1" 303 -'
    assert "correct-horse-battery" not in redact(line) and "lang=kk" in redact(line)


def test_the_start_up_link_of_an_all_interfaces_bind_can_be_opened():
    from pipeline.review.security import start_urls

    urls = start_urls("0.0.0.0", 8765)
    assert urls and not any("0.0.0.0" in u for u in urls)
    assert all(re.match(r"http://[^/]+:8765/$", u) for u in urls)
