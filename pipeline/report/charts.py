"""Interactive charts as plotly figure specs (plain dicts, drawn by the inlined plotly.js).

Every trace carries `meta` ({"group": ...}, {"lang": ...} or {"groups": [a, b]}) so the page's
filters can hide it. Text from documents is HTML-escaped because plotly interprets a subset of
HTML in labels and hover text.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from pipeline.report.network import Network
from pipeline.report.palette import LABELS, NEUTRAL, colour_map

LABELLED_NODES = 20
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif", "size": 13}


def plot_text(value: Any) -> str:
    """Text safe for plotly labels: its HTML subset sees literal characters, not tags."""
    return html.escape(str(value), quote=False)


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout = {"title": {"text": plot_text(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
              "font": FONT, "margin": {"l": 60, "r": 20, "t": 50, "b": 50}, "paper_bgcolor": "#ffffff",
              "plot_bgcolor": "#ffffff", "hovermode": "closest",
              "legend": {"orientation": "h", "y": -0.15}}
    layout.update(extra)
    return layout


def documents_per_group(per_group: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Bars: documents per comparison group."""
    colours = colour_map(list(per_group))
    data = [{"type": "bar", "name": plot_text(g), "x": [plot_text(g)], "y": [v["documents"]],
             "marker": {"color": colours[g]}, "meta": {"group": g},
             "customdata": [[v["passages"], v["words"]]],
             "hovertemplate": "%{x}: %{y} documents<br>%{customdata[0]} passages, %{customdata[1]:,} words"
                              "<extra></extra>"}
            for g, v in sorted(per_group.items())]
    return {"data": data, "layout": _layout("Documents per group", showlegend=False,
                                            yaxis={"title": {"text": "documents"}, "gridcolor": "#e6e9ee"})}


