"""Escaping for text that comes from documents.

HTML text goes through Jinja's autoescape (`html_text` here for code that builds markup by
hand). Data embedded in `<script type="application/json">` is escaped by `script_json`: the
HTML parser ends a script element at `</` + tag name and treats `<!--` specially inside it,
and U+2028/U+2029 end a line in older JavaScript, so those never appear raw.
"""

from __future__ import annotations

import json
import math
from typing import Any

from markupsafe import Markup, escape

_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def html_text(value: Any) -> Markup:
    """`value` as HTML text: <, >, &, quotes become entities."""
    return escape("" if value is None else str(value))


def _clean(value: Any) -> Any:
    """NaN and infinities are not JSON; numpy scalars are not JSON serialisable."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def script_json(value: Any) -> Markup:
    """JSON safe to place inside a `<script>` element: no `</`, `<!--`, `&` or U+2028/2029 raw."""
    text = json.dumps(_clean(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(raw, escaped)
    return Markup(text)
