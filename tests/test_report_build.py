"""Building the report from contract outputs: files, content, escaping, caveats, determinism."""

import json
import re
import shutil

import pandas as pd
import pytest
from report_fixtures import make_project

from pipeline.report.build import build_report

PARAMS = "report:\n  table_rows: 2\n  kwic_per_entity: 2\n"


def _build(root, **kwargs):
    return build_report(root / "outputs", root / "outputs" / "report", root / "params.yaml", root, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory, corpus_dir):
    """The report built once from the seed corpus plus a hostile document."""
    root = make_project(tmp_path_factory.mktemp("built"), corpus_dir, hostile=True, with_metrics=False)
    (root / "params.yaml").write_text(PARAMS, encoding="utf-8")
    result = _build(root)
    return root, result, result.index.read_text(encoding="utf-8")


def _payload(page):
    raw = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw)


def test_build_writes_page_summary_figures_and_plot_tables(built):
    root, result, _ = built
    out = root / "outputs" / "report"
    assert (out / "index.html").stat().st_size > 1_000_000  # plotly.js is inlined
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# ")
    for name in ("prevalence", "differences", "entity_network", "documents_per_group", "topic_sizes"):
        assert (out / "figures" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
        assert b"<svg" in (out / "figures" / f"{name}.svg").read_bytes()[:500]
    prevalence = pd.read_csv(out / "plots" / "prevalence.csv")
    assert {"topic", "group", "prevalence", "ci_low", "ci_high"} <= set(prevalence.columns)
    over_time = pd.read_csv(out / "plots" / "prevalence_over_time.csv")
    assert {"topic", "group", "time", "prevalence", "ci_low", "ci_high"} <= set(over_time.columns)
    assert (out / "figures" / "prevalence_over_time.png").read_bytes()[:4] == b"\x89PNG"


def test_report_says_how_many_passages_came_from_ocr(built):
    root, _, page = built
    assert re.search(r"3 passage\(s\) came from OCR[^<]*\(1 document\(s\)\)", page)
    assert "3 passage(s) from OCR" in (root / "outputs" / "report" / "summary.md").read_text(encoding="utf-8")


def test_page_loads_nothing_from_the_network(built):
    _, _, page = built
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=\"(?!data:)", page)
    assert 'rel="icon" href="data:image/svg+xml' in page
    assert "default-src 'none'" in page  # the CSP blocks any request the page might still try


def test_document_markup_is_shown_as_text_not_executed(built):
    _, _, page = built
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x onerror" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_json_in_script_cannot_end_the_script_or_break_lines(built):
    _, _, page = built
    raw = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1)
    assert "</" not in raw and "<!--" not in raw and "\u2028" not in raw
    overflow_titles = [row[0][1] for row in _payload(page)["more"]["documents"]]
    assert 'Title with </script><!-- and "quotes" \u2028 break' in overflow_titles


def test_entity_name_with_quotes_brackets_and_arabic_is_escaped_and_isolated(built):
    _, _, page = built
    assert '<bdi>Al-Quds &#34;University&#34; &lt;جامعة القدس&gt;</bdi>' in page


def test_long_tables_keep_overflow_rows_for_show_more(built):
    _, _, page = built
    payload = _payload(page)
    shown = page.count('<tr data-group="russia">') + page.count('<tr data-group="china">')
    assert len(payload["more"]["documents"]) == 6 - 2  # 6 documents, 2 inline
    assert 'data-table="documents"' in page and shown >= 2


def test_small_group_caveat_from_the_topics_stage_is_shown_once(built):
    _, _, page = built
    assert page.count("group &#39;china&#39; has 1 document(s)") == 1
    assert "Group “china” has only" not in page  # no second wording of the same caveat
    assert "Cannot be judged: china has too few documents" in page


def test_small_group_gets_a_caveat_even_when_upstream_gave_none(built):
    from pipeline.report.load import load_inputs
    from pipeline.report.sections import comparison
    from pipeline.report.sections.context import corpus_context
    from pipeline.report.settings import ReportSettings

    root, _, _ = built
    inputs = load_inputs(root / "outputs", root)
    inputs.groups["notes"] = []
    section = comparison.build(inputs, corpus_context(inputs), ReportSettings())
    assert any(n.startswith("Group “china” has only 1 document(s)") for n in section["notes"])


def test_topic_without_terms_in_a_language_says_so(built):
    _, _, page = built
    assert re.search(r"no terms in (en|kk|ru)", page)


def test_kwic_lines_show_the_mention_in_its_sentence(built):
    _, _, page = built
    assert re.search(r'<span class="l" dir="rtl"><bdi>[^<]*universities, the </bdi></span><span class="k"><bdi>'
                     r'South Ural State University</bdi></span><span class="r"><bdi> \(SUSU\) signed', page)


def test_entities_only_mentioned_generically_are_not_listed(built):
    _, _, page = built
    assert "<bdi>Cooperation memorandums (Chelyabinsk forum)</bdi>" not in page
    assert "<bdi>South Ural State University</bdi></span><span class=\"num\">" in page  # named ones are


def test_missing_metrics_render_as_not_available_with_the_stage(built):
    _, _, page = built
    assert "not available: run `dvc repro evaluate`" in page


def test_every_chart_trace_carries_escaped_text(built):
    _, _, page = built
    charts = _payload(page)["charts"]
    assert set(charts) == {"documents_per_group", "language_volume", "topic_sizes", "prevalence",
                           "differences", "entity_bars", "entity_network", "prevalence_over_time"}
    names = json.dumps(charts["entity_network"]["data"], ensure_ascii=False)
    assert "&lt;جامعة القدس&gt;" in names and "<جامعة" not in names


