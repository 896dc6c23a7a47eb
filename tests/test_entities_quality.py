"""Entities: quality floors on the seed gold and factRuEval (slow: they run the real models)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_entities", REPO / "bench/bench_entities.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_seed_corpus_recall_and_precision_stay_above_the_issue_floors():
    import json

    import pandas as pd

    from pipeline.entities.stage import run_entities
    from pipeline.evaluation.seed_eval import read_seed_gold, score_corpus
    from pipeline.ingest.settings import IngestSettings
    from pipeline.ingest.stage import ingest_corpus
    from pipeline.language.identify import LanguageIdentifier

    settings, _ = _bench()._settings()
    passages = ingest_corpus(REPO / "corpus", IngestSettings()).passages
    ids = LanguageIdentifier().identify_many(list(passages["text"]))
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        passages.to_parquet(d / "p.parquet", index=False)
        pd.DataFrame({"passage_id": passages["passage_id"], "lang": [r["lang"] for r in ids],
                      "segments": [json.dumps(r["segments"]) if not isinstance(r["segments"], str) else r["segments"]
                                   for r in ids]}).to_parquet(d / "l.parquet", index=False)
        run_entities(d / "p.parquet", d / "l.parquet", d / "none.jsonl", d / "e.parquet", d / "m.parquet",
                     d / "s.parquet", d / "k.json", settings)
        entities = pd.read_parquet(d / "e.parquet")
    second = score_corpus(read_seed_gold(REPO / "data/seed_gold/entities_pass2.jsonl"), entities, reference_people=True)
    people, agreements = second["TOTAL"]["PERSON"], second["TOTAL"]["AGREEMENT"]
    assert people.recall >= 0.95 and people.precision >= 0.90, (people.missed, people.spurious)  # issue 10's floors
    assert agreements.precision >= 0.90, agreements.spurious
    total = score_corpus(read_seed_gold(REPO / "data/seed_gold/entities.jsonl"), entities)["TOTAL"]
    assert total["UNIVERSITY"].recall >= 0.90
    assert total["PERSON"].recall >= 0.85  # 0.89 measured; two names the English model never tags
    assert total["AGREEMENT"].recall >= 0.80
    for label in ("UNIVERSITY", "PERSON", "AGREEMENT"):
        assert total[label].precision >= 0.85, (label, total[label].spurious)


@pytest.mark.slow
def test_russian_person_f1_on_factrueval_meets_the_naeval_reference():
    from pipeline.bootstrap import bootstrap_scores
    from pipeline.datasets.factrueval import drop_nested, naeval_mentions, read_factrueval
    from pipeline.entities.backends import BackendRegistry
    from pipeline.entities.extractor import EntityExtractor
    from pipeline.entities.gazetteer import load_gazetteer
    from pipeline.ner_training.naeval import naeval_token_counts

    devset = REPO / "data/factrueval/devset"
    docs = read_factrueval(devset)
    extractor = EntityExtractor(BackendRegistry({"ru": "natasha"}), load_gazetteer(REPO / "models/gazetteer/entities.tsv"))
    mentions = extractor.extract([d.text for d in docs], ["ru"] * len(docs)).mentions
    coarse = {"PERSON": "PER", "ORG": "ORG", "UNIVERSITY": "ORG", "LOC": "LOC", "GPE": "LOC"}
    units = []
    for d, ms in zip(docs, mentions, strict=True):
        flat = drop_nested([(m.start, m.end, coarse[m.label]) for m in ms if m.label in coarse])
        units.append(naeval_token_counts(d.text, flat, naeval_mentions(devset, d.name)))
    scores = bootstrap_scores(units, n_boot=10)
    assert scores["PER"].f >= 0.95
    assert scores["LOC"].f >= 0.88
    assert scores["ORG"].f >= 0.78  # 0.803 measured (natasha alone 0.775)


@pytest.mark.slow
def test_dev_probe_universities_get_one_id_across_english_russian_and_kazakh():
    import json

    from pipeline.entities.stage import build_extractor

    settings, _ = _bench()._settings()
    extractor = build_extractor(settings)
    rows = [json.loads(line) for line in (REPO / "data/entity_probes/universities_dev.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = {}
    for r in rows:
        got = set()
        for lang in ("en", "ru", "kk"):
            sentence, name = r[lang]
            start = sentence.index(name)
            [mentions] = extractor.extract([sentence], [lang]).mentions
            got |= {extractor.canonicalizer.resolve(m.canonical_id) for m in mentions
                    if m.label == "UNIVERSITY" and m.start <= start + 2 and m.end >= start + len(name) - 2}
        ids[r["id"]] = got
    assert all(len(v) == 1 for v in ids.values()), {k: v for k, v in ids.items() if len(v) != 1}
    assert len({next(iter(v)) for v in ids.values()}) == len(rows)  # and no two universities share one
