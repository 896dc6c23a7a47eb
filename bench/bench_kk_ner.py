"""Benchmark: the committed Kazakh NER models on the held-out KazNERD test part, with 95 % intervals.

Data: data/kaznerd/IOB2_valid.txt (KazNERD's validation file, the only KazNERD file the project
ships), split as params.yaml `ner_train_kk` says (pipeline/datasets/kaznerd_split.py): groups of
near-duplicate sentences, a salted hash, the first split's held-out part retired from test. No
choice was made on the test part; choices are made with `--part dev`. The test part comes from the
same file, sources and annotators as the training part, so its figures are optimistic against
an independent test set (e.g. KazNERD's own test split, which the project never reads).

Prints, in the same run:
1. spaCy (models/kk_ner), Stanza (models/kk_ner_stanza), the e5 tagger (models/kk_ner_e5) and
   ensembles of pairs (rules of pipeline/entities/ensemble_backend.py): exact-span P/R/F1 per KazNERD type and micro over all
   types, F1 with a 95 % bootstrap interval (1,000 resamples of near-duplicate groups);
2. the project's EntityExtractor with `entities.backends.kk` (rules, gazetteer, label mapping),
   its labels mapped back onto KazNERD types (UNIVERSITY/ORG -> ORGANISATION, LOC -> LOCATION,
   AGREEMENT/LAW -> LAW, ...), micro over the mapped types, against the raw kk model on the same types;
3. throughput (words/s, one thread) of each model and the ensemble against plain `nlp.pipe` of the
   spaCy model, on the test sentences and on real Kazakh documents (../shared/data/scale/kk.jsonl
   when present; benchmark only, never training data).

    .venv/bin/python bench/bench_kk_ner.py [--part test|dev] [--docs 200]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.bootstrap import MICRO, bootstrap_scores, merge_counts, span_counts  # noqa: E402
from pipeline.config import stage_settings  # noqa: E402
from pipeline.datasets.kaznerd_split import near_duplicate_groups  # noqa: E402
from pipeline.entities.ensemble_backend import RULES, combine  # noqa: E402
from pipeline.entities.mention import Mention  # noqa: E402
from pipeline.ner_training.settings import SpacyNerSettings  # noqa: E402
from pipeline.ner_training.split import kaznerd_split  # noqa: E402

SCALE_KK = REPO.parent / "shared" / "data" / "scale" / "kk.jsonl"
FOCUS = ("PERSON", "ORGANISATION", "GPE", "LOCATION", "DATE", "POSITION", "CARDINAL", "NORP", "FACILITY", "EVENT")
# Project label -> KazNERD type, for scoring the extractor (the labels the stage writes by default).
TO_KAZNERD = {"PERSON": "PERSON", "ORG": "ORGANISATION", "UNIVERSITY": "ORGANISATION", "GPE": "GPE",
              "LOC": "LOCATION", "FAC": "FACILITY", "NORP": "NORP", "EVENT": "EVENT", "DATE": "DATE",
              "PROJECT": "PROJECT", "LAW": "LAW", "AGREEMENT": "LAW"}
MAPPED_TYPES = tuple(sorted(set(TO_KAZNERD.values())))


def kazakh_documents(limit: int) -> tuple[str, list[str]]:
    """Real Kazakh texts for throughput: the shared scale set if present."""
    if not SCALE_KK.exists():
        return "", []
    texts = []
    with SCALE_KK.open(encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    return f"{SCALE_KK} ({len(texts)} docs)", texts


def scored(sentences, groups, gold, predicted, types=None) -> dict:
    """Bootstrap scores, resampling near-duplicate groups."""
    by_group: dict[int, list] = {}
    for g, gs, ps in zip(groups, gold, predicted, strict=True):
        by_group.setdefault(g, []).append(span_counts(gs, ps))
    return bootstrap_scores([merge_counts(v) for _, v in sorted(by_group.items())], types=types)


def timed(extract, texts) -> tuple[list[list[Mention]], float]:
    start = time.perf_counter()
    out = extract(texts)
    return out, time.perf_counter() - start


def spans(mentions: list[list[Mention]]) -> list[list[tuple[int, int, str]]]:
    return [[(m.start, m.end, m.label) for m in ms] for ms in mentions]


def default_prediction_key(spec: str) -> str:
    """The prediction column matching a params.yaml backend spec such as `ensemble-fill:e5:models/kk_ner_e5+...`."""
    name, _, arg = spec.partition(":")
    short = {"spacy": "spacy", "stanza": "stanza", "e5": "e5"}
    if name.startswith("ensemble-"):
        parts = [short.get(part.split(":")[0], "spacy") for part in arg.split("+")]
        return f"{name}:{'+'.join(parts)}"
    return short.get(name, "spacy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("test", "dev"), default="test",
                        help="dev: for making choices (ensemble rule, backend); test: the held-out figure")
    parser.add_argument("--docs", type=int, default=200, help="Kazakh documents for the throughput run")
    args = parser.parse_args()

    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    import torch

    torch.set_num_threads(1)
    from pipeline.entities.backends import BackendRegistry
    from pipeline.entities.extractor import EntityExtractor
    from pipeline.entities.gazetteer import load_gazetteer
    from pipeline.entities.settings import EntitiesSettings
    from pipeline.entities.spacy_backend import SpacyBackend
    from pipeline.entities.e5_backend import E5TaggerBackend
    from pipeline.entities.stanza_backend import StanzaBackend

    settings = stage_settings(SpacyNerSettings, "ner_train_kk", path=REPO / "params.yaml")
    settings = SpacyNerSettings(**{**settings.__dict__, "data": str(REPO / settings.data)})
    split = kaznerd_split(settings)
    sentences = split.test if args.part == "test" else split.dev
    groups = near_duplicate_groups(sentences)
    gold = [s.entities() for s in sentences]
    texts = [s.text for s in sentences]
    n_words = sum(len(s.tokens) for s in sentences)
    print(f"KazNERD {args.part} part of data/kaznerd/IOB2_valid.txt: {len(sentences)} sentences in "
          f"{len(set(groups))} near-duplicate groups, {n_words} words, {sum(map(len, gold))} entities "
          f"(split {split.counts()}; salt {settings.split_salt}); exact span match, 95 % bootstrap intervals")

    spacy_backend = SpacyBackend(str(REPO / "models" / "kk_ner"), batch_size=256)
    stanza_backend = StanzaBackend(REPO / "models" / "kk_ner_stanza", lang="kk")
    e5_backend = E5TaggerBackend(REPO / "models" / "kk_ner_e5", lang="kk")
    predictions, seconds = {}, {}
    for name, backend in (("spacy", spacy_backend), ("stanza", stanza_backend), ("e5", e5_backend)):
        predictions[name], seconds[name] = timed(backend.extract, texts)
    # ensembles as params.yaml writes them (first backend first)
    for first, second in (("spacy", "stanza"), ("e5", "spacy"), ("e5", "stanza")):
        for rule in RULES:
            key = f"ensemble-{rule}:{first}+{second}"
            predictions[key] = combine([predictions[first], predictions[second]], rule)
            seconds[key] = seconds[first] + seconds[second]
    start = time.perf_counter()
    list(spacy_backend.nlp.pipe(texts, batch_size=256))
    plain = time.perf_counter() - start

    scores = {name: scored(sentences, groups, gold, spans(p)) for name, p in predictions.items()}
    labels = sorted({t for s in scores.values() for t in s if t != MICRO},
                    key=lambda t: (t not in FOCUS, FOCUS.index(t) if t in FOCUS else 0, t))
    names = list(scores)
    for chunk in range(0, len(names), 3):
        shown = names[chunk:chunk + 3]
        print(f"\n{'type':<14}{'n':>5}  " + "".join(f"{n:<30}" for n in shown))
        for label in [*labels, MICRO]:
            support = scores["spacy"][label].support if label in scores["spacy"] else 0
            cells = []
            for n in shown:
                iv = scores[n].get(label)
                cells.append(f"{iv.f:.3f} [{iv.f_low:.3f}, {iv.f_high:.3f}]    " if iv else f"{'-':<30}")
            print(f"{label:<14}{support:>5}  " + "".join(f"{c:<30}" for c in cells))
    for n in names:
        m = scores[n][MICRO]
        print(f"{n:<28} micro P {m.p:.3f} R {m.r:.3f} F1 {m.f:.3f} [{m.f_low:.3f}, {m.f_high:.3f}]; "
              f"{n_words / seconds[n]:,.0f} words/s ({seconds[n] / plain:.2f}x plain nlp.pipe)")
    print(f"{'plain nlp.pipe':<16} {n_words / plain:,.0f} words/s (peer, spaCy model, same run)")

    spec = EntitiesSettings().backends["kk"]
    params = (REPO / "params.yaml").read_text(encoding="utf-8")
    import yaml

    spec = yaml.safe_load(params).get("entities", {}).get("backends", {}).get("kk", spec)
    resolved = spec.replace("models/", f"{REPO}/models/")
    extractor = EntityExtractor(BackendRegistry({"kk": resolved}, batch_size=64),
                                load_gazetteer(REPO / "models/gazetteer/entities.tsv"))
    result, stage_seconds = timed(lambda t: extractor.extract(t, ["kk"] * len(t)).mentions, texts)
    extracted = [[(m.start, m.end, TO_KAZNERD[m.label]) for m in ms if m.label in TO_KAZNERD] for ms in result]
    mapped_gold = [[g for g in gs if g[2] in MAPPED_TYPES] for gs in gold]
    raw_default = predictions[default_prediction_key(spec)]
    raw_mapped = [[s for s in ss if s[2] in MAPPED_TYPES] for ss in spans(raw_default)]
    print(f"\nEntityExtractor, entities.backends.kk = {spec!r}, labels mapped back to KazNERD types "
          f"{list(MAPPED_TYPES)}:")
    for name, pred in (("raw kk model", raw_mapped), ("extractor", extracted)):
        sc = scored(sentences, groups, mapped_gold, pred, types=MAPPED_TYPES)
        cells = "  ".join(f"{t} {sc[t].f:.3f} [{sc[t].f_low:.3f}, {sc[t].f_high:.3f}]"
                          for t in ("PERSON", "ORGANISATION", "GPE"))
        m = sc[MICRO]
        print(f"  {name:<13} micro {m.f:.3f} [{m.f_low:.3f}, {m.f_high:.3f}]  {cells}")
    print(f"  extractor {n_words / stage_seconds:,.0f} words/s ({stage_seconds / plain:.2f}x plain nlp.pipe)")

    source, docs = kazakh_documents(args.docs)
    if docs:
        doc_words = sum(len(t.split()) for t in docs)
        start = time.perf_counter()
        list(spacy_backend.nlp.pipe(docs, batch_size=64))
        plain_docs = time.perf_counter() - start
        _, t_spacy = timed(spacy_backend.extract, docs)
        _, t_stanza = timed(stanza_backend.extract, docs)
        _, t_e5 = timed(e5_backend.extract, docs)
        print(f"\nthroughput on {source}, {doc_words} words: plain nlp.pipe {doc_words / plain_docs:,.0f} words/s; "
              f"spaCy backend {doc_words / t_spacy:,.0f} ({t_spacy / plain_docs:.2f}x); Stanza "
              f"{doc_words / t_stanza:,.0f} ({t_stanza / plain_docs:.2f}x); e5 tagger "
              f"{doc_words / t_e5:,.0f} ({t_e5 / plain_docs:.2f}x); spaCy+Stanza ensemble "
              f"{doc_words / (t_spacy + t_stanza):,.0f} ({(t_spacy + t_stanza) / plain_docs:.2f}x)")
    else:
        print("(../shared/data/scale/kk.jsonl absent: document throughput skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
