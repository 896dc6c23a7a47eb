"use strict";
(() => {
  const {el, api, banner, bindFilters, filtersFromLocation, pager} = Review;
  async function load(page = 0) {
    const params = filtersFromLocation();
    params.set("page", page);
    const res = await api("GET", `/api/passages?${params}`);
    if (!res.ok) { banner(res.data.error, "error"); return; }
    const keep = filtersFromLocation();
    const rows = res.data.passages.map(p => {
      const tr = el("tr", {"data-passage-id": p.passage_id});
      const text = el("td");
      text.append(el("a", {href: `/passage/${encodeURIComponent(p.passage_id)}?${keep}`}, p.snippet));
      tr.append(el("td", {}, p.doc_id), el("td", {}, p.passage_index), el("td", {}, p.lang),
                el("td", {}, p.n_entities), el("td", {class: "reviewed"}, p.reviewed ? "✓" : ""));
      if (p.reviewers !== undefined) tr.append(el("td", {}, p.reviewers));
      tr.append(text);
      return tr;
    });
    document.querySelector("#passages tbody").replaceChildren(...rows);
    pager(res.data, load);
  }
  bindFilters(load);
  load();
})();
