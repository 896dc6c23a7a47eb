"""The entities stage: passages + languages → entities.parquet, entity_summary.parquet, skipped list.

Memory stays bounded as the corpus grows: passages are read from Parquet in chunks of
`passages_per_chunk`, tagged, and their mentions appended to a temporary Parquet file; a second
streaming pass applies what only the whole run knows (abbreviations defined later in the corpus,
display names of unknown entities) and writes the outputs, each atomically.
Reviewed decisions (`corpus/annotations/decisions.jsonl`), when present, are applied last by the
review package; `entities_machine.parquet` keeps the mentions before review.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.atomic import atomic_path, write_json, write_parquet
from pipeline.entities.backends import BackendRegistry
from pipeline.entities.extractor import EntityExtractor, ExtractionResult
from pipeline.entities.gazetteer import load_gazetteer
from pipeline.entities.merge import EntityMention
from pipeline.entities.sections import references_start
from pipeline.entities.settings import EntitiesSettings
from pipeline.errors import PipelineError
from pipeline.outputs import output
from pipeline.run.executor import DaskExecutor, LocalExecutor, open_executor
from pipeline.run.settings import RunSettings
from pipeline.run.worker_cache import per_process
from pipeline.stage_inputs import read_output

ENTITY_SCHEMA = pa.schema([
    ("passage_id", pa.string()), ("doc_id", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
    ("doc_start", pa.int64()), ("doc_end", pa.int64()), ("text", pa.string()), ("label", pa.string()),
    ("specific", pa.bool_()), ("canonical_id", pa.string()), ("canonical_name", pa.string()),
    ("backend", pa.string()), ("score", pa.float64()), ("lang", pa.string()), ("mention_id", pa.string()),
    ("review_status", pa.string()), ("section", pa.string()),
])
SUMMARY_COLUMNS = ["canonical_id", "canonical_name", "label", "mentions", "documents", "variants", "languages",
                   "body_mentions"]
_PASSAGE_COLUMNS = ["doc_id", "passage_id", "text"]


@dataclass
class StageResult:
    """Counts for the one-line summary."""

    passages: int = 0
    mentions: int = 0
    entities: int = 0
    skipped: int = 0
    orphaned: int = 0
    seconds: float = 0.0
    by_label: Counter[str] = field(default_factory=Counter)

    def summary(self, out: str | Path) -> str:
        """The one-line log summary."""
        labels = ", ".join(f"{k} {v}" for k, v in sorted(self.by_label.items()))
        return (f"entities: {self.passages} passages, {self.mentions} mentions ({labels}), {self.entities} "
                f"entities, {self.skipped} skipped, {self.orphaned} orphaned decisions in {self.seconds:.1f} s -> {out}")


def _read_languages(path: Path) -> dict[str, tuple[str, str]]:
    frame = read_output("languages", path, columns=("passage_id", "lang", "segments"),
                              what="language labels (the entities stage routes each passage by its language)")
    return {pid: (str(lang or "und"), str(seg or "[]"))
            for pid, lang, seg in zip(frame["passage_id"], frame["lang"], frame["segments"], strict=True)}


def _passage_batches(path: Path, size: int) -> Iterator[pd.DataFrame]:
    if not path.exists():
        raise PipelineError(f"{path}: not found. Run {output('passages').rerun()} first.")
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise PipelineError(f"{path}: not a readable Parquet file ({exc}). Rebuild it with "
                            f"{output('passages').rerun()}.") from exc
    names = set(pf.schema_arrow.names)
    missing = [c for c in _PASSAGE_COLUMNS if c not in names]
    if missing:
        raise PipelineError(f"{path}: missing column(s) {missing} (see docs/DATA_CONTRACTS.md). "
                            f"Rebuild it with {output('passages').rerun()}.")
    columns = _PASSAGE_COLUMNS + [c for c in ("offset_map", "source_start") if c in names]
    for batch in pf.iter_batches(batch_size=size, columns=columns):
        yield batch.to_pandas()


def _doc_offsets(offset_map: str | None, source_start: int | None, start: int, end: int) -> tuple[int, int]:
    """Mention span in the source document, through the passage's offset map when there is one."""
    if offset_map and offset_map not in ("", "[]"):
        from pipeline.ingest.offsets import span_to_source

        return span_to_source(offset_map, start, end)
    base = int(source_start or 0)
    return base + start, base + end


