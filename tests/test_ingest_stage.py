"""The ingest stage end to end: the shipped corpus, determinism, stable ids, bad input."""

import argparse
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.__main__ import main
from pipeline.errors import PipelineError
from pipeline.ingest.encoding import decode_bytes
from pipeline.ingest.offsets import to_source
from pipeline.ingest.settings import IngestSettings
from pipeline.ingest.stage import ingest_corpus, run_ingest
from tests.fixtures.ingest.corpus_builder import (
    ENGLISH,
    KAZAKH,
    RUSSIAN,
    make_docx,
    make_image_only_pdf,
    make_pdf,
    make_zip,
    metadata_row,
    write_corpus,
)

LENIENT = IngestSettings(strict=False)


@pytest.fixture(scope="module")
def shipped(corpus_dir):
    return ingest_corpus(corpus_dir, IngestSettings())


def test_every_seed_document_is_ingested_in_metadata_order(shipped, corpus_dir):
    order = pd.read_csv(corpus_dir / "metadata.csv", dtype=str)["doc_id"].tolist()
    frame = shipped.passages
    assert frame["doc_id"].unique().tolist() == order
    for _, group in frame.groupby("doc_id", sort=False):
        assert group["passage_index"].tolist() == list(range(len(group)))
    assert shipped.report["skipped"] == [] and shipped.report["documents"] == 5


def test_kazakh_abstract_of_002_is_its_own_passage(shipped):
    doc = shipped.passages[shipped.passages["doc_id"].str.startswith("002_")]
    abstract = doc[doc["text"].str.startswith("Аңдатпа.")]
    assert len(abstract) == 1
    following = doc[doc["passage_index"] == abstract["passage_index"].iloc[0] + 1]["text"].iloc[0]
    for text in (abstract["text"].iloc[0], following):
        assert not re.search(r"[A-Za-z]", text)  # no English or markup glued on
        assert "ә" in text or "қ" in text


def test_markup_is_gone_from_every_passage(shipped):
    text = "\n".join(shipped.passages["text"])
    for leftover in ("<sup>", "</sup>", "lt;sup", "&lt;", "**", "\\_", "####", "# "):
        assert leftover not in text


def test_every_kept_character_maps_back_to_the_same_character(shipped, corpus_dir):
    for file, group in shipped.passages.groupby("file"):
        source = (corpus_dir / file).read_text(encoding="utf-8")
        for row in group.itertuples():
            assert source[row.source_start] == row.text[0]
            assert to_source(row.offset_map, len(row.text)) == row.source_end
            for i, ch in enumerate(row.text):
                source_ch = source[to_source(row.offset_map, i)]
                assert source_ch == ch or (ch == " " and source_ch.isspace()), (row.passage_id, i)


def test_metadata_travels_as_strings_with_empty_for_missing(shipped):
    first = shipped.passages.groupby("doc_id", sort=False).first()
    assert first.loc["000_05419e8066d3e48e", "year"] == "2023"
    assert first.loc["003_d8231b12290140e2", "year"] == ""
    assert first.loc["001_9cfb2186d2e10380", "source"] == ""
    assert first.loc["003_d8231b12290140e2", "partner"] == "china"
    assert set(shipped.passages["format"]) == {"txt"} and set(shipped.passages["encoding"]) == {"utf-8"}


def test_passage_ids_follow_the_contract(shipped):
    ids = shipped.passages["passage_id"]
    assert ids.is_unique
    assert all(re.fullmatch(rf"{re.escape(d)}-[0-9a-f]{{10}}(-\d+)?", p)
               for d, p in zip(shipped.passages["doc_id"], ids, strict=True))


def test_footnote_of_002_follows_the_rejoined_abstract(shipped):
    doc = shipped.passages[shipped.passages["doc_id"].str.startswith("002_")].reset_index()
    footnote = doc.index[doc["text"] == "E-mail: Balmanova.kz@gmail.com"][0]
    assert doc.loc[footnote, "kind"] == "footnote"
    assert "important for our state to regulate educational migration" in " ".join(doc.loc[footnote - 2 : footnote - 1, "text"])


