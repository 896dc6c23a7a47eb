"""Benchmark ingest on a collection of real-world files: is every file handled right, and how good is OCR?

The collection (sources: bench/documents_sources.md) is rebuilt by this script under
--collection (default /work/notes/cache-issue11/collection, outside git: some sources'
licences do not allow redistribution). Each file has an expectation:
- `text`: a person can read text in it; handled right when ingest returns passages whose
  words cover the reference text (exact decoding for the encoding files, ≥ 90 % of the
  reference's words for documents, pdftotext's words for real PDFs);
- `refuse`: there is no text to read, or the file is hostile; handled right when ingest
  raises one DocumentProblem (a clear message), never a traceback.
Figures: share handled right, tracebacks, words kept vs pdftotext on text PDFs, HTML main
text (precision/recall of words against the article) for the builtin reader and
trafilatura, and OCR character error rate per language with pages per minute.

Peers in the same run: pdftotext (poppler) for PDF words; the builtin HTML reader for
trafilatura; Tesseract's per-language pack (`-l kaz`, `-l rus`, `-l eng`) for the
three-language default.

    .venv/bin/python bench/bench_documents.py [--build] [--collection DIR] [--split dev|test]

Without ../shared/data/scale, LibreOffice or the chardet test files, the parts that need them
are built from the shipped seed corpus instead (and the script says so).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.ingest.problems import DocumentProblem  # noqa: E402
from pipeline.ingest.readers import format_of  # noqa: E402
from pipeline.ingest.settings import IngestSettings  # noqa: E402
from pipeline.ingest.stage import ingest_document  # noqa: E402

SCALE = REPO.parent / "shared" / "data" / "scale"
CHARDET = Path("/usr/lib/google-cloud-sdk/platform/gsutil/third_party/chardet/tests")
CHARDET_DIRS = {  # folder -> Python codec (None: a code page the project does not claim to read)
    "KOI8-R": "koi8_r", "IBM866": "cp866", "MacCyrillic": "mac_cyrillic", "iso-8859-5-russian": "iso8859_5",
    "windows-1251-russian": "cp1251", "windows-1251-bulgarian": "cp1251", "iso-8859-5-bulgarian": "iso8859_5",
    "utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "UTF-16": "utf-16", "ascii": "ascii", "windows-1252": "cp1252",
    "GB2312": "gb18030", "IBM855": "cp855",
}
SYSTEM_PDFS = [Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
               Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
               Path("/usr/lib/libreoffice/share/xpdfimport/xpdfimport_err.pdf")]
DEFAULT_COLLECTION = Path("/work/notes/cache-issue11/collection")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
WORD = re.compile(r"\w+")
LANGS = ("en", "ru", "kk")
TESSERACT_LANG = {"en": "eng", "ru": "rus", "kk": "kaz"}


# ---------------------------------------------------------------- texts


def real_texts(n_per_language: int, split: str, seed: int = 11) -> dict[str, list[str]]:
    """Real documents per language: the scale corpus (dev or test half), else the seed corpus."""
    out: dict[str, list[str]] = {}
    if SCALE.exists():
        rng = random.Random(seed)
        for lang in LANGS:
            rows = [json.loads(x) for x in (SCALE / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
            rng.shuffle(rows)
            half = rows[: len(rows) // 2] if split == "dev" else rows[len(rows) // 2 :]
            texts = [r["text"].strip() for r in half if 800 <= len(r["text"]) <= 6000]
            out[lang] = texts[:n_per_language]
        return out
    seed_texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus" / "documents").glob("*.txt"))]
    for lang in LANGS:
        out[lang] = seed_texts[:n_per_language]
    return out


def paragraphs_of(text: str, max_chars: int = 2500) -> list[str]:
    """The text's paragraphs (blank-line or line separated), cut to about `max_chars`."""
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    out, total = [], 0
    for part in parts:
        if total + len(part) > max_chars and out:
            break
        out.append(part)
        total += len(part)
    return out


