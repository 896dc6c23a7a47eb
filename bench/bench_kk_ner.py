"""Benchmark: the committed Kazakh NER models, spaCy (models/kk_ner) vs Stanza (models/kk_ner_stanza).

Prints, for both models in the same run: held-out KazNERD test scores per type (P/R/F1, support),
micro P/R/F1, throughput in words/s on the test sentences and on real Kazakh documents, and model
size on disk. The real documents come from ../shared/data/scale/kk.jsonl when it exists (benchmark
only, never training data); otherwise the shipped KazNERD test sentences are used again.

    .venv/bin/python bench/bench_kk_ner.py [--docs 200]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.datasets.kaznerd import read_kaznerd  # noqa: E402
from pipeline.entities.stanza_backend import StanzaBackend  # noqa: E402
from pipeline.ner_training.load import load_kk_spacy  # noqa: E402
from pipeline.ner_training.scoring import score_spans  # noqa: E402
from pipeline.ner_training.settings import SpacyNerSettings  # noqa: E402
from pipeline.ner_training.split import split_sentences  # noqa: E402

SCALE_KK = REPO.parent / "shared" / "data" / "scale" / "kk.jsonl"
FOCUS = ("PERSON", "ORGANISATION", "GPE", "LOCATION", "LAW", "DATE", "POSITION")


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def kazakh_documents(limit: int) -> tuple[str, list[str]]:
    """Real Kazakh texts for throughput: the shared scale set if present, else shipped sentences."""
    if SCALE_KK.exists():
        texts = []
        with SCALE_KK.open(encoding="utf-8") as fh:
            for line in fh:
                texts.append(json.loads(line)["text"])
                if len(texts) >= limit:
                    break
        return f"{SCALE_KK} ({len(texts)} docs)", texts
    return "", []


def run_spacy(nlp, texts: list[str]) -> tuple[list[list[tuple[int, int, str]]], float]:
    start = time.perf_counter()
    out = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts, batch_size=256)]
    return out, time.perf_counter() - start


def run_stanza(backend: StanzaBackend, texts: list[str]) -> tuple[list[list[tuple[int, int, str]]], float]:
    start = time.perf_counter()
    out = [[(m.start, m.end, m.label) for m in ms] for ms in backend.extract(texts)]
    return out, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200, help="Kazakh documents for the throughput run")
    args = parser.parse_args()

    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    import torch

    torch.set_num_threads(1)

    split_cfg = SpacyNerSettings()
    split = split_sentences(read_kaznerd(REPO / split_cfg.data), split_cfg.dev_ratio, split_cfg.test_ratio,
                            split_cfg.seed)
    test = split.test
    gold = [s.entities() for s in test]
    texts = [s.text for s in test]
    n_words = sum(len(s.tokens) for s in test)
    print(f"KazNERD held-out test: {len(test)} sentences, {n_words} words, {sum(map(len, gold))} entities "
          f"(split {split.counts()})")

    models = {
        "spacy": (load_kk_spacy(REPO / "models" / "kk_ner"), run_spacy, REPO / "models" / "kk_ner"),
        "stanza": (StanzaBackend(REPO / "models" / "kk_ner_stanza", lang="kk"), run_stanza,
                   REPO / "models" / "kk_ner_stanza"),
    }
    scores, speed = {}, {}
    for name, (model, run, _) in models.items():
        predicted, seconds = run(model, texts)
        scores[name] = score_spans(gold, predicted)
        speed[name] = n_words / seconds

    labels = sorted(set(scores["spacy"]["per_type"]) | set(scores["stanza"]["per_type"]),
                    key=lambda t: (t not in FOCUS, -scores["spacy"]["per_type"].get(t, {}).get("support", 0)))
    print(f"\n{'type':<14}{'support':>8}   {'spaCy P/R/F1':<22}{'Stanza P/R/F1':<22}")
    for label in labels:
        sp = scores["spacy"]["per_type"].get(label, {"p": 0, "r": 0, "f": 0, "support": 0})
        st = scores["stanza"]["per_type"].get(label, {"p": 0, "r": 0, "f": 0, "support": 0})
        print(f"{label:<14}{sp['support']:>8}   {sp['p']:.3f}/{sp['r']:.3f}/{sp['f']:.3f}     "
              f"{st['p']:.3f}/{st['r']:.3f}/{st['f']:.3f}")
    for name in models:
        m = scores[name]["micro"]
        print(f"\n{name:<7} micro P {m['p']:.3f} R {m['r']:.3f} F1 {m['f']:.3f}; "
              f"{speed[name]:,.0f} words/s on test sentences (1 thread); "
              f"model {dir_size(models[name][2]) / 1e6:.1f} MB")

    source, docs = kazakh_documents(args.docs)
    if docs:
        doc_words = sum(len(t.split()) for t in docs)
        for name, (model, run, _) in models.items():
            _, seconds = run(model, docs)
            print(f"{name:<7} {doc_words / seconds:,.0f} words/s on {source}, {doc_words} words")
    else:
        print("(../shared/data/scale/kk.jsonl absent: document throughput skipped; test-sentence figures above)")

    better = max(scores, key=lambda n: scores[n]["micro"]["f"])
    faster = max(speed, key=speed.get)
    print(f"\nmore accurate: {better} (micro F1 {scores[better]['micro']['f']:.3f}); faster: {faster} "
          f"({speed[faster] / min(speed.values()):.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