def test_same_inputs_give_byte_identical_outputs(tmp_path, corpus_dir):
    for run in ("a", "b"):
        run_ingest(corpus_dir, tmp_path / run / "passages.parquet", tmp_path / run / "report.json", IngestSettings())
    assert (tmp_path / "a/passages.parquet").read_bytes() == (tmp_path / "b/passages.parquet").read_bytes()
    assert (tmp_path / "a/report.json").read_bytes() == (tmp_path / "b/report.json").read_bytes()


def test_ids_stay_stable_when_paragraphs_are_inserted_and_documents_removed(tmp_path):
    paragraphs = [ENGLISH, RUSSIAN, KAZAKH]
    before = ingest_corpus(write_corpus(tmp_path / "v1", {"a.txt": "\n\n".join(paragraphs).encode(),
                                                          "b.txt": ENGLISH.encode()}), IngestSettings()).passages
    edited = [ENGLISH, "A paragraph added later by the scholar.", RUSSIAN, KAZAKH]
    after = ingest_corpus(write_corpus(tmp_path / "v2", {"a.txt": "\n\n".join(edited).encode()}),
                          IngestSettings()).passages
    before = before[before["file"] == "documents/a.txt"]
    old = dict(zip(before["text"], before["passage_id"], strict=True))
    new = dict(zip(after["text"], after["passage_id"], strict=True))
    assert [new[t] for t in paragraphs] == [old[t] for t in paragraphs]
    assert len(set(new.values())) == 4


def test_repeated_paragraph_gets_a_numbered_id(tmp_path):
    corpus = write_corpus(tmp_path, {"a.txt": f"{ENGLISH}\n\n{RUSSIAN}\n\n{ENGLISH}".encode()})
    ids = ingest_corpus(corpus, IngestSettings()).passages["passage_id"].tolist()
    assert ids[2] == ids[0] + "-2"


def test_every_format_and_encoding_in_one_corpus(tmp_path):
    documents = {
        "ru.txt": f"{RUSSIAN}\n".encode("cp1251"),
        "kk.txt": f"{KAZAKH}\n".encode("kz1048"),
        "en.md": f"# Forum\n\n**{ENGLISH}**\n".encode("utf-16"),
        "page.html": f"<html><body><p>{ENGLISH}</p></body></html>".encode(),
        "report.docx": make_docx([("Normal", RUSSIAN)]),
        "paper.pdf": make_pdf([[ENGLISH]]),
    }
    result = ingest_corpus(write_corpus(tmp_path, documents), IngestSettings())
    by_file = result.passages.groupby("file").first()
    assert by_file.loc["documents/ru.txt", ["text", "encoding"]].tolist() == [RUSSIAN, "cp1251"]
    assert by_file.loc["documents/kk.txt", ["text", "encoding"]].tolist() == [KAZAKH, "kz1048"]
    assert result.passages[result.passages["file"] == "documents/en.md"]["text"].tolist() == ["Forum", ENGLISH]
    assert by_file.loc["documents/report.docx", "format"] == "docx"
    assert by_file.loc["documents/paper.pdf", "text"] == ENGLISH
    assert result.report["formats"] == {"docx": 1, "html": 1, "md": 1, "pdf": 1, "txt": 2}


def test_encoding_column_in_metadata_overrides_detection(tmp_path):
    rows = [metadata_row("001", "documents/ru.txt", encoding="cp1251")]
    corpus = write_corpus(tmp_path, {"ru.txt": RUSSIAN.encode("cp1251")}, rows=rows,
                          columns=["doc_id", "file", "title", "year", "genre", "partner", "perspective", "source", "encoding"])
    frame = ingest_corpus(corpus, IngestSettings()).passages
    assert frame["text"].tolist() == [RUSSIAN] and "encoding" in frame.columns


def test_extra_metadata_columns_travel_with_passages(tmp_path):
    rows = [metadata_row("001", "documents/a.txt", language_note="bilingual")]
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode()}, rows=rows,
                          columns=["doc_id", "file", "title", "year", "genre", "partner", "perspective", "source", "language_note"])
    assert ingest_corpus(corpus, IngestSettings()).passages["language_note"].tolist() == ["bilingual"]


