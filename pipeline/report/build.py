"""Build the report: validated inputs → sections → charts, figures, plot data, page, summary.

The whole output directory is written atomically: a failed build leaves the previous report
in place instead of a page whose figures belong to another run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.config import load_params, stage_settings
from pipeline.report import charts, figures, plots, provenance, render, summary
from pipeline.report.load import ReportInputs, load_inputs, shown_path
from pipeline.report.palette import colour_map
from pipeline.report.sections import comparison, effects, entities, method, overview, themes
from pipeline.report.sections.context import corpus_context
from pipeline.report.settings import ReportSettings

PLURALS = {"UNIVERSITY": "universities", "AGREEMENT": "agreements", "PERSON": "people"}


@dataclass(frozen=True)
class BuildResult:
    """Where the report went and what it took."""

    out_dir: Path
    index: Path
    figures: list[str]
    plots: list[str]
    seconds: float


def chart_specs(inputs: ReportInputs, sections: dict[str, Any], groups: list[str]) -> dict[str, dict[str, Any]]:
    """Every interactive chart by name (the same names as the static figures)."""
    comp = sections["comparison"]
    topics = comp["chart_topics"]
    return {
        "documents_per_group": charts.documents_per_group(sections["overview"]["per_group"]),
        "language_volume": charts.language_volume(sections["overview"]["lang_by_group"]),
        "topic_sizes": charts.topic_sizes(inputs.assignments, topics, comp["labels"]),
        "prevalence": charts.prevalence(inputs.prevalence, topics, comp["labels"]),
        "differences": charts.differences(inputs.differences, topics, comp["labels"], comp["too_small"]),
        "entity_bars": charts.entity_bars(sections["entities"]["blocks"], groups),
        "entity_network": charts.entity_network(sections["entities"]["network"]),
        "prevalence_over_time": charts.prevalence_over_time(
            sections["effects"]["over_time"], sections["effects"]["chart_topics"], comp["labels"],
            sections["effects"]["page_group_column"]),
    }


def build_report(outputs_dir: str | Path = "outputs", out_dir: str | Path = "outputs/report",
                 params_path: str | Path = "params.yaml", root: str | Path = ".", *,
                 allow_stale: bool = False, settings: ReportSettings | None = None) -> BuildResult:
    """Build index.html, figures/, plots/ and summary.md in `out_dir` from the outputs in `outputs_dir`."""
    started = time.perf_counter()
    params = load_params(params_path)
    if settings is None:
        settings = stage_settings(ReportSettings, "report", params=params)
    inputs = load_inputs(outputs_dir, root, allow_stale=allow_stale)
    ctx = corpus_context(inputs)
    prov = provenance.collect(root)
    sections = {
        "overview": overview.build(inputs, ctx, settings),
        "themes": themes.build(inputs, ctx, settings),
        "comparison": comparison.build(inputs, ctx, settings),
        "effects": effects.build(inputs, ctx, settings),
        "entities": entities.build(inputs, ctx, settings),
        "method": method.build(inputs, params, shown_path(Path(params_path), Path(root)), prov),
    }
    specs = chart_specs(inputs, sections, ctx.groups)
    tables = [sections["overview"]["documents"], sections["overview"]["language_table"],
              sections["overview"]["skipped"], sections["themes"]["table"],
              sections["comparison"]["prevalence"], sections["comparison"]["differences"],
              sections["effects"]["table"]]
    payload = {"charts": specs, "more": {t.id: t.more_payload() for t in tables if len(t.rows) > t.limit}}
    context = {
        "title": settings.title, "prov": prov, "group_column": ctx.group_column, "groups": ctx.groups,
        "languages": ctx.languages, "group_colours": colour_map(ctx.groups), "stale": inputs.stale,
        "network_labels": " and ".join(PLURALS.get(label, label.lower()) for label in settings.network_labels),
        "network_unit": settings.network_unit, "max_network_nodes": settings.max_network_nodes,
        **sections,
    }
    page = render.render_page(context, payload)
    text = summary.render(settings.title, sections["overview"], sections["themes"], sections["comparison"],
                          sections["entities"], sections["method"], inputs, sections["effects"])
    plot_tables = plots.series(inputs.prevalence, inputs.differences, sections["overview"]["per_lang"],
                               inputs.topics, sections["comparison"]["labels"])
    plot_tables |= plots.effect_series(inputs.effects, inputs.prevalence_over_time, sections["comparison"]["labels"])
    out_dir = Path(out_dir)
    with atomic.atomic_directory(out_dir) as tmp:
        (tmp / "index.html").write_text(page, encoding="utf-8")
        (tmp / "summary.md").write_text(text, encoding="utf-8")
        figure_files = figures.write_all(specs, tmp / "figures")
        plot_files = plots.write_all(plot_tables, tmp / "plots")
    return BuildResult(out_dir, out_dir / "index.html", figure_files, plot_files, time.perf_counter() - started)