# ---------------------------------------------------------------- building the collection


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fodt(paragraphs: list[str], *, title: str, footnote: str = "", endnote: str = "", box: str = "",
         header: str = "", nested: tuple[str, str] | None = None, comment: str = "") -> str:
    """A flat OpenDocument text (what LibreOffice saves as .fodt) with Word-like features."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')
    body = [f"<text:h text:outline-level=\"1\">{escape(title)}</text:h>"]
    for k, paragraph in enumerate(paragraphs):
        extra = ""
        if k == 0 and footnote:
            extra += (f'<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                      f"<text:note-body><text:p>{escape(footnote)}</text:p></text:note-body></text:note>")
        if k == 0 and endnote:
            extra += (f'<text:note text:id="n2" text:note-class="endnote"><text:note-citation>i</text:note-citation>'
                      f"<text:note-body><text:p>{escape(endnote)}</text:p></text:note-body></text:note>")
        note = (f"<office:annotation><dc:creator>Reviewer</dc:creator><text:p>{escape(comment)}</text:p>"
                "</office:annotation>") if k == 1 and comment else ""
        body.append(f"<text:p>{note}{escape(paragraph)}{extra}</text:p>")
        if k == 1 and box:
            body.append('<text:p><draw:frame draw:name="Box" svg:width="12cm" svg:height="4cm" '
                        f'text:anchor-type="paragraph"><draw:text-box><text:p>{escape(box)}</text:p>'
                        "</draw:text-box></draw:frame></text:p>")
    if nested:
        body.append('<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>'
                    "<table:table-row><table:table-cell><text:p>Outer</text:p></table:table-cell><table:table-cell>"
                    '<table:table table:name="T2"><table:table-column table:number-columns-repeated="2"/>'
                    f"<table:table-row><table:table-cell><text:p>{escape(nested[0])}</text:p></table:table-cell>"
                    f"<table:table-cell><text:p>{escape(nested[1])}</text:p></table:table-cell></table:table-row>"
                    "</table:table></table:table-cell></table:table-row></table:table>")
    master = (f'<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">'
              f"<style:header><text:p>{escape(header)}</text:p></style:header></style:master-page>"
              "</office:master-styles>") if header else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document {ns} office:version="1.3" '
            'office:mimetype="application/vnd.oasis.opendocument.text"><office:font-face-decls/>'
            '<office:automatic-styles><style:page-layout style:name="pm1"/></office:automatic-styles>'
            f"{master}<office:body><office:text>{''.join(body)}</office:text></office:body></office:document>")


def soffice_convert(sources: list[Path], target: str, out_dir: Path) -> None:
    """Convert files with LibreOffice headless in one process (pdf or docx)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or not sources:
        return
    filters = {"pdf": "pdf:writer_pdf_Export", "docx": 'docx:MS Word 2007 XML'}
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        filters[target], "--outdir", str(out_dir), *map(str, sources)],
                       capture_output=True, timeout=1800, check=False)


