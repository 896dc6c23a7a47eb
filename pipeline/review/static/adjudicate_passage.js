// Side by side: one row per span any reviewer kept, one column per reviewer, and a final choice
// (preset to the majority) the adjudicator saves as the resolution.
"use strict";
(async () => {
  const {el, api, send, banner} = Review;
  const root = document.getElementById("adjudicate-root");
  const pid = root.dataset.passageId;
  async function load() {
    const res = await api("GET", `/api/passages/${encodeURIComponent(pid)}/adjudication`);
    if (!res.ok) { banner(res.data.error, "error"); return; }
    const d = res.data;
    document.getElementById("meta").textContent = `${d.doc_id} · ${d.lang} · ${d.annotators.join(" vs ")}`;
    document.getElementById("passage-text").textContent = d.text;
    document.getElementById("resolved-state").textContent = d.resolved ? "resolved" : "";
    const head = document.querySelector("#versions thead tr");
    head.replaceChildren(el("th", {}, "Span"), el("th", {}, "Text"), ...d.annotators.map(a => el("th", {}, a)), el("th", {}, "Final"));
    document.querySelector("#versions tbody").replaceChildren(...d.rows.map(r => {
      const tr = el("tr", {class: r.agreed ? "agreed" : "disputed", "data-start": r.start, "data-end": r.end});
      const select = el("select", {class: "final"});
      select.append(el("option", {value: ""}, "✗ not an entity"));
      for (const l of d.labels) select.append(el("option", {value: l, selected: l === r.majority}, l));
      const final = el("td"); final.append(select);
      tr.append(el("td", {}, `${r.start}-${r.end}`), el("td", {}, r.text),
                ...d.annotators.map(a => el("td", {}, r.labels[a] || "—")), final);
      return tr;
    }));
    root.dataset.loaded = "1";
  }
  document.getElementById("resolve").addEventListener("click", async () => {
    const spans = Array.from(document.querySelectorAll("#versions tbody tr"))
      .map(tr => ({start: Number(tr.dataset.start), end: Number(tr.dataset.end), label: tr.querySelector("select").value}))
      .filter(s => s.label);
    const res = await send(`/api/passages/${encodeURIComponent(pid)}/resolve`, {spans});
    banner(res.ok ? `Resolution saved (${res.data.stored} decisions).` : res.data.error, res.ok ? "info" : "error");
    await load();
  });
  load();
})();
