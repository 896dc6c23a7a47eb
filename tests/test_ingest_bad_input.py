"""Hostile and misnamed files: a PDF bomb, a zip bomb, a giant image, a 500-page PDF, files
under the wrong extension. Each gets one clear message (or is read for what it is); the
other documents are unaffected and nothing partial is written."""

import io
import json
import struct
import zipfile
import zlib

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import read_document
from pipeline.ingest.settings import IngestSettings
from pipeline.ingest.stage import run_ingest
from tests.fixtures.ingest.corpus_builder import ENGLISH, RUSSIAN, make_docx, make_pdf, write_corpus

SMALL_LIMITS = IngestSettings(strict=False, max_unpacked_mb=8)


def deflate_zeros(n_bytes: int) -> bytes:
    """A zlib stream of `n_bytes` zeros, made in chunks (the bomb's payload)."""
    packer = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [packer.compress(chunk) for _ in range(n_bytes >> 20)]
    return b"".join(parts) + packer.flush()


def pdf_with_content_stream(stream: bytes) -> bytes:
    """A minimal valid PDF whose one page's content stream is `stream` (FlateDecode)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_header_only(width: int, height: int) -> bytes:
    """The first bytes of a PNG declaring width × height (what is checked before any decoding)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    idat = zlib.compress(b"\x00" * 100)
    return (b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", len(idat)) + b"IDAT" + idat
            + struct.pack(">I", zlib.crc32(b"IDAT" + idat)))