BAD_DOCUMENTS = {
    "empty file": ({"bad.txt": b""}, "empty"),
    "binary file": ({"bad.txt": bytes(range(256)) * 8}, "binary"),
    "undecodable file": ({"bad.txt": bytes([0xC3, 0x28, 0xA0, 0xA1, 0x8D, 0x9E, 0xBC, 0xBD]) * 40},
                         "encoding could not be recognised"),
    "corrupt pdf": ({"bad.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated"}, "PDF is corrupt"),
    "pdf without text": ({"bad.pdf": make_image_only_pdf()}, "OCR"),
    "unsupported extension": ({"bad.doc": b"\xd0\xcf\x11\xe0old word file"}, "unsupported file type .doc"),
    "text that is really a spreadsheet": ({"bad.txt": make_zip({"xl/workbook.xml": b"<workbook/>"})},
                                          "Excel workbook"),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_document_fails_strict_run_naming_row_and_file(tmp_path, case):
    documents, message = BAD_DOCUMENTS[case]
    corpus = write_corpus(tmp_path, {"good.txt": ENGLISH.encode(), **documents})
    with pytest.raises(PipelineError) as error:
        run_ingest(corpus, tmp_path / "out/passages.parquet", tmp_path / "out/report.json", IngestSettings())
    text = str(error.value)
    bad_name = next(iter(documents))
    assert message in text and f"row 3, doc_id 001_bad, file documents/{bad_name}" in text
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_document_is_skipped_and_reported_when_not_strict(tmp_path, case):
    documents, message = BAD_DOCUMENTS[case]
    corpus = write_corpus(tmp_path, {"good.txt": ENGLISH.encode(), **documents})
    result = run_ingest(corpus, tmp_path / "passages.parquet", tmp_path / "report.json", LENIENT)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == 1 and report["strict"] is False
    [skipped] = report["skipped"]
    assert (skipped["doc_id"], skipped["file"], skipped["row"]) == ("001_bad", f"documents/{next(iter(documents))}", 3)
    assert message in skipped["reason"]
    assert set(result.passages["doc_id"]) == {"000_good"}


def test_missing_file_is_reported_with_a_suggestion(tmp_path):
    rows = [metadata_row("001", "documents/Forum.txt")]
    corpus = write_corpus(tmp_path, {"forum.txt": ENGLISH.encode()}, rows=rows)
    with pytest.raises(PipelineError, match=r"row 2.*documents/Forum.txt' does not exist.*Did you mean 'documents/forum.txt'"):
        ingest_corpus(corpus, IngestSettings())


def test_file_without_metadata_row_is_reported(tmp_path):
    rows = [metadata_row("001", "documents/a.txt")]
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode(), "stray.txt": RUSSIAN.encode()}, rows=rows)
    with pytest.raises(PipelineError, match="file documents/stray.txt: no row in metadata.csv"):
        ingest_corpus(corpus, IngestSettings())
    report = ingest_corpus(corpus, LENIENT).report
    assert report["skipped"] == [{"doc_id": "", "file": "documents/stray.txt", "row": None,
                                  "reason": "no row in metadata.csv lists this file. Add a row for it, "
                                            "or move it out of corpus/documents/."}]


def test_hidden_files_and_office_lock_files_are_not_orphans(tmp_path):
    rows = [metadata_row("001", "documents/a.txt")]
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode(), ".DS_Store": b"\0", "~$report.docx": b"x"}, rows=rows)
    assert ingest_corpus(corpus, IngestSettings()).report["skipped"] == []


def test_duplicate_doc_id_names_both_rows(tmp_path):
    rows = [metadata_row("001", "documents/a.txt"), metadata_row("001", "documents/b.txt")]
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode(), "b.txt": RUSSIAN.encode()}, rows=rows)
    with pytest.raises(PipelineError, match=r"row 3, doc_id 001.*duplicate doc_id '001' \(already used in row 2\)"):
        ingest_corpus(corpus, IngestSettings())
    assert ingest_corpus(corpus, LENIENT).passages["file"].unique().tolist() == ["documents/a.txt"]


def test_missing_required_columns_are_named(tmp_path):
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode()}, rows=[{"doc_id": "001", "file": "documents/a.txt"}],
                          columns=["doc_id", "file", "title"])
    with pytest.raises(PipelineError, match="missing required column.*year, genre, partner, perspective, source"):
        ingest_corpus(corpus, LENIENT)


