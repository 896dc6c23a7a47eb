"""The report names the pipeline state without depending on its own dvc.lock entry."""

from __future__ import annotations

from pipeline.report.provenance import pipeline_state_hash

LOCK = """schema: '2.0'
stages:
  topics:
    deps:
    - path: pipeline/topics
      md5: {code}
    outs:
    - path: outputs/topics
      md5: {topics}
  report:
    outs:
    - path: outputs/report
      md5: {report}
"""


def test_the_report_entry_does_not_change_the_hash_but_upstream_entries_do(tmp_path):
    lock = tmp_path / "dvc.lock"
    lock.write_text(LOCK.format(code="c1", topics="aaa", report="111"), encoding="utf-8")
    first = pipeline_state_hash(lock)
    lock.write_text(LOCK.format(code="c1", topics="aaa", report="222"), encoding="utf-8")
    assert pipeline_state_hash(lock) == first
    # a code edit that leaves the outputs as they were does not re-run the report: same hash
    lock.write_text(LOCK.format(code="c2", topics="aaa", report="222"), encoding="utf-8")
    assert pipeline_state_hash(lock) == first
    lock.write_text(LOCK.format(code="c2", topics="bbb", report="222"), encoding="utf-8")
    assert pipeline_state_hash(lock) != first
    assert pipeline_state_hash(tmp_path / "missing.lock") == "no dvc.lock"
