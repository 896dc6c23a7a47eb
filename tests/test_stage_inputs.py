"""Reading an upstream stage's output: each problem names the file and the stage to run."""

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.stage_inputs import read_stage_output


def test_missing_input_names_the_stage_that_makes_it(tmp_path):
    with pytest.raises(PipelineError, match=r"passages\.parquet: passages not found\. Run `python -m pipeline ingest`"):
        read_stage_output(tmp_path / "passages.parquet", "ingest", ("passage_id",), what="passages")


def test_input_without_a_required_column_names_the_column(tmp_path):
    path = tmp_path / "languages.parquet"
    pd.DataFrame({"passage_id": ["000_05419e8066d3e48e-0943491061"]}).to_parquet(path)
    with pytest.raises(PipelineError, match=r"missing column\(s\) \['lang'\].*dvc repro language"):
        read_stage_output(path, "language", ("passage_id", "lang"))


def test_damaged_file_is_a_clear_error_not_a_traceback(tmp_path):
    path = tmp_path / "entities_machine.parquet"
    path.write_bytes(b"PAR1 cut off mid-write")
    with pytest.raises(PipelineError, match=r"not a readable Parquet file.*dvc repro entities"):
        read_stage_output(path, "entities", ("passage_id",))


def test_only_the_asked_columns_are_read(tmp_path):
    path = tmp_path / "languages.parquet"
    pd.DataFrame({"passage_id": ["p"], "lang": ["kk"], "script": ["Cyrl"]}).to_parquet(path)
    frame = read_stage_output(path, "language", columns=("passage_id", "lang"))
    assert list(frame.columns) == ["passage_id", "lang"]
