"""HTML rendering: the Jinja template with CSS, plotly.js, behaviour and data inlined."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from pipeline.report.escape import script_json

TEMPLATES = Path(__file__).parent / "templates"

# A tiny bar-chart icon as a data: URI, so the browser never asks the file system for /favicon.ico.
FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
           "%3Crect width='16' height='16' rx='3' fill='%23102a43'/%3E"
           "%3Crect x='3' y='8' width='2.5' height='5' fill='%2356B4E9'/%3E"
           "%3Crect x='6.75' y='4' width='2.5' height='9' fill='%23E69F00'/%3E"
           "%3Crect x='10.5' y='6' width='2.5' height='7' fill='%23009E73'/%3E%3C/svg%3E")


def inline_script(source: str) -> Markup:
    """JavaScript safe inside <script>: `</script` and `<!--` cannot end or confuse the element."""
    source = re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE)
    return Markup(source.replace("<!--", "<\\!--"))


@functools.lru_cache(maxsize=1)
def plotly_js() -> Markup:
    """plotly.js from the installed plotly package (no CDN), made safe to inline once."""
    from plotly.offline import get_plotlyjs

    return inline_script(get_plotlyjs())


def environment() -> jinja2.Environment:
    """Jinja with autoescape on for every template, so document text is always escaped."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False)


def render_page(context: dict[str, Any], payload: dict[str, Any]) -> str:
    """The complete page. `payload` (charts, table overflow) is embedded as escaped JSON."""
    env = environment()
    template = env.get_template("report.html.j2")
    return template.render(
        **context,
        favicon=FAVICON,
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8").replace("</", "<\\/")),
        report_js=inline_script((TEMPLATES / "report.js").read_text(encoding="utf-8")),
        plotly_js=plotly_js(),
        data_json=script_json(payload),
    )
