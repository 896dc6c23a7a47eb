"""PDF text layers that go wrong in real files: glyph codes instead of letters, encryption,
a line on every page that is the whole text."""

import io

import pytest

from pipeline.ingest.ocr import tesseract_problem
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers.pdf import garbage_share, is_garbage
from pipeline.ingest.settings import IngestSettings
from pipeline.ingest.stage import ingest_document
from tests.fixtures.ingest.corpus_builder import ENGLISH, RUSSIAN, make_pdf

MISSING = tesseract_problem(("kaz", "rus", "eng"))


def strip_unicode_maps(raw: bytes) -> bytes:
    """The PDF with its fonts' /ToUnicode maps removed: what a PDF from a font without a Unicode map looks like."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            font.pop(NameObject("/ToUnicode"), None)
            for descendant in font.get("/DescendantFonts", []) or []:
                descendant.get_object().pop(NameObject("/ToUnicode"), None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted(raw: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_glyph_names_and_cid_codes_are_garbage_and_words_are_not():
    assert is_garbage("/g148/g135/g150 /g3/g12/g148 /g44/g135")
    assert is_garbage("(cid:12)(cid:45)(cid:3)(cid:77) (cid:12)")
    assert is_garbage("\ue001\ue002\ue003 \ue004\ue005")
    assert not is_garbage(ENGLISH) and not is_garbage(RUSSIAN)
    assert garbage_share("Prices rose 5/2021 and km/h") < 0.2


@pytest.mark.skipif(MISSING is not None, reason=f"needs Tesseract: {MISSING}")
def test_a_text_layer_without_unicode_map_is_read_by_ocr_not_kept_as_garbage():
    raw = strip_unicode_maps(make_pdf([[ENGLISH]]))
    document, passages = ingest_document(raw, "pdf", "glyphs", IngestSettings())
    text = " ".join(p.text for p in passages)
    assert not is_garbage(text)
    assert "universities will work jointly" in text


def test_a_text_layer_without_unicode_map_and_no_ocr_is_refused_saying_why():
    raw = strip_unicode_maps(make_pdf([[RUSSIAN]]))
    with pytest.raises(DocumentProblem, match="glyph codes instead of letters.*ocr: auto"):
        ingest_document(raw, "pdf", "glyphs", IngestSettings(ocr="never"))


def test_pdf_encrypted_with_an_empty_user_password_is_read():
    _, passages = ingest_document(encrypted(make_pdf([[ENGLISH]]), ""), "pdf", "open", IngestSettings())
    assert [p.text for p in passages] == [ENGLISH]


def test_pdf_with_a_real_password_is_refused_as_password_protected():
    with pytest.raises(DocumentProblem, match="password-protected"):
        ingest_document(encrypted(make_pdf([[ENGLISH]]), "secret"), "pdf", "locked", IngestSettings())


def test_a_line_repeated_on_every_page_that_is_all_the_text_is_kept():
    raw = make_pdf([["Ministry of Education of the Republic of Kazakhstan"]] * 4)
    _, passages = ingest_document(raw, "pdf", "only", IngestSettings())
    assert passages and passages[0].text.startswith("Ministry of Education of the Republic of Kazakhstan")


@pytest.mark.parametrize("extractor", ["pdftotext", "pdfium", "pypdf", "pdfminer"])
def test_every_extractor_reads_a_plain_text_pdf(extractor):
    _, passages = ingest_document(make_pdf([[ENGLISH], [RUSSIAN]]), "pdf", "x", IngestSettings(pdf_extractor=extractor))
    assert [p.text for p in passages] == [ENGLISH, RUSSIAN]


def test_symbol_soup_from_a_fonts_internal_codes_is_garbage_but_numbers_are_not():
    assert is_garbage('HII I 0 ! )/ " ) / & 0 !N 1 ! 8)/ / 8 ? / 8& 8+ 8? 8 8O1 ) 0 ! 8 C * 8P # 1')
    assert not is_garbage("2019 2020 2021\n45.6 12.1 13.0\n1 200 3 400 5 600")
