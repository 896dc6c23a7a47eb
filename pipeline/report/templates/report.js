/* Report behaviour: draw charts, filter by group and language, expand long tables.
   All document text arrives as JSON and is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var state = { group: {}, lang: {} };

  function checked(kind, value) {
    return value === null || value === undefined || state[kind][value] !== false;
  }
  function traceVisible(meta) {
    if (!meta) return true;
    if (meta.group !== undefined && !checked("group", meta.group)) return false;
    if (meta.lang !== undefined && !checked("lang", meta.lang)) return false;
    if (meta.groups && !meta.groups.every(function (g) { return checked("group", g); })) return false;
    return true;
  }
  function rowVisible(el) {
    var g = el.getAttribute("data-group"), l = el.getAttribute("data-lang");
    if (g !== null && !g.split("|").every(function (x) { return checked("group", x); })) return false;
    return l === null || checked("lang", l);
  }

  var config = { responsive: true, displaylogo: false, scrollZoom: false,
                 modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  function draw(div) {
    var spec = data.charts[div.getAttribute("data-chart")];
    if (!spec || div.getAttribute("data-drawn")) return;
    div.setAttribute("data-drawn", "1");
    if (!spec.data.length) { div.textContent = "No data for this chart."; div.className += " na"; return; }
    Plotly.newPlot(div, spec.data, spec.layout, config).then(function () { restyle(div); });
  }
  function restyle(div) {
    var spec = data.charts[div.getAttribute("data-chart")];
    if (!spec || !div.getAttribute("data-drawn") || !spec.data.length) return;
    var visible = spec.data.map(function (t) {
      if (!traceVisible(t.meta)) return false;
      return t.visible === "legendonly" ? "legendonly" : true;
    });
    Plotly.restyle(div, { visible: visible });
  }

  function apply() {
    document.querySelectorAll("[data-group],[data-lang]").forEach(function (el) {
      if (el.tagName === "INPUT") return;
      el.classList.toggle("hidden-by-filter", !rowVisible(el));
    });
    document.querySelectorAll("div[data-chart]").forEach(restyle);
  }

  document.querySelectorAll(".filters input[type=checkbox]").forEach(function (box) {
    state[box.name][box.value] = box.checked;
    box.addEventListener("change", function () { state[box.name][box.value] = box.checked; apply(); });
  });

  // "Show more": rows beyond the first few live in data.more[tableId] as [cells, group, lang].
  document.querySelectorAll("button.more[data-table]").forEach(function (button) {
    var id = button.getAttribute("data-table");
    var rows = data.more[id] || [];
    var numeric = JSON.parse(button.getAttribute("data-numeric") || "[]");
    var shown = 0, step = 200;
    function label() {
      var left = rows.length - shown;
      button.textContent = left > 0 ? "Show " + Math.min(step, left) + " more (" + left + " hidden)" : "";
      button.hidden = left <= 0;
    }
    button.addEventListener("click", function () {
      var body = document.getElementById("tbody-" + id);
      rows.slice(shown, shown + step).forEach(function (r) {
        var tr = document.createElement("tr");
        if (r[1] !== null) tr.setAttribute("data-group", r[1]);
        if (r[2] !== null) tr.setAttribute("data-lang", r[2]);
        r[0].forEach(function (cell, i) {
          var td = document.createElement("td");
          td.textContent = cell === null ? "" : String(cell);
          td.setAttribute("dir", "auto");
          if (numeric.indexOf(i) >= 0) td.className = "num";
          tr.appendChild(td);
        });
        tr.classList.toggle("hidden-by-filter", !rowVisible(tr));
        body.appendChild(tr);
      });
      shown += step;
      label();
    });
    label();
  });

  // plotly.js (4.8 MB) arrives as inert text and is compiled only after the page has loaded:
  // text, tables and filters are usable at once, charts follow a moment later.
  function loadPlotly() {
    if (window.Plotly) return;
    var source = document.getElementById("plotly-src");
    var script = document.createElement("script");
    script.textContent = source.textContent;
    document.head.appendChild(script);
    source.textContent = "";
  }

  // Draw charts as they scroll into view: the page is usable before every chart exists.
  var charts = document.querySelectorAll("div[data-chart]");
  function start() {
    loadPlotly();
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) { draw(e.target); io.unobserve(e.target); } });
      }, { rootMargin: "400px" });
      charts.forEach(function (c) { io.observe(c); });
    } else {
      charts.forEach(draw);
    }
  }
  window.reportDrawAll = function () { loadPlotly(); charts.forEach(draw); };
  if (document.readyState === "complete") { setTimeout(start, 0); }
  else { window.addEventListener("load", function () { setTimeout(start, 0); }); }
})();
