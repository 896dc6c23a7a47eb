"""The ingest stage: corpus/ → outputs/passages.parquet + outputs/ingest_report.json.

All validation happens before anything is written. Strict mode fails listing every
problem; lenient mode skips bad documents and lists them in the report. Outputs are
written atomically and are byte-identical for identical inputs and settings.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.ingest.metadata import (
    ENCODING_COLUMN,
    REQUIRED_COLUMNS,
    MetadataRow,
    check_rows,
    orphan_files,
    read_metadata,
)
from pipeline.ingest.ocr import span_confidence
from pipeline.ingest.passages import Passage, passages_from_lines
from pipeline.ingest.problems import DocumentProblem, Skipped
from pipeline.ingest.readers import SourceDocument, format_of, read_document
from pipeline.ingest.settings import IngestSettings

if TYPE_CHECKING:  # pandas is imported when the stage runs, so `ingest-preview` starts fast
    import pandas as pd

PASSAGE_COLUMNS = ("doc_id", "passage_id", "passage_index", "text", "source_start", "source_end",
                   "offset_map", "n_chars", "n_words", "format", "encoding", "kind", "source_kind",
                   "ocr_confidence")
INT_COLUMNS = ("passage_index", "source_start", "source_end", "n_chars", "n_words")
FLOAT_COLUMNS = ("ocr_confidence",)


@dataclass(frozen=True)
class IngestResult:
    """What the stage produced (before or after writing)."""

    passages: pd.DataFrame
    report: dict[str, object]
    seconds: float

    def summary(self, out: str | Path) -> str:
        """The one-line log summary."""
        ocr = f" ({self.report['ocr_passages']} from OCR)" if self.report.get("ocr_passages") else ""
        return (f"ingest: {self.report['documents']} documents, {self.report['passages']} passages{ocr}, "
                f"{len(self.report['skipped'])} skipped in {self.seconds:.2f} s -> {out}")  # type: ignore[arg-type]


def ingest_document(raw: bytes, fmt: str, doc_id: str, settings: IngestSettings,
                    encoding: str | None = None) -> tuple[SourceDocument, list[Passage]]:
    """One document's bytes → (source document, passages). Pure; raises DocumentProblem."""
    document = read_document(raw, fmt, encoding, settings)
    passages = passages_from_lines(doc_id, document.lines, max_chars=settings.max_passage_chars,
                                   min_chars=settings.min_passage_chars,
                                   repeated_line_min_count=settings.repeated_line_min_count,
                                   wrapped=document.wrapped)
    if not passages:
        raise DocumentProblem("no text is left after cleaning (only markup, page numbers or blank lines). "
                              "Check the file's content.")
    return document, passages


