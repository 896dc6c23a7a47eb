"""`python -m pipeline ingest` (the DVC stage) and `ingest-preview` (one file, nothing written)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.config import stage_settings
from pipeline.errors import PipelineError
from pipeline.ingest.settings import IngestSettings
from pipeline.outputs import default_path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `ingest` and `ingest-preview` commands."""
    parser = subparsers.add_parser(
        "ingest",
        help="read corpus/ documents into cleaned, offset-tracked passages",
        description=(
            "Read every document listed in <corpus>/metadata.csv (.txt .md .html .pdf .docx), detect "
            "encodings, clean markup and page furniture, split into passages with stable ids and offsets "
            "back into the source, and write a Parquet table plus a JSON report. The corpus is never modified. "
            "Scans and images are read by OCR (Tesseract). Documents are read in partitions, here or as Dask "
            "tasks (params.yaml `run`). Settings: section `ingest` of params.yaml (strict, "
            "ocr, ocr_languages, html_extractor, pdf_extractor, docx_comments, size limits, ...)."
        ),
    )
    parser.add_argument("--corpus", default="corpus", help="corpus directory holding metadata.csv (default: corpus)")
    parser.add_argument("--out", default=default_path("passages"),
                        help="passages table to write (default: outputs/passages.parquet)")
    parser.add_argument("--report", default=default_path("ingest_report"),
                        help="report of counts and skipped documents (default: outputs/ingest_report.json)")
    parser.add_argument("--params", default="params.yaml", help="parameters file (default: params.yaml)")
    parser.set_defaults(func=run)

    preview = subparsers.add_parser(
        "ingest-preview",
        help="show how one document file is read and split (writes nothing)",
        description=(
            "Read one .txt/.md/.html/.pdf/.docx file or PNG/JPEG/TIFF scan the way the ingest stage does and "
            "print the detected format and encoding, notes (a misnamed file, pages left out), pages read by "
            "OCR and every passage, to check a document before adding it to metadata.csv."
        ),
    )
    preview.add_argument("file", type=Path, help="the document to read")
    preview.add_argument("--encoding", default=None, help="force a text encoding instead of detecting it")
    preview.add_argument("--params", default="params.yaml", help="parameters file (default: params.yaml)")
    preview.add_argument("--json", action="store_true", help="print one JSON object per passage")
    preview.set_defaults(func=run_preview)


def run(args: argparse.Namespace) -> int:
    """Run the stage with the parsed arguments; print the one-line summary."""
    from pipeline.config import load_params
    from pipeline.ingest.stage import run_ingest
    from pipeline.run.settings import run_settings

    params = load_params(args.params)
    settings = stage_settings(IngestSettings, "ingest", params)
    result = run_ingest(args.corpus, args.out, args.report, settings, run=run_settings(params))
    print(result.summary(args.out))
    return 0


def run_preview(args: argparse.Namespace) -> int:
    """Print how one file is read: format, encoding, passages."""
    from pipeline.ingest.ocr import span_confidence
    from pipeline.ingest.problems import DocumentProblem
    from pipeline.ingest.readers import format_of, unsupported_message
    from pipeline.ingest.stage import ingest_document

    settings = stage_settings(IngestSettings, "ingest", path=args.params)
    path: Path = args.file
    fmt = format_of(path)
    if fmt is None:
        raise PipelineError(f"{path}: {unsupported_message(path)}")
    if not path.is_file():
        raise PipelineError(f"{path} does not exist.")
    try:
        document, passages = ingest_document(path.read_bytes(), fmt, path.stem, settings, args.encoding)
    except DocumentProblem as exc:
        raise PipelineError(f"{path}: {exc}") from exc
    out = sys.stdout
    if args.json:
        for p in passages:
            out.write(json.dumps({"passage_id": p.passage_id, "passage_index": p.passage_index, "kind": p.kind,
                                  "text": p.text, "source_start": p.source_start, "source_end": p.source_end},
                                 ensure_ascii=False) + "\n")
        return 0
    encoding = document.encoding or "(binary format)"
    ocr = f", {document.ocr_pages} page(s) read by OCR" if document.ocr_pages else ""
    out.write(f"{path}: format {document.format}, encoding {encoding}, {len(passages)} passages{ocr}\n")
    for note in document.notes:
        out.write(f"note: {note}\n")
    for p in passages:
        confidence = span_confidence(document.ocr_words, p.source_start, p.source_end) if document.ocr_words else None
        source = "" if confidence is None else f" · OCR confidence {confidence:.2f}"
        out.write(f"\n[{p.passage_index}] {p.kind} · source {p.source_start}-{p.source_end} · {p.n_chars} chars"
                  f"{source}\n{p.text}\n")
    return 0
