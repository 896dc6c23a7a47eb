"""Benchmark of the entities stage: seed-corpus gold, factRuEval-2016 (Russian), throughput.

    .venv/bin/python bench/bench_entities.py [--part seed|factru|speed|all] [--speed-passages N]

1. seed: the real stage (ingest → language → entities) on corpus/, scored per document against
   data/seed_gold/entities.jsonl (entity level; see pipeline/entities/seed_eval.py).
2. factru: Russian NER on the factRuEval-2016 dev set (PER, ORG, LOC; LocOrg counts as LOC).
   Peer: natasha alone vs. the stage's Russian path (natasha + rules + gazetteer, UNIVERSITY
   mapped back to ORG, GPE to LOC). Three protocols, all printed:
   a. naeval (natasha's own benchmark, the reference for its published figures): gold Person =
      the whole object, gold Org = its `org_name` spans, Location/LocOrg = `loc_name` spans
      (descriptors such as "мэрии" in Org "мэрии Москвы" are not part of the name); nested
      spans are removed keeping the outermost (naeval's filter_overlapping); scored per token
      (IO tags), as naeval does;
   b. the same naeval gold, exact span match (stricter: a span is right only if both ends are);
   c. object extents from `read_factrueval` (descriptor included) with exact span match, against
      all gold mentions and against the outermost mention per coarse type.
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


def _settings() -> tuple[EntitiesSettings, str]:
    settings = EntitiesSettings(gazetteer=str(REPO / "models/gazetteer/entities.tsv"))
    kk = settings.backends.get("kk", "")
    if kk.startswith("spacy:") and not (REPO / kk.split(":", 1)[1]).exists():
        settings.backends["kk"] = "rules"
        return settings, f"kk: {kk} absent, Kazakh runs on rules + gazetteer only"
    settings.backends = {k: (v.replace("spacy:models/", f"spacy:{REPO}/models/")) for k, v in settings.backends.items()}
    return settings, f"kk: {kk}"


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


def _prf(pred: set, gold: set, types: tuple[str, ...]) -> dict[str, tuple[float, float, float, int]]:
    out = {}
    for t in types:
        p = {x for x in pred if x[-1] == t}
        g = {x for x in gold if x[-1] == t}
        tp = len(p & g)
        prec = tp / len(p) if p else 0.0
        rec = tp / len(g) if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[t] = (prec, rec, f1, len(g))
    return out


def _outermost(mentions: set[tuple[str, int, int, str]]) -> set[tuple[str, int, int, str]]:
    keep = set()
    for m in mentions:
        doc, s, e, t = m
        if not any(o != m and o[0] == doc and o[3] == t and o[1] <= s and e <= o[2] for o in mentions):
            keep.add(m)
    return keep


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _naeval_gold(devset: Path, name: str) -> set[tuple[str, int, int, str]]:
    """naeval's adaptation of one factRuEval document (see module docstring, protocol a)."""
    spans: dict[str, tuple[str, int, int]] = {}
    for line in (devset / f"{name}.spans").read_text(encoding="utf-8").splitlines():
        if line.strip():
            sid, stype, pos, length, *_ = line.split("#")[0].split()
            spans[sid] = (stype, int(pos), int(pos) + int(length))
    selected: list[tuple[int, int, str]] = []
    coarse = {"Person": "PER", "Org": "ORG", "LocOrg": "LOC", "Location": "LOC"}
    for line in (devset / f"{name}.objects").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        _oid, otype, *ids = line.split("#")[0].split()
        parts = [spans[i] for i in ids if i in spans]
        if otype == "Person" and parts:
            selected.append((min(p[1] for p in parts), max(p[2] for p in parts), "PER"))
        elif otype in coarse:
            want = "org_name" if otype == "Org" else "loc_name"
            selected += _drop_nested([(s, e, coarse[otype]) for t, s, e in parts if t == want])
    return {(name, s, e, t) for s, e, t in _drop_nested(selected)}