def test_all_problems_are_listed_at_once(tmp_path):
    rows = [metadata_row("001", "documents/a.txt"), metadata_row("002", "documents/missing.txt"),
            metadata_row("003", "documents/empty.txt")]
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode(), "empty.txt": b""}, rows=rows)
    with pytest.raises(PipelineError) as error:
        ingest_corpus(corpus, IngestSettings())
    assert "2 problem(s)" in str(error.value)
    assert "row 3" in str(error.value) and "row 4" in str(error.value)


def test_metadata_saved_by_excel_in_windows_1251_is_read(tmp_path):
    rows = [metadata_row("001", "documents/a.txt", title="Миграция казахстанской молодежи")]
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode()}, rows=rows)
    path = corpus / "metadata.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    assert decode_bytes(path.read_bytes()).encoding == "cp1251"
    assert ingest_corpus(corpus, IngestSettings()).passages["title"].iloc[0] == "Миграция казахстанской молодежи"


def test_failed_run_leaves_previous_outputs_untouched(tmp_path):
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode()})
    out, report = tmp_path / "passages.parquet", tmp_path / "report.json"
    run_ingest(corpus, out, report, IngestSettings())
    before = out.read_bytes()
    (corpus / "documents" / "stray.txt").write_bytes(b"unlisted")
    with pytest.raises(PipelineError):
        run_ingest(corpus, out, report, IngestSettings())
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "passages.parquet", "report.json"]


def test_cli_runs_the_stage_with_params_and_prints_a_summary(tmp_path, capsys):
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode(), "b.txt": b""})
    params = tmp_path / "params.yaml"
    params.write_text("ingest:\n  strict: false\n  max_passage_chars: 200\n", encoding="utf-8")
    out = tmp_path / "out" / "passages.parquet"
    code = main(["ingest", "--corpus", str(corpus), "--out", str(out), "--report", str(tmp_path / "r.json"),
                 "--params", str(params)])
    assert code == 0
    assert "ingest: 1 documents, 2 passages, 1 skipped" in capsys.readouterr().out
    assert (pd.read_parquet(out)["n_chars"] <= 200).all()


def test_cli_reports_problems_without_a_traceback(tmp_path, capsys):
    corpus = write_corpus(tmp_path, {"a.txt": b""})
    code = main(["ingest", "--corpus", str(corpus), "--out", str(tmp_path / "p.parquet"),
                 "--report", str(tmp_path / "r.json"), "--params", str(tmp_path / "none.yaml")])
    assert code == 2
    err = capsys.readouterr().err
    assert "file documents/a.txt: the file is empty" in err and "Traceback" not in err


def test_unknown_setting_in_params_is_an_error(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("ingest:\n  max_pasage_chars: 900\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="max_pasage_chars"):
        main_settings(params)


def test_nonsense_setting_values_are_refused():
    with pytest.raises(PipelineError, match="max_passage_chars must be at least 100"):
        IngestSettings(max_passage_chars=10)
    with pytest.raises(PipelineError, match="strict must be true or false"):
        IngestSettings(strict="yes")


def main_settings(params: Path):
    from pipeline.config import stage_settings

    return stage_settings(IngestSettings, "ingest", path=params)


def test_the_corpus_is_never_modified(tmp_path, corpus_dir):
    copy = tmp_path / "corpus"
    shutil.copytree(corpus_dir, copy)
    snapshot = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    run_ingest(copy, tmp_path / "p.parquet", tmp_path / "r.json", IngestSettings())
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == snapshot


def test_metadata_saved_with_semicolons_by_a_russian_locale_spreadsheet_is_read(tmp_path):
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode()})
    path = corpus / "metadata.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    frame = ingest_corpus(corpus, IngestSettings()).passages
    assert frame["doc_id"].tolist() == ["000_a"] and frame["genre"].tolist() == ["journal_article"]


def test_report_lists_each_document_with_its_encoding_and_counts(shipped):
    entries = shipped.report["per_document"]
    assert [e["row"] for e in entries] == [2, 3, 4, 5, 6]
    assert {e["encoding"] for e in entries} == {"utf-8"}
    assert sum(e["passages"] for e in entries) == shipped.report["passages"]
    assert all(0 < e["passage_chars"] <= e["source_chars"] for e in entries)


