// Shared helpers: JSON API calls with the CSRF token, a banner, the annotator name, and a
// queue of decisions that could not be saved yet (kept in localStorage, retried), so
// nothing an annotator entered is lost when the server is briefly unreachable.
"use strict";

const Review = (() => {
  let csrf = document.querySelector('meta[name="csrf-token"]').content;
  const PENDING = "review-pending-v1";

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
      await refreshCsrf();  // the server restarted: new session secret
      return api(method, url, body, true);
    }
    return {ok: r.ok, status: r.status, data};
  }

  function pending() { return JSON.parse(localStorage.getItem(PENDING) || "[]"); }
  function setPending(list) {
    localStorage.setItem(PENDING, JSON.stringify(list));
    if (list.length) banner(`${list.length} decision(s) not saved yet: retrying…`, "warn");
  }

  // Send a state-changing request; on a network error or a busy database keep it and retry.
  async function send(url, body) {
    try {
      const res = await api("POST", url, body);
      if (res.status === 503) { setPending([...pending(), {url, body}]); return res; }
      return res;
    } catch (e) {
      setPending([...pending(), {url, body}]);
      return {ok: false, status: 0, data: {error: "Server unreachable: the decision is kept in this browser and will be retried."}};
    }
  }

  async function flushPending() {
    let list = pending();
    while (list.length) {
      const item = list[0];
      let res;
      try { res = await api("POST", item.url, item.body); } catch (e) { return; }
      if (res.status === 503) return;
      list = pending().slice(1);
      localStorage.setItem(PENDING, JSON.stringify(list));
      if (!res.ok) banner(`A queued decision was refused: ${res.data.error}`, "error");
    }
    if (!pending().length && document.getElementById("banner").className === "warn") banner("");
  }
  setInterval(flushPending, 5000);
  flushPending();

  const NAME = "review-annotator";
  document.getElementById("annotator-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = document.getElementById("annotator").value.trim();
    const res = await api("POST", "/api/session", {annotator: name});
    if (res.ok) localStorage.setItem(NAME, res.data.annotator);
    banner(res.ok ? `Annotating as ${res.data.annotator}` : res.data.error, res.ok ? "info" : "error");
  });

  // Sessions end when the server restarts; the browser remembers the name and signs in again.
  const ready = (async () => {
    const field = document.getElementById("annotator");
    const remembered = localStorage.getItem(NAME);
    if (!field.value && remembered) {
      const res = await api("POST", "/api/session", {annotator: remembered});
      if (res.ok) field.value = res.data.annotator;
    }
  })();

  function filtersFromLocation(names = ["doc_id", "lang", "label", "status", "canonical_id"]) {
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

  return {el, banner, api, send, filtersFromLocation, bindFilters, pager, ready};
})();
