"""Static PNG and SVG of every interactive chart, drawn with matplotlib from the same specs.

Drawing from the plotly specs (rather than from the data again) keeps the static and the
interactive figure the same chart. Output is deterministic: fixed SVG hash salt, no dates in
metadata, math text parsing off (a `$` in a title must not become a formula).
"""

from __future__ import annotations

import html
import io
import warnings
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

RC = {
    "svg.hashsalt": "kz-edu-report",
    "svg.fonttype": "none",  # text stays text: smaller, searchable, faster to write
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titlelocation": "left",
}
PNG_META = {"Software": None}
SVG_META = {"Date": None, "Creator": None}


def _t(value: Any) -> str:
    return html.unescape(str(value))


def _axis_key(trace: dict[str, Any]) -> str:
    return str(trace.get("xaxis", "x"))


def _draw_bars(ax, traces: list[dict[str, Any]], barmode: str) -> None:
    horizontal = traces[0].get("orientation") == "h"
    cats: list[str] = []
    for tr in traces:
        for c in tr["y" if horizontal else "x"]:
            if c not in cats:
                cats.append(c)
    pos = {c: i for i, c in enumerate(cats)}
    n = len(traces)
    width = 0.8 if barmode == "stack" else 0.8 / max(n, 1)
    base = [0.0] * len(cats)
    for k, tr in enumerate(traces):
        labels = tr["y" if horizontal else "x"]
        values = [v or 0 for v in tr["x" if horizontal else "y"]]
        idx = [pos[c] for c in labels]
        offset = 0.0 if barmode == "stack" else (k - (n - 1) / 2) * width
        where = [i + offset for i in idx]
        bottom = [base[i] for i in idx] if barmode == "stack" else None
        err = tr.get("error_x") if horizontal else None
        xerr = [err["arrayminus"], err["array"]] if err else None
        colour = tr.get("marker", {}).get("color")
        if horizontal:
            ax.barh(where, values, height=width, left=bottom, color=colour, label=_t(tr.get("name", "")),
                    xerr=xerr, error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333"})
        else:
            ax.bar(where, values, width=width, bottom=bottom, color=colour, label=_t(tr.get("name", "")))
        if barmode == "stack":
            for i, v in zip(idx, values, strict=True):
                base[i] += v
    ticks = list(range(len(cats)))
    if horizontal:
        ax.set_yticks(ticks, [_t(c) for c in cats])
        ax.invert_yaxis()
    else:
        ax.set_xticks(ticks, [_t(c) for c in cats])


def _draw_scatter(ax, traces: list[dict[str, Any]]) -> None:
    cats: list[str] = []
    for tr in traces:
        if tr.get("mode") == "markers" and "error_x" in tr:
            for c in tr["y"]:
                if c not in cats:
                    cats.append(c)
    pos = {c: i for i, c in enumerate(cats)}
    n = max(len(traces), 1)
    for k, tr in enumerate(traces):
        mode = tr.get("mode", "markers")
        colour = tr.get("marker", {}).get("color") or tr.get("line", {}).get("color")
        if tr.get("fill") == "toself":  # interval band (prevalence over time)
            ax.fill(tr["x"], tr["y"], color=_rgba(tr.get("fillcolor", "")), linewidth=0, zorder=1)
        elif mode == "lines+markers":  # a trend line, markers where there are documents
            ax.plot(tr["x"], tr["y"], color=colour, linewidth=1.6, zorder=2,
                    label=_t(tr.get("name", "")) if tr.get("showlegend", True) else None)
            sizes = tr.get("marker", {}).get("size", 6)
            seen = [(x, y) for x, y, s in zip(tr["x"], tr["y"], sizes if isinstance(sizes, list) else
                                              [sizes] * len(tr["x"]), strict=True) if s]
            if seen:
                ax.scatter([x for x, _ in seen], [y for _, y in seen], color=colour, s=14, zorder=3)
        elif mode == "lines":
            xs, ys = tr["x"], tr["y"]
            for i in range(0, len(xs) - 1, 3):
                ax.plot(xs[i:i + 2], ys[i:i + 2], color=colour, linewidth=0.6, zorder=1)
        elif "error_x" in tr:  # forest plot on categorical y
            offset = (k - (n - 1) / 2) * (0.6 / n)
            y = [pos[c] + offset for c in tr["y"]]
            err = tr["error_x"]
            ax.errorbar(tr["x"], y, xerr=[err["arrayminus"], err["array"]], fmt="none", ecolor=colour,
                        elinewidth=1, capsize=2)
            filled = [s == "circle" for s in tr["marker"]["symbol"]]
            ax.scatter([x for x, f in zip(tr["x"], filled, strict=True) if f],
                       [v for v, f in zip(y, filled, strict=True) if f], color=colour, s=22, zorder=3,
                       label=_t(tr.get("name", "")))
            ax.scatter([x for x, f in zip(tr["x"], filled, strict=True) if not f],
                       [v for v, f in zip(y, filled, strict=True) if not f], facecolors="white",
                       edgecolors=colour, s=22, zorder=3)
        else:  # network nodes
            sizes = tr.get("marker", {}).get("size", 8)
            sizes = [s * s / 4 for s in sizes] if isinstance(sizes, list) else sizes
            ax.scatter(tr["x"], tr["y"], s=sizes, color=colour, edgecolors="white", linewidths=0.5, zorder=3,
                       label=_t(tr.get("name", "")))
            for x, y, label in zip(tr["x"], tr["y"], tr.get("text", []), strict=False):
                ax.annotate(_t(label), (x, y), xytext=(0, 5), textcoords="offset points", ha="center",
                            fontsize=6.5, color="#3e4c59")
    if cats:
        ax.set_yticks(list(range(len(cats))), [_t(c) for c in cats])
        ax.invert_yaxis()
        ax.axvline(0, color="#555", linewidth=0.8)


def _rgba(value: str) -> Any:
    """plotly's "rgba(r,g,b,a)" as a matplotlib colour tuple (grey when unreadable)."""
    try:
        r, g, b, a = (float(x) for x in value[value.index("(") + 1:value.rindex(")")].split(","))
        return (r / 255, g / 255, b / 255, a)
    except ValueError:
        return (0.5, 0.5, 0.5, 0.2)


def _panel_key(axis: str) -> tuple[int, str]:
    return (int(axis[1:] or 1), axis)


def draw(spec: dict[str, Any]) -> plt.Figure:
    """A matplotlib figure equivalent to a plotly spec made by `pipeline.report.charts`."""
    layout = spec.get("layout", {})
    traces = [t for t in spec.get("data", []) if t.get("visible", True) is True]
    panels = sorted({_axis_key(t) for t in traces}, key=_panel_key) or ["x"]
    height_px = layout.get("height", 420)
    # more than three panels (small multiples) wrap into rows of three
    ncols = min(len(panels), 3) if len(panels) > 3 else len(panels)
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(9, max(3.2, height_px / 100 * 0.9)), squeeze=False)
    for extra in axes.flat[len(panels):]:
        extra.set_axis_off()
    titles = {str(a.get("xref", "")).split(" ")[0]: a.get("text", "") for a in layout.get("annotations", [])
              if str(a.get("xref", "")).endswith(" domain")}
    title = layout.get("title", {}).get("text", "")
    fig.suptitle(_t(title), x=0.01, ha="left", fontsize=11)
    for ax, panel in zip(axes.flat, panels, strict=False):
        if panel in titles:
            ax.set_title(_t(titles[panel]), fontsize=8.5)
        axis_layout = layout.get("yaxis" if panel == "x" else f"yaxis{panel[1:]}", {})
        if str(axis_layout.get("tickformat", "")).endswith("%"):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        mine = [t for t in traces if _axis_key(t) == panel]
        if not mine:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        elif mine[0]["type"] == "bar":
            _draw_bars(ax, mine, layout.get("barmode", "group"))
        else:
            _draw_scatter(ax, mine)
        axis_name = "yaxis" if panel == "x" else f"yaxis{panel[1:]}"
        ylabel = layout.get(axis_name, {}).get("title", {}).get("text")
        if ylabel:
            ax.set_ylabel(_t(ylabel))
        xlabel = layout.get("xaxis", {}).get("title", {}).get("text")
        if xlabel and panel == "x":
            ax.set_xlabel(_t(xlabel))
        if str(layout.get("xaxis", {}).get("tickformat", "")).endswith("%"):
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        if layout.get("xaxis", {}).get("visible") is False:
            ax.set_axis_off()
            ax.set_aspect("equal")
        ax.grid(axis="x" if mine and mine[0].get("orientation") == "h" else "y", color="#e6e9ee", linewidth=0.6)
        ax.set_axisbelow(True)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    if len(labels) > 1:
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, 0.06 if len(labels) > 1 else 0, 1, 0.95))
    return fig


def render(spec: dict[str, Any]) -> tuple[bytes, bytes]:
    """(PNG bytes, SVG bytes) of a chart spec, identical on every run."""
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        # Han characters have no glyph in DejaVu Sans; the figure stays readable without them.
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        fig = draw(spec)
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=110, metadata=PNG_META)
        fig.savefig(svg, format="svg", metadata=SVG_META)
        plt.close(fig)
    return png.getvalue(), svg.getvalue()


def write_all(specs: dict[str, dict[str, Any]], directory: Path) -> list[str]:
    """Write `<name>.png` and `<name>.svg` for each spec into `directory`; returns the file names."""
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for name, spec in sorted(specs.items()):
        png, svg = render(spec)
        (directory / f"{name}.png").write_bytes(png)
        (directory / f"{name}.svg").write_bytes(svg)
        names += [f"{name}.png", f"{name}.svg"]
    return names
