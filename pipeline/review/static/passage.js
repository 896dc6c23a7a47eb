// One passage: text with highlighted mentions, a table of mentions, keyboard shortcuts.
// Offsets from the server are Unicode code points (Python str indices); the browser's strings
// are UTF-16, so text is sliced with Array.from and selections are converted back.
"use strict";
(() => {
  const {el, api, send, banner, filtersFromLocation} = Review;
  const root = document.getElementById("passage-root");
  const passageId = root.dataset.passageId;
  const query = filtersFromLocation();
  let data = null, selected = 0, labels = [], focus = [];

  const labelClass = (label) => "lab-" + String(label).replace(/[^A-Za-z0-9_]/g, "_");

  function renderText() {
    const chars = Array.from(data.text);
    const box = document.getElementById("passage-text");
    box.setAttribute("lang", data.lang || "");
    const nodes = [];
    let at = 0;
    // Overlapping mentions: highlight the first; all of them are listed in the table.
    const shown = [];
    for (const [i, m] of data.mentions.entries()) {
      if (m.start >= at) { shown.push([i, m]); at = m.end; }
    }
    at = 0;
    for (const [i, m] of shown) {
      if (m.start > at) nodes.push(document.createTextNode(chars.slice(at, m.start).join("")));
      const span = el("mark", {class: `ent ${labelClass(m.label)} st-${m.status}${focus.includes(m.label) ? "" : " context"}${i === selected ? " selected" : ""}`,
                               title: `${m.label} · ${m.status}`, "data-index": i}, chars.slice(m.start, m.end).join(""));
      span.addEventListener("click", () => { selected = i; render(); });
      nodes.push(span);
      at = m.end;
    }
    if (at < chars.length) nodes.push(document.createTextNode(chars.slice(at).join("")));
    box.replaceChildren(...nodes);
  }

  function renderTable() {
    const rows = data.mentions.map((m, i) => {
      const tr = el("tr", {class: `st-${m.status}${i === selected ? " selected" : ""}`, "data-index": i, "data-mention-id": m.mention_id});
      const actions = el("td");
      const accept = el("button", {type: "button", class: "accept"}, "accept (a)");
      accept.onclick = () => { selected = i; decide("accept"); };
      const reject = el("button", {type: "button", class: "reject"}, "reject (r)");
      reject.onclick = () => { selected = i; decide("reject"); };
      const select = el("select", {class: "label-select", title: "change label"});
      for (const l of labels) select.append(el("option", {value: l, selected: l === m.label}, l));
      // Give the keyboard back to the page once a label is chosen, or shortcuts would stop working.
      select.onchange = () => { selected = i; select.blur(); decide("relabel", {label: select.value}); };
      actions.append(accept, reject, select);
      const who = m.decision ? `${m.decision.annotator} · ${m.decision.timestamp.slice(0, 19).replace("T", " ")}` : "";
      tr.append(el("td", {}, i + 1), el("td", {class: "mention-text"}, m.text), el("td", {class: "label"}, m.label),
                el("td", {class: "status"}, m.status), el("td", {}, m.canonical_name || m.canonical_id || ""),
                el("td", {}, who), actions);
      tr.addEventListener("click", (ev) => { if (ev.target.tagName !== "SELECT") { selected = i; render(); } });
      return tr;
    });
    document.querySelector("#mentions tbody").replaceChildren(...rows);
  }

  function renderMeta() {
    document.getElementById("doc-title").textContent = data.title || data.doc_id;
    const docLink = document.getElementById("doc-link");
    docLink.textContent = data.doc_id;
    docLink.href = `/passages?doc_id=${encodeURIComponent(data.doc_id)}`;
    const pos = data.position ? ` · ${data.position} of ${data.total}` : "";
    document.getElementById("passage-meta").textContent = `passage ${data.passage_index} · ${data.lang || "?"}${pos}`;
    document.getElementById("reviewed-by").textContent = data.reviewed_by.length ? `reviewed by ${data.reviewed_by.join(", ")}` : "not reviewed yet";
    document.getElementById("set-aside").textContent = data.set_aside.length ?
      `${data.set_aside.length} decision(s) on this passage no longer fit it and are set aside (as the pipeline does): ` +
      data.set_aside.map(d => `${d.annotator} ${d.action}: ${d.problem}`).join("; ") : "";
    for (const [id, target] of [["prev-link", data.prev], ["next-link", data.next]]) {
      const a = document.getElementById(id);
      a.href = target ? `/passage/${encodeURIComponent(target)}?${query}` : "#";
      a.classList.toggle("disabled", !target);
    }
  }

  function render() { renderText(); renderTable(); renderMeta(); }

  async function load() {
    await Review.ready;
    if (!labels.length) {
      const session = await api("GET", "/api/session");
      labels = session.data.labels; focus = session.data.focus_labels;
    }
    const res = await api("GET", `/api/passages/${encodeURIComponent(passageId)}?${query}`);
    if (!res.ok) { banner(res.data.error, "error"); return; }
    data = res.data;
    selected = Math.min(selected, Math.max(0, data.mentions.length - 1));
    render();
    root.dataset.loaded = "1";
  }

  async function decide(action, extra = {}) {
    const m = data.mentions[selected];
    if (!m && action !== "add") return;
    const body = {passage_id: passageId, action, ...extra};
    if (action !== "add") { body.mention_id = m.mention_id; body.base_decision_id = m.decision ? m.decision.decision_id : null; }
    root.dataset.saving = "1";
    const res = await send("/api/decisions", body);
    delete root.dataset.saving;
    if (res.ok) {
      banner(`Saved: ${action} ${res.data.mention ? res.data.mention.text : ""}`);
    } else if (res.status === 409) {
      banner(res.data.error, "error");
    } else if (res.status !== 0 && res.status !== 503) {
      banner(res.data.error, "error");
    } else {
      banner(`Decision not saved yet (${res.data.error}); it is kept in this browser and retried every 5 s.`, "warn");
      return;
    }
    await load();
    if (res.ok && action !== "add" && selected + 1 < data.mentions.length) { selected += 1; render(); }
  }

  // The current text selection inside the passage, as code-point offsets; null if none.
  function selectionSpan() {
    const sel = window.getSelection();
    const box = document.getElementById("passage-text");
    if (!sel || sel.isCollapsed || !box.contains(sel.anchorNode) || !box.contains(sel.focusNode)) return null;
    const range = sel.getRangeAt(0);
    const before = document.createRange();
    before.setStart(box, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = Array.from(before.toString()).length;
    let end = start + Array.from(range.toString()).length;
    // Trim surrounding whitespace that double-click selections often include.
    const chars = Array.from(data.text);
    let s = start;
    while (s < end && /\s/.test(chars[s])) s++;
    while (end > s && /\s/.test(chars[end - 1])) end--;
    return end > s ? {start: s, end} : null;
  }

  async function link() {
    const m = data.mentions[selected];
    if (!m) return;
    const dialog = document.getElementById("link-dialog");
    const input = document.getElementById("link-input");
    input.value = m.canonical_id || "";
    const fill = async () => {
      const res = await api("GET", `/api/canonical?q=${encodeURIComponent(input.value)}`);
      document.getElementById("link-list").replaceChildren(...(res.data.entities || []).map(e => el("option", {value: e.canonical_id}, `${e.canonical_name} (${e.label})`)));
    };
    input.oninput = fill;
    await fill();
    document.getElementById("link-cancel").onclick = () => dialog.close("cancel");
    dialog.onclose = async () => {
      if (dialog.returnValue !== "ok" || !input.value.trim()) return;
      const known = Array.from(document.getElementById("link-list").options).some(o => o.value === input.value.trim());
      await decide("link", known ? {canonical_id: input.value.trim()} : {canonical_name: input.value.trim()});
    };
    dialog.returnValue = "";
    dialog.showModal();
  }

  document.getElementById("link-form").addEventListener("submit", () => {
    document.getElementById("link-dialog").returnValue = "ok";
  });

  // Ask before one key accepts many mentions at once (Enter confirms, Esc cancels).
  function confirmAcceptAll(n) {
    const dialog = document.getElementById("confirm-dialog");
    document.getElementById("confirm-text").textContent =
      `Accept ${n} mention(s) you have not decided yet and mark the passage reviewed? (u undoes it.)`;
    return new Promise((resolve) => {
      document.getElementById("confirm-cancel").onclick = () => dialog.close("cancel");
      document.getElementById("confirm-form").onsubmit = () => { dialog.returnValue = "ok"; };
      // Enter confirms wherever the focus is (browsers differ in what a re-opened dialog focuses).
      dialog.onkeydown = (e) => {
        if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); dialog.close("ok"); }
      };
      dialog.onclose = () => resolve(dialog.returnValue === "ok");
      dialog.returnValue = "";
      dialog.showModal();
      document.getElementById("confirm-ok").focus();
    });
  }

  async function markReviewed() {
    const undecided = data.mentions.filter(m => m.decision === null).length;
    if (undecided > Number(root.dataset.confirmOver || 3) && !(await confirmAcceptAll(undecided))) {
      banner("Not marked reviewed.");
      return;
    }
    const res = await send(`/api/passages/${encodeURIComponent(passageId)}/reviewed`, {});
    if (res.status === 0 || res.status === 503) {
      banner(`Not marked reviewed yet (${res.data.error}); kept in this browser and retried every 5 s.`, "warn");
      return;
    }
    banner(res.ok ? `Passage marked reviewed (${res.data.accepted} left-over mention(s) accepted; u undoes)` : res.data.error, res.ok ? "info" : "error");
    await load();
    if (res.ok && query.get("queue") && data.next) location.href = `/passage/${encodeURIComponent(data.next)}?${query}`;
  }
  document.getElementById("mark-reviewed").addEventListener("click", markReviewed);

  async function undo() {
    const res = await api("POST", "/api/undo", {passage_id: passageId});
    if (res.ok) banner(`Undone: ${res.data.undone.map(d => d.action).join(", ")}`);
    else banner(res.data.error, res.status === 409 ? "warn" : "error");
    await load();
  }
  document.getElementById("undo").addEventListener("click", undo);

  function chooseLabel() {
    const dialog = document.getElementById("label-dialog");
    const input = document.getElementById("label-input");
    input.value = "";
    document.getElementById("label-cancel").onclick = () => dialog.close("cancel");
    document.getElementById("label-form").onsubmit = () => { dialog.returnValue = "ok"; };
    const span = selectionSpan();
    dialog.onclose = () => {
      const label = input.value.trim().toUpperCase();
      if (dialog.returnValue !== "ok" || !labels.includes(label)) return;
      if (span) decide("add", {...span, label}); else decide("relabel", {label});
    };
    dialog.returnValue = "";
    dialog.showModal();
  }

  // Label shortcuts: 1–9 and 0 for the first ten labels, Shift + digit for the next ten
  // (by key position, so it works on any keyboard layout), e for the chooser.
  function labelForKey(ev) {
    const m = /^Digit(\d)$/.exec(ev.code || "") || /^Numpad(\d)$/.exec(ev.code || "");
    const digit = m ? m[1] : (/^\d$/.test(ev.key) ? ev.key : null);
    if (digit === null) return null;
    const index = (digit === "0" ? 9 : Number(digit) - 1) + (ev.shiftKey ? 10 : 0);
    return labels[index] || null;
  }

  document.addEventListener("keydown", (ev) => {
    if (!data || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(ev.target.tagName) || document.querySelector("dialog[open]")) return;
    const key = ev.key;
    const go = (target) => { if (target) location.href = `/passage/${encodeURIComponent(target)}?${query}`;
                             else if (query.get("queue")) banner("Your queue is empty: every passage has its reviews.", "info"); };
    if (key === "j" || key === "ArrowDown") { selected = Math.min(selected + 1, data.mentions.length - 1); render(); }
    else if (key === "k" || key === "ArrowUp") { selected = Math.max(selected - 1, 0); render(); }
    else if (key === "a") decide("accept");
    else if (key === "r" || key === "x") decide("reject");
    else if (key === "n" || key === "ArrowRight") go(data.next);
    else if (key === "p" || key === "ArrowLeft") go(data.prev);
    else if (key === "d") markReviewed();
    else if (key === "u") undo();
    else if (key === "e") chooseLabel();
    else if (key === "l") link();
    else if (key === "s") {
      const span = selectionSpan();
      if (span) decide("respan", span); else banner("Select the right text in the passage first, then press s.", "warn");
    } else if (labelForKey(ev)) {
      const label = labelForKey(ev);
      const span = selectionSpan();
      if (span) { decide("add", {...span, label}); window.getSelection().removeAllRanges(); }
      else decide("relabel", {label});
    } else return;
    ev.preventDefault();
  });

  load();
})();