class _ReferenceTracker:
    """Which passages (and from which offset) belong to a document's reference list."""

    def __init__(self) -> None:
        self.in_refs: set[str] = set()

    def ref_start(self, doc_id: str, text: str) -> int | None:
        if doc_id in self.in_refs:
            return 0
        start = references_start(text)
        if start is not None:
            self.in_refs.add(doc_id)
        return start


def _rows(batch: pd.DataFrame, mentions: list[list[EntityMention]], refs: list[int | None]) -> dict[str, list]:
    cols: dict[str, list] = {name: [] for name in ENTITY_SCHEMA.names}
    has_map = "offset_map" in batch.columns
    has_start = "source_start" in batch.columns
    for k, (row, ms) in enumerate(zip(batch.itertuples(index=False), mentions, strict=True)):
        offset_map = row.offset_map if has_map else None
        source_start = row.source_start if has_start else 0
        for m in ms:
            ds, de = _doc_offsets(offset_map, source_start, m.start, m.end)
            values = {
                "passage_id": row.passage_id, "doc_id": row.doc_id, "start": m.start, "end": m.end,
                "doc_start": ds, "doc_end": de, "text": m.text, "label": m.label, "specific": m.specific,
                "canonical_id": m.canonical_id, "canonical_name": m.canonical_name, "backend": m.backend,
                "score": float(m.score), "lang": m.lang, "mention_id": f"{row.passage_id}:{m.start}-{m.end}",
                "review_status": "machine",
                "section": "references" if refs[k] is not None and m.start >= refs[k] else "body",
            }
            for name, value in values.items():
                cols[name].append(value)
    return cols


@dataclass
class Chunk:
    """What a task needs to tag one chunk of passages (no offsets maps: those stay with the driver)."""

    texts: list[str]
    langs: list[str]
    segments: list[str]
    scopes: list[str]
    refs_from: list[int | None]


def tag_chunk(source: EntitiesSettings | EntityExtractor, chunk: Chunk) -> ExtractionResult:
    """The task both executors run: models and steps over one chunk, before linking.

    `source` is the run's extractor (local executor) or the settings a worker builds its own
    extractor from, once per process.
    """
    if isinstance(source, EntitiesSettings):
        settings = source
        source = per_process("entities.extractor", settings, lambda: build_extractor(settings))
    return source.tag(chunk.texts, chunk.langs, chunk.segments, scopes=chunk.scopes, refs_from=chunk.refs_from)


def _chunks(passages: Path, languages: Path, settings: EntitiesSettings,
            held: deque[tuple[pd.DataFrame, Chunk]]) -> Iterator[Chunk]:
    """Chunks in corpus order; each chunk's passages wait in `held` until its tags come back."""
    langs = _read_languages(languages)
    refs = _ReferenceTracker()  # a document's reference list may start in an earlier chunk: decided here, in order
    for batch in _passage_batches(passages, settings.passages_per_chunk):
        batch = batch.fillna({"text": ""})
        texts = [str(t) for t in batch["text"]]
        missing = [pid for pid in batch["passage_id"] if pid not in langs]
        if missing:
            raise PipelineError(f"{languages}: no language for passage {missing[0]} ({len(missing)} in this chunk). "
                                "The languages file is older than the passages: run `python -m pipeline language`.")
        chunk = Chunk(texts, [langs[pid][0] for pid in batch["passage_id"]],
                      [langs[pid][1] for pid in batch["passage_id"]], [str(d) for d in batch["doc_id"]],
                      [refs.ref_start(d, t) for d, t in zip(batch["doc_id"], texts, strict=True)])
        held.append((batch, chunk))
        yield chunk