def test_preview_shows_encoding_and_passages_of_one_file(tmp_path, capsys):
    from pipeline.ingest.cli import run_preview

    path = tmp_path / "kk.txt"
    path.write_bytes(f"# Аңдатпа\n\n{KAZAKH}\n".encode("kz1048"))
    args = argparse.Namespace(file=path, encoding=None, params=str(tmp_path / "none.yaml"), json=False)
    assert run_preview(args) == 0
    out = capsys.readouterr().out
    assert "format txt, encoding kz1048, 2 passages" in out and KAZAKH in out


def test_preview_of_a_bad_file_names_it(tmp_path):
    from pipeline.ingest.cli import run_preview

    path = tmp_path / "scan.pdf"
    path.write_bytes(make_image_only_pdf())
    args = argparse.Namespace(file=path, encoding=None, params=str(tmp_path / "none.yaml"), json=True)
    with pytest.raises(PipelineError, match=r"scan.pdf: .*OCR"):
        run_preview(args)


def test_metadata_without_document_rows_is_an_error(tmp_path):
    corpus = write_corpus(tmp_path, {}, rows=[])
    with pytest.raises(PipelineError, match="lists no documents"):
        ingest_corpus(corpus, LENIENT)


def test_lenient_run_with_every_document_bad_writes_an_empty_table_with_the_schema(tmp_path):
    corpus = write_corpus(tmp_path, {"a.txt": b"", "b.pdf": make_image_only_pdf()})
    run_ingest(corpus, tmp_path / "p.parquet", tmp_path / "r.json", LENIENT)
    frame = pd.read_parquet(tmp_path / "p.parquet")
    assert len(frame) == 0 and {"passage_id", "offset_map", "year"} <= set(frame.columns)
    assert str(frame["passage_index"].dtype) == "int64"
    assert len(json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["skipped"]) == 2


def test_row_with_more_cells_than_columns_is_reported(tmp_path):
    corpus = write_corpus(tmp_path, {"a.txt": ENGLISH.encode()})
    path = corpus / "metadata.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\r\n") + ",Kazakhstan, Russia\r\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="row 2.*more cells than the header has columns"):
        ingest_corpus(corpus, IngestSettings())


def test_ingest_preview_imports_no_other_stage_and_no_heavy_library(tmp_path):
    """A preview call starts fast: it imports neither the other stages nor pandas, spaCy or torch."""
    import subprocess
    import sys

    path = tmp_path / "note.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    code = ("import sys\nfrom pipeline.__main__ import main\n"
            f"main(['ingest-preview', {str(path)!r}, '--json'])\n"
            "heavy = sorted(m for m in ('pandas', 'spacy', 'torch', 'matplotlib', 'pipeline.report', "
            "'pipeline.entities', 'pipeline.language', 'pipeline.topics') if m in sys.modules)\n"
            "print('HEAVY', heavy)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.strip().splitlines()[-1] == "HEAVY []"


def test_preview_names_a_misnamed_file_and_reads_it_for_what_it_is(tmp_path, capsys):
    from pipeline.ingest.cli import run_preview

    path = tmp_path / "saved.pdf"
    path.write_text(f"<!DOCTYPE html><html><body><article><p>{ENGLISH}</p></article></body></html>", encoding="utf-8")
    args = argparse.Namespace(file=path, encoding=None, params=str(tmp_path / "none.yaml"), json=False)
    assert run_preview(args) == 0
    out = capsys.readouterr().out
    assert "format html" in out and "note: the file is named as a PDF but is a web page" in out and ENGLISH in out


def test_a_reader_that_fails_unexpectedly_costs_only_its_document(tmp_path, monkeypatch):
    """A decoder bug (pypdf's DependencyError on a JBIG2 image, say) is one skipped document, not a traceback."""
    import pipeline.ingest.readers.pdf as pdf_reader

    def broken(raw, settings=None):
        raise RuntimeError("JBIG2 decoder missing")

    monkeypatch.setattr(pdf_reader, "read_pdf", broken)
    corpus = write_corpus(tmp_path, {"scan.pdf": make_pdf([[ENGLISH]]), "note.txt": RUSSIAN.encode("utf-8")})
    result = ingest_corpus(corpus, LENIENT)
    assert list(result.passages["text"]) == [RUSSIAN]
    (skipped,) = result.report["skipped"]
    assert skipped["file"] == "documents/scan.pdf" and "failed unexpectedly (RuntimeError: JBIG2" in skipped["reason"]
