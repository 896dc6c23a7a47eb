"""The ingest stage: corpus/ → outputs/passages.parquet + outputs/ingest_report.json.

All validation happens before anything is written. Strict mode fails listing every
problem; lenient mode skips bad documents and lists them in the report. Outputs are
written atomically and are byte-identical for identical inputs and settings.
"""

from __future__ import annotations

import functools
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
from pipeline.run.executor import open_executor
from pipeline.run.settings import RunSettings

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


@dataclass(frozen=True)
class DocumentTask:
    """One metadata row's document, read by the driver and shipped to whoever ingests it.

    The bytes travel with the task, so Dask workers need no access to the corpus directory;
    `read_error` says why the file could not be read (then `raw` is empty).
    """

    row: MetadataRow
    fmt: str
    raw: bytes
    read_error: str = ""


@dataclass(frozen=True)
class DocumentOutcome:
    """A document's passage rows and report entry, or why it was skipped."""

    skipped: Skipped | None
    records: list[dict[str, object]]
    per_document: dict[str, object] | None


def ingest_task(task: DocumentTask, columns: list[str], settings: IngestSettings) -> DocumentOutcome:
    """One document → its outcome; every failure of one document becomes a Skipped entry."""
    row = task.row
    if task.read_error:
        return DocumentOutcome(Skipped(row.doc_id, row.file, row.row, task.read_error), [], None)
    try:
        document, passages = ingest_document(task.raw, task.fmt, row.doc_id, settings,
                                             row.values.get(ENCODING_COLUMN, "").strip() or None)
    except DocumentProblem as exc:
        return DocumentOutcome(Skipped(row.doc_id, row.file, row.row, str(exc)), [], None)
    except (MemoryError, RecursionError) as exc:
        return DocumentOutcome(Skipped(row.doc_id, row.file, row.row,
                                       f"is too large or too deeply nested to read ({type(exc).__name__}). Split or "
                                       "re-export it."), [], None)
    except Exception as exc:  # noqa: BLE001 - one document's reader bug must not take the others down
        return DocumentOutcome(Skipped(row.doc_id, row.file, row.row,
                                       f"could not be read: the reader failed unexpectedly ({type(exc).__name__}: "
                                       f"{exc}). This is a bug in the pipeline; please report it with the file."),
                               [], None)
    records = _passage_records(row, columns, document, passages)
    per_document = {"doc_id": row.doc_id, "file": row.file, "row": row.row,
                    "format": document.format,  # a web page saved as .txt was read as html
                    "encoding": document.encoding, "passages": len(passages),
                    "source_chars": len(document.source_text),
                    "passage_chars": sum(p.n_chars for p in passages),
                    "ocr_pages": document.ocr_pages,
                    "ocr_passages": sum(1 for r in records if r["source_kind"] == "ocr"),
                    "notes": list(document.notes)}
    return DocumentOutcome(None, records, per_document)


def ingest_partition(columns: list[str], settings: IngestSettings, tasks: list[DocumentTask]) -> list[DocumentOutcome]:
    """A partition of documents, in order: the task both executors run."""
    return [ingest_task(task, columns, settings) for task in tasks]


def plan_partitions(corpus: Path, rows: list[MetadataRow], documents: int, max_bytes: int) -> list[list[MetadataRow]]:
    """Consecutive rows, at most `documents` per partition and about `max_bytes` of files each."""
    parts: list[list[MetadataRow]] = []
    current: list[MetadataRow] = []
    size = 0
    for row in rows:
        try:
            nbytes = (corpus / row.file).stat().st_size
        except OSError:
            nbytes = 0  # reading it fails later, with the reason in the report
        if current and (len(current) >= documents or size + nbytes > max_bytes):
            parts.append(current)
            current, size = [], 0
        current.append(row)
        size += nbytes
    if current:
        parts.append(current)
    return parts


def read_tasks(corpus: Path, rows: list[MetadataRow]) -> list[DocumentTask]:
    """The documents of one partition, read now (the driver holds only the partitions in flight)."""
    tasks = []
    for row in rows:
        path = corpus / row.file
        fmt = format_of(path) or ""
        try:
            tasks.append(DocumentTask(row, fmt, path.read_bytes()))
        except OSError as exc:
            tasks.append(DocumentTask(row, fmt, b"", f"cannot be read ({exc.strerror}). Check its permissions."))
        except MemoryError as exc:
            tasks.append(DocumentTask(row, fmt, b"", f"is too large or too deeply nested to read "
                                                     f"({type(exc).__name__}). Split or re-export it."))
    return tasks


def ingest_corpus(corpus_dir: str | Path, settings: IngestSettings, run: RunSettings | None = None) -> IngestResult:
    """Read and check the whole corpus; raise PipelineError in strict mode if anything is wrong.

    Documents are read in partitions through the executor of params.yaml `run` (this process
    by default); results come back in metadata order, so the output does not depend on it.
    """
    began = time.perf_counter()
    run = run or RunSettings()
    corpus = Path(corpus_dir)
    metadata = read_metadata(corpus / "metadata.csv")
    if not metadata.rows:
        raise PipelineError(f"{corpus / 'metadata.csv'} lists no documents. Add one row per document "
                            "(doc_id, file, title, year, genre, partner, perspective, source).")
    rows, problems = check_rows(metadata, corpus)
    problems.extend(orphan_files(metadata, corpus))
    records: list[dict[str, object]] = []
    per_document: list[dict[str, object]] = []
    parts = plan_partitions(corpus, rows, run.documents_per_partition, run.partition_mb * 1024 * 1024)
    task = functools.partial(ingest_partition, list(metadata.columns), settings)
    with open_executor(run, len(rows), "ingest", unit="documents",
                       minimum=("min_documents_for_dask", run.min_documents_for_dask)) as executor:
        for outcomes in executor.map(task, (read_tasks(corpus, part) for part in parts), total=len(parts),
                                     desc="ingest"):
            for outcome in outcomes:
                if outcome.skipped is not None:
                    problems.append(outcome.skipped)
                else:
                    per_document.append(outcome.per_document)  # type: ignore[arg-type]
                    records.extend(outcome.records)
    formats = Counter(str(d["format"]) for d in per_document)
    encodings = Counter(str(d["encoding"] or "(binary format)") for d in per_document)
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
                  for d in per_document for note in d["notes"]],  # type: ignore[attr-defined]
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
               settings: IngestSettings, run: RunSettings | None = None) -> IngestResult:
    """Run the stage and write both outputs atomically (only after all validation passed)."""
    from pipeline.atomic import write_json, write_parquet

    result = ingest_corpus(corpus_dir, settings, run)
    write_parquet(out, result.passages)
    write_json(report_path, result.report)
    return result
