"""PDF: the text layer page by page, a second extractor where it is garbage, OCR where there is none.

Pages are read one at a time (and closed), so a 500-page file needs the memory of one page.
For each page, in order:
1. the text layer from the configured extractor: poppler's pdftotext by default (it orders
   characters by their position on the page, so letters a PDF writer drew from a fallback
   font, such as Kazakh қ ғ ө in LibreOffice exports, stay inside their words), PDFium when
   poppler-utils is not installed;
2. if that text is glyph names (`/g148/g135`), `(cid:12)` codes or private-use characters
   (fonts without a Unicode map), the other extractors; if all are garbage, OCR;
3. a page with no text layer but images (a scan) is OCR'd (`ingest.ocr: auto`);
   `ocr: always` OCRs every page, `never` never does.
Pages are separated by form feeds in the source text. Any failure of a decoder is one
`DocumentProblem` for this document, never a traceback.
"""

from __future__ import annotations

import io
import logging
import re
import shutil

from pipeline.ingest.layout import parse_lines
from pipeline.ingest.limits import check_pdf_streams
from pipeline.ingest.ocr import OcrText, ocr_image, tesseract_problem
from pipeline.ingest.problems import DocumentProblem
from pipeline.ingest.readers import SourceDocument
from pipeline.ingest.settings import IngestSettings

GLYPH_CODES = re.compile(r"/[A-Za-z_.]{1,8}\d{1,5}(?=[/\s]|$)|\(cid:\d+\)|\bcid:\d+|[\ue000-\uf8ff\ufffd\x00-\x08\x0e-\x1f]")
GARBAGE_SHARE = 0.2
MIN_PAGE_LETTERS = 3
MAX_OCR_PIXELS = 60_000_000  # a page rendered for OCR (A4 at 300 dpi is 8.7 million)


def garbage_share(text: str) -> float:
    """Share of non-space characters that are glyph codes or private-use/control characters."""
    visible = sum(1 for ch in text if not ch.isspace())
    if not visible:
        return 0.0
    bad = sum(len(m.group()) for m in GLYPH_CODES.finditer(text))
    return bad / visible


WORD_RUN = re.compile(r"[^\W_]{2,}")
MIN_WORD_SHARE = 0.4


def word_share(text: str) -> float:
    """Share of non-space characters inside runs of two or more letters or digits (real text: ~0.85)."""
    visible = sum(1 for ch in text if not ch.isspace())
    return sum(len(m.group()) for m in WORD_RUN.finditer(text)) / visible if visible else 1.0


def is_garbage(text: str) -> bool:
    """A text layer that is glyph names or codes rather than words: `/g148/g135`, `(cid:12)`,
    private-use characters, or symbol soup (`!1( "/ 0 # 11 )3!3(`) from a font's internal codes."""
    visible = sum(1 for ch in text if not ch.isspace())
    return garbage_share(text) > GARBAGE_SHARE or (visible >= 20 and word_share(text) < MIN_WORD_SHARE)


def has_text(text: str) -> bool:
    """At least a few letters or digits: more than a page number or a stray mark."""
    return sum(1 for ch in text if ch.isalnum()) >= MIN_PAGE_LETTERS


class _Extractors:
    """The three text extractors, each opened once on first use."""

    def __init__(self, raw: bytes, pdfium_document) -> None:
        self.raw = raw
        self.pdfium_document = pdfium_document
        self._pypdf = None
        self._pdftotext: list[str] | None = None

    def page_text(self, name: str, index: int, page=None) -> str:
        if name == "pdftotext":
            if self._pdftotext is None:
                self._pdftotext = _pdftotext_pages(self.raw)
            if index >= len(self._pdftotext):
                raise ValueError("pdftotext gave fewer pages")
            return self._pdftotext[index]
        if name == "pdfium":
            textpage = page.get_textpage()
            try:
                return textpage.get_text_range()
            finally:
                textpage.close()
        if name == "pypdf":
            if self._pypdf is None:
                from pypdf import PdfReader

                logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every odd font
                self._pypdf = PdfReader(io.BytesIO(self.raw), strict=False)
                if self._pypdf.is_encrypted:
                    self._pypdf.decrypt("")
            return self._pypdf.pages[index].extract_text() or ""
        from pdfminer.high_level import extract_text

        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        return extract_text(io.BytesIO(self.raw), page_numbers=[index])


