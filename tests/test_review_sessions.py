"""Sessions and access: they survive a restart, stay apart between instances, and the access
token never lingers in logs, addresses or a link nobody can open."""

from __future__ import annotations

import re

import pytest

from pipeline.fixtures.sample_outputs import seed_outputs
from pipeline.review.accounts import Accounts
from pipeline.review.app import create_app
from pipeline.review.catalog import Catalog
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


def _signed_in(app, name: str, secret: str):
    client = app.test_client()
    csrf = _csrf_of(client, "/login")
    r = client.post("/api/login", json={"name": name, "secret": secret}, headers={"X-CSRF-Token": csrf})
    return client, r


def _csrf_of(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_once_accounts_exist_every_decision_is_made_by_a_signed_in_annotator(catalog, tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    Accounts(store).add("aigerim@example.org", secret="secret-of-aigerim")
    app = create_app(catalog, store)
    anonymous = app.test_client()
    assert anonymous.get("/").status_code == 303 and "/login" in anonymous.get("/").headers["Location"]
    assert anonymous.get("/api/documents").get_json()["code"] == "login"
    _, wrong = _signed_in(app, "aigerim@example.org", "not-the-secret")
    assert wrong.status_code == 401
    client, ok = _signed_in(app, "aigerim@example.org", "secret-of-aigerim")
    pid, mid = _tokayev(catalog)
    r = client.post("/api/decisions", json={"passage_id": pid, "mention_id": mid, "action": "accept",
                                            "annotator": "someone-else"}, headers={"X-CSRF-Token": ok.get_json()["csrf"]})
    assert r.status_code == 200 and store.all()[0]["annotator"] == "aigerim@example.org"


def test_a_one_time_link_signs_in_once(catalog, tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    accounts = Accounts(store)
    accounts.add("dmitry", role="adjudicator", secret="secret-of-dmitry")
    token = accounts.link_token("dmitry")
    app = create_app(catalog, store)
    first, second = app.test_client(), app.test_client()
    r = first.post("/api/login/once", json={"token": token}, headers={"X-CSRF-Token": _csrf_of(first, "/login")})
    assert r.status_code == 200 and r.get_json()["user"] == {"name": "dmitry", "role": "adjudicator"}
    again = second.post("/api/login/once", json={"token": token}, headers={"X-CSRF-Token": _csrf_of(second, "/login")})
    assert again.status_code == 401 and "used already" in again.get_json()["error"]


def test_resetting_a_secret_ends_the_accounts_sessions(catalog, tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    accounts = Accounts(store)
    accounts.add("aigerim", secret="secret-of-aigerim")
    app = create_app(catalog, store)
    client, _ = _signed_in(app, "aigerim", "secret-of-aigerim")
    assert client.get("/api/progress").status_code == 200
    accounts.reset("aigerim")
    assert client.get("/api/progress").status_code == 401


def test_only_adjudicators_reach_the_disagreements(catalog, tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    accounts = Accounts(store)
    accounts.add("aigerim", secret="secret-of-aigerim")
    accounts.add("zhanna", role="adjudicator", secret="secret-of-zhanna")
    app = create_app(catalog, store)
    annotator, _ = _signed_in(app, "aigerim", "secret-of-aigerim")
    adjudicator, _ = _signed_in(app, "zhanna", "secret-of-zhanna")
    assert annotator.get("/api/disagreements").status_code == 403
    assert annotator.get("/adjudicate").status_code == 403
    assert adjudicator.get("/api/disagreements").get_json() == {"passages": [], "total": 0}


def test_single_user_mode_needs_no_sign_in_and_uses_the_given_name(catalog, tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    client = create_app(catalog, store, annotator="aigerim").test_client()
    assert client.get("/api/session").get_json()["user"] == {"name": "aigerim", "role": "adjudicator"}


def test_the_annotator_option_is_refused_once_accounts_exist(catalog, tmp_path):
    from pipeline.errors import PipelineError

    store = DecisionStore(tmp_path / "review.sqlite")
    Accounts(store).add("aigerim", secret="secret-of-aigerim")
    with pytest.raises(PipelineError, match="accounts exist"):
        create_app(catalog, store, annotator="dmitry")


def test_secrets_are_stored_only_as_salted_hashes(tmp_path):
    store = DecisionStore(tmp_path / "review.sqlite")
    secret = Accounts(store).add("aigerim")
    assert secret and len(secret) >= 12
    assert secret.encode() not in (tmp_path / "review.sqlite").read_bytes()
    assert Accounts(store).sign_in("aigerim", secret).name == "aigerim"