def _count_passages(path: Path) -> int:
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except Exception:
        return 0  # _passage_batches raises the error that says what to do


def extract_to_parquet(passages: Path, languages: Path, tmp_out: Path, settings: EntitiesSettings,
                       extractor: EntityExtractor, executor: LocalExecutor | DaskExecutor | None = None
                       ) -> tuple[StageResult, list[dict]]:
    """First pass: tag every passage, append mentions to `tmp_out`; returns counts and skipped passages.

    Tagging runs on `executor` (chunks in parallel on Dask); linking, which learns across the run,
    runs here over the tagged chunks in corpus order, so both executors write the same mentions.
    """
    executor = executor or LocalExecutor()
    source = extractor if isinstance(executor, LocalExecutor) else settings
    result = StageResult()
    skipped: list[dict] = []
    held: deque[tuple[pd.DataFrame, Chunk]] = deque()
    total = -(-_count_passages(passages) // settings.passages_per_chunk)
    with pq.ParquetWriter(tmp_out, ENTITY_SCHEMA) as writer:
        for tagged in executor.map(functools.partial(tag_chunk, source), _chunks(passages, languages, settings, held),
                                   total=total, desc="entities"):
            batch, chunk = held.popleft()
            mentions = extractor.link(tagged.mentions, chunk.texts, chunk.scopes)
            for s in tagged.skipped:
                skipped.append({"passage_id": batch["passage_id"].iloc[s.index], "doc_id": batch["doc_id"].iloc[s.index],
                                "start": s.start, "end": s.end, "lang": s.lang, "reason": s.reason})
            writer.write_table(pa.table(_rows(batch, mentions, chunk.refs_from), schema=ENTITY_SCHEMA))
            result.passages += len(batch)
    result.skipped = len(skipped)
    return result, skipped


def finalize(tmp_in: Path, machine_out: Path, extractor: EntityExtractor) -> None:
    """Second pass: apply corpus-wide abbreviation links and display names, write `machine_out`."""
    canon = extractor.canonicalizer
    names = canon.names()
    pf = pq.ParquetFile(tmp_in)
    with atomic_path(machine_out) as tmp, pq.ParquetWriter(tmp, ENTITY_SCHEMA) as writer:
        for batch in pf.iter_batches():
            frame = batch.to_pandas()
            if len(frame):
                ids = [canon.resolve(c) for c in frame["canonical_id"]]
                frame["canonical_name"] = [n if n else names.get(c, "") for c, n in
                                           zip(ids, _gazetteer_names(frame, ids, extractor), strict=True)]
                frame["canonical_id"] = ids
            writer.write_table(pa.Table.from_pandas(frame, schema=ENTITY_SCHEMA, preserve_index=False))


def _gazetteer_names(frame: pd.DataFrame, ids: list[str], extractor: EntityExtractor) -> list[str]:
    by_id = {e.id: e.name for e in extractor.gazetteer.entries}
    return [by_id.get(c, "") for c in ids]


def summarize(entities: pd.DataFrame | Iterable[pd.DataFrame]) -> pd.DataFrame:
    """One row per canonical entity: name, label, mention and document counts, variants, languages,
    and `body_mentions` (mentions outside reference lists: a cited author has none).

    Accepts one frame or an iterable of frames (row groups of a large file), so the summary of
    a corpus of any size is built without holding its mentions in memory.
    """
    frames = [entities] if isinstance(entities, pd.DataFrame) else entities
    groups: dict[tuple[str, str], dict] = defaultdict(lambda: {"names": Counter(), "mentions": 0, "docs": set(),
                                                              "variants": set(), "langs": set(), "body": 0})
    for frame in frames:
        if "section" not in frame.columns:  # rows added by review carry no section: they are body text
            frame = frame.assign(section="body")
        columns = ["canonical_id", "canonical_name", "label", "doc_id", "text", "lang", "section"]
        for row in frame[columns].itertuples(index=False):
            g = groups[(row.canonical_id, row.label)]
            g["names"][row.canonical_name] += 1
            g["mentions"] += 1
            g["body"] += row.section != "references"
            g["docs"].add(row.doc_id)
            g["variants"].add(row.text)
            g["langs"].add(row.lang)
    if not groups:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("mentions", "documents", "body_mentions") else "object")
                             for c in SUMMARY_COLUMNS})
    records = []
    for (cid, label), g in groups.items():
        name = sorted(g["names"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        records.append({"canonical_id": cid, "canonical_name": name, "label": label, "mentions": g["mentions"],
                        "documents": len(g["docs"]), "variants": json.dumps(sorted(g["variants"]), ensure_ascii=False),
                        "languages": json.dumps(sorted(g["langs"])), "body_mentions": g["body"]})
    return pd.DataFrame(records, columns=SUMMARY_COLUMNS).sort_values(
        ["label", "mentions", "canonical_id"], ascending=[True, False, True], ignore_index=True)


def _row_groups(path: Path) -> Iterator[pd.DataFrame]:
    for batch in pq.ParquetFile(path).iter_batches():
        yield batch.to_pandas()


def _apply_review(machine: Path, passages: Path, decisions: Path) -> tuple[pd.DataFrame, list[dict]]:
    # Applying decisions works on whole frames; reviewed corpora are the annotated ones, small
    # next to the corpora the streaming path above is for.
    entities = pd.read_parquet(machine)
    from pipeline.decisions.apply import apply_decisions  # only runs when a decisions file exists

    passage_frame = pd.read_parquet(passages)
    reviewed, orphaned = apply_decisions(entities, passage_frame, decisions)
    return reviewed, list(orphaned)


def run_entities(passages: str | Path, languages: str | Path, decisions: str | Path, out: str | Path,
                 machine_out: str | Path, summary_out: str | Path, skipped_out: str | Path,
                 settings: EntitiesSettings, extractor: EntityExtractor | None = None,
                 run: RunSettings | None = None) -> StageResult:
    """Run the whole stage; every output is written atomically.

    `run` (params.yaml `run`) chooses where passages are tagged; a given `extractor` (tests,
    tools) is used in this process, so it implies the local executor.
    """
    began = time.perf_counter()
    passages, languages, decisions = Path(passages), Path(languages), Path(decisions)
    out, machine_out = Path(out), Path(machine_out)
    given = extractor is not None
    if extractor is None:
        extractor = build_extractor(settings)
    run = run if run is not None and not given else RunSettings()
    with open_executor(run, _count_passages(passages), "entities") as executor:  # fails before anything is written
        machine_out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".entities-pass1.", dir=machine_out.parent) as tmpdir:
            first_pass = Path(tmpdir) / "mentions.parquet"
            result, skipped = extract_to_parquet(passages, languages, first_pass, settings, extractor, executor)
            finalize(first_pass, machine_out, extractor)
    if decisions.exists():
        entities, orphaned = _apply_review(machine_out, passages, decisions)
        entities = entities.reset_index(drop=True)
        write_parquet(out, entities)
        labels = Counter(entities["label"])
    else:  # nothing reviewed: the output is the machine output, copied without loading it
        orphaned = []
        with atomic_path(out) as tmp:
            shutil.copyfile(machine_out, tmp)
        labels = Counter()
        for frame in _row_groups(out):
            labels.update(frame["label"])
    summary = summarize(_row_groups(out))
    write_parquet(summary_out, summary)
    write_json(skipped_out, {"skipped": skipped, "orphaned_decisions": orphaned,
                             "backends": dict(sorted(settings.backends.items()))})
    result.mentions = sum(labels.values())
    result.entities = len(summary)
    result.orphaned = len(orphaned)
    result.by_label = labels
    result.seconds = time.perf_counter() - began
    return result


def build_extractor(settings: EntitiesSettings) -> EntityExtractor:
    """Backends (built lazily per language), gazetteer and linking from the settings."""
    registry = BackendRegistry(settings.backends, settings.batch_size, settings.chunk_chars)
    return EntityExtractor(registry, load_gazetteer(settings.gazetteer), settings.labels)
