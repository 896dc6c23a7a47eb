"use strict";
(async () => {
  const {el, api, banner} = Review;
  const res = await api("GET", "/api/agreement");
  if (!res.ok) { banner(res.data.error, "error"); return; }
  const fmt = (x) => (x === null || x === undefined) ? "–" : (typeof x === "number" && !Number.isInteger(x) ? x.toFixed(3) : x);
  document.getElementById("agreement-note").textContent = res.data.note;
  document.querySelector("#agreement tbody").replaceChildren(...res.data.pairs.map(p => {
    const tr = el("tr");
    for (const k of ["annotator_a", "annotator_b", "mentions_both_decided", "observed_agreement", "kappa",
                     "passages_both_reviewed", "spans_a", "spans_b", "spans_matched", "span_f1"]) tr.append(el("td", {}, fmt(p[k])));
    return tr;
  }));
})();
