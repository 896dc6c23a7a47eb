"use strict";
(async () => {
  const {el, api, banner} = Review;
  const res = await api("GET", "/api/disagreements");
  if (!res.ok) { banner(res.data.error, "error"); return; }
  if (!res.data.passages.length) banner("No disagreements: no two annotators reviewed a passage differently.");
  document.querySelector("#disagreements tbody").replaceChildren(...res.data.passages.map(p => {
    const tr = el("tr", {"data-passage-id": p.passage_id});
    const text = el("td");
    text.append(el("a", {href: `/adjudicate/${encodeURIComponent(p.passage_id)}`}, p.snippet));
    tr.append(el("td", {}, p.doc_id), el("td", {}, p.lang), el("td", {}, p.annotators.join(", ")),
              el("td", {}, p.spans_in_dispute), el("td", {}, p.resolved ? "resolved" : "open"), text);
    return tr;
  }));
})();
