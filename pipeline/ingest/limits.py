"""Refuse hostile or oversized files before a reader decodes them.

A PDF bomb (a few kilobytes that inflate to gigabytes), a .docx zip bomb, or an image of
20,000 × 20,000 pixels would exhaust memory inside a C library and take every other
document down with the process. Each check here is cheap and bounded: it reads headers
and inflates in fixed-size chunks, counting bytes and keeping none.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib

from pipeline.ingest.problems import DocumentProblem

MB = 1 << 20
CHUNK = 1 << 20
# The keyword that opens a stream's data, after its dictionary (`<< ... >> stream`).
STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
OBJECT_START = re.compile(rb"\d+\s+\d+\s+obj\b")
HEADER_WINDOW = 8192
WIDTH = re.compile(rb"/Width\s+(\d+)")
HEIGHT = re.compile(rb"/Height\s+(\d+)")
IMAGE = re.compile(rb"/Subtype\s*/Image")


def check_file_size(raw: bytes, max_mb: int) -> None:
    """Refuse files above the configured size."""
    if max_mb and len(raw) > max_mb * MB:
        raise DocumentProblem(
            f"the file is {len(raw) / MB:.0f} MB, above ingest.max_file_mb ({max_mb} MB). "
            "Split it, or raise the limit in params.yaml if the machine has the memory."
        )


def inflated_size(data: bytes, cap: int) -> int:
    """Bytes a zlib stream inflates to, counting at most `cap + 1` (memory stays at one chunk)."""
    inflater = zlib.decompressobj()
    total = 0
    pending = data
    try:
        while pending and total <= cap:
            out = inflater.decompress(pending, CHUNK)
            total += len(out)
            pending = inflater.unconsumed_tail
            if inflater.eof or not out:
                break
    except zlib.error:
        return total  # a damaged stream: the reader reports it
    return total


def check_pdf_streams(raw: bytes, max_unpacked_mb: int, max_megapixels: int) -> None:
    """Refuse a PDF with a stream that inflates past the limit or an image too large to decode."""
    cap = max_unpacked_mb * MB
    for header, start, end in _streams(raw):
        if IMAGE.search(header):
            width, height = WIDTH.search(header), HEIGHT.search(header)
            if width and height:
                _check_pixels(int(width.group(1)), int(height.group(1)), max_megapixels, "an image inside the PDF")
        if cap and b"/FlateDecode" in header:
            if inflated_size(raw[start:end], cap) > cap:
                raise DocumentProblem(
                    f"the PDF contains a compressed stream that unpacks to more than {max_unpacked_mb} MB "
                    "(ingest.max_unpacked_mb): it looks like a decompression bomb. If it is a genuine document, "
                    "print it to a new PDF and use that file."
                )


def _streams(raw: bytes):
    """(dictionary bytes, data start, data end) of each stream object, skipping over stream data."""
    position = 0
    while True:
        match = STREAM_START.search(raw, position)
        if match is None:
            return
        window_start = max(0, match.start() - HEADER_WINDOW)
        objects = list(OBJECT_START.finditer(raw, window_start, match.start()))
        header = raw[objects[-1].end() if objects else window_start : match.start() + 2]
        end = raw.find(b"endstream", match.end())
        end = len(raw) if end < 0 else end
        yield header, match.end(), end
        position = end + 9


def check_zip_members(raw: bytes, max_unpacked_mb: int, what: str = "the .docx file") -> None:
    """Refuse a ZIP whose members would unpack past the limit (zipfile never reads past the declared sizes)."""
    import io

    cap = max_unpacked_mb * MB
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader reports the damage
    total = sum(m.file_size for m in members)
    if cap and total > cap:
        biggest = max(members, key=lambda m: m.file_size)
        raise DocumentProblem(
            f"{what} would unpack to {total / MB:.0f} MB (largest part {biggest.filename}, "
            f"{biggest.file_size / MB:.0f} MB), above ingest.max_unpacked_mb ({max_unpacked_mb} MB): it looks "
            "like a zip bomb. If it is a genuine document, open it in Word or LibreOffice and save it again."
        )


def check_image_size(raw: bytes, max_megapixels: int) -> tuple[int, int] | None:
    """Refuse an image whose header declares more pixels than the limit; return (width, height) if known."""
    size = image_size(raw)
    if size:
        _check_pixels(size[0], size[1], max_megapixels, "the image")
    return size


def _check_pixels(width: int, height: int, max_megapixels: int, what: str) -> None:
    if max_megapixels and width * height > max_megapixels * 1_000_000:
        raise DocumentProblem(
            f"{what} is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels), above "
            f"ingest.max_image_megapixels ({max_megapixels}): decoding it would exhaust memory. Scan or export it "
            "again at 300 dpi (a page is about 9 megapixels)."
        )


def image_size(raw: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG, JPEG or TIFF header, without decoding pixels (PIL reads headers lazily)."""
    import io

    from PIL import Image

    saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # our limit applies, with a clearer message
    try:
        with Image.open(io.BytesIO(raw)) as image:
            return image.size
    except (OSError, ValueError, SyntaxError, struct.error):
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = saved
