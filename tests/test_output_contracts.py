"""pipeline/outputs.py (every stage output, declared once) agrees with dvc.yaml, and readers use it."""

from __future__ import annotations

import shlex

import pandas as pd
import pytest
import yaml

from pipeline.errors import PipelineError
from pipeline.outputs import OUTPUT, OUTPUTS, STAGE_COMMANDS, TOPIC_TABLES, rerun
from pipeline.stage_inputs import read_output, read_stage_output
from tests.import_graph import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def _paths(stage: dict, *keys: str) -> list[str]:
    return [e if isinstance(e, str) else next(iter(e)) for k in keys for e in stage.get(k) or []]


def test_stage_names_and_commands_match_dvc_yaml():
    assert set(STAGE_COMMANDS) == set(STAGES)
    for name, stage in STAGES.items():
        assert shlex.split(stage["cmd"]) == ["python", "-m", "pipeline", *shlex.split(STAGE_COMMANDS[name])], name


def test_every_declared_output_is_written_by_its_stage_in_dvc_yaml():
    for out in OUTPUTS:
        stage = STAGES[out.stage]
        written = _paths(stage, "outs", "metrics")
        assert any(out.path == w or out.path.startswith(w + "/") for w in written), (
            f"{out.key}: {out.path} is not among stage {out.stage}'s outs/metrics in dvc.yaml: {written}")
        if out.metric:
            assert out.path in _paths(stage, "metrics"), f"{out.key} is declared a metric but dvc.yaml does not say so"
        elif out.path in _paths(stage, "metrics"):
            pytest.fail(f"{out.key}: dvc.yaml declares {out.path} a metric; set metric=True in pipeline/outputs.py")


def test_every_dvc_output_is_declared_once():
    declared = {o.path for o in OUTPUTS}
    assert len(declared) == len(OUTPUTS)
    for name, stage in STAGES.items():
        for path in _paths(stage, "outs", "metrics"):
            assert path in declared, f"stage {name} writes {path}: declare it in pipeline/outputs.py"
            assert next(o for o in OUTPUTS if o.path == path).stage == name


def test_declared_reads_are_dvc_deps():
    from pipeline.outputs import STAGE_READS

    for name, keys in STAGE_READS.items():
        deps = _paths(STAGES[name], "deps")
        for key in keys:
            path = OUTPUT[key].path if key in OUTPUT else key
            assert path in deps, f"stage {name} reads {path} (pipeline/outputs.py STAGE_READS) but dvc.yaml omits it"


def test_topic_tables_are_the_parquet_files_under_outputs_topics():
    assert "topics" in TOPIC_TABLES and "assignments" in TOPIC_TABLES
    assert all(OUTPUT[k].path.startswith("outputs/topics/") for k in TOPIC_TABLES)


def test_rerun_messages_name_real_commands():
    assert rerun("train_kk_ner") == "`python -m pipeline train-kk-ner` (or `dvc repro train_kk_ner`)"
    assert "review uncertainty" in rerun("review_queue")


def test_readers_name_the_producing_command(tmp_path):
    with pytest.raises(PipelineError, match="python -m pipeline train-kk-ner"):
        read_stage_output(tmp_path / "absent.parquet", "train_kk_ner")
    pd.DataFrame({"passage_id": ["a"]}).to_parquet(tmp_path / "languages.parquet")
    with pytest.raises(PipelineError, match=r"missing column\(s\) \['lang'.*python -m pipeline language"):
        read_output("languages", tmp_path / "languages.parquet")
    frame = read_output("languages", tmp_path / "languages.parquet", columns=("passage_id",))
    assert list(frame.columns) == ["passage_id"]


def test_report_reads_exactly_the_declared_facts():
    from pipeline.report.inputs import INPUTS

    for spec in INPUTS:
        out = OUTPUT[spec.key]
        assert spec.stage == out.stage and spec.columns == out.columns
        assert (spec.path == out.path) if spec.from_root else (f"outputs/{spec.path}" == out.path)


def test_training_defaults_match_the_declared_outputs():
    """Training settings keep literal paths (see ner_training/settings.py); they must still agree."""
    from pipeline.ner_training.settings import RussianCrfSettings, SpacyNerSettings, StanzaNerSettings

    for settings, key in ((SpacyNerSettings(), "kk_ner"), (StanzaNerSettings(), "kk_ner_stanza"),
                          (RussianCrfSettings(), "ru_ner_crf")):
        assert settings.output == OUTPUT[key].path and settings.metrics == OUTPUT[f"{key}_metrics"].path
