"use strict";
(() => {
  const {el, api, banner, bindFilters, filtersFromLocation, pager} = Review;
  async function progress() {
    const res = await api("GET", "/api/progress");
    if (!res.ok) return;
    const me = res.data.me;
    document.getElementById("progress").textContent =
      `${me.name}: ${me.reviewed} passage(s) reviewed; ${me.queue} of ${me.passages} still in your queue.`;
    const team = (res.data.team || []).map(t => { const tr = el("tr"); tr.append(el("td", {}, t.name), el("td", {}, `${t.reviewed} reviewed`)); return tr; });
    document.querySelector("#team tbody").replaceChildren(...team);
  }
  document.getElementById("start-queue").addEventListener("click", async () => {
    const order = document.getElementById("queue-order").value;
    const res = await api("GET", `/api/queue/next?order=${encodeURIComponent(order)}`);
    if (!res.ok) { banner(res.data.error, "error"); return; }
    if (!res.data.passage_id) { banner("Your queue is empty: every passage has its reviews.", "info"); return; }
    location.href = `/passage/${encodeURIComponent(res.data.passage_id)}?queue=1&order=${encodeURIComponent(order)}`;
  });
  async function load(page = 0) {
    const params = filtersFromLocation(["lang", "label", "status", "canonical_id"]);
    params.set("page", page);
    const res = await api("GET", `/api/documents?${params}`);
    if (!res.ok) { banner(res.data.error, "error"); return; }
    const rows = res.data.documents.map(d => {
      const link = new URLSearchParams(filtersFromLocation(["lang", "label", "canonical_id"]));
      link.set("doc_id", d.doc_id);
      const tr = el("tr", {"data-doc-id": d.doc_id});
      const title = el("td");
      title.append(el("a", {href: `/passages?${link}`}, d.title || d.doc_id));
      const progressBar = el("progress", {max: d.n_passages, value: d.reviewed});
      const cell = el("td"); cell.append(progressBar);
      if (d.reviewed_any !== undefined) cell.append(el("span", {class: "muted"}, ` ${d.reviewed_any} by anyone`));
      tr.append(title, el("td", {}, d.doc_id), el("td", {}, d.langs), el("td", {}, d.n_passages),
                el("td", {class: "reviewed-count"}, d.reviewed), cell);
      return tr;
    });
    document.querySelector("#documents tbody").replaceChildren(...rows);
    pager(res.data, load);
  }
  bindFilters(load);
  progress();
  load();
})();