def render_scan(paragraphs: list[str], dpi: int = 300):
    """A clean 300-dpi page image (PIL) of the paragraphs in DejaVu Sans 12 pt, and its reference text."""
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(DEJAVU), round(12 * dpi / 72))
    width, height, margin = round(8.27 * dpi), round(11.69 * dpi), dpi
    average = font.getlength("abcdefghijklmnopqrstuvwxyz") / 26
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, width=int((width - 2 * margin) / average)))
        lines.append("")
    step = round(18 * dpi / 72)
    lines = lines[: (height - 2 * margin) // step]
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        draw.text((margin, margin + k * step), line, font=font, fill=0)
    return image, "\n".join(lines).strip()


def image_pdf(images: list, dpi: int = 300) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    for image in images:
        w, h = image.size[0] * 72 / dpi, image.size[1] * 72 / dpi
        pdf.add_page(format=(w, h))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        buffer.seek(0)
        pdf.image(buffer, x=0, y=0, w=w, h=h)
    return bytes(pdf.output())


def strip_unicode_maps(raw: bytes) -> bytes:
    """The same PDF with every font's /ToUnicode map removed: extractors see glyph codes, not letters."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(raw))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            font.pop(NameObject("/ToUnicode"), None)
            for descendant in font.get("/DescendantFonts", []) or []:
                descendant.get_object().pop(NameObject("/ToUnicode"), None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypt(raw: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


HTML_TEMPLATES = [
    # (root attributes, before-article furniture, after-article furniture): patterns of real news sites
    ('class="b-pw-1280 ads-enabled"', '<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a>'
     '</li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>',
     '<div class="share"><a>Share this page</a></div><footer><p>Copyright 2024. The site is not responsible '
     'for the content of external sites.</p></footer>'),
    ('class="client-js vector-feature-footer-v2"', '<div id="mw-navigation"><h2>Navigation menu</h2><ul><li>Main page'
     '</li><li>Contents</li><li>Current events</li><li>Random article</li></ul></div>',
     '<div class="printfooter">Retrieved from the site</div><ul id="footer-places"><li>Privacy policy</li>'
     '<li>About</li><li>Disclaimers</li></ul>'),
    ('class="layout js-social-anchor-start"', '<div class="header__nav"><a>World</a> <a>Politics</a> <a>Business</a>'
     ' <a>Health</a> <a>Entertainment</a></div>',
     '<div class="related"><h3>More from the region</h3><ul><li><a>Ministers meet to discuss the new budget '
     'for the coming year and its priorities</a></li><li><a>Floods close roads in the north of the country after '
     'days of rain</a></li></ul></div><div class="pagination"><a>1</a> <a>2</a> <a>3</a> <a>Next page</a></div>'),
    ('lang="de"', '<ul class="menu"><li><a>Startseite</a></li><li><a>Politik</a></li><li><a>Wirtschaft</a></li>'
     '<li><a>Kultur</a></li><li><a>Wissen</a></li></ul><div class="breadcrumb">Startseite / Politik</div>',
     '<ul class="article-list"><li><a>Regierung plant neue Reform der Hochschulen in den kommenden Jahren'
     '</a></li><li><a>Studierende protestieren gegen steigende Mieten in den Städten</a></li></ul>'
     '<div class="pager">Seite 1 von 4 <a>weiter</a></div><div class="cookie">Wir verwenden Cookies.</div>'),
    ('lang="cs"', '<div id="menu"><a>Zprávy</a> | <a>Domácí</a> | <a>Zahraničí</a> | <a>Ekonomika</a></div>',
     '<div class="tags">Témata: školství, univerzity</div><ol class="top-articles"><li>Nejčtenější články dne '
     'o politice a ekonomice země</li><li>Vláda schválila nový rozpočet na příští rok</li></ol>'
     '<p class="copyright">© Copyright 2024 Economia, a.s.</p>'),
]


def html_page(title: str, paragraphs: list[str], template: int) -> str:
    root, before, after = HTML_TEMPLATES[template % len(HTML_TEMPLATES)]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html {root}><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<script>var ads = "<p>Advertisement</p>";</script></head><body class="page">{before}'
            f'<main><article><h1>{escape(title)}</h1>{body}</article></main>{after}</body></html>')


def fallback_documents(docx: Path, pdf: Path, paragraphs: list[str], features: dict[str, str]) -> None:
    """Without LibreOffice: the .docx by python-docx (+ notes and text box as Word writes them), the PDF by fpdf2."""
    from tests.fixtures.ingest.corpus_builder import make_pdf, make_rich_docx

    if not docx.exists():
        docx.write_bytes(make_rich_docx("\n".join(paragraphs[:-1]), features["footnote"], features["endnote"],
                                        escape(features["box"]), features["header"], "", ("Inner A", "Inner B"),
                                        features["comment"]))
    if not pdf.exists() and DEJAVU.exists():
        pdf.write_bytes(make_pdf([[paragraphs[0][:80], *paragraphs[:-1], features["header"]]]))


def build_collection(root: Path, split: str, sample: int = 0) -> None:
    """Write every file of the collection and `expected.csv` (file, kind, expect, reference file)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "files").mkdir(parents=True)
    (root / "reference").mkdir()
    rows: list[dict[str, str]] = []

    def add(name: str, data: bytes, kind: str, expect: str, reference: str | None = None, **extra: str) -> None:
        (root / "files" / name).write_bytes(data)
        ref = ""
        if reference is not None:
            ref = f"{name}.txt"
            (root / "reference" / ref).write_bytes(reference.encode("utf-8"))
        rows.append({"file": name, "kind": kind, "expect": expect, "reference": ref, **extra})

    texts = real_texts(12, split, seed=11 + sample)
    # 1. Real files in real legacy encodings (chardet's test files).
    if CHARDET.exists():
        for folder, codec in CHARDET_DIRS.items():
            for path in sorted((CHARDET / folder).glob("*"))[14 * sample : 14 * (sample + 1)]:
                raw = path.read_bytes()
                suffix = ".html" if path.suffix in (".html", ".htm") else ".txt"
                name = f"enc_{folder}_{path.stem}{suffix}".replace(" ", "_")
                if codec is None:
                    add(name, raw, "encoding-unsupported", "refuse")
                elif raw.count(0) > len(raw) // 2 and not codec.startswith("utf-16"):
                    add(name, raw, "empty", "refuse")  # a test file of NUL bytes: nothing to read
                else:
                    try:
                        add(name, raw, "encoding", "text", raw.decode(codec).removeprefix("\ufeff"), codec=codec)
                    except UnicodeDecodeError:
                        continue
    # 2. Real Russian text re-encoded the ways Soviet-era files arrive.
    for k, text in enumerate(texts["ru"][:5]):
        body = "\n\n".join(paragraphs_of(text))
        for codec in ("koi8_r", "cp866", "mac_cyrillic", "iso8859_5"):
            try:
                add(f"reenc_{k}_{codec}.txt", body.encode(codec), "encoding", "text", body, codec=codec)
            except UnicodeEncodeError:
                pass
    # 3. Word and PDF documents made with LibreOffice from real texts.
    work = root / "work"
    work.mkdir()
    sources: list[tuple[Path, str, list[str], dict[str, str]]] = []
    for lang in LANGS:
        for k, text in enumerate(texts[lang][:8]):
            paragraphs = paragraphs_of(text)
            if len(paragraphs) < 2:
                continue
            features = {"footnote": f"Footnote {k}: source of the figures.", "endnote": f"Endnote {k}: archive reference.",
                        "box": paragraphs[-1][:200], "header": f"Ministry bulletin {lang} {k}",
                        "comment": f"Reviewer comment {k} on the second paragraph."}
            path = work / f"doc_{lang}_{k}.fodt"
            path.write_text(fodt(paragraphs[:-1], title=paragraphs[0][:80], nested=("Inner A", "Inner B"),
                                 **features), encoding="utf-8")
            sources.append((path, lang, paragraphs, features))
    soffice_convert([s[0] for s in sources], "docx", work)
    soffice_convert([s[0] for s in sources], "pdf", work)
    for path, _lang, paragraphs, features in sources:
        docx, pdf = path.with_suffix(".docx"), path.with_suffix(".pdf")
        if not docx.exists() or not pdf.exists():  # no LibreOffice: the project's own document builders
            fallback_documents(docx, pdf, paragraphs, features)
        reference = "\n".join([paragraphs[0][:80], *paragraphs[:-1]])
        if docx.exists():
            docx_reference = "\n".join([reference, features["box"], "Inner A Inner B", features["header"],
                                        features["footnote"], features["endnote"]])
            add(docx.name, docx.read_bytes(), "docx", "text", docx_reference)
        if pdf.exists():
            raw = pdf.read_bytes()
            add(pdf.name, raw, "pdf-text", "text", reference + "\n" + features["header"])
            if int(path.stem.rsplit("_", 1)[1]) < 2:
                add(f"glyphs_{pdf.name}", strip_unicode_maps(raw), "pdf-glyph-garbage", "text",
                    reference + "\n" + features["header"])
                add(f"emptypw_{pdf.name}", encrypt(raw, ""), "pdf-empty-password", "text",
                    reference + "\n" + features["header"])
            if int(path.stem.rsplit("_", 1)[1]) == 2:
                add(f"locked_{pdf.name}", encrypt(raw, "secret"), "pdf-password", "refuse")
                add(f"misnamed_{pdf.stem}.txt", raw, "misnamed", "text", reference)
    # 4. Real PDFs found on this machine (manuals made by TeX and DocBook tools).
    for path in SYSTEM_PDFS:
        if path.exists():
            add(f"system_{path.name}", path.read_bytes(), "pdf-real", "text", None)
    # 5. Scans: clean 300-dpi renders of real text, as PDF, PNG, JPEG and TIFF.
    for lang in LANGS:
        for k, text in enumerate(texts[lang][8:12]):
            image, reference = render_scan(paragraphs_of(text, 3000))
            add(f"scan_{lang}_{k}.pdf", image_pdf([image]), f"scan-{lang}", "text", reference, lang=lang)
            fmt = ("PNG", "JPEG", "TIFF", "PNG")[k]
            buffer = io.BytesIO()
            image.save(buffer, format=fmt, dpi=(300, 300))
            add(f"photo_{lang}_{k}.{fmt.lower()}", buffer.getvalue(), f"image-{lang}", "text", reference, lang=lang)
    # 6. Web pages: real articles in page furniture modelled on real news sites.
    for lang in LANGS:
        for k, text in enumerate(texts[lang][:10]):
            paragraphs = paragraphs_of(text)
            title = paragraphs[0][:80]
            page = html_page(title, paragraphs, k)
            add(f"page_{lang}_{k}.html", page.encode("utf-8"), "html", "text", "\n".join([title, *paragraphs]),
                template=str(k % len(HTML_TEMPLATES)))
            if k == 0:
                add(f"page_{lang}_{k}_named.pdf", page.encode("utf-8"), "misnamed", "text", "\n".join(paragraphs))
    # 7. Hostile and empty files.
    from tests.test_ingest_bad_input import (
        deflate_zeros,
        docx_with_member,
        pdf_with_content_stream,
        png_header_only,
    )

    add("bomb.pdf", pdf_with_content_stream(deflate_zeros(700 << 20)), "bomb", "refuse")
    add("zipbomb.docx", docx_with_member("word/media/x.bin", 700 << 20), "bomb", "refuse")
    add("giant.png", png_header_only(20_000, 20_000), "bomb", "refuse")
    add("truncated.pdf", (work / "doc_en_0.pdf").read_bytes()[:3000] if (work / "doc_en_0.pdf").exists()
        else b"%PDF-1.7\n1 0 obj<<>>", "corrupt", "refuse")
    add("empty.txt", b"", "empty", "refuse")
    add("blank.pdf", image_pdf([render_scan([])[0]]), "empty", "refuse")
    shutil.rmtree(work)
    with open(root / "expected.csv", "w", encoding="utf-8", newline="") as handle:
        columns = ["file", "kind", "expect", "reference", "codec", "lang", "template"]
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