def _drop_nested(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """naeval's filter_overlapping: sorted by (start, -end), a span overlapping the previous kept one is dropped."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda x: (x[0], -x[1])):
        if kept and kept[-1][1] > span[0]:
            continue
        kept.append(span)
    return kept


def _tagged(tokens: list[tuple[int, int]], spans: list) -> list[bool]:
    return [any(s <= a and b <= e for (_, s, e, _) in spans) for a, b in tokens]


def _token_prf(texts: dict[str, str], pred: set, gold: set, types: tuple[str, ...]) -> dict[str, tuple[float, float, float, int]]:
    """Per-token IO scoring (naeval's tag_f1): a token is tagged T if a span of type T covers it."""
    counts = {t: [0, 0, 0, 0] for t in types}  # pred total, pred correct, gold total, gold correct
    for name, text in texts.items():
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        for t in types:
            p = _tagged(tokens, [x for x in pred if x[0] == name and x[3] == t])
            g = _tagged(tokens, [x for x in gold if x[0] == name and x[3] == t])
            c = counts[t]
            c[0] += sum(p)
            c[1] += sum(a and b for a, b in zip(p, g, strict=True))
            c[2] += sum(g)
            c[3] += sum(a and b for a, b in zip(p, g, strict=True))
    out = {}
    for t, (pt, pc, gt, gc) in counts.items():
        prec = pc / pt if pt else 0.0
        rec = gc / gt if gt else 0.0
        out[t] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0, gt)
    return out


def bench_factru() -> None:
    from pipeline.datasets.factrueval import read_factrueval
    from pipeline.entities.backends import BackendRegistry
    from pipeline.entities.extractor import EntityExtractor
    from pipeline.entities.gazetteer import load_gazetteer
    from pipeline.entities.natasha_backend import NatashaBackend

    docs = read_factrueval(REPO / "data/factrueval/devset")
    print(f"== factRuEval-2016 dev: {len(docs)} documents, exact span match")
    gold = {(d.name, m.start, m.end, m.coarse) for d in docs for m in d.mentions if m.coarse}
    texts = [d.text for d in docs]
    began = time.perf_counter()
    natasha = NatashaBackend()
    raw = natasha.extract(texts)
    t_natasha = time.perf_counter() - began
    to_coarse = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
    pred_natasha = {(d.name, m.start, m.end, to_coarse[m.label]) for d, ms in zip(docs, raw, strict=True)
                    for m in ms if m.label in to_coarse}
    extractor = EntityExtractor(BackendRegistry({"ru": "natasha"}), load_gazetteer(REPO / "models/gazetteer/entities.tsv"))
    began = time.perf_counter()
    res = extractor.extract(texts, ["ru"] * len(texts))
    t_stage = time.perf_counter() - began
    stage_map = {"PERSON": "PER", "ORG": "ORG", "UNIVERSITY": "ORG", "LOC": "LOC", "GPE": "LOC"}
    pred_stage = {(d.name, m.start, m.end, stage_map[m.label]) for d, ms in zip(docs, res.mentions, strict=True)
                  for m in ms if m.label in stage_map}
    types = ("PER", "ORG", "LOC")
    outer = _outermost(gold)
    devset = REPO / "data/factrueval/devset"
    naeval = set().union(*(_naeval_gold(devset, d.name) for d in docs))
    by_name = {d.name: d.text for d in docs}

    def flat(pred: set) -> set:  # a flat tagger's view: nested predictions dropped like naeval does
        out = set()
        for name in by_name:
            out |= {(name, s, e, t) for s, e, t in _drop_nested([(x[1], x[2], x[3]) for x in pred if x[0] == name])}
        return out

    for name, pred, secs in (("natasha (peer)", pred_natasha, t_natasha), ("stage ru path", pred_stage, t_stage)):
        for gname, scores in (("a naeval tokens", _token_prf(by_name, flat(pred), naeval, types)),
                              ("b naeval exact", _prf(flat(pred), naeval, types)),
                              ("c extents all", _prf(pred, gold, types)),
                              ("c extents outer", _prf(pred, outer, types))):
            cells = "  ".join(f"{t} P {p:.3f} R {r:.3f} F1 {f:.3f} (n={n})" for t, (p, r, f, n) in scores.items())
            print(f"{name:15} {gname:16} {cells}")
        print(f"{name:15} time {secs:.1f} s for {len(texts)} documents")


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
