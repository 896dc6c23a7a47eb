"""Language identification benchmark: accuracy and throughput of every detector, side by side.

    .venv/bin/python bench/bench_language.py [--limit 1500] [--passages 20000] [--quick]

Accuracy: held-out (TEST split, sha1 of the sentence) gold from the shipped material — Kazakh
KazNERD sentences, Russian factRuEval sentences, English seed-corpus sentences — as whole sentences,
three-word snippets and single words (rules in pipeline/language/gold.py), at most `--limit` items
per language and bucket (chosen by hash). Romanized Russian: held-out Russian sentences
transliterated by each convention, against held-out English sentences; and the 18 bibliography
entries of the seed corpus, labelled by hand (never used to train; but they were looked at while
writing the content rules — brackets, "URL:" locators — so they are not a blind test).
Throughput: `--passages` paragraphs of ../shared/data/scale (falls back to shipped gold sentences),
through the stage's LanguageIdentifier (fresh cache) and each raw detector; langdetect on a
subsample because it is two orders of magnitude slower.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.chdir(REPO)

from pipeline.language.detectors import DETECTOR_NAMES, LangdetectDetector, LinguaDetector  # noqa: E402
from pipeline.language.evaluation import (  # noqa: E402
    abstention,
    bootstrap_interval,
    evaluate,
    gold_items,
    reliability,
)
from pipeline.language.gold import load_gold, reference_entries  # noqa: E402
from pipeline.language.identify import LanguageIdentifier  # noqa: E402
from pipeline.language.romanized import RUSSIAN_SCHEMES, transliterate_russian  # noqa: E402
from pipeline.language.settings import LanguageSettings  # noqa: E402

SCALE_DIR = REPO.parent / "shared" / "data" / "scale"
WIDE_LANGUAGES = ["en", "kk", "ru", "zh", "uk", "be", "mn", "tr"]
TARGETS = {"sentence": 0.995, "snippet3": 0.97, "word": 0.90}


def identifier_for(name: str) -> LanguageIdentifier:
    """An identifier around detector `name`; `lingua-wide` is lingua with close confusers added,
    `langdetect-kk-all` langdetect with the Kazakh profile and all 55 stock profiles, unrestricted
    (how people usually call langdetect)."""
    if name == "langdetect-kk-all":
        detector = LangdetectDetector([REPO / "models/langid/langdetect-kk.json"], name="langdetect-kk-all")
        return LanguageIdentifier(LanguageSettings(detector="langdetect-kk"), detector=detector)
    if name == "lingua-wide":
        settings = LanguageSettings(detector="lingua", languages=WIDE_LANGUAGES)
        ident = LanguageIdentifier(settings, detector=LinguaDetector(WIDE_LANGUAGES))
        ident._detector.name = "lingua-wide"
        return ident
    return LanguageIdentifier(LanguageSettings(detector=name))


def accuracy_section(names: list[str], limit: int) -> dict:
    items = gold_items(REPO, limit)
    sizes = {b: dict(sorted(Counter(lang for _, lang in pairs).items())) for b, pairs in items.items()}
    print(f"\n## Accuracy on held-out gold (TEST split), items per language and bucket: {json.dumps(sizes)}")
    print("   sentences: kk data/kaznerd/IOB2_valid.txt, ru data/factrueval/devset, en corpus/documents/*.txt")
    print(f"   {'detector':<14} {'bucket':<9} {'en':>7} {'kk':>7} {'ru':>7}   kk->ru  ru->kk  other errors")
    results = {}
    for name in names:
        started = time.perf_counter()
        report = evaluate(identifier_for(name), items)
        results[name] = report
        for bucket, rep in report.items():
            acc = rep["accuracy"]
            conf = rep["confusions"]
            other = {k: v for k, v in conf.items() if k not in ("kk->ru", "ru->kk")}
            flags = "".join("!" if acc.get(lang, 0) < TARGETS[bucket] else " " for lang in ("en", "kk", "ru"))
            print(f"   {name:<14} {bucket:<9} {acc.get('en', 0):7.2%} {acc.get('kk', 0):7.2%} {acc.get('ru', 0):7.2%}"
                  f"   {conf.get('kk->ru', 0):6d}  {conf.get('ru->kk', 0):6d}  {json.dumps(other)} {flags}")
        print(f"   ({name}: {time.perf_counter() - started:.1f}s)")
    print("\n## kk<->ru confusion examples per detector (sentence / snippet3 / word)")
    for name, report in results.items():
        for bucket, rep in report.items():
            for key in ("kk->ru", "ru->kk"):
                if rep["examples"].get(key):
                    print(f"   {name:<14} {bucket:<9} {key}: {rep['examples'][key]}")
    print(f"   targets: sentence {TARGETS['sentence']:.1%}, snippet3 {TARGETS['snippet3']:.0%}, "
          f"word {TARGETS['word']:.0%} per language ('!' marks a miss)")
    return results


def romanized_section(names: list[str], limit: int) -> None:
    gold = [g for g in load_gold(REPO) if g.split == "test"]
    russian = [g.text for g in gold if g.lang == "ru"][:limit]
    english = [g.text for g in gold if g.lang == "en"][:limit]
    schemes = [*RUSSIAN_SCHEMES, "informal"]
    print(f"\n## Romanized Russian: {len(russian)} held-out factRuEval sentences per scheme, "
          f"{len(english)} held-out English sentences")
    print(f"   {'detector':<14} " + " ".join(f"{s:>15}" for s in schemes) + f" {'English kept':>13}")
    for name in names:
        ident = identifier_for(name)
        row = []
        for scheme in schemes:
            found = ident.identify_many([transliterate_russian(t, scheme) for t in russian])
            row.append(sum(r["lang"] == "ru" for r in found) / len(found))
        kept = sum(r["lang"] == "en" for r in ident.identify_many(english)) / max(1, len(english))
        print(f"   {name:<14} " + " ".join(f"{v:15.2%}" for v in row) + f" {kept:13.2%}")
    entries = reference_entries(REPO)
    print(f"\n## Bibliography entries of the seed corpus ({len(entries)}, hand-labelled by cited title: "
          f"{dict(Counter(lang for _, lang in entries))}; pipeline/language/gold.py REFERENCE_ENTRY_LABELS)")
    for name in names:
        found = identifier_for(name).identify_many([e for e, _ in entries])
        wrong = [f"{e[:30]}…→{r['lang']}" for (e, lang), r in zip(entries, found, strict=True) if r["lang"] != lang]
        print(f"   {name:<14} {len(entries) - len(wrong)}/{len(entries)} right; wrong: {wrong}")


HELDOUT_CACHE = REPO.parent.parent / "notes" / "cache-issue14"
HELDOUT_TARGETS = {("sentence", None): 0.999, ("pair", None): 0.995, ("pair_lower", None): 0.995,
                   ("word", "kk"): 0.95, ("word", "ru"): 0.985, ("word", "en"): 0.995}
LENGTH_OF = {"word": "1 word", "word_shared": "1 word", "pair": "2-3 words", "pair_lower": "2-3 words",
             "latin_pair": "2-3 words", "sentence": "sentence", "latin_sentence": "sentence"}


def heldout_section(names: list[str], split: str, out_json: Path | None) -> dict | None:
    """Accuracy with 95% bootstrap intervals, confusions, calibration and abstention on the frozen
    held-out sets of `split` (bench/language_heldout.py); None when ../shared is absent."""
    sys.path.insert(0, str(REPO / "bench"))
    from language_heldout import load_heldout

    sets = load_heldout(cache_dir=HELDOUT_CACHE if HELDOUT_CACHE.parent.is_dir() else None)
    if sets is None:
        print("\n## Held-out scale sets: ../shared/data/scale absent, skipped (shipped gold below)")
        return None
    sets = {name.split("/", 1)[1]: items for name, items in sets.items() if name.startswith(split + "/")}
    print(f"\n## Held-out sets, split {split!r} (bench/language_heldout.py; sources disjoint from every model's "
          f"training data; dev and test disjoint by source): accuracy [95% bootstrap interval]")
    results: dict = {}
    for name in names:
        ident = identifier_for(name)
        results[name] = {}
        started = time.perf_counter()
        for set_name, items in sets.items():
            found = ident.identify_many([it["text"] for it in items])
            results[name][set_name] = [(it["lang"], r["lang"], r["confidence"]) for it, r in zip(items, found, strict=True)]
        print(f"   ({name}: {time.perf_counter() - started:.1f}s)")
    report: dict = {"split": split, "accuracy": {}, "confusions": {}, "calibration": {}, "abstention": {},
                    "confident_latin_errors_on_english": {}}
    print(f"   {'set':<15} {'lang':<4} {'n':>5}  " + "  ".join(f"{n:>24}" for n in names))
    for set_name in sets:
        for lang in sorted({g for g, _, _ in results[names[0]][set_name]}):
            cells = []
            for name in names:
                rows = [(g, p) for g, p, _ in results[name][set_name] if g == lang]
                right = [g == p for g, p in rows]
                acc = sum(right) / len(right)
                lo, hi = bootstrap_interval(right)
                report["accuracy"].setdefault(name, {}).setdefault(set_name, {})[lang] = {
                    "accuracy": round(acc, 4), "ci95": [round(lo, 4), round(hi, 4)], "n": len(right)}
                cells.append(f"{acc:7.2%} [{lo:6.2%},{hi:7.2%}]")
            target = HELDOUT_TARGETS.get((set_name, lang), HELDOUT_TARGETS.get((set_name, None)))
            flag = ""
            if target is not None:
                mine = report["accuracy"][names[0]][set_name][lang]["accuracy"]
                others = [report["accuracy"][n][set_name][lang]["accuracy"] for n in names[1:]]
                flag = ("" if mine >= target else f" below target {target:.1%}") + \
                       ("" if all(mine > o for o in others if o < 1) or mine == 1 else " not ahead")
            print(f"   {set_name:<15} {lang:<4} {len(rows):5d}  " + "  ".join(cells) + flag)
    for name in names:
        for set_name, rows in results[name].items():
            conf = Counter(f"{g}->{p}" for g, p, _ in rows if g != p)
            report["confusions"].setdefault(name, {})[set_name] = dict(sorted(conf.items()))
        by_length: dict[str, list] = {}
        for set_name, rows in results[name].items():
            if set_name in LENGTH_OF and set_name != "word_shared":
                by_length.setdefault(LENGTH_OF[set_name], []).extend(rows)
        for length, rows in by_length.items():
            table = reliability([c for _, _, c in rows], [g == p for g, p, _ in rows])
            report["calibration"].setdefault(name, {})[length] = table
            report["abstention"].setdefault(name, {})[length] = [
                abstention([p for _, p, _ in rows], [g for g, _, _ in rows], [c for _, _, c in rows], t)
                for t in (0.5, 0.7, 0.9)]
        english = [(s, g, p, c) for s, rows in results[name].items() if s != "word_shared" for g, p, c in rows
                   if g == "en" and p in ("kk", "ru")]  # word_shared repeats the English words of word
        report["confident_latin_errors_on_english"][name] = {
            "errors": len(english), "confident_errors": sum(c >= 0.9 for *_, c in english)}
    print("\n   confusions (gold->found), per detector and set:")
    for name in names:
        for set_name, conf in report["confusions"][name].items():
            if conf:
                print(f"   {name:<10} {set_name:<15} {json.dumps(conf)}")
    print("\n   calibration per length (reliability: bin, n, mean confidence, accuracy; ECE):")
    for name in names:
        for length, table in report["calibration"][name].items():
            bins = " ".join(f"{b['bin']}:{b['n']}/{b['confidence']:.3f}/{b['accuracy']:.3f}" for b in table["bins"])
            print(f"   {name:<10} {length:<10} ECE {table['ece']:.4f}  {bins}")
    print("\n   min_confidence: errors removed / errors, right answers lost (per length):")
    for name in names:
        for length, rows in report["abstention"][name].items():
            print(f"   {name:<10} {length:<10} " + "  ".join(
                f"@{r['threshold']}: {r['errors_removed']}/{r['errors']} removed, {r['right_answers_lost']} lost"
                for r in rows))
    print("\n   English items called kk/ru (all English sets), and how many with confidence >= 0.9:")
    for name in names:
        print(f"   {name:<10} {json.dumps(report['confident_latin_errors_on_english'][name])}")
    if out_json:
        out_json.parent.mkdir(parents=True, exist_ok=True)
        out_json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return report


def benchmark_passages(n: int) -> tuple[list[str], str]:
    """`n` paragraphs of the scale set (round-robin over en/kk/ru), or shipped sentences."""
    if SCALE_DIR.is_dir():
        per_lang: dict[str, list[str]] = {}
        for path in sorted(SCALE_DIR.glob("*.jsonl")):
            paras = per_lang.setdefault(path.stem, [])
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    doc = json.loads(line)
                    paras.extend(p.strip() for p in doc["text"].split("\n") if p.strip())
                    if len(paras) >= n:
                        break
        mixed = [p for group in zip(*per_lang.values(), strict=False) for p in group][:n]
        return mixed, f"{SCALE_DIR} paragraphs ({', '.join(sorted(per_lang))})"
    sentences = [g.text for g in load_gold(REPO)]
    return (sentences * (n // len(sentences) + 1))[:n], "shipped gold sentences (scale set absent)"


WARM_UP = ["Ресей халық шаруашылығы", "Москва", "education", "Klassifikaciya migracii: osnovaniya i taksony",
           "哈萨克斯坦与中国"]


def throughput_section(names: list[str], n: int, langdetect_n: int) -> None:
    passages, source = benchmark_passages(n)
    unique = len(set(passages))
    mean_chars = sum(map(len, passages)) / max(1, len(passages))
    print(f"\n## Throughput on {len(passages)} passages ({unique} distinct, mean {mean_chars:.0f} chars) from {source}")
    print(f"   2 cores shared with other jobs (load average {os.getloadavg()[0]:.1f} at start); wall-clock rate and "
          f"rate per CPU-second of this process; langdetect variants timed on the first {langdetect_n} passages")
    for name in names:
        ident = identifier_for(name)
        sample = passages[:langdetect_n] if name.startswith("langdetect") else passages
        t0 = time.perf_counter()
        ident.identify_many(WARM_UP)  # builds the detector (lingua preload) outside the timed run
        build = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        found = ident.identify_many(sample)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        langs = Counter(r["lang"] for r in found)
        print(f"   {name:<14} {len(sample) / elapsed:9.0f} passages/s wall, {len(sample) / cpu:9.0f} per CPU-s "
              f"(build {build:.1f}s, run {elapsed:.1f}s; {dict(langs.most_common(5))})")
    ident = identifier_for("project")
    ident.identify_many(passages)
    t0 = time.perf_counter()
    ident.identify_many(passages)
    print(f"   project, cached rerun: {len(passages) / (time.perf_counter() - t0):.0f} passages/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=1500, help="gold items per language and bucket")
    parser.add_argument("--passages", type=int, default=20000, help="passages for the throughput run")
    parser.add_argument("--langdetect-passages", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="small run (limit 200, 2000 passages)")
    parser.add_argument("--split", choices=("dev", "test"), default="test",
                        help="held-out scale split: dev while tuning, test to report (default: %(default)s)")
    parser.add_argument("--only-heldout", action="store_true", help="run only the held-out section")
    parser.add_argument("--heldout-json", type=Path, help="write the held-out report as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.limit, args.passages, args.langdetect_passages = 200, 2000, 200
    names = list(DETECTOR_NAMES) + ["langdetect-kk-all", "lingua-wide"]
    print(f"# bench_language: detectors {names}; default detector: {LanguageSettings().detector}, "
          f"languages {LanguageSettings().languages}")
    heldout_section(["project", "lingua"], args.split, args.heldout_json)
    if args.only_heldout:
        return
    accuracy_section(names, args.limit)
    romanized_section(names, min(args.limit, 300))
    throughput_section(names, args.passages, args.langdetect_passages)


if __name__ == "__main__":
    main()
