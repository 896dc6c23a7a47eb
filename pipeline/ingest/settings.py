"""The `ingest` section of params.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import PipelineError

OCR_MODES = ("auto", "never", "always")
HTML_EXTRACTORS = ("trafilatura", "builtin")
PDF_EXTRACTORS = ("pdftotext", "pdfium", "pypdf", "pdfminer")


@dataclass(frozen=True)
class IngestSettings:
    """Settings of the ingest stage (params.yaml section `ingest`)."""

    strict: bool = True
    """Fail on any bad document (listing all problems, writing nothing); false: skip and report them."""
    max_passage_chars: int = 1500
    """Paragraphs longer than this are split at sentence boundaries."""
    min_passage_chars: int = 1
    """Shorter passages are dropped; keep it small so titles and headings survive."""
    repeated_line_min_count: int = 3
    """A short line repeated this often is a running header/footer and is dropped (0: keep all)."""
    ocr: str = "auto"
    """auto: OCR scanned pages and images; never: refuse them; always: OCR every PDF page too."""
    ocr_languages: tuple[str, ...] = ("kaz", "rus", "eng")
    """Tesseract language packs, the first the most likely (Debian packages tesseract-ocr-<lang>)."""
    ocr_dpi: int = 300
    """Resolution PDF pages are rendered at for OCR."""
    ocr_page_timeout: int = 180
    """Seconds Tesseract may spend on one page before the document is refused."""
    html_extractor: str = "trafilatura"
    """Which library decides what is a web page's main text (the offsets always come from our parser)."""
    pdf_extractor: str = "pdftotext"
    """First PDF text extractor (pdftotext needs Debian's poppler-utils; without it PDFium is first);
    the others are tried on pages where it returns glyph garbage."""
    docx_comments: bool = False
    """Read reviewers' comments of .docx files as passages (after the body, flagged `comment`)."""
    max_file_mb: int = 512
    """Larger files are refused before they are read."""
    max_pdf_pages: int = 5000
    """PDFs with more pages are refused (pages are read one at a time, so memory stays bounded)."""
    max_image_megapixels: int = 150
    """Images (and images inside PDFs) larger than this are refused: decoding them would exhaust memory."""
    max_unpacked_mb: int = 512
    """A compressed part (PDF stream, .docx member) may unpack to at most this: bigger is a bomb."""

    def __post_init__(self) -> None:
        if not isinstance(self.strict, bool):
            raise PipelineError(f"params.yaml ingest.strict must be true or false, not {self.strict!r}.")
        if not isinstance(self.docx_comments, bool):
            raise PipelineError(f"params.yaml ingest.docx_comments must be true or false, not {self.docx_comments!r}.")
        for name in ("max_passage_chars", "min_passage_chars", "repeated_line_min_count", "ocr_dpi",
                     "ocr_page_timeout", "max_file_mb", "max_pdf_pages", "max_image_megapixels", "max_unpacked_mb"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise PipelineError(f"params.yaml ingest.{name} must be a whole number ≥ 0, not {value!r}.")
        if self.max_passage_chars < 100:
            raise PipelineError("params.yaml ingest.max_passage_chars must be at least 100 (default 1500).")
        if not 1 <= self.min_passage_chars <= self.max_passage_chars:
            raise PipelineError("params.yaml ingest.min_passage_chars must be between 1 and max_passage_chars.")
        for name, allowed in (("ocr", OCR_MODES), ("html_extractor", HTML_EXTRACTORS),
                              ("pdf_extractor", PDF_EXTRACTORS)):
            if getattr(self, name) not in allowed:
                raise PipelineError(f"params.yaml ingest.{name} must be one of {', '.join(allowed)}, "
                                    f"not {getattr(self, name)!r}.")
        languages = self.ocr_languages
        if isinstance(languages, str) or not isinstance(languages, (list, tuple)) or not languages or \
                not all(isinstance(x, str) and x.replace("_", "").isalnum() for x in languages):
            raise PipelineError("params.yaml ingest.ocr_languages must be a list of Tesseract language codes "
                                f"such as [kaz, rus, eng], not {languages!r}.")
        object.__setattr__(self, "ocr_languages", tuple(languages))
        if not 70 <= self.ocr_dpi <= 600:
            raise PipelineError("params.yaml ingest.ocr_dpi must be between 70 and 600 (default 300).")
