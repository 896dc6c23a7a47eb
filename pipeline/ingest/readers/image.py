"""Images (PNG, JPEG, TIFF, multi-page TIFF included): the text is read by OCR.

Pages are separated by form feeds like a PDF's, so running headers and page breaks are
handled the same way.
"""

from __future__ import annotations

import io

from pipeline.ingest.layout import parse_lines
from pipeline.ingest.limits import check_image_size, image_size
from pipeline.ingest.ocr import OcrText, ocr_image, require_tesseract
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import SourceDocument
from pipeline.ingest.settings import IngestSettings


def read_image(raw: bytes, settings: IngestSettings | None = None) -> SourceDocument:
    """OCR every frame of an image file; refuse it when OCR is off or unavailable."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    settings = settings or IngestSettings()
    if settings.ocr == "never":
        raise DocumentProblem("the file is an image: its text can only be read by OCR, and `ingest: ocr` is "
                              "never. Set it to auto, or remove the document.")
    if image_size(raw) is None:
        raise DocumentProblem("the image is damaged or in a format Pillow cannot read. Save it again as PNG or TIFF.")
    check_image_size(raw, settings.max_image_megapixels)
    require_tesseract(settings.ocr_languages, "the document is an image")
    pages: list[OcrText] = []
    saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # sizes were checked above, per frame below
    try:
        with Image.open(io.BytesIO(raw)) as image:
            for k, frame in enumerate(ImageSequence.Iterator(image)):
                if k >= settings.max_pdf_pages:
                    raise DocumentProblem(f"the image file has more than {settings.max_pdf_pages} pages "
                                          "(ingest.max_pdf_pages). Split it.")
                width, height = frame.size
                if width * height > settings.max_image_megapixels * 1_000_000:
                    raise DocumentProblem(f"page {k + 1} of the image is {width:,} × {height:,} pixels, above "
                                          f"ingest.max_image_megapixels ({settings.max_image_megapixels}). "
                                          "Scan it again at 300 dpi.")
                pages.append(ocr_image(frame, settings.ocr_languages, settings.ocr_page_timeout))
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError) as exc:
        raise DocumentProblem(f"the image cannot be decoded ({type(exc).__name__}: {exc}). "
                              "Save it again as PNG or TIFF.") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return ocr_document(pages, "image")


def ocr_document(pages: list[OcrText], fmt: str) -> SourceDocument:
    """Join OCR'd pages with form feeds into one source document; refuse when nothing was read."""
    if not any(page.text.strip() for page in pages):
        raise DocumentProblem(f"OCR found no text on {len(pages)} page(s). Check that the scan is of a text "
                              "page, upright, and at least 200 dpi.")
    words: list[tuple[int, int, float]] = []
    offset = 0
    for page in pages:
        words.extend((a + offset, b + offset, c) for a, b, c in page.words)
        offset += len(page.text) + 1
    source = "\f".join(page.text for page in pages)
    return SourceDocument(source, fmt, "", parse_lines(source, markup=False), wrapped=True,
                          ocr_words=tuple(words), ocr_pages=len(pages))
