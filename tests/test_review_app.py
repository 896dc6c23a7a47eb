"""The review web app over HTTP (Flask test client): listing, deciding, errors, security."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pipeline.decisions.records import mention_key, text_sha1
from pipeline.errors import PipelineError
from pipeline.fixtures.sample_outputs import seed_outputs
from pipeline.review.accounts import Accounts
from pipeline.review.app import create_app
from pipeline.review.catalog import Catalog
from pipeline.review.settings import ReviewSettings
from pipeline.review.store import DecisionStore


@pytest.fixture(scope="module")
def seed(corpus_dir):
    return seed_outputs(corpus_dir)


@pytest.fixture
def store(tmp_path):
    return DecisionStore(tmp_path / "review.sqlite")


@pytest.fixture
def app(seed, store):
    passages, entities = seed
    return create_app(Catalog(passages, entities), store, ReviewSettings(page_size=2))


def login(client, name: str = "aigerim", role: str = "annotator") -> str:
    """Sign in as an annotator (creating the account the first time); returns the CSRF token."""
    accounts = Accounts(client.application.extensions["review"].store)
    if accounts.get(name) is None:
        accounts.add(name, role, secret=f"secret-of-{name}")
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    r = client.post("/api/login", json={"name": name, "secret": f"secret-of-{name}"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["csrf"]


def passage_with(seed, needle: str) -> pd.Series:
    passages, _ = seed
    return passages[passages["text"].str.contains(needle, regex=False)].iloc[0]


def test_document_list_pages_through_documents_with_review_progress(app):
    client = app.test_client()
    first = client.get("/api/documents?page=0").get_json()
    second = client.get("/api/documents?page=2").get_json()
    assert first["total"] == 5 and len(first["documents"]) == 2 and len(second["documents"]) == 1
    assert first["documents"][0]["reviewed"] == 0 and first["documents"][0]["n_passages"] > 0


def test_document_list_filters_by_label_and_language(app):
    client = app.test_client()
    agreements = client.get("/api/documents?label=AGREEMENT").get_json()
    kazakh = client.get("/api/documents?lang=kk").get_json()
    assert [d["doc_id"] for d in agreements["documents"]] == ["002_3ac2eefe626476ff"]
    assert [d["doc_id"] for d in kazakh["documents"]] == ["002_3ac2eefe626476ff"]


def test_passage_shows_text_and_machine_mentions_in_order(app, seed):
    p = passage_with(seed, "Tokayev graduated")
    body = app.test_client().get(f"/api/passages/{p['passage_id']}").get_json()
    assert body["text"] == p["text"]
    assert [m["text"] for m in body["mentions"] if m["label"] == "PERSON"] == ["Tokayev"]
    assert all(m["status"] == "machine" for m in body["mentions"])


def test_an_accepted_mention_is_stored_with_who_and_what_the_machine_proposed(app, seed, store):
    client = app.test_client()
    csrf = login(client, "aigerim")
    p = passage_with(seed, "Tokayev graduated")
    mention = next(m for m in client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                   if m["text"] == "Tokayev")
    r = client.post("/api/decisions", json={"passage_id": p["passage_id"], "mention_id": mention["mention_id"],
                                            "action": "accept", "base_decision_id": None},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.get_json()["mention"]["status"] == "accepted"
    [stored] = store.all()
    assert (stored["annotator"], stored["proposed"]["text"], stored["passage_sha1"]) == (
        "aigerim", "Tokayev", text_sha1(p["text"]))


def test_adding_a_missing_entity_from_a_text_span(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Rector of Abai KazNPU")
    start = p["text"].index("Abai KazNPU")
    r = client.post("/api/decisions", json={"passage_id": p["passage_id"], "action": "add", "start": start,
                                            "end": start + 11, "label": "UNIVERSITY"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    added = r.get_json()["mention"]
    assert (added["text"], added["status"], added["mention_id"]) == (
        "Abai KazNPU", "added", mention_key(p["passage_id"], start, start + 11))


def test_a_stale_edit_is_reported_as_a_conflict_and_not_saved(app, seed, store):
    p = passage_with(seed, "Tokayev graduated")
    mid = next(m["mention_id"] for m in app.test_client().get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
               if m["text"] == "Tokayev")
    first, second = app.test_client(), app.test_client()
    csrf_a, csrf_b = login(first, "aigerim"), login(second, "dmitry")
    body = {"passage_id": p["passage_id"], "mention_id": mid, "base_decision_id": None}
    assert first.post("/api/decisions", json={**body, "action": "accept"}, headers={"X-CSRF-Token": csrf_a}).status_code == 200
    r = second.post("/api/decisions", json={**body, "action": "reject"}, headers={"X-CSRF-Token": csrf_b})
    assert r.status_code == 409 and "aigerim" in r.get_json()["error"]
    assert [d["action"] for d in store.all()] == ["accept"]


@pytest.mark.parametrize("payload, status, message", [
    ({"passage_id": "nope", "mention_id": "x", "action": "accept"}, 404, "Unknown passage"),
    ({"mention_id": "x", "action": "accept"}, 400, "passage_id is required"),
    ({"passage_id": "P", "mention_id": "P:0-1", "action": "explode"}, 400, "action must be"),
    ({"passage_id": "P", "mention_id": "P:0-1", "action": "accept"}, 404, "Unknown mention"),
    ({"passage_id": "P", "action": "add", "start": 0, "end": 100000, "label": "PERSON"}, 400, "outside the passage"),
    ({"passage_id": "P", "action": "add", "start": 5, "end": 2, "label": "PERSON"}, 400, "outside the passage"),
    ({"passage_id": "P", "action": "add", "start": "0", "end": 3, "label": "PERSON"}, 400, "must be integers"),
    ({"passage_id": "P", "action": "add", "start": 0, "end": 3, "label": "<b>"}, 400, "label must be"),
])
def test_bad_decisions_get_a_4xx_json_error_that_says_what_is_wrong(app, seed, store, payload, status, message):
    client = app.test_client()
    csrf = login(client)
    pid = passage_with(seed, "Tokayev graduated")["passage_id"]
    payload = {k: (v.replace("P", pid, 1) if isinstance(v, str) and v.startswith("P") else v)
               for k, v in payload.items()}
    r = client.post("/api/decisions", json=payload, headers={"X-CSRF-Token": csrf})
    assert r.status_code == status and message in r.get_json()["error"]
    assert store.count() == 0


def test_a_malformed_body_is_refused_with_a_json_error(app):
    client = app.test_client()
    csrf = login(client)
    r = client.post("/api/decisions", data="{not json", content_type="application/json", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400 and "JSON object" in r.get_json()["error"]


def test_a_post_without_the_csrf_token_is_refused(app, seed):
    client = app.test_client()
    login(client)
    r = client.post("/api/passages/x/reviewed", json={})
    assert r.status_code == 403


def test_a_cross_origin_post_is_refused_even_with_a_valid_csrf_token(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    pid = passage_with(seed, "Tokayev graduated")["passage_id"]
    r = client.post(f"/api/passages/{pid}/reviewed", json={},
                    headers={"X-CSRF-Token": csrf, "Origin": "http://evil.example"})
    assert r.status_code == 403 and store.count() == 0
    same = client.post(f"/api/passages/{pid}/reviewed", json={},
                       headers={"X-CSRF-Token": csrf, "Origin": "http://localhost"})
    assert same.status_code == 200


def test_marking_a_passage_reviewed_accepts_the_mentions_left_undecided(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Rector of Abai KazNPU")
    r = client.post(f"/api/passages/{p['passage_id']}/reviewed", json={}, headers={"X-CSRF-Token": csrf})
    n_mentions = len(client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"])
    assert r.get_json()["accepted"] == n_mentions > 0
    assert store.reviewed_passages() == {p["passage_id"]}
    docs = client.get("/api/documents?status=in_progress").get_json()["documents"]
    assert [(d["doc_id"], d["reviewed"]) for d in docs] == [(p["doc_id"], 1)]


def test_document_text_never_reaches_the_html_unescaped(store, tmp_path):
    text = 'Rector <script>alert("x")</script> of <img src=x onerror=alert(1)> KazNU'
    pid = "doc1-" + text_sha1(text)[:10]
    passages = pd.DataFrame([{"doc_id": "doc1", "passage_id": pid, "passage_index": 0, "text": text,
                              "lang": "en", "title": "<script>alert('title')</script>"}])
    entities = pd.DataFrame([{"passage_id": pid, "start": 0, "end": 6, "text": "Rector", "label": "PERSON",
                              "mention_id": f"{pid}:0-6"}])
    client = create_app(Catalog(passages, entities), store).test_client()
    for url in ("/", "/passages?doc_id=doc1", f"/passage/{pid}", "/agreement"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "onerror=alert" not in html
    api = client.get(f"/api/passages/{pid}")
    assert api.mimetype == "application/json" and api.get_json()["text"] == text
    assert "script-src 'self'" in api.headers["Content-Security-Policy"]


def test_listening_beyond_loopback_without_accounts_is_refused(seed, store):
    with pytest.raises(PipelineError, match="without annotator accounts"):
        create_app(Catalog(*seed), store, ReviewSettings(host="0.0.0.0"))


def test_off_loopback_requests_need_the_access_token_when_one_is_set(seed, store):
    Accounts(store).add("aigerim", secret="secret-of-aigerim")
    app = create_app(Catalog(*seed), store, ReviewSettings(host="0.0.0.0"), token="correct-horse-battery")
    client = app.test_client()
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/documents", headers={"X-Review-Token": "wrong-token-value"}).status_code == 401
    assert client.get("/login?token=correct-horse-battery").status_code == 303
    assert client.get("/login").status_code == 200  # the session remembers the token
    assert client.get("/api/documents").get_json()["code"] == "login"  # ... and still wants a sign-in


def test_agreement_between_two_annotators_is_served(app, seed):
    p = passage_with(seed, "Tokayev graduated")
    clients = {}
    for name, verdict in (("aigerim", "accept"), ("dmitry", "reject")):
        client = clients[name] = app.test_client()
        csrf = login(client, name)
        state = client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
        tokayev = next(m for m in state if m["text"] == "Tokayev")
        client.post("/api/decisions", json={"passage_id": p["passage_id"], "mention_id": tokayev["mention_id"],
                                            "action": verdict, "base_decision_id": (tokayev["decision"] or {}).get("decision_id")},
                    headers={"X-CSRF-Token": csrf})
        client.post(f"/api/passages/{p['passage_id']}/reviewed", json={}, headers={"X-CSRF-Token": csrf})
    [pair] = clients["aigerim"].get("/api/agreement").get_json()["pairs"]
    assert (pair["annotator_a"], pair["annotator_b"], pair["passages_both_reviewed"]) == ("aigerim", "dmitry", 1)
    assert pair["span_f1"] < 1.0 and pair["per_label"]["PERSON"]["spans_matched"] == 0


def _decide(client, csrf, pid, mention, action, **extra):
    return client.post("/api/decisions", json={"passage_id": pid, "mention_id": mention["mention_id"], "action": action,
                                               "base_decision_id": (mention["decision"] or {}).get("decision_id"),
                                               **extra}, headers={"X-CSRF-Token": csrf})


def test_adjusting_a_span_keeps_what_the_machine_proposed(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Tokayev graduated")
    tokayev = next(m for m in client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                   if m["text"] == "Tokayev")
    start = p["text"].index("K. K. Tokayev")
    r = _decide(client, csrf, p["passage_id"], tokayev, "respan", start=start, end=start + 13)
    assert r.status_code == 200
    assert (r.get_json()["mention"]["text"], r.get_json()["mention"]["status"]) == ("K. K. Tokayev", "corrected")
    assert store.all()[-1]["proposed"]["text"] == "Tokayev"


def test_linking_to_an_existing_or_a_new_canonical_entity(app, seed):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "(MGIMO) MFA of Russia")
    mentions = client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
    mgimo = next(m for m in mentions if m["text"] == "MGIMO")
    linked = _decide(client, csrf, p["passage_id"], mgimo, "link", canonical_id="msu").get_json()["mention"]
    assert linked["canonical_id"] == "msu"
    created = _decide(client, csrf, p["passage_id"], linked, "link",
                      canonical_name="Moscow State Institute of International Relations").get_json()["mention"]
    assert created["canonical_id"] == "new:UNIVERSITY:moscow_state_institute_of_international_relations"
    assert [e["canonical_id"] for e in client.get("/api/canonical?q=MGIMO").get_json()["entities"]] == ["mgimo"]


def test_passage_navigation_follows_the_filters(app, seed):
    passages, entities = seed
    kk = passages[passages["lang"] == "kk"].sort_values(["doc_id", "passage_index"])["passage_id"].tolist()
    body = app.test_client().get(f"/api/passages/{kk[1]}?lang=kk").get_json()
    assert (body["prev"], body["next"], body["position"], body["total"]) == (kk[0], kk[2], 2, len(kk))


def test_a_request_for_another_host_name_is_refused(app):
    """DNS rebinding: a page on evil.example pointed at 127.0.0.1 must not be served."""
    client = app.test_client()
    assert client.get("/api/documents", headers={"Host": "evil.example:8765"}).status_code == 403
    assert client.get("/api/documents", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_a_locked_database_answers_503_and_stores_nothing(seed, tmp_path):
    import sqlite3

    store = DecisionStore(tmp_path / "review.sqlite", busy_timeout_ms=50)
    client = create_app(Catalog(*seed), store).test_client()
    csrf = login(client)
    other = sqlite3.connect(tmp_path / "review.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        pid = passage_with(seed, "Tokayev graduated")["passage_id"]
        r = client.post(f"/api/passages/{pid}/reviewed", json={}, headers={"X-CSRF-Token": csrf})
    finally:
        other.execute("ROLLBACK")
    assert r.status_code == 503 and "NOT saved" in r.get_json()["error"]
    assert store.count() == 0


def test_in_blind_review_annotators_see_only_their_own_decisions(seed, store):
    app = create_app(Catalog(*seed), store, ReviewSettings(blind=True))
    p = passage_with(seed, "Tokayev graduated")
    first, second = app.test_client(), app.test_client()
    csrf_a, csrf_b = login(first, "aigerim"), login(second, "dmitry")
    tokayev = next(m for m in first.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                   if m["text"] == "Tokayev")
    assert _decide(first, csrf_a, p["passage_id"], tokayev, "accept").status_code == 200
    seen_by_b = next(m for m in second.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                     if m["text"] == "Tokayev")
    assert seen_by_b["status"] == "machine"
    assert _decide(second, csrf_b, p["passage_id"], seen_by_b, "reject").status_code == 200
    assert [(d["annotator"], d["action"]) for d in store.all()] == [("aigerim", "accept"), ("dmitry", "reject")]


def test_in_blind_review_another_annotators_review_does_not_show_as_reviewed(seed, store):
    app = create_app(Catalog(*seed), store, ReviewSettings(blind=True))
    p = passage_with(seed, "Tokayev graduated")
    alice, bob = app.test_client(), app.test_client()
    csrf_a = login(alice, "alice")
    login(bob, "bob")
    assert alice.post(f"/api/passages/{p['passage_id']}/reviewed", json={},
                      headers={"X-CSRF-Token": csrf_a}).status_code == 200
    listed = bob.get("/api/passages?canonical_id=tokayev").get_json()["passages"]
    assert not next(r for r in listed if r["passage_id"] == p["passage_id"])["reviewed"]
    assert "reviewers" not in listed[0]
    unreviewed = bob.get("/api/passages?canonical_id=tokayev&status=unreviewed").get_json()["passages"]
    assert p["passage_id"] in [r["passage_id"] for r in unreviewed]
    doc = next(d for d in bob.get("/api/documents").get_json()["documents"] if d["doc_id"] == p["doc_id"])
    assert doc["reviewed"] == 0
    assert bob.get(f"/api/passages/{p['passage_id']}").get_json()["reviewed_by"] == []
    assert bob.get("/api/agreement").status_code == 403


def test_a_made_up_label_is_refused(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Tokayev graduated")
    tokayev = next(m for m in client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                   if m["text"] == "Tokayev")
    r = _decide(client, csrf, p["passage_id"], tokayev, "relabel", label="PERSNO")
    assert r.status_code == 400 and "PERSNO" in r.get_json()["error"]
    assert store.count() == 0


def test_an_invalid_annotator_name_given_at_start_is_refused(seed, store):
    with pytest.raises(PipelineError, match="annotator"):
        create_app(Catalog(*seed), store, annotator="<script>alert(1)</script>")


def test_a_merged_decision_whose_span_no_longer_matches_is_not_shown_as_added(seed, store):
    """The app and the pipeline judge a decision from a merged decisions.jsonl alike."""
    from pipeline.decisions.apply import apply_decisions

    passages, entities = seed
    p = passage_with(seed, "Tokayev graduated")
    store.import_decisions([{
        "decision_id": "merged-1", "annotator": "dmitry", "timestamp": "2026-11-20T10:00:00Z",
        "doc_id": p["doc_id"], "passage_id": p["passage_id"], "passage_sha1": text_sha1(p["text"]),
        "mention_id": mention_key(p["passage_id"], 0, 7), "action": "add", "proposed": None,
        "result": {"start": 0, "end": 7, "label": "PERSON", "text": "Someone", "canonical_id": ""}}])
    mentions = create_app(Catalog(*seed), store).test_client().get(
        f"/api/passages/{p['passage_id']}").get_json()["mentions"]
    assert "added" not in [m["status"] for m in mentions]
    store.export_jsonl(store.path.with_name("decisions.jsonl"))
    _, orphaned = apply_decisions(entities, passages, store.path.with_name("decisions.jsonl"))
    assert [o["decision_id"] for o in orphaned] == ["merged-1"]


def test_a_huge_canonical_name_is_refused(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Tokayev graduated")
    tokayev = next(m for m in client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                   if m["text"] == "Tokayev")
    r = _decide(client, csrf, p["passage_id"], tokayev, "link", canonical_name="K" * 5_000_000)
    assert r.status_code in (400, 413) and store.count() == 0


def test_a_404_does_not_echo_a_huge_id(app):
    r = app.test_client().get("/api/passages/" + "x" * 100_000)
    assert r.status_code in (404, 414) and len(r.get_data()) < 2000


def test_a_lone_surrogate_in_a_canonical_name_is_a_400_not_a_500(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Tokayev graduated")
    tokayev = next(m for m in client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                   if m["text"] == "Tokayev")
    # json.dumps would refuse a lone surrogate; a browser or script can still send one
    body = json.dumps({"passage_id": p["passage_id"], "mention_id": tokayev["mention_id"], "action": "link",
                       "base_decision_id": None, "canonical_name": "TokSURROGATEayev"}).replace("SURROGATE", "\\ud800")
    r = client.post("/api/decisions", data=body, content_type="application/json", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400 and "canonical_name" in r.get_json()["error"]
    assert store.count() == 0


def test_undo_takes_back_a_whole_mark_reviewed_and_the_passage_needs_review_again(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Rector of Abai KazNPU")
    client.post(f"/api/passages/{p['passage_id']}/reviewed", json={}, headers={"X-CSRF-Token": csrf})
    r = client.post("/api/undo", json={"passage_id": p["passage_id"]}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and {d["action"] for d in r.get_json()["undone"]} == {"accept", "review_passage"}
    mentions = client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
    assert {m["status"] for m in mentions} == {"machine"}
    assert store.reviewed_passages() == set()
    nothing = client.post("/api/undo", json={"passage_id": p["passage_id"]}, headers={"X-CSRF-Token": csrf})
    assert nothing.status_code == 409


def test_a_retried_decision_is_stored_once(app, seed, store):
    client = app.test_client()
    csrf = login(client)
    p = passage_with(seed, "Tokayev graduated")
    tokayev = next(m for m in client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                   if m["text"] == "Tokayev")
    body = {"passage_id": p["passage_id"], "mention_id": tokayev["mention_id"], "action": "accept",
            "base_decision_id": None, "decision_id": "0123456789abcdef" * 2}
    first = client.post("/api/decisions", json=body, headers={"X-CSRF-Token": csrf})
    again = client.post("/api/decisions", json=body, headers={"X-CSRF-Token": csrf})
    assert first.status_code == again.status_code == 200 and store.count() == 1


def test_each_annotator_has_their_own_queue_and_progress(seed, store):
    app = create_app(Catalog(*seed), store, ReviewSettings(reviews_per_passage=2))
    alice, bob = app.test_client(), app.test_client()
    csrf_a, csrf_b = login(alice, "alice"), login(bob, "bob")
    first = alice.get("/api/queue/next").get_json()["passage_id"]
    assert bob.get("/api/queue/next").get_json()["passage_id"] == first
    alice.post(f"/api/passages/{first}/reviewed", json={}, headers={"X-CSRF-Token": csrf_a})
    assert alice.get("/api/queue/next").get_json()["passage_id"] != first
    assert bob.get("/api/queue/next").get_json()["passage_id"] == first  # needs a second review
    bob.post(f"/api/passages/{first}/reviewed", json={}, headers={"X-CSRF-Token": csrf_b})
    progress = alice.get("/api/progress").get_json()
    assert progress["me"]["reviewed"] == 1 and {t["name"]: t["reviewed"] for t in progress["team"]} == {
        "alice": 1, "bob": 1}
    carol = app.test_client()
    login(carol, "carol")
    assert carol.get("/api/queue/next").get_json()["passage_id"] != first  # two reviews: done


def test_a_random_queue_differs_between_annotators_but_not_between_visits(seed, store):
    app = create_app(Catalog(*seed), store)
    alice, bob = app.test_client(), app.test_client()
    login(alice, "alice")
    login(bob, "bob")
    a1 = alice.get("/api/queue/next?order=random").get_json()["passage_id"]
    assert alice.get("/api/queue/next?order=random").get_json()["passage_id"] == a1
    assert bob.get("/api/queue/next?order=random").get_json()["passage_id"] != a1


def test_the_active_order_serves_the_least_certain_passage_first(seed, store):
    catalog = Catalog(*seed)
    passages, _ = seed
    unsure = passage_with(seed, "Tokayev graduated")["passage_id"]
    catalog.set_uncertainty({pid: 0.1 for pid in passages["passage_id"]} | {unsure: 0.9})
    client = create_app(catalog, store).test_client()
    assert client.get("/api/queue/next?order=active").get_json()["passage_id"] == unsure


def test_the_active_order_without_uncertainty_scores_says_how_to_get_them(app):
    r = app.test_client().get("/api/queue/next?order=active")
    assert r.status_code == 409 and "review_queue" in r.get_json()["error"]


def test_an_adjudicator_resolves_a_disagreement(seed, store):
    app = create_app(Catalog(*seed), store)
    p = passage_with(seed, "Tokayev graduated")
    for name, verdict in (("aigerim", "accept"), ("dmitry", "reject")):
        client = app.test_client()
        csrf = login(client, name)
        tokayev = next(m for m in client.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
                       if m["text"] == "Tokayev")
        _decide(client, csrf, p["passage_id"], tokayev, verdict)
        client.post(f"/api/passages/{p['passage_id']}/reviewed", json={}, headers={"X-CSRF-Token": csrf})
    judge = app.test_client()
    csrf = login(judge, "zhanna", role="adjudicator")
    [listed] = judge.get("/api/disagreements").get_json()["passages"]
    assert listed["passage_id"] == p["passage_id"] and not listed["resolved"]
    view = judge.get(f"/api/passages/{p['passage_id']}/adjudication").get_json()
    keep = [{"start": r["start"], "end": r["end"], "label": r["labels"]["aigerim"]} for r in view["rows"]]
    assert judge.post(f"/api/passages/{p['passage_id']}/resolve", json={"spans": keep},
                      headers={"X-CSRF-Token": csrf}).status_code == 200
    assert judge.get("/api/disagreements").get_json()["passages"][0]["resolved"]
    final = judge.get(f"/api/passages/{p['passage_id']}").get_json()["mentions"]
    assert next(m for m in final if m["text"] == "Tokayev")["status"] == "accepted"
