"""Metrics files hold a dozen headline numbers at most; the full record is the _details.json beside them."""

from __future__ import annotations

import json

import pytest

from pipeline.metrics_files import MAX_HEADLINE, details_path, headline, write_metrics
from pipeline.outputs import OUTPUT, OUTPUTS
from tests.import_graph import ROOT

METRICS = [o for o in OUTPUTS if o.metric]
# Written as a handful of numbers with nothing else, so there is nothing to move beside it.
ONLY_NUMBERS = {"topic_metrics", "topic_language_metrics"}


def test_headline_picks_numbers_by_dotted_path_and_skips_absent_ones():
    record = {"test": {"micro": {"f": 0.5}, "ci": [0.4, 0.6]}, "note": "prose", "ok": True}
    picks = {"f1": "test.micro.f", "low": "test.ci.0", "absent": "dev.micro.f", "note": "note", "ok": "ok"}
    assert headline(record, picks) == {"f1": 0.5, "low": 0.4, "ok": 1}
    with pytest.raises(ValueError, match="at most 12"):
        headline(record, {str(i): "ok" for i in range(MAX_HEADLINE + 1)})


def test_write_metrics_keeps_the_full_record_beside_the_headline(tmp_path):
    path = tmp_path / "x_metrics.json"
    record = {"a": {"b": 1.5}, "settings": {"path": "p"}}
    write_metrics(path, record, {"b": "a.b"})
    assert json.loads(path.read_text()) == {"b": 1.5}
    assert details_path(path) == tmp_path / "x_metrics_details.json"
    assert json.loads(details_path(path).read_text()) == record


def test_every_metrics_file_has_its_details_declared_beside_it():
    for out in METRICS:
        if out.key in ONLY_NUMBERS:
            continue
        details = OUTPUT.get(f"{out.key}_details")
        assert details is not None and details.path == str(details_path(out.path)) and details.stage == out.stage, out.key


@pytest.mark.parametrize("key", [o.key for o in METRICS if (ROOT / o.path).exists()])
def test_committed_metrics_files_are_a_few_numbers(key):
    """The committed ones (trained models) and any present in this checkout's outputs/."""
    data = json.loads((ROOT / OUTPUT[key].path).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and len(data) <= MAX_HEADLINE
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data.values()), data
    assert key in ONLY_NUMBERS or (ROOT / details_path(OUTPUT[key].path)).exists()


def test_stage_writers_stay_within_the_limit():
    from pipeline.evaluate import EVALUATE_HEADLINE
    from pipeline.finetune.stage import FINETUNE_HEADLINE
    from pipeline.language.stage import LANGUAGE_HEADLINE
    from pipeline.ner_training.scoring import KK_NER_HEADLINE
    from pipeline.ner_training.train_ru_crf import RU_CRF_HEADLINE

    for picks in (EVALUATE_HEADLINE, FINETUNE_HEADLINE, LANGUAGE_HEADLINE, KK_NER_HEADLINE, RU_CRF_HEADLINE):
        assert 0 < len(picks) <= MAX_HEADLINE
