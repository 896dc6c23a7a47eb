"""Benchmark of the entities stage: seed-corpus gold, factRuEval-2016 (Russian), throughput.

    .venv/bin/python bench/bench_entities.py [--part seed|factru|speed|all] [--speed-passages N]

1. seed: the real stage (ingest → language → entities) on corpus/, scored per document against
   data/seed_gold/entities.jsonl (entity level; see pipeline/entities/seed_eval.py).
2. factru: Russian NER on the factRuEval-2016 dev set (PER, ORG, LOC; LocOrg counts as LOC), in
   the naeval protocol (natasha's own benchmark: gold Person = the whole object, Org = its
   `org_name` spans, Location/LocOrg = `loc_name` spans, nested spans dropped, scored per token;
   pipeline/datasets/factrueval.py `naeval_mentions`, pipeline/ner_training/naeval.py).
   natasha alone (peer) vs. natasha + the project's CRF (`natasha-crf`), the CRF cross-validated
   by document (each fold tagged by a CRF trained on the other folds), both alone and through the
   stage's Russian path (rules, gazetteer; UNIVERSITY mapped back to ORG, GPE to LOC); F1 with
   95 % bootstrap intervals over documents.
3. speed: English passages (../shared/data/scale/en.jsonl paragraphs when present, else the
   seed corpus repeated): the whole stage (`run_entities`: Parquet in, NER, rules, gazetteer,
   linking, two-pass Parquet out, summary) vs. plain `nlp.pipe` with the same spaCy model in the
   same run, both with the model already loaded; plain `nlp.pipe` is timed with all components
   (the peer) and with the NER components the stage keeps; peak RSS after each.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.entities.settings import EntitiesSettings  # noqa: E402

SCALE_EN = REPO.parent / "shared" / "data" / "scale" / "en.jsonl"
SCALE_RU = REPO.parent / "shared" / "data" / "scale" / "ru.jsonl"


def _settings() -> tuple[EntitiesSettings, str]:
    settings = EntitiesSettings(gazetteer=str(REPO / "models/gazetteer/entities.tsv"))
    kk = settings.backends.get("kk", "")
    settings.backends = {k: v.replace(":models/", f":{REPO}/models/").replace("+models/", f"+{REPO}/models/")
                         for k, v in settings.backends.items()}
    if kk.startswith("spacy:") and not (REPO / kk.split(":", 1)[1]).exists():
        settings.backends["kk"] = "rules"
        return settings, f"kk: {kk} absent, Kazakh runs on rules + gazetteer only"
    return settings, f"kk: {kk}; ru: {settings.backends.get('ru', '').replace(str(REPO) + '/', '')}"


def bench_seed(gazetteer: str | None = None) -> None:
    import pandas as pd

    from pipeline.atomic import write_parquet
    from pipeline.entities.seed_eval import LABELS, read_seed_gold, score_corpus
    from pipeline.entities.stage import run_entities
    from pipeline.ingest.settings import IngestSettings
    from pipeline.ingest.stage import ingest_corpus
    from pipeline.language.identify import LanguageIdentifier

    settings, note = _settings()
    if gazetteer is not None:
        settings.gazetteer = gazetteer
        note += f"; gazetteer {gazetteer}"
    print(f"== seed corpus vs data/seed_gold ({note})")
    passages = ingest_corpus(REPO / "corpus", IngestSettings()).passages
    ident = LanguageIdentifier()
    ids = ident.identify_many(list(passages["text"]))
    languages = pd.DataFrame({"passage_id": passages["passage_id"], "lang": [r["lang"] for r in ids],
                              "segments": [r["segments"] if isinstance(r["segments"], str) else json.dumps(r["segments"])
                                           for r in ids]})
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        write_parquet(d / "passages.parquet", passages)
        write_parquet(d / "languages.parquet", languages)
        began = time.perf_counter()
        run_entities(d / "passages.parquet", d / "languages.parquet", d / "none.jsonl", d / "e.parquet",
                     d / "m.parquet", d / "s.parquet", d / "k.json", settings)
        seconds = time.perf_counter() - began
        entities = pd.read_parquet(d / "e.parquet")
    print(f"stage time {seconds:.1f} s (incl. model loading), {len(entities)} mentions")
    _seed_second_pass(entities)
    print("-- first pass (data/seed_gold/entities.jsonl: the gold the old rules were written against; "
          "reference-list people excluded) --")
    scores = score_corpus(read_seed_gold(REPO / "data/seed_gold/entities.jsonl"), entities)
    print(f"{'document':24} " + "  ".join(f"{lbl[:4]} R (n)    P (n)   " for lbl in LABELS))
    for doc_id, per_label in scores.items():
        cells = [f"{s.recall:5.2f} ({s.found}/{s.gold})  {s.precision:4.2f} ({s.correct}/{s.predicted})"
                 for s in (per_label[lbl] for lbl in LABELS)]
        print(f"{doc_id:24} " + "  ".join(f"{c:22}" for c in cells))
    total = scores["TOTAL"]
    all_found = sum(s.found for s in total.values())
    all_gold = sum(s.gold for s in total.values())
    all_correct = sum(s.correct for s in total.values())
    all_pred = sum(s.predicted for s in total.values())
    print(f"overall: recall {all_found / all_gold:.3f} ({all_found}/{all_gold}), "
          f"precision {all_correct / all_pred:.3f} ({all_correct}/{all_pred})")
    for lbl in LABELS:
        if total[lbl].missed:
            print(f"  missed {lbl}: {total[lbl].missed}")
        if total[lbl].spurious:
            print(f"  spurious {lbl}: {total[lbl].spurious}")


def _seed_second_pass(entities) -> None:  # noqa: ANN001
    """Scores against the second, independent pass (a TEST set), with document bootstrap intervals."""
    import random

    from pipeline.entities.seed_eval import LABELS, pass_agreement, read_seed_gold, score_corpus

    first = read_seed_gold(REPO / "data/seed_gold/entities.jsonl")
    second = read_seed_gold(REPO / "data/seed_gold/entities_pass2.jsonl")
    print("-- agreement between the two annotation passes (entity level; matched / first only / second only) --")
    for label, (m, a, b) in pass_agreement(first, second).items():
        print(f"  {label:10} matched {m:3}  first only {a:3}  second only {b:3}  agreement F1 {2 * m / (2 * m + a + b):.3f}")
    first_body = {d: [g for g in gs if not (g.label == "PERSON" and g.where == "references")] for d, gs in second.items()}
    m, a, b = pass_agreement(first, first_body)["PERSON"]
    print(f"  PERSON outside reference lists: matched {m}, first only {a}, second only {b}")
    print("-- second pass (data/seed_gold/entities_pass2.jsonl, TEST: people everywhere, reference lists included) --")
    scores = score_corpus(second, entities, reference_people=True)
    docs = [d for d in scores if d != "TOTAL"]
    rng = random.Random(0)
    for label in LABELS:
        t = scores["TOTAL"][label]
        rec, prec = [], []
        for _ in range(2000):
            sample = [scores[docs[rng.randrange(len(docs))]][label] for _ in docs]
            g, f = sum(x.gold for x in sample), sum(x.found for x in sample)
            p, c = sum(x.predicted for x in sample), sum(x.correct for x in sample)
            rec.append(f / g if g else 1.0)
            prec.append(c / p if p else 1.0)
        rec.sort()
        prec.sort()
        print(f"  {label:10} recall {t.recall:.3f} ({t.found}/{t.gold}) [{rec[50]:.2f}, {rec[1949]:.2f}]  "
              f"precision {t.precision:.3f} ({t.correct}/{t.predicted}) [{prec[50]:.2f}, {prec[1949]:.2f}]  "
              "(95% bootstrap over the 5 documents: wide by construction)")
        if t.missed:
            print(f"    missed: {t.missed}")
        if t.spurious:
            print(f"    spurious: {t.spurious}")


def bench_english() -> None:
    """English PERSON, exact spans, on news the English rules were not written on (data/en_news_gold)."""
    import spacy

    from pipeline.entities.span_gold import (
        bootstrap_diff,
        bootstrap_f1,
        count_document,
        prf,
        spans_from_forms,
    )

    if not SCALE_EN.exists():
        print(f"== english: {SCALE_EN} absent (the articles are not redistributed); skipped")
        return
    gold_rows = [json.loads(line) for line in (REPO / "data/en_news_gold/people_test.jsonl").read_text(encoding="utf-8").splitlines()]
    wanted = {g["id"] for g in gold_rows}
    texts = {}
    with SCALE_EN.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in wanted:
                texts[d["id"]] = d["text"]
    settings, _ = _settings()
    from pipeline.entities.stage import build_extractor

    extractor = build_extractor(settings)
    nlp = spacy.load(settings.backends["en"].split(":", 1)[1])
    plain_counts, stage_counts = [], []
    for g in gold_rows:
        text = texts[g["id"]]
        paras = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
        gold = spans_from_forms(text, g["people"])
        optional = spans_from_forms(text, g.get("optional", []))
        result = extractor.extract([p for _, p in paras], ["en"] * len(paras), scopes=[g["id"]] * len(paras))
        stage = [(o + m.start, o + m.end) for (o, _), ms in zip(paras, result.mentions, strict=True) for m in ms
                 if m.label == "PERSON"]
        plain = [(o + e.start_char, o + e.end_char) for (o, _), doc in zip(paras, nlp.pipe([p for _, p in paras]), strict=True)
                 for e in doc.ents if e.label_ == "PERSON"]
        plain_counts.append(count_document(gold, plain, optional))
        stage_counts.append(count_document(gold, stage, optional))
    print(f"== English PERSON, exact spans: {len(gold_rows)} news articles (data/en_news_gold/people_test.jsonl, TEST: "
          f"annotated before the system ran on them), {sum(c.gold for c in stage_counts)} gold mentions")
    for name, counts in (("plain en_core_web_sm (peer)", plain_counts), ("entities stage", stage_counts)):
        p, r, f1 = prf(counts)
        lo, hi = bootstrap_f1(counts)
        print(f"  {name:28} P {p:.3f} R {r:.3f} F1 {f1:.3f} [95% {lo:.3f}, {hi:.3f}]")
    lo, hi = bootstrap_diff(stage_counts, plain_counts)
    print(f"  F1 difference stage - plain: {prf(stage_counts)[2] - prf(plain_counts)[2]:+.3f} [95% {lo:+.3f}, {hi:+.3f}] "
          "(paired bootstrap over articles; target >= +0.05)")


def bench_agreements() -> None:
    """AGREEMENT mentions flagged specific, on sentences written before the system ran on them."""
    import random

    from pipeline.entities.stage import build_extractor

    settings, note = _settings()
    extractor = build_extractor(settings)
    rows = [json.loads(line) for line in (REPO / "data/agreement_gold/agreements_test.jsonl").read_text(encoding="utf-8").splitlines()]
    per_row = []  # (specific predictions, correct, gold specific, found, generic flagged specific)
    for r in rows:
        [mentions] = extractor.extract([r["text"]], [r["lang"]]).mentions
        gold = [(r["text"].index(x), r["text"].index(x) + len(x)) for x in r["specific"]]
        generic = [(r["text"].index(x), r["text"].index(x) + len(x)) for x in r["generic"]]
        spec = [m for m in mentions if m.label == "AGREEMENT" and m.specific]
        correct = sum(any(m.start < e and s < m.end for s, e in gold) for m in spec)
        found = sum(any(m.start < e and s < m.end for m in spec) for s, e in gold)
        wrong_generic = sum(any(m.start < e and s < m.end for m in spec) for s, e in generic)
        per_row.append((len(spec), correct, len(gold), found, wrong_generic))
    pred, corr, gold_n, found, wrong = (sum(x[k] for x in per_row) for k in range(5))
    rng = random.Random(0)
    precisions = []
    for _ in range(2000):
        sample = [per_row[rng.randrange(len(per_row))] for _ in per_row]
        p = sum(x[0] for x in sample)
        precisions.append(sum(x[1] for x in sample) / p if p else 1.0)
    precisions.sort()
    generic_n = sum(len(r["generic"]) for r in rows)
    print(f"== specific agreements, data/agreement_gold/agreements_test.jsonl ({len(rows)} sentences, {note}): "
          f"precision {corr / pred if pred else 1.0:.3f} ({corr}/{pred}) [95% {precisions[50]:.2f}, {precisions[1949]:.2f}], "
          f"recall {found / gold_n:.3f} ({found}/{gold_n}), generic mentions flagged specific {wrong}/{generic_n}")


def bench_citations() -> None:
    """The citation parser alone on the citation gold (test and dev)."""
    from pipeline.entities.citations import citation_people
    from pipeline.entities.span_gold import bootstrap_f1, count_document, prf, spans_from_forms

    for split in ("test", "dev"):
        rows = [json.loads(line) for line in (REPO / f"data/citation_gold/citations_{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        counts = [count_document(spans_from_forms(r["text"], r["authors"]), [(a.start, a.end) for a in citation_people(r["text"])],
                                 spans_from_forms(r["text"], r.get("optional", []))) for r in rows]
        p, r, f1 = prf(counts)
        lo, hi = bootstrap_f1(counts)
        print(f"== citation parser, data/citation_gold/citations_{split}.jsonl ({sum(c.gold for c in counts)} authors): "
              f"P {p:.3f} R {r:.3f} F1 {f1:.3f} [95% {lo:.3f}, {hi:.3f}]")


def bench_probe() -> None:
    """One canonical id across en/ru/kk for universities the gazetteer does not list."""
    from pipeline.entities.stage import build_extractor

    settings, note = _settings()
    for split in ("test2", "test", "dev"):
        rows = [json.loads(line) for line in (REPO / f"data/entity_probes/universities_{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        extractor = build_extractor(settings)  # a fresh run per split: no ids carried over
        ids: dict[str, set[str]] = {}
        found_all = 0
        for r in rows:
            got = []
            for lang in ("en", "ru", "kk"):
                sentence, name = r[lang]
                start = sentence.index(name)
                [mentions] = extractor.extract([sentence], [lang]).mentions
                hit = [m for m in mentions if m.label == "UNIVERSITY" and m.start <= start + 2 and m.end >= start + len(name) - 2]
                got.append(extractor.canonicalizer.resolve(hit[0].canonical_id) if hit else None)
            found_all += all(got)
            ids[r["id"]] = set(got)
        one = [k for k, v in ids.items() if len(v) == 1 and None not in v
               and not any(v & w for o, w in ids.items() if o != k)]
        print(f"== university probe {split} ({note}): found in all three languages {found_all}/{len(rows)}, "
              f"one canonical id {len(one)}/{len(rows)} (target >= 11/12)")
        if split == "dev":  # the test probe's misses are not printed: nobody tunes on them
            for k, v in ids.items():
                if k not in one:
                    print(f"    {k}: {sorted(map(str, v))}")


def bench_factru() -> None:
    import tempfile

    from pipeline.bootstrap import bootstrap_scores
    from pipeline.config import stage_settings
    from pipeline.datasets.factrueval import drop_nested, read_factrueval
    from pipeline.entities.backends import BackendRegistry
    from pipeline.entities.extractor import EntityExtractor
    from pipeline.entities.gazetteer import load_gazetteer
    from pipeline.entities.natasha_crf_backend import spans_from_bio
    from pipeline.ner_training.naeval import TYPES, naeval_token_counts
    from pipeline.ner_training.settings import RussianCrfSettings
    from pipeline.ner_training.train_ru_crf import _tag, fold_models, tag_documents

    settings = stage_settings(RussianCrfSettings, "ner_train_ru", path=REPO / "params.yaml")
    devset = REPO / settings.data
    docs = read_factrueval(devset)
    print(f"== factRuEval-2016 dev ({devset}): {len(docs)} documents; naeval protocol (per-token PER/ORG/LOC, "
          f"natasha's benchmark); the CRF is scored out of fold ({settings.folds}-fold cross-validation by "
          "document, nothing tuned); F1 [95 % bootstrap interval over documents]")
    began = time.perf_counter()
    tagged, gold = tag_documents(docs, devset)
    t_natasha = time.perf_counter() - began
    gazetteer = load_gazetteer(REPO / "models/gazetteer/entities.tsv")
    stage_map = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "UNIVERSITY": "ORG", "LOC": "LOC", "GPE": "LOC"}

    def stage_spans(spec: str, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        extractor = EntityExtractor(BackendRegistry({"ru": spec}), gazetteer)
        mentions = extractor.extract(texts, ["ru"] * len(texts)).mentions
        return [drop_nested([(m.start, m.end, stage_map[m.label]) for m in ms if m.label in stage_map]) for ms in mentions]

    units: dict[str, list] = {name: [] for name in ("natasha (peer)", "natasha-crf, out of fold",
                                                     "stage ru path, natasha (peer)", "stage ru path, natasha-crf, out of fold")}
    t_crf = t_stage = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for held_out, model_dir in fold_models(docs, tagged, gold, settings, Path(tmp)):
            texts = [d.text for d in held_out]
            began = time.perf_counter()
            crf = [_tag(model_dir / "ru_ner.crfsuite", tagged[d.name]) for d in held_out]
            t_crf += time.perf_counter() - began
            stage_nat = stage_spans("natasha", texts)
            began = time.perf_counter()
            stage_crf = stage_spans(f"natasha-crf:{model_dir}", texts)
            t_stage += time.perf_counter() - began
            for i, d in enumerate(held_out):
                natasha = drop_nested([s for tokens, _, tags in tagged[d.name] for s in spans_from_bio(tokens, tags)])
                for name, pred in (("natasha (peer)", natasha), ("natasha-crf, out of fold", crf[i]),
                                   ("stage ru path, natasha (peer)", stage_nat[i]),
                                   ("stage ru path, natasha-crf, out of fold", stage_crf[i])):
                    units[name].append(naeval_token_counts(d.text, pred, gold[d.name]))
    for name, u in units.items():
        scores = bootstrap_scores(u, types=TYPES, n_boot=settings.n_boot)
        print(f"{name:42} " + "  ".join(f"{t} F1 {scores[t].f:.3f} [{scores[t].f_low:.3f}, {scores[t].f_high:.3f}] "
                                        f"P {scores[t].p:.3f} R {scores[t].r:.3f}" for t in TYPES))
    print(f"time: natasha {t_natasha:.1f} s for {len(docs)} documents; CRF tagging on top {t_crf:.1f} s; "
          f"stage ru path with natasha-crf {t_stage:.1f} s (incl. natasha again, rules, gazetteer, linking)")
    print("note: the stage's rules and gazetteer are not cross-validated: whoever wrote them may have read these "
          "documents; the CRF rows carry no choice made on the scored fold.")
    bench_ru_speed()


def bench_ru_speed(limit: int = 300) -> None:
    """natasha-crf (the shipped model) vs plain natasha, same passages, same run, models loaded first."""
    from pipeline.entities.natasha_backend import NatashaBackend
    from pipeline.entities.natasha_crf_backend import NatashaCrfBackend

    if SCALE_RU.exists():
        texts = []
        with SCALE_RU.open(encoding="utf-8") as f:
            for line in f:
                texts += [p.strip() for p in json.loads(line)["text"].split("\n") if p.strip()]
                if len(texts) >= limit:
                    break
        texts, source = texts[:limit], f"{SCALE_RU} paragraphs"
    else:
        from pipeline.datasets.factrueval import read_factrueval

        texts, source = [d.text for d in read_factrueval(REPO / "data/factrueval/devset")], "factRuEval dev documents"
    chars = sum(map(len, texts))
    for name, backend in (("plain natasha (peer)", NatashaBackend()),
                          ("natasha-crf", NatashaCrfBackend(REPO / "models/ru_ner_crf"))):
        backend.extract(texts[:10])  # warm-up
        began = time.perf_counter()
        backend.extract(texts)
        seconds = time.perf_counter() - began
        if name.endswith("(peer)"):
            peer = seconds
        print(f"{name:22} {chars / seconds:8.0f} chars/s on {len(texts)} {source} ({seconds / peer:.2f}x the peer's time)")


def _speed_texts(limit: int) -> tuple[list[str], str]:
    if SCALE_EN.exists():
        texts: list[str] = []
        with SCALE_EN.open(encoding="utf-8") as f:
            for line in f:
                for para in json.loads(line)["text"].split("\n"):
                    if para.strip():
                        texts.append(para.strip())
                if len(texts) >= limit:
                    break
        return texts[:limit], f"{SCALE_EN} paragraphs"
    seed = [p for f in sorted((REPO / "corpus/documents").glob("*.txt")) for p in f.read_text(encoding="utf-8").splitlines()
            if p.strip()]
    reps = max(1, limit // len(seed))
    return (seed * reps)[:limit], "seed corpus lines repeated (scale data absent)"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_speed(n: int) -> None:
    import pandas as pd
    import spacy

    from pipeline.entities.backends import BackendRegistry
    from pipeline.entities.extractor import EntityExtractor
    from pipeline.entities.gazetteer import load_gazetteer
    from pipeline.entities.spacy_backend import load_spacy_model
    from pipeline.entities.stage import run_entities

    texts, source = _speed_texts(n)
    chars = sum(map(len, texts))
    print(f"== throughput: {len(texts)} English passages, {chars} chars from {source}")
    settings, _ = _settings()
    model = settings.backends["en"].split(":", 1)[1]
    for name, nlp in (("plain nlp.pipe, all components (peer)", spacy.load(model)),
                      ("plain nlp.pipe, NER components only", load_spacy_model(model))):
        list(nlp.pipe(texts[:50]))  # warm-up, excluded from every timing
        began = time.perf_counter()
        n_ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=settings.batch_size))
        seconds = time.perf_counter() - began
        print(f"{name:48} {seconds:6.1f} s  {chars / seconds:8.0f} chars/s  {n_ents} ents  peak RSS {_rss_mb():.0f} MB")
        if name.endswith("(peer)"):
            t_plain = seconds
        del nlp
    extractor = EntityExtractor(BackendRegistry({"en": settings.backends["en"]}, settings.batch_size, settings.chunk_chars),
                                load_gazetteer(settings.gazetteer), settings.labels)
    extractor.extract(texts[:50], ["en"] * 50)  # warm-up: model loaded outside the timing
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        ids = [f"bench-{i:06d}" for i in range(len(texts))]
        pd.DataFrame({"doc_id": [f"doc{i // 20:05d}" for i in range(len(texts))], "passage_id": ids,
                      "passage_index": [i % 20 for i in range(len(texts))], "text": texts,
                      "source_start": 0, "offset_map": ""}).to_parquet(d / "p.parquet", index=False)
        pd.DataFrame({"passage_id": ids, "lang": "en", "segments": "[]"}).to_parquet(d / "l.parquet", index=False)
        began = time.perf_counter()
        result = run_entities(d / "p.parquet", d / "l.parquet", d / "none.jsonl", d / "e.parquet", d / "m.parquet",
                              d / "s.parquet", d / "k.json", settings, extractor=extractor)
        t_stage = time.perf_counter() - began
    print(f"{'entities stage (NER + rules + gazetteer + link + IO)':48} {t_stage:6.1f} s  {chars / t_stage:8.0f} chars/s  "
          f"{result.mentions} mentions  peak RSS {_rss_mb():.0f} MB")
    print(f"ratio stage / plain nlp.pipe (peer) = {t_stage / t_plain:.2f} (target <= 1.5)")
    print(f"labels: {dict(sorted(result.by_label.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("seed", "english", "agreements", "citations", "probe", "factru", "speed", "all"),
                        default="all")
    parser.add_argument("--speed-passages", type=int, default=3000)
    parser.add_argument("--seed-gazetteer", help="gazetteer for the seed part (e.g. an empty file: rules + models only)")
    args = parser.parse_args()
    if args.part in ("seed", "all"):
        bench_seed(args.seed_gazetteer)
    if args.part in ("english", "all"):
        bench_english()
    if args.part in ("agreements", "all"):
        bench_agreements()
    if args.part in ("citations", "all"):
        bench_citations()
    if args.part in ("probe", "all"):
        bench_probe()
    if args.part in ("factru", "all"):
        bench_factru()
    if args.part in ("speed", "all"):
        bench_speed(args.speed_passages)


if __name__ == "__main__":
    main()
