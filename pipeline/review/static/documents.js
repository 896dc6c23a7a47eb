"use strict";
(() => {
  const {el, api, banner, bindFilters, filtersFromLocation, pager} = Review;
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
      const progress = el("progress", {max: d.n_passages, value: d.reviewed});
      const cell = el("td"); cell.append(progress);
      tr.append(title, el("td", {}, d.doc_id), el("td", {}, d.langs), el("td", {}, d.n_passages),
                el("td", {class: "reviewed-count"}, d.reviewed), cell);
      return tr;
    });
    document.querySelector("#documents tbody").replaceChildren(...rows);
    pager(res.data, load);
  }
  bindFilters(load);
  load();
})();
