"""Word files read completely: footnotes, endnotes, headers and footers once, text boxes once,
nested tables, comments on request, and Strict OOXML."""

import pytest

from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.settings import IngestSettings
from pipeline.ingest.stage import ingest_document
from tests.fixtures.ingest.corpus_builder import (
    ENGLISH,
    KAZAKH,
    RUSSIAN,
    make_docx,
    make_rich_docx,
    make_zip,
    to_strict_ooxml,
)

RICH = dict(body=ENGLISH, footnote="Footnote on the treaty of 1992.", endnote="Endnote on decree No. 205.",
            box=KAZAKH, header="Ministry of Education and Science", footer="Astana 2023",
            inner_cells=("Inner one", "Inner two"), comment="Check this figure against the ministry report.")


def passages_of(raw: bytes, **settings):
    return ingest_document(raw, "docx", "doc", IngestSettings(**settings))[1]


def kinds_and_texts(raw: bytes, **settings):
    return [(p.kind, p.text) for p in passages_of(raw, **settings)]


def test_footnotes_and_endnotes_follow_the_body_flagged():
    found = kinds_and_texts(make_rich_docx(**RICH))
    assert ("footnote", RICH["footnote"]) in found and ("endnote", RICH["endnote"]) in found
    body_end = max(i for i, (kind, _) in enumerate(found) if kind in ("text", "heading", "table"))
    assert found.index(("footnote", RICH["footnote"])) > body_end
    assert ("text", ENGLISH) in found  # the reference marks leave the body sentence intact


def test_headers_and_footers_are_read_once_though_every_section_has_them():
    found = kinds_and_texts(make_rich_docx(**RICH, sections=3))
    assert found.count(("page_header", RICH["header"])) == 1
    assert found.count(("page_header", RICH["footer"])) == 1


def test_text_box_is_read_once():
    texts = [text for _, text in kinds_and_texts(make_rich_docx(**RICH))]
    assert texts.count(KAZAKH) == 1


def test_a_file_whose_only_text_is_in_a_text_box_is_read():
    import io

    from docx import Document
    from docx.oxml import parse_xml

    document = Document()
    paragraph = document.add_paragraph()
    paragraph._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx><w:txbxContent>'
        f'<w:p><w:r><w:t>{RUSSIAN}</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:r>'))
    buffer = io.BytesIO()
    document.save(buffer)
    assert [p.text for p in passages_of(buffer.getvalue())] == [RUSSIAN]


def test_nested_table_rows_follow_the_row_that_holds_them():
    found = kinds_and_texts(make_rich_docx(**RICH))
    outer = found.index(("table", "Outer cell"))
    assert found[outer + 1] == ("table", "Inner one | Inner two")


def test_comments_are_read_only_when_asked():
    raw = make_rich_docx(**RICH)
    assert ("comment", RICH["comment"]) not in kinds_and_texts(raw)
    assert ("comment", RICH["comment"]) in kinds_and_texts(raw, docx_comments=True)


def test_strict_ooxml_reads_like_transitional():
    raw = make_rich_docx(**RICH)
    assert kinds_and_texts(to_strict_ooxml(raw), docx_comments=True) == kinds_and_texts(raw, docx_comments=True)


def test_offsets_point_into_the_source_text():
    document, passages = ingest_document(make_rich_docx(**RICH), "docx", "doc", IngestSettings())
    for p in passages:
        assert document.source_text[p.source_start:p.source_end] == p.text


def test_tracked_deletions_are_dropped_and_insertions_kept():
    import io

    from docx import Document
    from docx.oxml import parse_xml

    document = Document()
    paragraph = document.add_paragraph("Signed in ")
    paragraph._p.append(parse_xml(
        '<w:del xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="1" w:author="A">'
        '<w:r><w:delText>2019</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="2" w:author="A">'
        '<w:r><w:t>2021</w:t></w:r></w:ins>'))
    buffer = io.BytesIO()
    document.save(buffer)
    assert [p.text for p in passages_of(buffer.getvalue())] == ["Signed in 2021"]


def test_plain_docx_still_reads_headings_items_and_tables():
    raw = make_docx([("Heading 1", "Forum"), ("List Bullet", "South Ural State University"), ("Normal", ENGLISH)],
                    table=[["University", "Agreements"], ["SUSU", "6"]])
    assert kinds_and_texts(raw) == [("heading", "Forum"), ("item", "South Ural State University"),
                                    ("text", ENGLISH), ("table", "University | Agreements"), ("table", "SUSU | 6")]


def test_docx_without_a_document_part_is_named_a_zip_archive():
    with pytest.raises(DocumentProblem, match="but is a ZIP archive"):
        passages_of(make_zip({"word/styles.xml": b"<x/>", "[Content_Types].xml": b"<Types/>"}))


def test_docx_with_broken_xml_is_called_corrupt():
    with pytest.raises(DocumentProblem, match="corrupt"):
        passages_of(make_zip({"word/document.xml": b"<w:document><unclosed>"}))
