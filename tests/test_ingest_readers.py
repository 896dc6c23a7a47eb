"""Readers: HTML, .docx and .pdf produce clean passages whose offsets point into their source."""

import pytest

from pipeline.ingest.offsets import to_source
from pipeline.ingest.passages import passages_from_lines
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import format_of, read_document, unsupported_message
from tests.fixtures.ingest.corpus_builder import (
    DEJAVU,
    ENGLISH,
    KAZAKH,
    RUSSIAN,
    make_docx,
    make_image_only_pdf,
    make_pdf,
)

PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Forum</title>
<style>p {{ color: red }}</style><script>var banner = "<p>Subscribe</p>";</script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<header><div class="logo">SUSU news portal</div></header>
<article><header><h1>The forum of rectors &amp; universities</h1></header>
<p>{ENGLISH.replace("universities", "universities<sup>1</sup>", 1)}</p>
<ul><li>South Ural State University</li><li>Abai KazNPU</li></ul>
<table><tr><th>University</th><th>Agreements</th></tr><tr><td>SUSU</td><td>6</td></tr></table>
<p>{KAZAKH}</p></article>
<footer>&copy; 2017 SUSU</footer></body></html>"""


def read(raw: bytes, fmt: str):
    document = read_document(raw, fmt)
    return document, passages_from_lines("doc", document.lines, wrapped=document.wrapped)


def assert_kept_characters_map_back(document, passages):
    for passage in passages:
        for i, ch in enumerate(passage.text):
            source_ch = document.source_text[to_source(passage.offset_map, i)]
            assert source_ch == ch or (ch.isspace() and source_ch.isspace()) or source_ch in "&<", (passage.text, i)


def test_html_keeps_visible_blocks_and_drops_furniture():
    _, passages = read(PAGE.encode("utf-8"), "html")
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "The forum of rectors & universities"),
        ("text", ENGLISH),
        ("item", "South Ural State University"),
        ("item", "Abai KazNPU"),
        ("table", "University | Agreements"),
        ("table", "SUSU | 6"),
        ("text", KAZAKH),
    ]


def test_html_offsets_point_into_the_markup():
    document, passages = read(PAGE.encode("utf-8"), "html")
    assert document.source_text == PAGE
    assert_kept_characters_map_back(document, passages)
    heading = passages[0]
    amp = heading.text.index("&")
    assert PAGE[to_source(heading.offset_map, amp):].startswith("&amp;")


def test_html_in_windows_1251_with_declared_charset_is_decoded():
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    document, passages = read(page.encode("cp1251"), "html")
    assert document.encoding == "windows-1251"
    assert [p.text for p in passages] == [RUSSIAN]


def test_docx_paragraphs_and_tables_in_order_with_roles():
    raw = make_docx([("Title", "The forum of rectors"), ("Normal", ENGLISH), ("List Bullet", "Abai KazNPU"),
                     ("Normal", KAZAKH)], table=[["University", "Agreements"], ["SUSU", "6"]])
    document, passages = read(raw, "docx")
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "The forum of rectors"), ("text", ENGLISH), ("item", "Abai KazNPU"), ("text", KAZAKH),
        ("table", "University | Agreements"), ("table", "SUSU | 6")]
    for passage in passages:
        assert document.source_text[passage.source_start : passage.source_end] == passage.text


def test_corrupt_docx_is_reported():
    raw = make_docx([("Normal", ENGLISH)])
    with pytest.raises(DocumentProblem, match="corrupt"):
        read_document(raw[: len(raw) // 2], "docx")


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu Sans font for Cyrillic PDF text")
def test_pdf_text_layer_is_rejoined_into_paragraphs_across_wrapped_lines():
    document, passages = read(make_pdf([[KAZAKH, ENGLISH], [RUSSIAN]]), "pdf")
    assert [p.text for p in passages] == [KAZAKH, ENGLISH, RUSSIAN]
    assert "\f" in document.source_text  # pages are separated in the text layer
    assert_kept_characters_map_back(document, passages)


def test_pdf_paragraph_continued_on_the_next_page_is_joined():
    first, rest = ENGLISH.split(", which will be ")
    _, passages = read(make_pdf([[first], ["which will be " + rest]]), "pdf")
    assert [p.text for p in passages] == [f"{first} which will be {rest}"]


def test_pdf_without_text_layer_needs_ocr():
    with pytest.raises(DocumentProblem, match="OCR"):
        read_document(make_image_only_pdf(), "pdf")


def test_corrupt_pdf_is_reported():
    raw = make_pdf([[ENGLISH]])
    with pytest.raises(DocumentProblem, match="corrupt"):
        read_document(raw[:200], "pdf")


def test_supported_formats_by_extension():
    assert [format_of(n) for n in ("a.TXT", "b.md", "c.htm", "d.pdf", "e.docx", "f.doc")] == [
        "txt", "md", "html", "pdf", "docx", None]
    assert "save as .docx" in unsupported_message("old.doc")


def test_html_line_breaks_separate_address_lines():
    page = "<p>Al-Farabi Kazakh National University<br>Almaty, Kazakhstan</p><pre>SUSU   6\nKazNPU 4</pre>"
    _, passages = read(page.encode(), "html")
    assert [p.text for p in passages] == ["Al-Farabi Kazakh National University", "Almaty, Kazakhstan",
                                          "SUSU 6", "KazNPU 4"]


def test_html_with_no_visible_text_gives_no_lines():
    document = read_document(b"<html><head><title>x</title></head><body><script>1</script></body></html>", "html")
    assert document.lines == []


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu Sans font")
def test_pdf_sentence_running_over_a_page_break_is_joined_even_before_a_capital():
    first, rest = ENGLISH.split(" education and science. ")
    pages = [[f"{first} education and"], [f"Science. {rest}"]]
    _, passages = read(make_pdf(pages), "pdf")
    assert [p.text for p in passages] == [f"{first} education and Science. {rest}"]


def test_html_menus_share_buttons_and_cookie_notices_are_furniture():
    page = (f'<div class="top-menu"><a>Home</a></div><div id="article-body"><p>{ENGLISH}</p>'
            '<div class="share-buttons">Share on Facebook</div></div>'
            '<div class="cookie-banner">We use cookies.</div><aside>Related news</aside>')
    _, passages = read(page.encode(), "html")
    assert [p.text for p in passages] == [ENGLISH]


def test_web_page_saved_as_txt_is_read_as_html():
    document, passages = read(PAGE.encode("utf-8"), "txt")
    assert document.format == "html"
    assert "Subscribe" not in " ".join(p.text for p in passages)
    assert passages[1].text == ENGLISH
