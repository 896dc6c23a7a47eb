"""Method and reproducibility: parameters, software, quality metrics, commit and lock hash."""

from __future__ import annotations

from typing import Any

import yaml

from pipeline.report.load import ReportInputs
from pipeline.report.provenance import Provenance

METRIC_SOURCES = (
    ("language_metrics", "Language identification (shipped gold)"),
    ("kk_ner_metrics", "Kazakh NER (spaCy), held-out KazNERD"),
    ("kk_ner_stanza_metrics", "Kazakh NER (Stanza), held-out KazNERD"),
    ("kk_ner_e5_metrics", "Kazakh NER (e5 tagger, the default), held-out KazNERD"),
    ("metrics", "Entity extraction against reviewed decisions"),
    ("topic_metrics", "Topics"),
)


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested JSON as (dotted.key, leaf) pairs in key order, so any metrics layout can be tabulated."""
    if isinstance(value, dict):
        out = []
        for key in sorted(value, key=str):
            out.extend(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = []
        for i, item in enumerate(value):
            out.extend(flatten(item, f"{prefix}[{i}]"))
        return out
    return [(prefix or "value", value)]


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def build(inputs: ReportInputs, params: dict[str, Any], params_path: str, prov: Provenance) -> dict[str, Any]:
    """Metric tables (or "not available" notes), parameters as YAML, provenance."""
    metrics = []
    for key, title in METRIC_SOURCES:
        data = getattr(inputs, key)
        if data is None:
            metrics.append({"title": title, "missing": inputs.missing.get(key, "not available"), "rows": []})
        else:
            metrics.append({"title": title, "missing": None, "path": inputs.paths.get(key, ""),
                            "rows": [(k, _fmt(v)) for k, v in flatten(data)]})
    models = []
    for frame, column, what in ((inputs.languages, "detector", "language detector"),
                                (inputs.entities, "backend", "entity backend")):
        if column in frame.columns:
            counts = frame[column].fillna("").astype(str).value_counts()
            for name in sorted(counts.index):
                unit = "passages" if what == "language detector" else "mentions"
                models.append((what, name or "(none)", f"{int(counts[name]):,} {unit}"))
    params_text = (yaml.safe_dump(params, sort_keys=True, allow_unicode=True) if params
                   else f"({params_path} not found: every stage used its defaults)")
    return {"metrics": metrics, "models": models, "params_text": params_text, "params_path": params_path, "provenance": prov}
