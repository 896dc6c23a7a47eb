"""Contract-conforming upstream outputs built from the real seed corpus, for report tests.

The real stages are heavy (NER models, embeddings); the report only needs outputs that follow
docs/DATA_CONTRACTS.md. This builder makes them from corpus/documents/*.txt with simple,
deterministic methods: paragraphs as passages, script-based language, a gazetteer for entities,
TF-IDF + k-means for topics, bootstrap intervals over documents for prevalence.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline import atomic

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

# (canonical_id, canonical_name, label, surface-form regex)
GAZETTEER = (
    ("Q_kaznu", "Al-Farabi Kazakh National University", "UNIVERSITY",
     r"Al-Farabi Kazakh National University|әл-Фараби атындағы Қазақ ұлттық университеті|KazNU"),
    ("Q_mgimo", "MGIMO University", "UNIVERSITY",
     r"Moscown? State Institute of International Relations|MGIMO|МГИМО"),
    ("Q_susu", "South Ural State University", "UNIVERSITY", r"South Ural State University|SUSU"),
    ("Q_kaznpu", "Abai Kazakh National Pedagogical University", "UNIVERSITY",
     r"Abai Kazakh National Pedagogical University|Abai KazNPU"),
    ("Q_msu", "Lomonosov Moscow State University", "UNIVERSITY",
     r"(?:Lomonosov )?Moscow State University|МГУ"),
    ("Q_bauman", "Bauman Moscow State Technical University", "UNIVERSITY", r"Bauman Moscow State Technical University"),
    ("Q_gubkin", "Gubkin Russian State University of Oil and Gas", "UNIVERSITY", r"Gubkin Russian State University"),
    ("Q_sco_u", "SCO University", "UNIVERSITY", r"SCO University|Network University"),
    ("Q_spbu", "St Petersburg University", "UNIVERSITY", r"St\.? Petersburg (?:State )?University"),
    ("Q_rudn", "Peoples' Friendship University of Russia", "UNIVERSITY", r"Friendship University of Russia"),
    ("Q_nwpu", "Northwestern Polytechnical University", "UNIVERSITY", r"Northwestern Polytechnical University"),
    ("Q_agr_gov", "Agreement between the Governments of Kazakhstan and Russia", "AGREEMENT",
     r"Agreement between the Government of the Republic[^.,;]{0,80}"),
    ("Q_law_edu", "Law of the Republic of Kazakhstan on Education", "AGREEMENT",
     r"Law of the Republic of Kazakhstan dated[^.,;]{0,40}"),
    ("Q_memo", "Cooperation memorandums (Chelyabinsk forum)", "AGREEMENT", r"cooperation memorandums?"),
    ("Q_bologna", "Bologna Process", "AGREEMENT", r"Bologna (?:Process|process|Declaration)"),
    ("Q_ryazantsev", "Sergey Ryazantsev", "PERSON", r"Sergey Ryazantsev|Сергей Рязанцев"),
    ("Q_delovarova", "Leila Delovarova", "PERSON", r"Leila Delovarova|Лейла Деловарова"),
    ("Q_almanova", "Bibinaz Almanova", "PERSON", r"Bibinaz Almanova|Бибіназ Әлманова|Бибиназ Альманова"),
    ("Q_balykbayev", "Takir Balykbayev", "PERSON", r"Takir Balykbayev"),
    ("Q_babochkin", "Aleksej Babočkin", "PERSON", r"Aleksej Babočkin|Babočkin"),
    ("Q_tokayev", "Kassym-Jomart Tokayev", "PERSON", r"Tokayev|Tokaev|Токаев|Тоқаев"),
    ("Q_kazakhstan", "Kazakhstan", "GPE", r"Kazakhstan|Казахстан|Қазақстан"),
    ("Q_russia", "Russia", "GPE", r"Russia|Россия|Ресей"),
    ("Q_china", "China", "GPE", r"China|Китай|Қытай"),
)

LANG_STOP = {"the", "and", "of", "in", "to", "a", "is", "for", "on", "with", "as", "by", "that", "are",
             "this", "be", "from", "at", "its", "an", "it", "or", "which", "was", "has", "have", "not", "also",
             "и", "в", "на", "с", "по", "для", "что", "не", "из", "к", "как", "о", "а", "жəне", "және", "мен",
             "бен", "да", "де", "үшін"}


def guess_language(text: str) -> tuple[str, str]:
    """(lang, script) from the letters used: enough for fixtures, not for the real stage."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und", "Zyyy"
    cyr = sum("\u0400" <= c <= "\u04ff" for c in letters)
    han = sum("\u4e00" <= c <= "\u9fff" for c in letters)
    if han > len(letters) / 2:
        return "zh", "Hans"
    if cyr > len(letters) / 2:
        return ("kk" if any(c in KAZAKH_LETTERS for c in text) else "ru"), "Cyrl"
    return "en", "Latn"