def test_rebuilding_gives_byte_identical_outputs(built, tmp_path):
    root, _, _ = built
    copy = tmp_path / "again"
    shutil.copytree(root, copy)
    shutil.rmtree(copy / "outputs" / "report")
    _build(copy)
    first, second = root / "outputs" / "report", copy / "outputs" / "report"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_empty_group_is_reported_not_crashed(built, tmp_path):
    root, _, _ = built
    copy = tmp_path / "empty"
    shutil.copytree(root, copy)
    groups_path = copy / "outputs" / "topics" / "groups.json"
    groups = json.loads(groups_path.read_text(encoding="utf-8"))
    groups["groups"]["central_asia"] = {"n_docs": 0, "n_passages": 0, "too_small": True}
    groups_path.write_text(json.dumps(groups), encoding="utf-8")
    page = _build(copy).index.read_text(encoding="utf-8")
    assert "Group “central_asia” has no documents" in page
    assert 'value="central_asia"' in page  # still offered as a filter


def test_a_failed_build_keeps_the_previous_report(built, tmp_path):
    root, _, _ = built
    copy = tmp_path / "keep"
    shutil.copytree(root, copy)
    before = (copy / "outputs" / "report" / "index.html").read_bytes()
    (copy / "outputs" / "topics" / "topics.parquet").unlink()
    with pytest.raises(Exception, match="dvc repro"):
        _build(copy)
    assert (copy / "outputs" / "report" / "index.html").read_bytes() == before


def test_method_lists_models_recorded_in_the_outputs(built):
    _, _, page = built
    assert '<td>entity backend</td><td dir="auto">gazetteer</td>' in page
    assert '<td>language detector</td><td dir="auto">fixture-script</td>' in page


def test_allow_stale_builds_a_page_that_says_so(built, tmp_path):
    import os

    root, _, _ = built
    copy = tmp_path / "stale"
    shutil.copytree(root, copy)
    later = (copy / "outputs" / "passages.parquet").stat().st_mtime + 60
    os.utime(copy / "corpus" / "metadata.csv", (later, later))
    page = _build(copy, allow_stale=True).index.read_text(encoding="utf-8")
    assert "<b>Built from stale outputs</b>" in page
    assert "run `dvc repro ingest`" in page


def test_covariate_effects_section_shows_the_table_and_the_trend_per_group(built):
    root, _, page = built
    section = re.search(r'<section id="effects">(.*?)</section>', page, re.S).group(1)
    assert "perspective = <bdi>kazakh</bdi>" in section and "year × perspective" in section
    assert 'data-chart="prevalence_over_time"' in section and "vs kazakh" in section
    rows = _payload(page)["more"].get("effects", [])
    assert {"russian vs kazakh", "chinese vs kazakh", "per +1 year"} <= {r[0][2] for r in rows} | set(
        re.findall(r"<td dir=\"auto\">((?:\w+ vs \w+)|(?:per \+1 year))</td>", section))
    chart = _payload(page)["charts"]["prevalence_over_time"]
    lines = [t for t in chart["data"] if t["mode"] == "lines+markers"]
    assert {t["name"] for t in lines} == {"kazakh", "russian", "chinese"}
    # the page groups by partner, so the perspective curves are not tied to its group filter
    assert all(t["meta"] == {} for t in chart["data"])
    summary = (root / "outputs" / "report" / "summary.md").read_text(encoding="utf-8")
    assert "## Covariate effects" in summary and "effects have intervals that exclude zero" in summary


def test_report_from_topics_outputs_without_effects_says_which_stage_to_rerun(tmp_path, corpus_dir):
    root = make_project(tmp_path / "old", corpus_dir, with_metrics=False)
    (root / "params.yaml").write_text(PARAMS, encoding="utf-8")
    for name in ("effects", "prevalence_over_time"):
        (root / "outputs" / "topics" / f"{name}.parquet").unlink()
    page = _build(root).index.read_text(encoding="utf-8")
    section = re.search(r'<section id="effects">(.*?)</section>', page, re.S).group(1)
    assert "not available: run `dvc repro topics`" in section and "<table" not in section


def test_effects_not_estimated_show_the_stage_note_instead_of_a_table(tmp_path, corpus_dir):
    root = make_project(tmp_path / "small", corpus_dir, with_metrics=False)
    (root / "params.yaml").write_text(PARAMS, encoding="utf-8")
    topics = root / "outputs" / "topics"
    for name in ("effects", "prevalence_over_time"):
        frame = pd.read_parquet(topics / f"{name}.parquet")
        frame.iloc[0:0].to_parquet(topics / f"{name}.parquet", index=False)
    groups = json.loads((topics / "groups.json").read_text(encoding="utf-8"))
    note = ("Covariate effects are not estimated: the corpus has 5 document(s), fewer than effects.min_docs=10; "
            "a regression on so few documents would describe those documents, not the covariates.")
    groups["effects"], groups["notes"] = {"estimated": False}, [note]
    (topics / "groups.json").write_text(json.dumps(groups), encoding="utf-8")
    page = _build(root).index.read_text(encoding="utf-8")
    section = re.search(r'<section id="effects">(.*?)</section>', page, re.S).group(1)
    assert "fewer than effects.min_docs=10" in section and "<table" not in section
    assert "fewer than effects.min_docs" not in re.search(r'<section id="comparison">(.*?)</section>', page,
                                                          re.S).group(1)