def _pdftotext_pages(raw: bytes) -> list[str]:
    """Every page's text from poppler's pdftotext (one process per document; pages end with form feeds)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(raw)
        handle.flush()
        result = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-eol", "unix", handle.name, "-"],
                                capture_output=True, timeout=600, check=False)
    if result.returncode != 0:
        raise ValueError(f"pdftotext exited with {result.returncode}")
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    pages = pages[:-1] if pages and not pages[-1].strip() else pages
    return [page.strip("\n") for page in pages]  # a page's closing blank line is not a paragraph end


def _open(raw: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise DocumentProblem("the PDF is password-protected. Save an unprotected copy and use that.") from exc
        raise DocumentProblem(f"the PDF is corrupt or truncated ({message}). Download or export it again.") from exc


def read_pdf(raw: bytes, settings: IngestSettings | None = None) -> SourceDocument:
    """Read every page's text (text layer, second extractor or OCR); refuse files with none."""
    settings = settings or IngestSettings()
    check_pdf_streams(raw, settings.max_unpacked_mb, settings.max_image_megapixels)
    document = _open(raw)
    try:
        return _read_pages(raw, document, settings)
    finally:
        document.close()


def _read_pages(raw: bytes, document, settings: IngestSettings) -> SourceDocument:
    n_pages = len(document)
    if n_pages == 0:
        raise DocumentProblem("the PDF has no pages. Download or export it again.")
    if settings.max_pdf_pages and n_pages > settings.max_pdf_pages:
        raise DocumentProblem(f"the PDF has {n_pages} pages, above ingest.max_pdf_pages ({settings.max_pdf_pages}). "
                              "Split it, or raise the limit.")
    extractors = _Extractors(raw, document)
    order = [settings.pdf_extractor,
             *(e for e in ("pdftotext", "pdfium", "pypdf", "pdfminer") if e != settings.pdf_extractor)]
    if shutil.which("pdftotext") is None:
        order.remove("pdftotext")
    ocr_reason = None if settings.ocr == "never" else tesseract_problem(settings.ocr_languages)
    can_ocr = settings.ocr != "never" and ocr_reason is None
    texts: list[str] = []
    ocr_pages: dict[int, OcrText] = {}
    scanned: list[int] = []
    garbage: list[int] = []
    for index in range(n_pages):
        page = _page(document, index)
        try:
            if settings.ocr == "always" and can_ocr:
                ocr_pages[index] = _ocr_page(page, settings)
                texts.append(ocr_pages[index].text)
                continue
            text = _text_layer(extractors, order, index, page)
            if text is None:  # every extractor gave glyph garbage
                garbage.append(index)
            elif has_text(text):
                texts.append(text)
                continue
            elif _has_graphics(page):
                scanned.append(index)
            else:
                texts.append("")  # a blank page
                continue
            if can_ocr:
                ocr_pages[index] = _ocr_page(page, settings)
                texts.append(ocr_pages[index].text)
            else:
                texts.append("")
        finally:
            page.close()
    return _document(texts, ocr_pages, scanned, garbage, n_pages, settings, ocr_reason)


def _page(document, index: int):
    import pypdfium2 as pdfium

    try:
        return document[index]
    except pdfium.PdfiumError as exc:
        raise DocumentProblem(f"page {index + 1} of the PDF cannot be loaded ({exc}). "
                              "Download or export it again.") from exc