def read_metadata(corpus_dir: Path) -> list[dict[str, str]]:
    """Rows of corpus/metadata.csv."""
    with (corpus_dir / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def split_passages(doc_id: str, text: str) -> list[dict]:
    """Non-empty lines as passages with contract ids and source offsets."""
    rows, seen, position = [], {}, 0
    for line in text.split("\n"):
        start = position
        position += len(line) + 1
        cleaned = " ".join(line.replace("#", " ").replace("*", " ").split())
        if len(cleaned) < 20:
            continue
        digest = hashlib.sha1(cleaned.lower().encode("utf-8")).hexdigest()[:10]
        seen[digest] = seen.get(digest, 0) + 1
        pid = f"{doc_id}-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
        rows.append({"doc_id": doc_id, "passage_id": pid, "passage_index": len(rows), "text": cleaned,
                     "source_start": start, "source_end": start + len(line),
                     "offset_map": json.dumps([[0, start]]), "n_chars": len(cleaned),
                     "n_words": len(cleaned.split()), "format": "txt", "encoding": "utf-8"})
    return rows


def build_passages(corpus_dir: Path, extra_documents: list[dict] | None = None) -> pd.DataFrame:
    """passages.parquet rows for the seed corpus plus `extra_documents` (dicts with metadata + text)."""
    rows = []
    docs = [(m, (corpus_dir / m["file"]).read_text(encoding="utf-8")) for m in read_metadata(corpus_dir)]
    for extra in extra_documents or []:
        meta = {k: str(v) for k, v in extra.items() if k != "text"}
        docs.append((meta, extra["text"]))
    for meta, text in docs:
        for row in split_passages(meta["doc_id"], text):
            for col in ("file", "title", "year", "genre", "partner", "perspective", "source"):
                row[col] = meta.get(col, "")
            rows.append(row)
    return pd.DataFrame(rows)


def build_languages(passages: pd.DataFrame) -> pd.DataFrame:
    """languages.parquet: one language per passage from its script."""
    rows = []
    for pid, text in zip(passages["passage_id"], passages["text"], strict=True):
        lang, script = guess_language(text)
        rows.append({"passage_id": pid, "lang": lang, "script": script, "confidence": 0.9,
                     "detector": "fixture-script", "segments": "[]"})
    return pd.DataFrame(rows)


def build_entities(passages: pd.DataFrame, languages: pd.DataFrame, gazetteer=GAZETTEER) -> pd.DataFrame:
    """entities.parquet: every gazetteer match, in passage order."""
    lang_of = dict(zip(languages["passage_id"], languages["lang"], strict=True))
    rows = []
    for row in passages.itertuples():
        for cid, name, label, pattern in gazetteer:
            for m in re.finditer(pattern, row.text):
                rows.append({"passage_id": row.passage_id, "doc_id": row.doc_id, "start": m.start(),
                             "end": m.end(), "doc_start": row.source_start + m.start(),
                             "doc_end": row.source_start + m.end(), "text": m.group(0), "label": label,
                             "specific": not m.group(0).lower().endswith("memorandums"),
                             "canonical_id": cid, "canonical_name": name, "backend": "gazetteer", "score": 1.0,
                             "lang": lang_of[row.passage_id],
                             "mention_id": f"{row.passage_id}:{m.start()}-{m.end()}",
                             "review_status": "machine"})
    frame = pd.DataFrame(rows)
    return frame.sort_values(["passage_id", "start", "end"]).reset_index(drop=True)


def build_entity_summary(entities: pd.DataFrame) -> pd.DataFrame:
    """entity_summary.parquet from mentions."""
    rows = []
    for cid, group in entities.groupby("canonical_id", sort=True):
        rows.append({"canonical_id": cid, "canonical_name": group["canonical_name"].iloc[0],
                     "label": group["label"].iloc[0], "mentions": len(group), "documents": group["doc_id"].nunique(),
                     "variants": json.dumps(sorted(set(group["text"])), ensure_ascii=False),
                     "languages": json.dumps(sorted(set(group["lang"])))})
    return pd.DataFrame(rows)


def _bootstrap(values_by_doc: np.ndarray, rng: np.random.Generator, n: int = 200) -> tuple[float, float, float]:
    mean = float(values_by_doc.mean()) if len(values_by_doc) else 0.0
    if len(values_by_doc) < 2:
        return mean, 0.0, 1.0  # one document says nothing about the spread
    draws = rng.choice(values_by_doc, size=(n, len(values_by_doc)), replace=True).mean(axis=1)
    return mean, float(np.quantile(draws, 0.025)), float(np.quantile(draws, 0.975))


def build_topics(passages: pd.DataFrame, languages: pd.DataFrame, entities: pd.DataFrame,
                 n_topics: int = 4, group_column: str = "partner", seed: int = 0) -> dict[str, object]:
    """All files of outputs/topics/ plus topic_metrics.json, as Python objects."""
    lang_of = dict(zip(languages["passage_id"], languages["lang"], strict=True))
    vectorizer = TfidfVectorizer(token_pattern=r"(?u)\b[^\W\d_]{3,}\b", lowercase=True,
                                 stop_words=sorted(LANG_STOP), max_features=5000)
    matrix = vectorizer.fit_transform(passages["text"])
    vocab = np.array(vectorizer.get_feature_names_out())
    k = min(n_topics, len(passages))
    if k > 20:  # bench scale: full k-means with hundreds of centres takes minutes
        km = MiniBatchKMeans(n_clusters=k, n_init=1, batch_size=2048, random_state=seed).fit(matrix)
    else:
        km = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(matrix)
    labels = km.labels_
    sims = (matrix @ km.cluster_centers_.T)
    probability = np.asarray(sims[np.arange(len(labels)), labels]).ravel()
    langs = np.array([lang_of[p] for p in passages["passage_id"]])
    topic_rows = []
    for t in range(k):
        in_topic = labels == t
        top_terms = {}
        for lang in sorted(set(langs[in_topic])):
            sub = matrix[in_topic & (langs == lang)]
            scores = np.asarray(sub.sum(axis=0)).ravel()
            order = [i for i in np.argsort(-scores, kind="stable")[:10] if scores[i] > 0]
            top_terms[lang] = vocab[order].tolist()
        reps = passages["passage_id"][in_topic].to_numpy()[np.argsort(-probability[in_topic], kind="stable")[:3]]
        first = top_terms.get("en") or next(iter(top_terms.values()), [])
        topic_rows.append({"topic_id": t, "label": f"{t}_" + "_".join(first[:3]), "size": int(in_topic.sum()),
                           "top_terms": json.dumps(top_terms, ensure_ascii=False),
                           "representative_passages": json.dumps(reps.tolist())})
    topics = pd.DataFrame(topic_rows)
    assignments = pd.DataFrame({"passage_id": passages["passage_id"], "doc_id": passages["doc_id"],
                                "topic_id": labels.astype(int), "probability": probability.round(4), "lang": langs})
    rng = np.random.default_rng(seed)
    groups = sorted(set(passages[group_column]))
    doc_group = passages.groupby("doc_id")[group_column].first()
    share = pd.crosstab(assignments["doc_id"], assignments["topic_id"], normalize="index")
    share = share.reindex(columns=range(k), fill_value=0.0)
    prevalence_rows, by_group = [], {}
    for g in groups:
        docs = doc_group[doc_group == g].index
        by_group[g] = share.loc[share.index.isin(docs)]
        n_pass = int(passages[group_column].eq(g).sum())
        for t in range(k):
            mean, lo, hi = _bootstrap(by_group[g][t].to_numpy(), rng)
            prevalence_rows.append({"group_column": group_column, "group": g, "topic_id": t, "prevalence": mean,
                                    "ci_low": lo, "ci_high": hi, "n_docs": len(docs), "n_passages": n_pass})
    diff_rows = []
    for a, b in combinations(groups, 2):
        for t in range(k):
            va, vb = by_group[a][t].to_numpy(), by_group[b][t].to_numpy()
            diff = float(va.mean() - vb.mean())
            if len(va) < 2 or len(vb) < 2:
                lo, hi = -1.0, 1.0
            else:
                draws = (rng.choice(va, (200, len(va))).mean(1) - rng.choice(vb, (200, len(vb))).mean(1))
                lo, hi = float(np.quantile(draws, 0.025)), float(np.quantile(draws, 0.975))
            diff_rows.append({"group_column": group_column, "group_a": a, "group_b": b, "topic_id": t,
                              "diff": diff, "ci_low": lo, "ci_high": hi, "distinguishable": bool(lo > 0 or hi < 0)})
    term_rows, tg_rows = [], []
    counts = (matrix > 0).astype(np.int64).tocsr()
    group_arr = passages[group_column].to_numpy()
    for g in groups:
        for lang in sorted(set(langs)):
            mask = (group_arr == g) & (langs == lang)
            if not mask.any():
                continue
            inside = np.asarray(counts[mask].sum(0)).ravel() + 0.5
            outside = np.asarray(counts[~mask].sum(0)).ravel() + 0.5
            score = np.log(inside / inside.sum()) - np.log(outside / outside.sum())
            for i in np.argsort(-score, kind="stable")[:15]:
                term_rows.append({"group_column": group_column, "group": g, "term": vocab[i], "lang": lang,
                                  "score": float(score[i]), "count": int(inside[i] - 0.5)})
        for t in range(k):
            mask = (group_arr == g) & (labels == t)
            scores = np.asarray(matrix[mask].sum(axis=0)).ravel() if mask.any() else np.zeros(len(vocab))
            terms = [vocab[i] for i in np.argsort(-scores, kind="stable")[:8] if scores[i] > 0]
            tg_rows.append({"topic_id": t, "group": g, "terms": json.dumps(terms, ensure_ascii=False)})
    ent = entities.merge(passages[["passage_id", group_column]], on="passage_id")
    emph_rows = []
    for (g, label), sub in ent.groupby([group_column, "label"], sort=True):
        total = len(sub)
        for cid, s in sub.groupby("canonical_id", sort=True):
            emph_rows.append({"group_column": group_column, "group": g, "label": label, "canonical_id": cid,
                              "canonical_name": s["canonical_name"].iloc[0], "mentions": len(s),
                              "documents": s["doc_id"].nunique(), "share": len(s) / total})
    group_info = {g: {"n_docs": int((doc_group == g).sum()), "n_passages": int((group_arr == g).sum()),
                      "too_small": bool((doc_group == g).sum() < 2)} for g in groups}
    notes = [f"group '{g}' has {v['n_docs']} document(s): its prevalence intervals are uninformative"
             for g, v in group_info.items() if v["too_small"]]
    return {
        "topics/topics.parquet": topics, "topics/assignments.parquet": assignments,
        "topics/prevalence.parquet": pd.DataFrame(prevalence_rows),
        "topics/differences.parquet": pd.DataFrame(diff_rows),
        "topics/distinctive_terms.parquet": pd.DataFrame(term_rows),
        "topics/topic_group_terms.parquet": pd.DataFrame(tg_rows),
        "topics/entity_emphasis.parquet": pd.DataFrame(emph_rows),
        "topics/groups.json": {"group_column": group_column, "groups": group_info, "notes": notes},
        "topic_metrics.json": {"n_topics": k, "outlier_share": 0.0, "coherence": 0.42, "n_passages": len(passages)},
    }


# A document a hostile or careless source could contain: markup, script-ending sequences,
# JavaScript line separators, right-to-left text, and an entity whose name has quotes and brackets.
HOSTILE_DOCUMENT = {
    "doc_id": "900_hostile", "file": "documents/900_hostile.txt", "year": "2024", "genre": "news",
    "partner": "russia", "perspective": "kazakh", "source": "",
    "title": 'Title with </script><!-- and "quotes" \u2028 break',
    "text": ("The rector said <script>alert(1)</script> during the visit to Al-Quds University.\n"
             "A second paragraph with <img src=x onerror=alert(2)> and the line separator \u2028 here, "
             "and Arabic text جامعة القدس about Al-Quds University cooperation with Kazakhstan.\n"),
}
HOSTILE_GAZETTEER = (
    ("Q_alquds", 'Al-Quds "University" <جامعة القدس>', "UNIVERSITY", r"Al-Quds University"),
)


def build_effects(topic_ids: list[int], seed: int = 0) -> dict[str, object]:
    """effects.parquet and prevalence_over_time.parquet from the real estimator on simulated documents.

    The seed corpus has 5 documents, too few to model (the stage writes empty tables with a
    note), so the report's effects section is exercised on 120 simulated documents
    (tests/effects_simulation.py: perspective + year + genre, known effects) whose 4 topics are
    renamed to the fixture's first topic ids.
    """
    from effects_simulation import settings, simulate

    from pipeline.topics.effects import estimate_effects

    shares, covariates = simulate(120, np.random.default_rng(seed))
    result = estimate_effects(shares, covariates, settings(n_boot=100, seed=seed), "perspective",
                              ["kazakh", "russian", "chinese"])
    rename = dict(zip(range(4), topic_ids, strict=False))
    keep = lambda frame: frame[frame["topic_id"].isin(rename)].assign(  # noqa: E731
        topic_id=lambda f: f["topic_id"].map(rename)).reset_index(drop=True)
    return {"topics/effects.parquet": keep(result.effects),
            "topics/prevalence_over_time.parquet": keep(result.over_time),
            "effects_summary": result.summary, "effects_notes": result.notes}


def build_outputs(out_dir: Path, corpus_dir: Path, *, extra_documents: list[dict] | None = None,
                  extra_gazetteer: tuple = (), with_metrics: bool = True, n_topics: int = 4) -> Path:
    """Write every upstream output the report reads into `out_dir`; returns `out_dir`."""
    out_dir = Path(out_dir)
    passages = build_passages(corpus_dir, extra_documents)
    languages = build_languages(passages)
    entities = build_entities(passages, languages, GAZETTEER + tuple(extra_gazetteer))
    files: dict[str, object] = {
        "passages.parquet": passages,
        "ingest_report.json": {"documents": int(passages["doc_id"].nunique()), "passages": len(passages),
                               "skipped": [{"doc_id": "005_scanned", "file": "documents/005_scanned.pdf",
                                            "row": 7, "reason": "PDF has no text layer (scanned image): run OCR"}],
                               "strict": False, "ocr_passages": 3, "ocr_documents": 1},
        "languages.parquet": languages,
        "entities.parquet": entities,
        "entity_summary.parquet": build_entity_summary(entities),
        **build_topics(passages, languages, entities, n_topics=n_topics),
    }
    effects = build_effects(sorted(int(t) for t in files["topics/topics.parquet"]["topic_id"])[:4])
    files["topics/groups.json"]["effects"] = effects.pop("effects_summary")
    files["topics/groups.json"]["notes"] += effects.pop("effects_notes")
    files.update(effects)
    if with_metrics:
        files["language_metrics.json"] = {"accuracy": {"en": 0.98, "ru": 0.95, "kk": 0.91},
                                          "by_length": {"short": 0.83, "long": 0.99}}
    for rel, value in files.items():
        path = out_dir / rel
        if isinstance(value, pd.DataFrame):
            atomic.write_parquet(path, value)
        else:
            atomic.write_json(path, value)
    return out_dir


def make_project(root: Path, corpus_dir: Path, *, hostile: bool = False, with_metrics: bool = True) -> Path:
    """A throwaway project at `root`: a copy of the seed corpus and contract outputs under root/outputs.

    Tests build the report here, so nothing they do touches the repository's own corpus or outputs.
    """
    import shutil

    root = Path(root)
    shutil.copytree(corpus_dir, root / "corpus", dirs_exist_ok=True)
    build_outputs(root / "outputs", root / "corpus",
                  extra_documents=[HOSTILE_DOCUMENT] if hostile else None,
                  extra_gazetteer=HOSTILE_GAZETTEER if hostile else (), with_metrics=with_metrics)
    return root