# ---------------------------------------------------------------- measuring


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in WORD.findall(text))


def recall(found: Counter[str], reference: Counter[str]) -> float:
    total = sum(reference.values())
    return sum(min(found[w], n) for w, n in reference.items()) / total if total else 1.0


def precision(found: Counter[str], reference: Counter[str]) -> float:
    total = sum(found.values())
    return sum(min(reference[w], n) for w, n in found.items()) / total if total else 0.0


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(found: str, reference: str) -> float:
    a, b = " ".join(found.split()), " ".join(reference.split())
    return edit_distance(a, b) / max(1, len(b))


def pdftotext_words(raw: bytes) -> Counter[str] | None:
    if shutil.which("pdftotext") is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(raw)
        handle.flush()
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", handle.name, "-"], capture_output=True, timeout=300)
    return words(result.stdout.decode("utf-8", "replace")) if result.returncode == 0 else None


def bootstrap_interval(values: list[float], n: int = 2000, seed: int = 0) -> tuple[float, float]:
    rng = random.Random(seed)
    if not values:
        return (float("nan"), float("nan"))
    means = sorted(sum(rng.choice(values) for _ in values) / len(values) for _ in range(n))
    return means[int(0.025 * n)], means[int(0.975 * n) - 1]


def evaluate(root: Path, settings: IngestSettings) -> None:
    rows = list(csv.DictReader(open(root / "expected.csv", encoding="utf-8")))
    outcomes: dict[str, list[int]] = defaultdict(list)
    tracebacks: list[str] = []
    wrong: list[str] = []
    pdf_ratio: list[float] = []
    ocr: dict[str, list[float]] = defaultdict(list)
    ocr_seconds, ocr_pages = 0.0, 0
    html_scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        path = root / "files" / row["file"]
        raw = path.read_bytes()
        # bytes, not read_text: universal newlines would turn the files' \r\n into \n
        reference = (root / "reference" / row["reference"]).read_bytes().decode("utf-8") if row["reference"] else None
        began = time.perf_counter()
        try:
            document, passages = ingest_document(raw, format_of(path) or "txt", "doc", settings)
            error = None
        except DocumentProblem as exc:
            document, passages, error = None, [], str(exc)
        except Exception:  # noqa: BLE001 - a traceback is what the benchmark counts
            tracebacks.append(f"{row['file']}: {traceback.format_exc(limit=3)}")
            outcomes[row["kind"]].append(0)
            continue
        seconds = time.perf_counter() - began
        text = "\n".join(p.text for p in passages)
        ok = False
        if row["expect"] == "refuse":
            ok = error is not None
        elif error is None:
            if row["kind"] == "encoding":
                ok = document.source_text.removeprefix("\ufeff") == reference
            elif row["kind"] == "pdf-real":
                peer = pdftotext_words(raw)
                ratio = recall(words(text), peer) if peer else 1.0
                pdf_ratio.append(ratio)
                ok = ratio >= 0.95
            else:
                ok = recall(words(text), words(reference)) >= 0.9
                if row["kind"] == "pdf-text":
                    peer = pdftotext_words(raw)
                    if peer:
                        pdf_ratio.append(sum(words(text).values()) / max(1, sum(peer.values())))
                if row["kind"].startswith(("scan-", "image-")):
                    ocr[row["lang"]].append(cer(text, reference))
                    ocr_seconds += seconds
                    ocr_pages += 1
        outcomes[row["kind"]].append(int(ok))
        if not ok:
            wrong.append(f"{row['file']} ({row['kind']}, expected {row['expect']}): "
                         f"{(error or text[:120]).replace(chr(10), ' ')[:200]}")
        if row["kind"] == "html" and error is None:
            for extractor in ("builtin", "trafilatura"):
                from pipeline.ingest.readers import read_document

                other = read_document(raw, "html", settings=IngestSettings(html_extractor=extractor))
                from pipeline.ingest.passages import passages_from_lines

                got = words(" ".join(p.text for p in passages_from_lines("d", other.lines, wrapped=False)))
                html_scores[extractor].append((precision(got, words(reference)), recall(got, words(reference))))
    total = sum(len(v) for v in outcomes.values())
    right = sum(sum(v) for v in outcomes.values())
    print(f"\n== Collection {root} ({total} files) ==")
    for kind in sorted(outcomes):
        print(f"{kind:24} {sum(outcomes[kind]):4d}/{len(outcomes[kind]):<4d}")
    print(f"handled right: {right}/{total} = {right / total:.1%}; tracebacks: {len(tracebacks)}")
    for line in wrong:
        print("  wrong:", line)
    for line in tracebacks:
        print("  TRACEBACK:", line)
    if pdf_ratio:
        low, high = bootstrap_interval(pdf_ratio)
        print(f"PDF words kept vs pdftotext: mean {sum(pdf_ratio) / len(pdf_ratio):.3f} "
              f"(95% CI {low:.3f}-{high:.3f}, {len(pdf_ratio)} PDFs), min {min(pdf_ratio):.3f}")
    for extractor, scores in html_scores.items():
        p = [s[0] for s in scores]
        r = [s[1] for s in scores]
        print(f"HTML {extractor:12} precision {sum(p) / len(p):.3f} {bootstrap_interval(p)}, "
              f"recall {sum(r) / len(r):.3f} {bootstrap_interval(r)} ({len(scores)} pages)")
    for lang, values in sorted(ocr.items()):
        low, high = bootstrap_interval(values)
        print(f"OCR CER {lang}: {sum(values) / len(values):.4f} (95% CI {low:.4f}-{high:.4f}, {len(values)} pages)")
    if ocr_pages:
        print(f"OCR speed: {ocr_pages / ocr_seconds * 60:.1f} pages/min ({ocr_pages} pages, {ocr_seconds:.0f} s)")