def ingest_corpus(corpus_dir: str | Path, settings: IngestSettings) -> IngestResult:
    """Read and check the whole corpus; raise PipelineError in strict mode if anything is wrong."""
    from tqdm import tqdm

    began = time.perf_counter()
    corpus = Path(corpus_dir)
    metadata = read_metadata(corpus / "metadata.csv")
    if not metadata.rows:
        raise PipelineError(f"{corpus / 'metadata.csv'} lists no documents. Add one row per document "
                            "(doc_id, file, title, year, genre, partner, perspective, source).")
    rows, problems = check_rows(metadata, corpus)
    problems.extend(orphan_files(metadata, corpus))
    records: list[dict[str, object]] = []
    formats: Counter[str] = Counter()
    encodings: Counter[str] = Counter()
    per_document: list[dict[str, object]] = []
    for row in tqdm(rows, desc="ingest", unit="doc", disable=None, leave=False):
        path = corpus / row.file
        fmt = format_of(path) or ""
        try:
            document, passages = ingest_document(path.read_bytes(), fmt, row.doc_id, settings,
                                                 row.values.get(ENCODING_COLUMN, "").strip() or None)
        except DocumentProblem as exc:
            problems.append(Skipped(row.doc_id, row.file, row.row, str(exc)))
            continue
        except OSError as exc:
            problems.append(Skipped(row.doc_id, row.file, row.row, f"cannot be read ({exc.strerror}). Check its permissions."))
            continue
        except (MemoryError, RecursionError) as exc:
            problems.append(Skipped(row.doc_id, row.file, row.row,
                                    f"is too large or too deeply nested to read ({type(exc).__name__}). Split or "
                                    "re-export it."))
            continue
        except Exception as exc:  # noqa: BLE001 - one document's reader bug must not take the others down
            problems.append(Skipped(row.doc_id, row.file, row.row,
                                    f"could not be read: the reader failed unexpectedly ({type(exc).__name__}: "
                                    f"{exc}). This is a bug in the pipeline; please report it with the file."))
            continue
        fmt = document.format  # a web page saved as .txt was read as html
        formats[fmt] += 1
        encodings[document.encoding or "(binary format)"] += 1
        records_of_document = _passage_records(row, metadata.columns, document, passages)
        ocr_passages = sum(1 for r in records_of_document if r["source_kind"] == "ocr")
        per_document.append({"doc_id": row.doc_id, "file": row.file, "row": row.row, "format": fmt,
                             "encoding": document.encoding, "passages": len(passages),
                             "source_chars": len(document.source_text),
                             "passage_chars": sum(p.n_chars for p in passages),
                             "ocr_pages": document.ocr_pages, "ocr_passages": ocr_passages,
                             "notes": list(document.notes)})
        records.extend(records_of_document)
    problems.sort(key=lambda p: (p.row is None, p.row or 0, p.file))
    if problems and settings.strict:
        listing = "\n".join(f"  - {p.describe(str(corpus / 'metadata.csv'))}" for p in problems)
        raise PipelineError(
            f"ingest found {len(problems)} problem(s) in {corpus}/ and wrote nothing:\n{listing}\n"
            "Fix them, or set `ingest: strict: false` in params.yaml to skip these documents "
            "and list them in the ingest report."
        )
    extra = [c for c in metadata.columns if c not in REQUIRED_COLUMNS and c != ENCODING_COLUMN]
    frame = _frame(records, [*PASSAGE_COLUMNS, *REQUIRED_COLUMNS[1:], *extra])
    report = {
        "documents": frame["doc_id"].nunique() if len(frame) else 0,
        "passages": len(frame),
        "skipped": [p.as_dict() for p in problems],
        "strict": settings.strict,
        "formats": dict(sorted(formats.items())),
        "encodings": dict(sorted(encodings.items())),
        "ocr_passages": int((frame["source_kind"] == "ocr").sum()) if len(frame) else 0,
        "ocr_documents": sum(1 for d in per_document if d["ocr_pages"]),
        "notes": [{"doc_id": d["doc_id"], "file": d["file"], "note": note}
                  for d in per_document for note in d["notes"]],
        "per_document": per_document,
    }
    return IngestResult(frame, report, time.perf_counter() - began)


def _passage_records(row: MetadataRow, columns: list[str], document: SourceDocument,
                     passages: list[Passage]) -> list[dict[str, object]]:
    """One output row per passage, with the document's metadata (strings, as entered)."""
    metadata = {c: row.values.get(c, "") for c in columns if c not in (ENCODING_COLUMN, "doc_id")}
    metadata["file"] = row.file
    records = []
    for p in passages:
        confidence = span_confidence(document.ocr_words, p.source_start, p.source_end) if document.ocr_words else None
        records.append({
            "doc_id": row.doc_id, "passage_id": p.passage_id, "passage_index": p.passage_index, "text": p.text,
            "source_start": p.source_start, "source_end": p.source_end, "offset_map": p.offset_map,
            "n_chars": p.n_chars, "n_words": p.n_words, "format": document.format, "encoding": document.encoding,
            "kind": p.kind, "source_kind": "text" if confidence is None else "ocr",
            "ocr_confidence": float("nan") if confidence is None else round(confidence, 4),
            **metadata,
        })
    return records


def _frame(records: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in columns:
        frame[column] = frame[column].astype("int64" if column in INT_COLUMNS else
                                             "float64" if column in FLOAT_COLUMNS else "str")
    return frame


def run_ingest(corpus_dir: str | Path, out: str | Path, report_path: str | Path,
               settings: IngestSettings) -> IngestResult:
    """Run the stage and write both outputs atomically (only after all validation passed)."""
    from pipeline.atomic import write_json, write_parquet

    result = ingest_corpus(corpus_dir, settings)
    write_parquet(out, result.passages)
    write_json(report_path, result.report)
    return result
