"use strict";
(async () => {
  const {el, api, banner} = Review;
  const res = await api("GET", "/api/agreement");
  if (!res.ok) { banner(res.data.error, "error"); return; }
  const fmt = (x) => (x === null || x === undefined) ? "–" : (typeof x === "number" && !Number.isInteger(x) ? x.toFixed(3) : x);
  document.getElementById("agreement-note").textContent = res.data.note;
  const rows = [];
  for (const p of res.data.pairs) {
    const scopes = [["all", p], ...Object.entries(p.per_label).map(([k, v]) => [`label ${k}`, v]),
                    ...Object.entries(p.per_lang).map(([k, v]) => [`language ${k}`, v])];
    for (const [scope, f] of scopes) {
      const tr = el("tr");
      tr.append(el("td", {}, p.annotator_a), el("td", {}, p.annotator_b), el("td", {}, scope),
                el("td", {}, scope === "all" ? p.passages_both_reviewed : ""));
      for (const k of ["items", "observed_agreement", "kappa", "spans_a", "spans_b", "spans_matched", "span_f1"]) tr.append(el("td", {}, fmt(f[k])));
      rows.push(tr);
    }
  }
  document.querySelector("#agreement tbody").replaceChildren(...rows);
  const f = res.data.fleiss;
  const scopes = [["all", f], ...Object.entries(f.per_label).map(([k, v]) => [`label ${k}`, v]),
                  ...Object.entries(f.per_lang).map(([k, v]) => [`language ${k}`, v])];
  document.querySelector("#fleiss tbody").replaceChildren(...scopes.map(([scope, v]) => {
    const tr = el("tr"); tr.append(el("td", {}, scope), el("td", {}, v.items), el("td", {}, fmt(v.kappa))); return tr;
  }));
})();
