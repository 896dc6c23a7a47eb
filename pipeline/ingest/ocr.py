"""OCR of scanned pages and images with Tesseract (Debian `tesseract-ocr` + language packs).

A page image becomes text laid out as Tesseract sees it: lines joined by newlines,
paragraphs by blank lines, so the usual paragraph assembly (hard-wrap joining,
hyphenation) applies. Every word keeps its confidence and its place in the text, so each
passage can say how sure the OCR was (`ocr_confidence`) and analysts can filter on it.
"""

from __future__ import annotations

import functools
import os
import shutil
from bisect import bisect_left
from dataclasses import dataclass

from pipeline.ingest.problems import DocumentProblem

PACKAGES = {"kaz": "tesseract-ocr-kaz", "rus": "tesseract-ocr-rus", "eng": "tesseract-ocr-eng"}
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus tesseract-ocr-eng"


@dataclass(frozen=True)
class OcrText:
    """Text read from one or more images, with each word's span in `text` and confidence (0..1)."""

    text: str
    words: tuple[tuple[int, int, float], ...]

    @property
    def confidence(self) -> float:
        """Mean word confidence weighted by word length (0 when nothing was read)."""
        return span_confidence(self.words, 0, len(self.text)) or 0.0


@functools.lru_cache(maxsize=8)
def _available_languages(binary: str) -> frozenset[str]:
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = binary
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError, RuntimeError):
        return frozenset()


def tesseract_problem(languages: tuple[str, ...]) -> str | None:
    """Why OCR cannot run here (Tesseract or a language pack missing), or None when it can."""
    binary = shutil.which("tesseract")
    if binary is None:
        return f"Tesseract is not installed. Install it with `{INSTALL_HINT}` (or run `make setup` as root)"
    missing = [lang for lang in languages if lang not in _available_languages(binary)]
    if missing:
        packages = " ".join(PACKAGES.get(lang, f"tesseract-ocr-{lang}") for lang in missing)
        return (f"Tesseract has no language pack for {', '.join(missing)} (ingest.ocr_languages). "
                f"Install it with `apt-get install {packages}`")
    return None


def require_tesseract(languages: tuple[str, ...], why: str) -> None:
    """Raise a DocumentProblem saying what to install when OCR is needed but cannot run."""
    problem = tesseract_problem(languages)
    if problem:
        raise DocumentProblem(f"{why}, so it needs OCR, but {problem}; or set `ingest: ocr: never` "
                              "to skip such documents.")


def ocr_image(image, languages: tuple[str, ...], timeout: int, dpi: int | None = None) -> OcrText:
    """Read one page image (PIL) with Tesseract; raise DocumentProblem on timeout or failure."""
    import pytesseract

    require_tesseract(languages, "the document is an image")
    # One thread per Tesseract call: the results do not depend on the machine's core count,
    # and several stages may share two cores.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    config = "--psm 3" + (f" --dpi {dpi}" if dpi else "")
    try:
        data = pytesseract.image_to_data(image.convert("L"), lang="+".join(languages), config=config,
                                         output_type=pytesseract.Output.DICT, timeout=timeout)
    except RuntimeError as exc:  # pytesseract's timeout
        raise DocumentProblem(f"OCR of a page took longer than {timeout} s (ingest.ocr_page_timeout). "
                              "Raise the limit or split the document.") from exc
    except (pytesseract.TesseractError, OSError) as exc:
        raise DocumentProblem(f"Tesseract failed on a page ({exc}). Check the image opens in an image viewer.") from exc
    return _layout(data)


def _layout(data: dict[str, list]) -> OcrText:
    """Tesseract's word table → text: words by spaces, lines by newlines, paragraphs by blank lines."""
    parts: list[str] = []
    words: list[tuple[int, int, float]] = []
    length = 0
    previous: tuple[int, int, int] | None = None
    for k, word in enumerate(data["text"]):
        word = (word or "").strip()
        confidence = float(data["conf"][k])
        if not word or confidence < 0:
            continue
        line = (data["block_num"][k], data["par_num"][k], data["line_num"][k])
        if previous is not None:
            separator = " " if line == previous else "\n" if line[:2] == previous[:2] else "\n\n"
            parts.append(separator)
            length += len(separator)
        parts.append(word)
        words.append((length, length + len(word), max(0.0, min(1.0, confidence / 100))))
        length += len(word)
        previous = line
    return OcrText("".join(parts), tuple(words))


def span_confidence(words: tuple[tuple[int, int, float], ...] | list[tuple[int, int, float]],
                    start: int, end: int) -> float | None:
    """Length-weighted mean confidence of the OCR words inside [start, end); None when there are none."""
    first = bisect_left(words, (start, -1, -1.0))
    total = weight = 0.0
    for a, b, confidence in words[first:]:
        if a >= end:
            break
        total += confidence * (b - a)
        weight += b - a
    return total / weight if weight else None
