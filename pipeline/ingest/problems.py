"""Problems with the corpus: the exception readers raise, and the record the stage keeps."""

from __future__ import annotations

from dataclasses import dataclass


class DocumentProblem(Exception):
    """A document cannot be ingested; the message says what is wrong and what to do.

    Readers raise it without naming the file; the stage adds the file and metadata row,
    then either fails (strict) or lists the document as skipped in the report.
    """


@dataclass(frozen=True)
class Skipped:
    """A document (or metadata row, or stray file) left out, and why."""

    doc_id: str
    file: str
    row: int | None
    reason: str

    def describe(self, metadata_name: str = "corpus/metadata.csv") -> str:
        """One line naming the row and file, for error messages."""
        where = []
        if self.row is not None:
            where.append(f"{metadata_name} row {self.row}")
        if self.doc_id:
            where.append(f"doc_id {self.doc_id}")
        if self.file:
            where.append(f"file {self.file}")
        return f"{', '.join(where)}: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        """The report entry."""
        return {"doc_id": self.doc_id, "file": self.file, "row": self.row, "reason": self.reason}