def _text_layer(extractors: _Extractors, order: list[str], index: int, page) -> str | None:
    """The first text with letters that is not garbage among the extractors ("" when they find none);
    None when all give garbage or fail on the page."""
    empty = False
    for name in order:
        try:
            text = extractors.page_text(name, index, page)
        except Exception:  # noqa: BLE001 - any decoder failure on one page (pypdf's DependencyError ...): next
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-").replace("\x02", "-")
        if is_garbage(text):
            continue
        if has_text(text):
            return text
        empty = True
        if name in ("pdftotext", "pdfium"):
            continue  # the other of the two may still see text; pypdf and pdfminer add nothing here
        break
    return "" if empty else None


def _has_graphics(page) -> bool:
    """Images or drawings on a page without text: a scan, or text drawn as outlines."""
    import pypdfium2.raw as pdfium_c

    return any(obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT for obj in page.get_objects(max_depth=3))


def _ocr_page(page, settings: IngestSettings) -> OcrText:
    width, height = page.get_size()
    scale = settings.ocr_dpi / 72
    if width * height * scale * scale > MAX_OCR_PIXELS:  # an oversized page: render smaller
        scale = (MAX_OCR_PIXELS / (width * height)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = bitmap.to_pil()
        return ocr_image(image, settings.ocr_languages, settings.ocr_page_timeout, dpi=round(scale * 72))
    finally:
        bitmap.close()


def _document(texts: list[str], ocr_pages: dict[int, OcrText], scanned: list[int], garbage: list[int],
              n_pages: int, settings: IngestSettings, ocr_reason: str | None) -> SourceDocument:
    missing = sorted(i for i in [*scanned, *garbage] if i not in ocr_pages)
    if not any(has_text(t) for t in texts):
        if not missing:
            if ocr_pages:
                raise DocumentProblem(f"OCR found no text on the PDF's {len(ocr_pages)} page(s). Check the scan.")
            raise DocumentProblem("the PDF has no text: its pages are blank. Download or export it again.")
        raise DocumentProblem(_unread_message(scanned, garbage, n_pages, settings, ocr_reason, whole=True))
    notes = []
    if missing:
        notes.append(_unread_message([i for i in scanned if i in missing], [i for i in garbage if i in missing],
                                     n_pages, settings, ocr_reason, whole=False))
    words: list[tuple[int, int, float]] = []
    offset = 0
    for index, text in enumerate(texts):
        if index in ocr_pages:
            words.extend((a + offset, b + offset, c) for a, b, c in ocr_pages[index].words)
        offset += len(text) + 1
    source = "\f".join(texts)
    return SourceDocument(source, "pdf", "", parse_lines(source, markup=False), wrapped=True,
                          notes=tuple(notes), ocr_words=tuple(words), ocr_pages=len(ocr_pages))


def _unread_message(scanned: list[int], garbage: list[int], n_pages: int, settings: IngestSettings,
                    ocr_reason: str | None, whole: bool) -> str:
    parts = []
    if scanned:
        parts.append(f"{_pages(scanned)} of {n_pages} {'is' if len(scanned) == 1 else 'are'} scanned images "
                     "without a text layer")
    if garbage:
        parts.append(f"{_pages(garbage)} of {n_pages} {'has' if len(garbage) == 1 else 'have'} a text layer of glyph "
                     "codes instead of letters (fonts without a Unicode map) in every extractor")
    what = "; ".join(parts)
    if settings.ocr == "never":
        fix = "they need OCR: set `ingest: ocr: auto` (Tesseract)"
    else:
        fix = f"they need OCR, but {ocr_reason}"
    lead = "the PDF has no readable text: " if whole else "left out: "
    return f"{lead}{what}; {fix}."


def _pages(indices: list[int]) -> str:
    shown = ", ".join(str(i + 1) for i in indices[:10]) + (" ..." if len(indices) > 10 else "")
    return f"page {shown}" if len(indices) == 1 else f"pages {shown}"
