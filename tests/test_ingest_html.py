"""Web pages: the main text is chosen by trafilatura (offsets still point into the markup), a class
on a page-level element never drops the article, and menus, pagers and related links stay out."""

import pytest

from pipeline.ingest.offsets import to_source
from pipeline.ingest.passages import passages_from_lines
from pipeline.ingest.readers import read_document
from pipeline.ingest.settings import IngestSettings
from tests.fixtures.ingest.corpus_builder import ENGLISH, KAZAKH, RUSSIAN

ARTICLE = f"<h1>Rectors sign an agreement on cooperation</h1><p>{ENGLISH}</p><p>{RUSSIAN}</p><p>{KAZAKH}</p>"
MENU = ('<ul class="menu"><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
        '<li><a href="/sport">Sport</a></li></ul>')
PAGER = '<div class="pagination"><a href="?p=1">1</a> <a href="?p=2">2</a> <a href="?p=2">Next page</a></div>'
RELATED = ('<ul><li><a href="/a">Floods close roads in the north of the country after days of heavy rain</a></li>'
           '<li><a href="/b">Ministers meet to discuss the budget for the coming year and its priorities</a></li></ul>')


def page(html_attrs: str = "", body_attrs: str = "", main_attrs: str = "") -> bytes:
    return (f"<!DOCTYPE html><html {html_attrs}><head><title>News</title></head><body {body_attrs}>{MENU}"
            f"<main {main_attrs}><article>{ARTICLE}{PAGER}</article>{RELATED}</main><footer>© 2024</footer>"
            "</body></html>").encode()


def texts(raw: bytes, extractor: str) -> list[str]:
    document = read_document(raw, "html", settings=IngestSettings(html_extractor=extractor))
    return [p.text for p in passages_from_lines("d", document.lines, wrapped=False)]


ROOT_CLASSES = {
    "bbc": {"html_attrs": 'class="b-pw-1280 ads-enabled"'},
    "wikipedia": {"body_attrs": 'class="skin-vector feature-footer-v2"'},
    "cnn": {"main_attrs": 'class="layout__main js-social-anchor-start"'},
}


@pytest.mark.parametrize("extractor", ["builtin", "trafilatura"])
@pytest.mark.parametrize("site", sorted(ROOT_CLASSES))
def test_a_furniture_word_in_a_page_level_class_never_drops_the_article(site, extractor):
    found = texts(page(**ROOT_CLASSES[site]), extractor)
    assert ENGLISH in found and RUSSIAN in found and KAZAKH in found


def test_trafilatura_keeps_the_article_and_leaves_out_menus_pagers_and_related_links():
    assert texts(page(), "trafilatura") == ["Rectors sign an agreement on cooperation", ENGLISH, RUSSIAN, KAZAKH]


def test_trafilatura_passages_map_back_into_the_markup():
    raw = page(html_attrs='class="ads-enabled"')
    document = read_document(raw, "html", settings=IngestSettings(html_extractor="trafilatura"))
    for passage in passages_from_lines("d", document.lines, wrapped=False):
        for i, ch in enumerate(passage.text):
            source = document.source_text[to_source(passage.offset_map, i)]
            assert source == ch or (ch.isspace() and source.isspace()) or source in "&<"


def test_a_page_where_trafilatura_finds_no_main_text_keeps_its_visible_text_with_a_note(monkeypatch):
    import pipeline.ingest.readers.html as html_reader

    monkeypatch.setattr(html_reader, "_trafilatura_text", lambda text: "")  # what it returns on some pages
    raw = b"<html><body><div>Kazakh National University</div><div>Almaty</div></body></html>"
    document = read_document(raw, "html", settings=IngestSettings(html_extractor="trafilatura"))
    assert [p.text for p in passages_from_lines("d", document.lines, wrapped=False)] == [
        "Kazakh National University", "Almaty"]
    assert "trafilatura found no main text" in document.notes[0]
