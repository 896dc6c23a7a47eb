"""OCR: scanned PDFs and images (PNG, JPEG, TIFF) in Kazakh, Russian and English are read with
Tesseract; their passages say they came from OCR and how sure it was."""

import difflib
import json

import pandas as pd
import pytest

from pipeline.ingest.ocr import span_confidence, tesseract_problem
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import read_document
from pipeline.ingest.settings import IngestSettings
from pipeline.ingest.stage import ingest_document, run_ingest
from tests.fixtures.ingest.corpus_builder import (
    ENGLISH,
    KAZAKH,
    RUSSIAN,
    image_bytes,
    make_pdf,
    make_scanned_pdf,
    render_page,
    write_corpus,
)

MISSING = tesseract_problem(("kaz", "rus", "eng"))
needs_tesseract = pytest.mark.skipif(MISSING is not None, reason=f"OCR tests need Tesseract: {MISSING}")


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, " ".join(a.split()), " ".join(b.split())).ratio()


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr_in_three_languages():
    document, passages = ingest_document(make_scanned_pdf([[ENGLISH, RUSSIAN, KAZAKH]]), "pdf", "scan",
                                         IngestSettings())
    assert document.ocr_pages == 1
    assert len(passages) == 3
    for passage, expected in zip(passages, (ENGLISH, RUSSIAN, KAZAKH), strict=True):
        assert similarity(passage.text, expected) > 0.97, passage.text


@pytest.mark.slow
@needs_tesseract
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_image_files_are_read_by_ocr(fmt):
    raw = image_bytes(render_page([KAZAKH]), fmt)
    document, passages = ingest_document(raw, "image", "photo", IngestSettings())
    assert document.format == "image" and document.ocr_pages == 1
    assert similarity(" ".join(p.text for p in passages), KAZAKH) > 0.97


@pytest.mark.slow
@needs_tesseract
def test_multi_page_tiff_reads_every_page_in_order():
    import io

    first, second = render_page([ENGLISH]), render_page([RUSSIAN])
    buffer = io.BytesIO()
    first.save(buffer, format="TIFF", save_all=True, append_images=[second], dpi=(300, 300))
    document, passages = ingest_document(buffer.getvalue(), "image", "scan", IngestSettings())
    assert document.ocr_pages == 2
    assert similarity(passages[0].text, ENGLISH) > 0.97 and similarity(passages[-1].text, RUSSIAN) > 0.97


@pytest.mark.slow
@needs_tesseract
def test_a_pdf_with_text_pages_and_a_scanned_page_ocrs_only_the_scan():
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for raw in (make_pdf([[ENGLISH]]), make_scanned_pdf([[RUSSIAN]])):
        for page in PdfReader(io.BytesIO(raw)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    document, passages = ingest_document(buffer.getvalue(), "pdf", "mixed", IngestSettings())
    assert document.ocr_pages == 1
    ocr_start = document.source_text.index("\f")
    assert all(a > ocr_start for a, _, _ in document.ocr_words)
    assert passages[0].text == ENGLISH


@needs_tesseract
def test_stage_marks_ocr_passages_with_source_kind_and_confidence(tmp_path):
    corpus = write_corpus(tmp_path, {"scan.pdf": make_scanned_pdf([[RUSSIAN]]), "typed.pdf": make_pdf([[ENGLISH]])})
    out, report = tmp_path / "passages.parquet", tmp_path / "report.json"
    run_ingest(corpus, out, report, IngestSettings())
    frame = pd.read_parquet(out).set_index("file")
    scan, typed = frame.loc["documents/scan.pdf"], frame.loc["documents/typed.pdf"]
    assert scan["source_kind"] == "ocr" and 0.8 < scan["ocr_confidence"] <= 1.0
    assert typed["source_kind"] == "text" and pd.isna(typed["ocr_confidence"])
    data = json.loads(report.read_text())
    assert data["ocr_passages"] == 1 and data["ocr_documents"] == 1


def test_ocr_never_refuses_a_scan_naming_the_setting():
    with pytest.raises(DocumentProblem, match="ocr: auto"):
        read_document(make_scanned_pdf([[ENGLISH]]), "pdf", settings=IngestSettings(ocr="never"))


def test_ocr_never_refuses_an_image():
    with pytest.raises(DocumentProblem, match="only be read by OCR"):
        read_document(image_bytes(render_page([ENGLISH])), "image", settings=IngestSettings(ocr="never"))


def test_missing_language_pack_is_named_with_its_debian_package():
    message = tesseract_problem(("kaz", "xyz"))
    assert message is not None and ("tesseract-ocr-xyz" in message or "apt-get install tesseract-ocr" in message)


def test_span_confidence_is_the_length_weighted_mean_of_the_words_inside():
    words = ((0, 4, 0.5), (5, 7, 1.0), (10, 20, 0.9))
    assert span_confidence(words, 0, 8) == pytest.approx((4 * 0.5 + 2 * 1.0) / 6)
    assert span_confidence(words, 8, 9) is None
