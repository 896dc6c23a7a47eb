"""The `ingest` section of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import PipelineError


@dataclass(frozen=True)
class IngestSettings:
    """Settings of the ingest stage (params.yaml section `ingest`)."""

    strict: bool = True
    """Fail on any bad document (listing all problems, writing nothing); false: skip and report them."""
    max_passage_chars: int = 1500
    """Paragraphs longer than this are split at sentence boundaries."""
    min_passage_chars: int = 1
    """Shorter passages are dropped; keep it small so titles and headings survive."""
    repeated_line_min_count: int = 3
    """A short line repeated this often is a running header/footer and is dropped (0: keep all)."""

    def __post_init__(self) -> None:
        if not isinstance(self.strict, bool):
            raise PipelineError(f"params.yaml ingest.strict must be true or false, not {self.strict!r}.")
        for name in ("max_passage_chars", "min_passage_chars", "repeated_line_min_count"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise PipelineError(f"params.yaml ingest.{name} must be a whole number ≥ 0, not {value!r}.")
        if self.max_passage_chars < 100:
            raise PipelineError("params.yaml ingest.max_passage_chars must be at least 100 (default 1500).")
        if not 1 <= self.min_passage_chars <= self.max_passage_chars:
            raise PipelineError("params.yaml ingest.min_passage_chars must be between 1 and max_passage_chars.")
