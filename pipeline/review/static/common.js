// Shared helpers: JSON API calls with the CSRF token, a banner, and a queue of decisions that
// could not be saved yet (kept in localStorage, retried). Nothing an annotator entered is
// dropped: a queued decision waits while the server is down, busy or the annotator is signed
// out, and is sent under the annotator who made it; one the server refuses for good (a
// conflict, say) moves to a list of refused decisions that stays in the browser and is shown.
"use strict";

const Review = (() => {
  let csrf = document.querySelector('meta[name="csrf-token"]').content;
  const user = document.querySelector('meta[name="review-user"]').content;
  const PENDING = "review-pending-v2";
  const REFUSED = "review-refused-v1";
  const OLD_PENDING = "review-pending-v1";

  function el(tag, attrs = {}, text = null) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v; else if (k.startsWith("data-")) node.setAttribute(k, v); else node[k] = v;
    }
    if (text !== null && text !== undefined) node.textContent = String(text);  // never innerHTML
    return node;
  }

  function banner(message, kind = "info") {
    const b = document.getElementById("banner");
    b.textContent = message || "";
    b.className = message ? kind : "";
  }

  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
  }

  async function refreshCsrf() {
    const r = await fetch("/api/session", {credentials: "same-origin"});
    csrf = (await r.json()).csrf;
  }

  async function api(method, url, body = undefined, retried = false) {
    const opts = {method, credentials: "same-origin", headers: {"Accept": "application/json"}};
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    if (method !== "GET") opts.headers["X-CSRF-Token"] = csrf;
    const r = await fetch(url, opts);
    let data = null;
    try { data = await r.json(); } catch (e) { data = {error: `HTTP ${r.status}`}; }
    if (r.status === 403 && data && data.code === "csrf" && !retried) {
      await refreshCsrf();
      return api(method, url, body, true);
    }
    return {ok: r.ok, status: r.status, data};
  }

  const read = (key) => { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } };
  const write = (key, list) => localStorage.setItem(key, JSON.stringify(list));
  function pending() { return read(PENDING); }
  // Decisions queued by an older version of this page had no annotator: they belong to whoever works here.
  if (read(OLD_PENDING).length && user) {
    write(PENDING, [...pending(), ...read(OLD_PENDING).map(item => ({...item, annotator: user}))]);
    localStorage.removeItem(OLD_PENDING);
  }
  function showQueue() {
    const mine = pending().filter(i => i.annotator === user).length, others = pending().length - mine;
    const refused = read(REFUSED).length;
    if (mine) banner(`${mine} decision(s) not saved yet: kept in this browser, retrying every 5 s…`, "warn");
    else if (others) banner(`${others} decision(s) made here by another annotator wait until they sign in again.`, "warn");
    else if (refused) banner(`${refused} queued decision(s) were refused by the server (kept in this browser: ` +
                             `see localStorage "${REFUSED}"). Last reason: ${read(REFUSED).slice(-1)[0].error}`, "error");
  }

  // Keep a decision for later (server unreachable, busy, or the annotator signed out).
  function keep(url, body) {
    write(PENDING, [...pending(), {url, body, annotator: user, queued: new Date().toISOString()}]);
    showQueue();
  }
  const retryable = (res) => res.status === 0 || res.status === 503 || res.status === 401 ||
                             (res.status === 403 && res.data && res.data.code === "csrf");

  // Send a state-changing request; anything not saved for a passing reason is kept and retried.
  async function send(url, body) {
    if (body && !body.decision_id) body = {...body, decision_id: newId()};  // a retry is stored once
    let res;
    try { res = await api("POST", url, body); }
    catch (e) { res = {ok: false, status: 0, data: {error: "Server unreachable"}}; }
    if (retryable(res)) {
      keep(url, body);
      if (res.status === 401) banner("You are signed out: sign in again; your decision is kept in this browser and sent then.", "warn");
    }
    return res;
  }

  let flushing = false;
  async function flushPending() {
    if (flushing || !user) return;
    flushing = true;
    try {
      for (;;) {
        const list = pending();
        const index = list.findIndex(i => i.annotator === user);
        if (index < 0) break;
        const item = list[index];
        let res;
        try { res = await api("POST", item.url, item.body); } catch (e) { break; }
        if (retryable(res)) break;
        const rest = pending().filter((x, i) => !(i === index && x.body.decision_id === item.body.decision_id));
        write(PENDING, rest);
        if (!res.ok) write(REFUSED, [...read(REFUSED), {...item, status: res.status, error: res.data.error}]);
      }
    } finally { flushing = false; }
    showQueue();
    if (!pending().length && !read(REFUSED).length && document.getElementById("banner").className === "warn") banner("");
  }
  setInterval(flushPending, 5000);
  const ready = flushPending();

  const logout = document.getElementById("logout");
  if (logout) logout.addEventListener("click", async () => {
    await api("POST", "/api/logout", {});
    location.href = "/login";
  });

  function filtersFromLocation(names = ["doc_id", "lang", "label", "status", "canonical_id", "order", "queue"]) {
    const params = new URLSearchParams(location.search);
    const out = new URLSearchParams();
    for (const n of names) if (params.get(n)) out.set(n, params.get(n));
    return out;
  }

  // Wire a filter form to the query string, and fill it from the query string.
  function bindFilters(onChange) {
    const form = document.getElementById("filters");
    const params = new URLSearchParams(location.search);
    for (const field of form.elements) if (field.name && params.get(field.name)) field.value = params.get(field.name);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const next = new URLSearchParams();
      for (const field of form.elements) if (field.name && field.value) next.set(field.name, field.value);
      history.replaceState(null, "", `${location.pathname}?${next}`);
      onChange(0);
    });
    const input = form.querySelector('input[name="canonical_id"]');
    input.addEventListener("input", async () => {
      const res = await api("GET", `/api/canonical?q=${encodeURIComponent(input.value)}`);
      const list = document.getElementById("canonical-list");
      list.replaceChildren(...(res.data.entities || []).map(e => el("option", {value: e.canonical_id}, `${e.canonical_name} (${e.label}, ${e.mentions})`)));
    });
  }

  function pager(data, load) {
    const pages = Math.max(1, Math.ceil(data.total / data.page_size));
    document.getElementById("page-info").textContent = `page ${data.page + 1} of ${pages} · ${data.total} in all`;
    const prev = document.getElementById("prev-page"), next = document.getElementById("next-page");
    prev.disabled = data.page === 0;
    next.disabled = data.page + 1 >= pages;
    prev.onclick = () => load(data.page - 1);
    next.onclick = () => load(data.page + 1);
  }

  return {el, banner, api, send, newId, filtersFromLocation, bindFilters, pager, ready, user, flushPending};
})();
