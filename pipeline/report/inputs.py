"""Which upstream outputs the report reads, and whether each is required.

Paths, producing stages and columns come from pipeline/outputs.py (declared once for every reader);
this module only says which of them the report needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.outputs import OUTPUT, STAGE_READS, TOPIC_TABLES


@dataclass(frozen=True)
class InputSpec:
    """One upstream output the report reads."""

    key: str  # name inside `ReportInputs`
    path: str  # relative to the outputs directory (or to the repo root when `from_root`)
    stage: str  # the DVC stage that writes it
    columns: tuple[str, ...] = ()  # required columns (parquet) or keys (json)
    required: bool = True
    from_root: bool = False
    alternatives: tuple[str, ...] = ()  # other places the same output has lived; the first that exists wins


OPTIONAL_TOPIC_TABLES = ("effects", "prevalence_over_time")


def _spec(key: str, required: bool = True, alternatives: tuple[str, ...] = ()) -> InputSpec:
    out = OUTPUT[key]
    rel = out.in_outputs
    return InputSpec(key, rel if rel is not None else out.path, out.stage, out.columns, required,
                     from_root=rel is None, alternatives=alternatives)


INPUTS: tuple[InputSpec, ...] = (
    *(_spec(key) for key in ("passages", "ingest_report", "languages", "entities", "entity_summary")),
    *(_spec(key) for key in TOPIC_TABLES if key not in OPTIONAL_TOPIC_TABLES),
    _spec("groups"),
    # covariate effects: optional, so a report still builds from topics outputs that predate them
    *(_spec(key, required=False) for key in OPTIONAL_TOPIC_TABLES),
    _spec("topic_metrics", required=False),
    _spec("metrics", required=False),
    _spec("language_metrics", required=False),
    _spec("kk_ner_metrics", required=False, alternatives=("models/kk_ner/metrics.json",)),
    _spec("kk_ner_stanza_metrics", required=False),
    _spec("kk_ner_e5_metrics", required=False),
)

SPEC_BY_KEY = {spec.key: spec for spec in INPUTS}


def _dep(key: str) -> str:
    """A stage input as the freshness check's default graph writes it: `{out}` is the outputs directory."""
    if key not in OUTPUT:
        return key  # a source path (corpus/...)
    rel = OUTPUT[key].in_outputs
    return "{out}/" + rel if rel is not None else OUTPUT[key].path


# Without dvc.yaml, this is how stages depend on each other (paths relative to the repo root,
# `{out}` is the outputs directory). Used to tell whether an output is older than its inputs.
DEFAULT_STAGE_DEPS: dict[str, tuple[str, ...]] = {
    stage: tuple(_dep(key) for key in keys) for stage, keys in STAGE_READS.items() if stage != "report"
}
