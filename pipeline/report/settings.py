"""Settings of the report stage (section `report` of params.yaml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSettings:
    """What the report shows inline; everything else stays reachable through "show more".

    The caps keep the page loading fast on a large corpus (10k passages, 200 topics): tables
    render their first rows as HTML and keep the rest as compact JSON that the page expands on
    demand.
    """

    title: str = "Kazakhstan's educational cooperation with Russia and China: corpus report"
    top_n_topics: int = 30  # topics rendered as cards; the rest in the topic table's "show more"
    top_terms: int = 10  # terms per topic and language
    passages_per_topic: int = 3  # representative passages shown per topic
    passage_chars: int = 280  # representative passages are cut to this length (full text on hover)
    table_rows: int = 15  # rows rendered inline in each long table
    entities_per_label: int = 15  # entities per label and group in the "who is named most" tables
    kwic_per_entity: int = 5  # keyword-in-context lines per entity
    kwic_window: int = 70  # characters of context on each side of a mention
    max_network_nodes: int = 60  # co-occurrence network keeps the most-mentioned nodes
    network_labels: tuple[str, ...] = ("UNIVERSITY", "AGREEMENT")
    network_unit: str = "passage"  # entities co-occur when they share a "passage" or a "document"
    network_seed: int = 0
    max_chart_topics: int = 25  # topics drawn in prevalence charts (largest first)

    def __post_init__(self) -> None:
        from pipeline.errors import PipelineError

        if self.network_unit not in ("passage", "document"):
            raise PipelineError(
                f"params.yaml: report.network_unit is '{self.network_unit}'; use 'passage' or 'document'."
            )
        for name in ("top_n_topics", "top_terms", "table_rows", "max_network_nodes", "max_chart_topics"):
            if getattr(self, name) < 1:
                raise PipelineError(f"params.yaml: report.{name} must be at least 1.")
        # params.yaml gives lists; keep the dataclass hashable and comparable.
        object.__setattr__(self, "network_labels", tuple(self.network_labels))