def ocr_peer(root: Path) -> None:
    """Tesseract with one language pack per page (the page's own language) vs the kaz+rus+eng default."""
    import pytesseract
    from PIL import Image

    rows = [r for r in csv.DictReader(open(root / "expected.csv", encoding="utf-8")) if r["kind"].startswith("image-")]
    result: dict[str, list[float]] = defaultdict(list)
    began = time.perf_counter()
    for row in rows:
        image = Image.open(root / "files" / row["file"]).convert("L")
        reference = (root / "reference" / row["reference"]).read_text(encoding="utf-8")
        text = pytesseract.image_to_string(image, lang=TESSERACT_LANG[row["lang"]], config="--psm 3")
        result[row["lang"]].append(cer(text, reference))
    seconds = time.perf_counter() - began
    for lang, values in sorted(result.items()):
        print(f"peer (tesseract -l {TESSERACT_LANG[lang]} only) CER {lang}: {sum(values) / len(values):.4f}")
    print(f"peer speed: {len(rows) / seconds * 60:.1f} pages/min")


def docx_peers(root: Path) -> None:
    """Words of the Word files' reference text recovered by python-docx, docx2python, mammoth and ours."""
    import docx as python_docx
    import mammoth
    from docx2python import docx2python

    def read_python_docx(raw: bytes) -> str:
        document = python_docx.Document(io.BytesIO(raw))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts.extend(cell.text for row in table.rows for cell in row.cells)
        return "\n".join(parts)

    def read_docx2python(raw: bytes) -> str:
        with docx2python(io.BytesIO(raw)) as document:
            return document.text

    def read_mammoth(raw: bytes) -> str:
        return mammoth.extract_raw_text(io.BytesIO(raw)).value

    def read_ours(raw: bytes) -> str:
        return "\n".join(p.text for p in ingest_document(raw, "docx", "d", IngestSettings())[1])

    readers = {"python-docx": read_python_docx, "docx2python": read_docx2python, "mammoth": read_mammoth,
               "ours": read_ours}
    rows = [r for r in csv.DictReader(open(root / "expected.csv", encoding="utf-8")) if r["kind"] == "docx"]
    scores: dict[str, list[float]] = defaultdict(list)
    duplicated: Counter[str] = Counter()
    for row in rows:
        raw = (root / "files" / row["file"]).read_bytes()
        reference = (root / "reference" / row["reference"]).read_bytes().decode("utf-8")
        box = reference.splitlines()[-5]  # the text box line (see build_collection)
        for name, read in readers.items():
            try:
                text = read(raw)
            except Exception:  # noqa: BLE001 - a peer's failure counts as nothing read
                text = ""
            scores[name].append(recall(words(text), words(reference)))
            duplicated[name] += text.count(box[:60]) > 1
    print(f"\n== Word files: share of the reference's words recovered ({len(rows)} files) ==")
    for name, values in scores.items():
        low, high = bootstrap_interval(values)
        print(f"{name:12} {sum(values) / len(values):.3f} (95% CI {low:.3f}-{high:.3f}); "
              f"text box read twice in {duplicated[name]} file(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--collection", type=Path, default=DEFAULT_COLLECTION)
    parser.add_argument("--build", action="store_true", help="(re)build the collection first")
    parser.add_argument("--sample", type=int, default=0,
                        help="which sample of texts and chardet files (0: the first; 1: a fresh one)")
    parser.add_argument("--split", choices=("dev", "test"), default="test",
                        help="which half of the scale corpus supplies the texts (choices were made on dev)")
    parser.add_argument("--part", choices=("all", "docx"), default="all", help="docx: only the Word-reader peers")
    args = parser.parse_args()
    root = args.collection
    if args.part == "docx":
        docx_peers(root)
        return
    if args.build or not (root / "expected.csv").exists():
        print(f"building the collection in {root} ({args.split} texts) ...")
        build_collection(root, args.split, args.sample)
    evaluate(root, IngestSettings())
    docx_peers(root)
    ocr_peer(root)


if __name__ == "__main__":
    main()
