"""The report in a real browser (Debian chromium via Playwright): offline, drawn, filterable, safe."""

import io
import time
from pathlib import Path

import pytest
from report_fixtures import make_project

from pipeline.report.build import build_report

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def report_page(tmp_path_factory, corpus_dir):
    """The hostile-document report opened from disk; yields (page, log) and closes the browser."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed: apt-get install chromium (make browser)")
    from playwright.sync_api import sync_playwright

    root = make_project(tmp_path_factory.mktemp("browser"), corpus_dir, hostile=True)
    (root / "params.yaml").write_text("report:\n  table_rows: 2\n", encoding="utf-8")
    index = build_report(root / "outputs", root / "outputs" / "report", root / "params.yaml", root).index
    log = {"console_errors": [], "network": [], "dialogs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.on("console", lambda m: log["console_errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log["console_errors"].append(str(e)))
        page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))

        def guard(route):
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                log["network"].append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        started = time.perf_counter()
        page.goto(index.as_uri(), wait_until="load")
        log["load_seconds"] = time.perf_counter() - started
        page.wait_for_selector("div[data-chart] .main-svg", timeout=15000)  # charts in view draw by themselves
        log["first_chart_seconds"] = time.perf_counter() - started
        page.evaluate("window.reportDrawAll()")
        page.wait_for_function("document.querySelectorAll('div[data-chart] .main-svg').length >= 7", timeout=15000)
        yield page, log
        browser.close()


def test_page_loads_quickly_without_console_errors_or_network(report_page):
    page, log = report_page
    assert log["console_errors"] == []
    assert log["network"] == []
    assert log["load_seconds"] < 3.0
    assert log["first_chart_seconds"] < 8.0  # plotly.js compiles after load; generous for a busy CI machine


def test_every_chart_is_drawn(report_page):
    page, _ = report_page
    undrawn = page.evaluate("""Array.from(document.querySelectorAll('div[data-chart]'))
        .filter(d => !d.querySelector('svg.main-svg, canvas')).map(d => d.dataset.chart)""")
    assert undrawn == []


def test_screenshot_is_not_blank(report_page):
    from PIL import Image, ImageStat

    page, _ = report_page
    image = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 20


def test_script_in_a_document_does_not_run(report_page):
    page, log = report_page
    assert log["dialogs"] == []
    assert page.get_by_text("<script>alert(1)</script>", exact=False).count() >= 1


def test_group_filter_hides_rows_and_chart_traces(report_page):
    page, _ = report_page
    page.uncheck("input[name=group][value=china]")
    hidden_rows = page.evaluate("""Array.from(document.querySelectorAll('tr[data-group=china]'))
        .every(r => r.offsetParent === null)""")
    trace_visible = page.evaluate("""document.querySelector('div[data-chart=prevalence]').data
        .filter(t => t.meta && t.meta.group === 'china').map(t => t.visible)""")
    page.check("input[name=group][value=china]")
    assert hidden_rows is True
    assert trace_visible == [False]


def test_show_more_renders_overflow_rows_as_text(report_page):
    page, _ = report_page
    before = page.locator("#tbody-documents tr").count()
    page.click("button.more[data-table=documents]")
    after = page.locator("#tbody-documents tr").count()
    assert after > before
    assert page.locator("#tbody-documents td", has_text="Title with </script><!--").count() == 1
