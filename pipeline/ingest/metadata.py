"""corpus/metadata.csv: read it as a spreadsheet user sees it, and check every row.

Row numbers are spreadsheet rows (the header is row 1). Values stay strings exactly as
entered ("" for empty); `year` is not parsed. Problems with one row (missing file,
duplicate doc_id, ...) are returned, not raised, so the stage can list them all at once.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import PipelineError
from pipeline.ingest.encoding import decode_bytes
from pipeline.ingest.problems import DocumentProblem, Skipped
from pipeline.ingest.readers import format_of, unsupported_message

REQUIRED_COLUMNS = ("doc_id", "file", "title", "year", "genre", "partner", "perspective", "source")
RESERVED_COLUMNS = frozenset({"passage_id", "passage_index", "text", "source_start", "source_end",
                              "offset_map", "n_chars", "n_words", "format", "kind"})
ENCODING_COLUMN = "encoding"
IGNORED_FILE_PREFIXES = (".", "~$")


@dataclass(frozen=True)
class MetadataRow:
    """One document's metadata row."""

    row: int
    values: dict[str, str]
    extra_cells: bool = False
    """The row has non-empty cells beyond the header's columns (an unquoted comma?)."""

    @property
    def doc_id(self) -> str:
        """The document id, surrounding spaces removed."""
        return self.values.get("doc_id", "").strip()

    @property
    def file(self) -> str:
        """The file path relative to corpus/, surrounding spaces removed."""
        return self.values.get("file", "").strip()


@dataclass(frozen=True)
class Metadata:
    """The columns (in file order) and rows of metadata.csv."""

    columns: list[str]
    rows: list[MetadataRow]


def read_metadata(path: Path) -> Metadata:
    """Parse metadata.csv; raise PipelineError when it cannot be used at all."""
    if not path.exists():
        raise PipelineError(f"{path} not found. Create it with the columns {', '.join(REQUIRED_COLUMNS)}.")
    try:
        text = decode_bytes(path.read_bytes()).text
    except DocumentProblem as exc:
        raise PipelineError(f"{path}: {exc}") from exc
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    if not records:
        raise PipelineError(f"{path} is empty. Its first row must name the columns {', '.join(REQUIRED_COLUMNS)}.")
    header = [name.strip().lower() for name in records[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise PipelineError(
            f"{path}: missing required column(s) {', '.join(missing)} in the header (row 1). "
            f"The header must contain {', '.join(REQUIRED_COLUMNS)}; found {', '.join(header) or 'nothing'}."
        )
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    reserved = sorted(RESERVED_COLUMNS & set(header))
    if duplicated or reserved:
        raise PipelineError(
            f"{path}: row 1 " + (f"repeats column(s) {', '.join(duplicated)}" if duplicated else
                                 f"uses column name(s) {', '.join(reserved)} reserved for passage data")
            + ". Rename or remove them."
        )
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets leave empty rows behind
        values = {name: (record[i] if i < len(record) else "") for i, name in enumerate(header) if name}
        extra = any(cell.strip() for cell in record[len(header):])
        rows.append(MetadataRow(index, values, extra))
    return Metadata([c for c in header if c], rows)


def _delimiter(text: str) -> str:
    """Comma, or the semicolon/tab a spreadsheet in a Russian or Kazakh locale saves with."""
    header = text.split("\n", 1)[0].lower()
    counts = {d: sum(c in [f.strip() for f in header.split(d)] for c in REQUIRED_COLUMNS) for d in ",;\t"}
    return max(",;\t", key=lambda d: counts[d])  # ties keep the comma


def check_rows(metadata: Metadata, corpus_dir: Path) -> tuple[list[MetadataRow], list[Skipped]]:
    """Split rows into usable ones and problems (missing file, duplicate doc_id, ...)."""
    usable: list[MetadataRow] = []
    problems: list[Skipped] = []
    seen_ids: dict[str, int] = {}
    seen_files: dict[str, int] = {}
    existing = _corpus_files(corpus_dir)
    for row in metadata.rows:
        reason = _row_problem(row, corpus_dir, seen_ids, seen_files, existing)
        if reason:
            problems.append(Skipped(row.doc_id, row.file, row.row, reason))
            continue
        seen_ids[row.doc_id] = row.row
        seen_files[_normalised(row.file)] = row.row
        usable.append(row)
    return usable, problems


def _row_problem(row: MetadataRow, corpus_dir: Path, seen_ids: dict[str, int],
                 seen_files: dict[str, int], existing: list[str]) -> str | None:
    if row.extra_cells:
        return "the row has more cells than the header has columns (an unquoted comma?). Quote the cell or add the column."
    if not row.doc_id:
        return "doc_id is empty. Give the document a unique id (e.g. 005_my_article)."
    if any(ch.isspace() for ch in row.doc_id) or "/" in row.doc_id:
        return f"doc_id '{row.doc_id}' contains spaces or '/'. Use letters, digits, '_' and '-' only."
    if row.doc_id in seen_ids:
        return f"duplicate doc_id '{row.doc_id}' (already used in row {seen_ids[row.doc_id]}). Give each document its own doc_id."
    if not row.file:
        return "the file column is empty. Put the document's path relative to corpus/ (e.g. documents/005.txt)."
    relative = PurePosixPath(row.file.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts:
        return f"file '{row.file}' must be a path inside corpus/, like documents/005.txt."
    if _normalised(row.file) in seen_files:
        return f"file '{row.file}' is already listed in row {seen_files[_normalised(row.file)]}. Each file needs exactly one row."
    path = corpus_dir / relative
    if not path.is_file():
        hint = difflib.get_close_matches(str(relative), existing, n=1, cutoff=0.6)
        suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
        return (f"file '{row.file}' does not exist in {corpus_dir}/.{suggestion} "
                "Add the file, or fix the file column (names are case-sensitive).")
    if format_of(path) is None:
        return unsupported_message(path)
    return None


def _normalised(file: str) -> str:
    return str(PurePosixPath(file.strip().replace("\\", "/")))


def _corpus_files(corpus_dir: Path) -> list[str]:
    documents = corpus_dir / "documents"
    if not documents.is_dir():
        return []
    return sorted(
        p.relative_to(corpus_dir).as_posix() for p in documents.rglob("*")
        if p.is_file() and not any(part.startswith(IGNORED_FILE_PREFIXES) for part in p.relative_to(documents).parts)
    )


def orphan_files(metadata: Metadata, corpus_dir: Path) -> list[Skipped]:
    """Files in corpus/documents/ that no metadata row lists."""
    listed = {_normalised(row.file) for row in metadata.rows}
    return [
        Skipped("", name, None,
                "no row in metadata.csv lists this file. Add a row for it, or move it out of corpus/documents/.")
        for name in _corpus_files(corpus_dir) if name not in listed
    ]