def docx_with_member(name: str, payload_bytes: int) -> bytes:
    """A real .docx with one extra member of `payload_bytes` zeros (deflated: a zip bomb when large)."""
    source = zipfile.ZipFile(io.BytesIO(make_docx([("Normal", ENGLISH)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        with archive.open(name, "w") as member:
            for _ in range(payload_bytes >> 20):
                member.write(bytes(1 << 20))
    return buffer.getvalue()


def test_pdf_bomb_is_refused_before_it_is_inflated():
    bomb = pdf_with_content_stream(deflate_zeros(32 << 20))
    assert len(bomb) < 100_000
    with pytest.raises(DocumentProblem, match="decompression bomb"):
        read_document(bomb, "pdf", settings=SMALL_LIMITS)


def test_an_ordinary_compressed_pdf_is_within_the_limits():
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET")
    assert ENGLISH[:40] in read_document(make_pdf([[ENGLISH]]), "pdf", settings=SMALL_LIMITS).source_text
    assert "Hello" in read_document(pdf_with_content_stream(content), "pdf", settings=SMALL_LIMITS).source_text


def test_giant_image_is_refused_from_its_header():
    with pytest.raises(DocumentProblem, match=r"20,000 × 20,000 pixels \(400 megapixels\)"):
        read_document(png_header_only(20_000, 20_000), "image", settings=IngestSettings())


def test_docx_zip_bomb_is_refused_naming_the_part():
    bomb = docx_with_member("word/media/image1.bin", 32 << 20)
    assert len(bomb) < 200_000
    with pytest.raises(DocumentProblem, match=r"word/media/image1.bin.*zip bomb"):
        read_document(bomb, "docx", settings=SMALL_LIMITS)


def test_web_page_named_pdf_is_read_as_html_with_a_note():
    page = f"<!DOCTYPE html><html><body><article><p>{ENGLISH}</p></article></body></html>".encode()
    document = read_document(page, "pdf")
    assert document.format == "html"
    assert "named as a PDF but is a web page" in document.notes[0]


def test_pdf_named_txt_is_read_as_pdf():
    document = read_document(make_pdf([[RUSSIAN]]), "txt")
    assert document.format == "pdf" and "Аннотация" in document.source_text


def test_docx_named_pdf_is_read_as_docx():
    document = read_document(make_docx([("Normal", ENGLISH)]), "pdf")
    assert document.format == "docx" and ENGLISH in document.source_text


def test_spreadsheet_named_docx_is_named_for_what_it_is():
    from tests.fixtures.ingest.corpus_builder import make_zip

    with pytest.raises(DocumentProblem, match="is an Excel workbook"):
        read_document(make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), "docx")


def test_damaged_binary_named_pdf_says_it_is_not_a_pdf():
    with pytest.raises(DocumentProblem, match="not one"):
        read_document(bytes(range(256)) * 40, "pdf")


def test_bad_files_are_skipped_and_the_others_are_read_whole(tmp_path):
    corpus = write_corpus(tmp_path, {
        "good.pdf": make_pdf([[ENGLISH]]),
        "bomb.pdf": pdf_with_content_stream(deflate_zeros(32 << 20)),
        "zipbomb.docx": docx_with_member("word/media/x.bin", 32 << 20),
        "giant.png": png_header_only(20_000, 20_000),
        "good.docx": make_docx([("Normal", RUSSIAN)]),
    })
    out, report = tmp_path / "passages.parquet", tmp_path / "report.json"
    run_ingest(corpus, out, report, SMALL_LIMITS)
    frame = pd.read_parquet(out)
    assert sorted(frame["file"].unique()) == ["documents/good.docx", "documents/good.pdf"]
    assert list(frame["text"]) == [ENGLISH, RUSSIAN]
    skipped = {s["file"]: s["reason"] for s in json.loads(report.read_text())["skipped"]}
    assert set(skipped) == {"documents/bomb.pdf", "documents/zipbomb.docx", "documents/giant.png"}


def test_strict_run_with_a_bomb_writes_nothing(tmp_path):
    corpus = write_corpus(tmp_path, {"good.pdf": make_pdf([[ENGLISH]]),
                                     "bomb.pdf": pdf_with_content_stream(deflate_zeros(32 << 20))})
    out, report = tmp_path / "passages.parquet", tmp_path / "report.json"
    strict = IngestSettings(strict=True, max_unpacked_mb=8)
    with pytest.raises(PipelineError, match="bomb.pdf: the PDF contains a compressed stream"):
        run_ingest(corpus, out, report, strict)
    assert not out.exists() and not report.exists()


def test_pdf_with_more_pages_than_the_limit_is_refused():
    with pytest.raises(DocumentProblem, match="has 3 pages, above ingest.max_pdf_pages"):
        read_document(make_pdf([[ENGLISH]] * 3), "pdf", settings=IngestSettings(max_pdf_pages=2))


def test_file_above_the_size_limit_is_refused_before_reading():
    with pytest.raises(DocumentProblem, match="above ingest.max_file_mb"):
        read_document(b"a" * (2 << 20), "txt", settings=IngestSettings(max_file_mb=1))


@pytest.mark.slow
def test_500_page_pdf_is_read_page_by_page_in_bounded_memory(tmp_path):
    """Peak memory for 500 pages stays close to that for 50: pages are streamed, not held."""
    import subprocess
    import sys

    script = (
        "import resource, sys\n"
        "from pipeline.ingest.stage import ingest_document\n"
        "from pipeline.ingest.settings import IngestSettings\n"
        "ingest_document(open(sys.argv[2], 'rb').read(), 'pdf', 'warm', IngestSettings())\n"
        "raw = open(sys.argv[1], 'rb').read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "document, passages = ingest_document(raw, 'pdf', 'big', IngestSettings())\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(len(passages), (after - before) // 1024)\n"
    )
    warm = tmp_path / "warm.pdf"
    warm.write_bytes(make_pdf([[ENGLISH]]))
    growth = {}
    for pages in (50, 500):
        path = tmp_path / f"{pages}.pdf"
        path.write_bytes(make_pdf([[f"Page {k}. {ENGLISH}", RUSSIAN] for k in range(pages)]))
        result = subprocess.run([sys.executable, "-c", script, str(path), str(warm)], capture_output=True, text=True,
                                check=True)
        n_passages, megabytes = map(int, result.stdout.split())
        assert n_passages >= pages
        growth[pages] = megabytes
    # Passages themselves grow with the document; the reader's working memory must not.
    print("peak memory growth MB by pages:", growth)
    assert growth[500] < growth[50] + 120, growth
