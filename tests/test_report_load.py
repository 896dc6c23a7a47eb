"""Reading upstream outputs: missing, malformed and stale inputs fail with the stage to run."""

import json
import os
import shutil

import pandas as pd
import pytest
import yaml
from report_fixtures import make_project

from pipeline.errors import PipelineError
from pipeline.report.freshness import file_md5
from pipeline.report.load import load_inputs


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, corpus_dir):
    return make_project(tmp_path_factory.mktemp("pristine"), corpus_dir, with_metrics=False)


@pytest.fixture
def project(pristine, tmp_path):
    """A private copy of the fixture project, free to damage."""
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    return root


def test_contract_outputs_load_with_json_columns_parsed(project):
    inputs = load_inputs(project / "outputs", project)
    assert isinstance(inputs.topics["top_terms"].iloc[0], dict)
    assert isinstance(inputs.topics["representative_passages"].iloc[0], list)
    assert len(inputs.passages) == inputs.ingest_report["passages"]


def test_missing_required_output_names_the_stage_to_run(project):
    (project / "outputs" / "entities.parquet").unlink()
    with pytest.raises(PipelineError, match=r"stage 'entities': entities\.parquet\n.*dvc repro"):
        load_inputs(project / "outputs", project)


def test_missing_optional_metrics_become_a_note_naming_the_stage(project):
    inputs = load_inputs(project / "outputs", project)
    assert inputs.metrics is None
    assert "dvc repro evaluate" in inputs.missing["metrics"]
    assert "language" in inputs.missing["language_metrics"]


def test_missing_contract_column_names_file_column_and_stage(project):
    path = project / "outputs" / "topics" / "prevalence.parquet"
    pd.read_parquet(path).drop(columns=["ci_low"]).to_parquet(path)
    with pytest.raises(PipelineError, match=r"prevalence\.parquet: missing column\(s\) \['ci_low'\].*repro topics"):
        load_inputs(project / "outputs", project)


def test_invalid_json_cell_names_the_row(project):
    path = project / "outputs" / "topics" / "topics.parquet"
    frame = pd.read_parquet(path)
    frame.loc[2, "top_terms"] = "{not json"
    frame.to_parquet(path)
    with pytest.raises(PipelineError, match=r"topics\.parquet row 2: column 'top_terms' is not valid JSON"):
        load_inputs(project / "outputs", project)


def test_truncated_parquet_says_it_cannot_be_read(project):
    path = project / "outputs" / "languages.parquet"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(PipelineError, match=r"languages\.parquet: cannot be read.*repro language"):
        load_inputs(project / "outputs", project)


def test_corpus_edited_after_ingest_makes_outputs_stale(project):
    metadata = project / "corpus" / "metadata.csv"
    later = (project / "outputs" / "passages.parquet").stat().st_mtime + 60
    os.utime(metadata, (later, later))
    with pytest.raises(PipelineError, match=r"passages\.parquet was built before the last change to corpus/metadata\.csv.*dvc repro ingest"):
        load_inputs(project / "outputs", project)


def test_allow_stale_records_the_problem_instead_of_failing(project):
    later = (project / "outputs" / "passages.parquet").stat().st_mtime + 60
    os.utime(project / "corpus" / "metadata.csv", (later, later))
    inputs = load_inputs(project / "outputs", project, allow_stale=True)
    assert any("dvc repro ingest" in m for m in inputs.stale)


def test_dvc_lock_hash_mismatch_marks_the_stage_stale(project):
    metadata = project / "corpus" / "metadata.csv"
    lock = {"schema": "2.0", "stages": {"ingest": {
        "cmd": "python -m pipeline ingest",
        "deps": [{"path": "corpus/metadata.csv", "hash": "md5", "md5": file_md5(metadata)}],
        "outs": [{"path": "outputs/passages.parquet"}]}}}
    (project / "dvc.lock").write_text(yaml.safe_dump(lock), encoding="utf-8")
    load_inputs(project / "outputs", project)  # recorded hash matches: fresh
    metadata.write_text(metadata.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    # Hash, not time, decides: make the edit look older than the outputs.
    os.utime(metadata, (0, 0))
    with pytest.raises(PipelineError, match=r"corpus/metadata\.csv \(stage 'ingest'\)"):
        load_inputs(project / "outputs", project)


def test_topics_from_another_ingest_run_are_rejected(project):
    path = project / "outputs" / "topics" / "assignments.parquet"
    frame = pd.read_parquet(path)
    frame.loc[0, "passage_id"] = "999_gone-0123456789"
    frame.to_parquet(path)
    with pytest.raises(PipelineError, match=r"999_gone-0123456789.*dvc repro topics"):
        load_inputs(project / "outputs", project)


def test_groups_json_that_is_not_an_object_is_rejected(project):
    (project / "outputs" / "topics" / "groups.json").write_text(json.dumps(["russia"]), encoding="utf-8")
    with pytest.raises(PipelineError, match=r"groups\.json: expected a JSON object"):
        load_inputs(project / "outputs", project)


def test_kazakh_ner_metrics_are_read_from_the_training_stage_output(project):
    (project / "models").mkdir()
    (project / "models" / "kk_ner_metrics.json").write_text('{"f1": 0.8}', encoding="utf-8")
    inputs = load_inputs(project / "outputs", project)
    assert inputs.kk_ner_metrics == {"f1": 0.8}
    assert "dvc repro train_kk_stanza" in inputs.missing["kk_ner_stanza_metrics"]  # the stage dvc.yaml names (was a drifted copy)


def test_directory_dependency_hash_matches_what_dvc_records(tmp_path):
    from pipeline.report.freshness import dir_md5s

    # `dvc add d` (DVC 3.67) on this directory recorded md5 7151ce1bc4931fcad4d3a04f392fa6fb.dir
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "x.txt").write_bytes(b"a\n")
    (tmp_path / "d" / "sub" / "y.txt").write_bytes(b"b\r\n")
    assert "7151ce1bc4931fcad4d3a04f392fa6fb.dir" in dir_md5s(tmp_path / "d")


def test_code_directory_changed_since_dvc_lock_marks_the_stage_stale(project):
    from pipeline.report.freshness import dir_md5s

    code = project / "pipeline" / "ingest"
    code.mkdir(parents=True)
    (code / "stage.py").write_text("VERSION = 1\n", encoding="utf-8")
    [recorded] = dir_md5s(code)
    lock = {"schema": "2.0", "stages": {"ingest": {"cmd": "python -m pipeline ingest",
                                                   "deps": [{"path": "pipeline/ingest", "md5": recorded}]}}}
    (project / "dvc.lock").write_text(yaml.safe_dump(lock), encoding="utf-8")
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "stage.cpython-311.pyc").write_bytes(b"\0")  # importing is not changing
    load_inputs(project / "outputs", project)
    (code / "stage.py").write_text("VERSION = 2\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"last change to pipeline/ingest \(stage 'ingest'\)"):
        load_inputs(project / "outputs", project)