def language_volume(lang_by_group: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: passages and words per language, one trace per group (two panels)."""
    frame = pd.DataFrame(lang_by_group)
    groups = sorted(frame["group"].unique()) if not frame.empty else []
    langs = sorted(frame["lang"].unique()) if not frame.empty else []
    colours = colour_map(groups)
    data = []
    for g in groups:
        sub = frame[frame["group"] == g].set_index("lang")[["passages", "words"]].reindex(langs, fill_value=0)
        for axis, column in (("", "passages"), ("2", "words")):
            data.append({"type": "bar", "name": plot_text(g), "x": [plot_text(x) for x in langs],
                         "y": sub[column].astype(int).tolist(), "xaxis": f"x{axis}", "yaxis": f"y{axis}",
                         "marker": {"color": colours[g]}, "meta": {"group": g}, "legendgroup": g,
                         "showlegend": axis == "",
                         "hovertemplate": f"%{{x}} · {plot_text(g)}: %{{y:,}} {column}<extra></extra>"})
    layout = _layout("Passages and words per language", barmode="stack",
                     xaxis={"domain": [0, 0.46]}, xaxis2={"domain": [0.54, 1]},
                     yaxis={"title": {"text": "passages"}, "gridcolor": "#e6e9ee"},
                     yaxis2={"title": {"text": "words"}, "anchor": "x2", "gridcolor": "#e6e9ee"})
    return {"data": data, "layout": layout}


def topic_sizes(assignments: pd.DataFrame, topics: list[int], labels: dict[int, str]) -> dict[str, Any]:
    """Horizontal stacked bars: passages per topic, one trace per language."""
    sub = assignments[assignments["topic_id"].isin(topics)]
    counts = sub.groupby(["topic_id", "lang"]).size()
    langs = sorted(sub["lang"].astype(str).unique())
    colours = colour_map(langs)
    names = [plot_text(_short(labels.get(t, str(t)))) for t in topics]
    data = [{"type": "bar", "orientation": "h", "name": plot_text(lang), "y": names,
             "x": [int(counts.get((t, lang), 0)) for t in topics], "marker": {"color": colours[lang]},
             "meta": {"lang": lang}, "hovertemplate": f"%{{y}} · {plot_text(lang)}: %{{x}} passages<extra></extra>"}
            for lang in langs]
    height = max(320, 26 * len(topics) + 120)
    return {"data": data, "layout": _layout("Topic size by language (passages)", barmode="stack", height=height,
                                            yaxis={"autorange": "reversed", "automargin": True},
                                            xaxis={"gridcolor": "#e6e9ee"})}


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def prevalence(frame: pd.DataFrame, topics: list[int], labels: dict[int, str]) -> dict[str, Any]:
    """Grouped horizontal bars with 95% intervals: share of each group's documents' text per topic."""
    sub = frame[frame["topic_id"].isin(topics)]
    groups = sorted(sub["group"].astype(str).unique())
    colours = colour_map(groups)
    order = {t: i for i, t in enumerate(topics)}
    data = []
    for g in groups:
        rows = sub[sub["group"].astype(str) == g].copy()
        rows["order"] = rows["topic_id"].map(order)
        rows = rows.sort_values("order")
        data.append({
            "type": "bar", "orientation": "h", "name": plot_text(g), "meta": {"group": g},
            "y": [plot_text(_short(labels.get(int(t), str(t)))) for t in rows["topic_id"]],
            "x": rows["prevalence"].round(4).tolist(), "marker": {"color": colours[g]},
            "error_x": {"type": "data", "symmetric": False, "color": "#333",
                        "array": (rows["ci_high"] - rows["prevalence"]).clip(lower=0).round(4).tolist(),
                        "arrayminus": (rows["prevalence"] - rows["ci_low"]).clip(lower=0).round(4).tolist()},
            "customdata": rows[["ci_low", "ci_high", "n_docs"]].round(4).values.tolist(),
            "hovertemplate": f"%{{y}} · {plot_text(g)}: %{{x:.1%}} (95% interval %{{customdata[0]:.1%}}–"
                             "%{customdata[1]:.1%}, %{customdata[2]} docs)<extra></extra>",
        })
    height = max(360, 22 * len(topics) * max(len(groups), 1) + 120)
    return {"data": data, "layout": _layout("Topic prevalence per group, with 95% intervals", barmode="group",
                                            height=height, yaxis={"autorange": "reversed", "automargin": True},
                                            xaxis={"tickformat": ".0%", "gridcolor": "#e6e9ee",
                                                   "title": {"text": "share of the group's text"}})}


def differences(frame: pd.DataFrame, topics: list[int], labels: dict[int, str], too_small: list[str]) -> dict[str, Any]:
    """Forest plot: difference in prevalence per topic and pair of groups, filled when distinguishable."""
    sub = frame[frame["topic_id"].isin(topics)].copy()
    pairs = sorted({(str(a), str(b)) for a, b in zip(sub["group_a"], sub["group_b"], strict=True)})
    colours = colour_map([f"{a} − {b}" for a, b in pairs])
    order = {t: i for i, t in enumerate(topics)}
    # When every pair involves a too-small group there is nothing better to show: draw them all.
    hide_small = any(a not in too_small and b not in too_small for a, b in pairs)
    data = []
    for a, b in pairs:
        rows = sub[(sub["group_a"].astype(str) == a) & (sub["group_b"].astype(str) == b)].copy()
        rows["order"] = rows["topic_id"].map(order)
        rows = rows.sort_values("order")
        small = a in too_small or b in too_small
        clear = rows["distinguishable"].astype(bool) & (not small)
        name = f"{a} − {b}"
        data.append({
            "type": "scatter", "mode": "markers", "name": plot_text(name), "meta": {"groups": [a, b]},
            # Pairs with a too-small group only add ±100% bars: listed in the legend, drawn on click.
            "visible": "legendonly" if small and hide_small else True,
            "y": [plot_text(_short(labels.get(int(t), str(t)))) for t in rows["topic_id"]],
            "x": rows["diff"].round(4).tolist(),
            "marker": {"size": 10, "color": colours[name], "symbol": ["circle" if c else "circle-open" for c in clear],
                       "line": {"width": 2, "color": colours[name]}},
            "error_x": {"type": "data", "symmetric": False, "color": colours[name],
                        "array": (rows["ci_high"] - rows["diff"]).clip(lower=0).round(4).tolist(),
                        "arrayminus": (rows["diff"] - rows["ci_low"]).clip(lower=0).round(4).tolist()},
            "customdata": [[lo, hi, "distinguishable" if c else ("too few documents" if small else "within noise")]
                           for lo, hi, c in zip(rows["ci_low"].round(4), rows["ci_high"].round(4), clear, strict=True)],
            "hovertemplate": f"%{{y}} · {plot_text(name)}: %{{x:+.1%}} (%{{customdata[0]:+.1%}} to "
                             "%{customdata[1]:+.1%}; %{customdata[2]})<extra></extra>",
        })
    height = max(360, 28 * len(topics) + 140)
    return {"data": data, "layout": _layout(
        "Differences in prevalence (filled: interval excludes zero)", height=height,
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"tickformat": "+.0%", "zeroline": True, "zerolinecolor": "#555", "gridcolor": "#e6e9ee"})}


def entity_network(network: Network) -> dict[str, Any]:
    """Co-occurrence graph: edges as one line trace, nodes as one marker trace per label."""
    nodes = network.nodes
    if nodes.empty:
        return {"data": [], "layout": _layout("Entity co-occurrence network (no entities)")}
    ex, ey, widths = [], [], []
    for i, j, _w in network.edges:
        ex += [float(nodes["x"].iloc[i]), float(nodes["x"].iloc[j]), None]
        ey += [float(nodes["y"].iloc[i]), float(nodes["y"].iloc[j]), None]
        widths.append(_w)
    data: list[dict[str, Any]] = [{"type": "scatter", "mode": "lines", "x": ex, "y": ey, "hoverinfo": "skip",
                                   "line": {"width": 0.8, "color": "#b8c2cc"}, "name": "co-occurrence",
                                   "showlegend": False}]
    degree = {i: 0 for i in range(len(nodes))}
    for i, j, w in network.edges:
        degree[i] += w
        degree[j] += w
    # Names on the most-mentioned nodes only; the rest show theirs on hover, so labels do not pile up.
    named = set(nodes.sort_values(["mentions", "canonical_id"], ascending=[False, True]).index[:LABELLED_NODES])
    for label in sorted(nodes["label"].unique()):
        sub = nodes[nodes["label"] == label]
        data.append({
            "type": "scatter", "mode": "markers+text", "name": plot_text(label.title()),
            "x": sub["x"].round(4).tolist(), "y": sub["y"].round(4).tolist(),
            "text": [plot_text(_short(n, 28)) if i in named else "" for i, n in zip(sub.index, sub["canonical_name"],
                                                                                     strict=True)],
            "textposition": "top center",
            "textfont": {"size": 10, "color": "#3e4c59"},
            "marker": {"size": [8 + 3 * (m ** 0.5) for m in sub["mentions"]], "color": LABELS.get(label, NEUTRAL),
                       "line": {"width": 1, "color": "#fff"}, "opacity": 0.9},
            "customdata": [[plot_text(n), int(m), int(u), degree[i]] for i, n, m, u in
                           zip(sub.index, sub["canonical_name"], sub["mentions"], sub["units"], strict=True)],
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]} mentions in %{customdata[2]} units"
                             "<br>%{customdata[3]} co-occurrences<extra></extra>",
        })
    # No fixed aspect ratio: the layout stretches to the page width, which separates crowded labels.
    return {"data": data, "layout": _layout("Which universities and agreements appear together", height=560,
                                            xaxis={"visible": False, "range": [-1.25, 1.25]},
                                            yaxis={"visible": False, "range": [-1.15, 1.2]}, dragmode="pan")}


def entity_bars(blocks: list[dict[str, Any]], groups: list[str], per_label: int = 8) -> dict[str, Any]:
    """Horizontal bars: mentions of the most-named entities per group (universities, people, agreements)."""
    colours = colour_map(groups)
    data = []
    names: list[str] = []
    for block in blocks:
        totals: dict[str, int] = {}
        for g in block["groups"]:
            for e in g["entities"]:
                totals[e["name"]] = totals.get(e["name"], 0) + e["mentions"]
        top = sorted(totals, key=lambda n: (-totals[n], n))[:per_label]
        names += [f"{n} ({block['label'].lower()})" for n in top]
    for g in groups:
        counts = {}
        for block in blocks:
            for gb in block["groups"]:
                if gb["group"] == g:
                    for e in gb["entities"]:
                        counts[f"{e['name']} ({block['label'].lower()})"] = e["mentions"]
        data.append({"type": "bar", "orientation": "h", "name": plot_text(g), "meta": {"group": g},
                     "y": [plot_text(_short(n, 50)) for n in names], "x": [counts.get(n, 0) for n in names],
                     "marker": {"color": colours[g]},
                     "hovertemplate": f"%{{y}} · {plot_text(g)}: %{{x}} mentions<extra></extra>"})
    height = max(320, 22 * len(names) + 120)
    return {"data": data, "layout": _layout("Most-named universities, people and agreements", barmode="stack",
                                            height=height, yaxis={"autorange": "reversed", "automargin": True},
                                            xaxis={"gridcolor": "#e6e9ee", "title": {"text": "mentions"}})}


def _rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def prevalence_over_time(frame: pd.DataFrame, topics: list[int], labels: dict[int, str],
                         page_group_column: str, columns: int = 3) -> dict[str, Any]:
    """Small multiples, one panel per topic: predicted prevalence per year and group with its band.

    Markers sit on the years where the group has documents; the line between them is the
    model's linear trend. Traces carry meta.group only when the groups are the page's own, so
    the page's group filter hides and shows them.
    """
    sub = frame[frame["topic_id"].isin(topics)] if not frame.empty else frame
    if sub.empty:
        return {"data": [], "layout": _layout("Topic prevalence over time per group (not estimated)")}
    groups = list(dict.fromkeys(sub["group"].astype(str)))
    colours = colour_map(groups)
    filterable = str(sub["group_column"].iloc[0]) == page_group_column
    time_column = str(sub["time_column"].iloc[0])
    rows = -(-len(topics) // columns)
    width, height = 1.0 / columns, 1.0 / rows
    data: list[dict[str, Any]] = []
    layout = _layout(f"Predicted topic prevalence by {time_column} and group (bands: 95% intervals)",
                     height=max(360, 250 * rows + 110), annotations=[], showlegend=True)
    for i, topic in enumerate(topics):
        suffix = "" if i == 0 else str(i + 1)
        col, row = i % columns, i // columns
        layout[f"xaxis{suffix}"] = {"domain": [col * width + 0.04, (col + 1) * width - 0.02], "anchor": f"y{suffix}",
                                    "gridcolor": "#e6e9ee", "tickformat": "d"}
        layout[f"yaxis{suffix}"] = {"domain": [1 - (row + 1) * height + 0.07, 1 - row * height - 0.08],
                                    "anchor": f"x{suffix}", "tickformat": ".0%", "gridcolor": "#e6e9ee"}
        layout["annotations"].append({"text": plot_text(_short(labels.get(topic, str(topic)), 36)), "showarrow": False,
                                      "xref": f"x{suffix} domain", "yref": f"y{suffix} domain", "x": 0, "y": 1.12,
                                      "xanchor": "left", "font": {"size": 12}})
        for g in groups:
            rows_g = sub[(sub["topic_id"] == topic) & (sub["group"].astype(str) == g)].sort_values("time")
            if rows_g.empty:
                continue
            meta = {"group": g} if filterable else {}
            x = rows_g["time"].round(4).tolist()
            data.append({"type": "scatter", "mode": "lines", "fill": "toself", "x": x + x[::-1],
                         "y": rows_g["ci_high"].round(4).tolist() + rows_g["ci_low"].round(4).tolist()[::-1],
                         "line": {"width": 0}, "fillcolor": _rgba(colours[g], 0.18), "hoverinfo": "skip",
                         "showlegend": False, "legendgroup": g, "name": plot_text(g), "meta": meta,
                         "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
            data.append({"type": "scatter", "mode": "lines+markers", "x": x, "y": rows_g["prevalence"].round(4).tolist(),
                         "name": plot_text(g), "legendgroup": g, "showlegend": i == 0, "meta": meta,
                         "line": {"color": colours[g], "width": 2},
                         "marker": {"color": colours[g], "size": [7 if n else 0 for n in rows_g["n_docs"]]},
                         "customdata": rows_g[["ci_low", "ci_high", "n_docs"]].round(4).values.tolist(),
                         "hovertemplate": f"{plot_text(g)} · %{{x}}: %{{y:.1%}} (%{{customdata[0]:.1%}}–"
                                          "%{customdata[1]:.1%}; %{customdata[2]} documents that year)<extra></extra>",
                         "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
    return {"data": data, "layout": layout}
