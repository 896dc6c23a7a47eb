"""Long tables: the first rows inline as HTML, the rest as compact JSON the page expands.

Keeps the page light with thousands of documents or hundreds of topics while nothing is
dropped: every row is in the file, rendered on demand by the "show more" button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Row:
    """One table row; `group`/`lang` let the page's filters hide it."""

    cells: list[Any]
    group: str | None = None
    lang: str | None = None
    title: str | None = None  # full text shown on hover when a cell is cut


@dataclass
class Table:
    """A table with an id (unique in the page), column headers and rows."""

    id: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    limit: int = 15
    numeric: tuple[int, ...] = ()  # column indices aligned right

    @property
    def inline_rows(self) -> list[Row]:
        """Rows rendered as HTML."""
        return self.rows[: self.limit]

    def more_payload(self) -> list[list[Any]]:
        """Rows after the inline ones as [cells, group, lang]: the smallest JSON that can rebuild them."""
        return [[r.cells, r.group, r.lang] for r in self.rows[self.limit:]]


def fmt_number(value: Any, digits: int = 0) -> str:
    """Thousands separators; `digits` decimals for floats."""
    if value is None:
        return ""
    if digits == 0:
        return f"{int(round(float(value))):,}"
    return f"{float(value):,.{digits}f}"


def fmt_share(value: Any) -> str:
    """A 0..1 share as a percentage with one decimal."""
    return f"{100 * float(value):.1f}%"
