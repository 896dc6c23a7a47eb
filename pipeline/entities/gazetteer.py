"""The gazetteer of known entities: canonical id, label, name and variants per language.

The file (`models/gazetteer/entities.tsv`, format in `models/gazetteer/README.md`) is meant to be
read and extended by scholars: one entity per line, tab-separated columns
`id  label  name  en  ru  kk  other`, variants inside a column separated by ` | `.

Two uses:
- **lookup**: any mention whose normalised key equals a variant's key gets that entity's id
  (institution keys via `match_key`, people via `person_key`), so inflected or transliterated
  forms found by a model or a rule are linked even when they are not listed verbatim;
- **matching**: variants of every label except PERSON are also searched for in the text (Cyrillic
  words with any case ending), which
  finds abbreviations and names a model misses ("MGIMO", "Назарбаев Университет") and overrides
  a model's wrong label for a known name (a city tagged as a person).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.entities.normalize import match_key, person_key
from pipeline.errors import PipelineError

COLUMNS = ("id", "label", "name", "en", "ru", "kk", "other")
LABELS = ("UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE", "LOC")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")
_CYR_LETTERS = "а-яёәіңғүұқөһ"
_PLACE_LABELS = ("GPE", "LOC")


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity."""

    id: str
    label: str
    name: str
    variants: tuple[str, ...]
    line: int = 0


@dataclass
class GazetteerMatch:
    """A variant found in a text."""

    start: int
    end: int
    entry: GazetteerEntry


@dataclass
class Gazetteer:
    """Known entities with key lookup and text matching."""

    entries: list[GazetteerEntry] = field(default_factory=list)
    source: str = "<memory>"

    def __post_init__(self) -> None:
        self._by_key: dict[tuple[str, str], GazetteerEntry] = {}
        for e in self.entries:
            for v in (e.name, *e.variants):
                key = self.key(e.label, v)
                if key:
                    # First listed entity wins a shared key: order in the file is the tie-break.
                    self._by_key.setdefault((e.label, key), e)
        self._compile()

    @staticmethod
    def key(label: str, text: str) -> str:
        """The lookup key of `text` for an entity of `label`."""
        return person_key(text) if label == "PERSON" else match_key(text)

    def lookup(self, label: str, text: str) -> GazetteerEntry | None:
        """The known entity that `text` (a mention of `label`) names, if any."""
        return self._by_key.get((label, self.key(label, text)))

    def _compile(self) -> None:
        """Index variants by the first three letters of their first word.

        One regex alternation of hundreds of variants is slow in Python's `re` (no trie): 50 s
        per million characters. Looking up each word's prefix and trying only the few variants
        that start with it is about a hundred times faster.
        """
        self._index: dict[str, list[tuple[re.Pattern[str], GazetteerEntry]]] = {}
        for e in self.entries:
            person = e.label == "PERSON"
            for v in sorted({e.name, *e.variants}):
                first = re.match(r"\w+", v)
                if len(v) < (4 if person else 2) or not first:
                    continue
                is_abbrev = v.upper() == v or (any(c.isupper() for c in v[1:] if c.isalpha()) and " " not in v)
                body = r"\s+".join(_inflectable(w) if not is_abbrev else re.escape(w) for w in v.split())
                # A known person's name is matched as written (capitalised), so a surname that is
                # also a common word in lower case is not taken for the person.
                case_sensitive = is_abbrev or person
                # Kazakh writes case endings after an abbreviation with a hyphen ("ҚазҰУ-дың", "МГИМО-ға"):
                # the abbreviation is still the name; the ending is not part of the mention.
                end = f"(?=-[{_CYR_LETTERS}]{{1,6}}(?![\\w-])|(?![\\w-]))" if is_abbrev else "(?![\\w-])"
                pattern = re.compile(f"{body}{end}", 0 if case_sensitive else re.IGNORECASE)
                key = first.group().casefold()[:3]
                self._index.setdefault(key, []).append((pattern, e))

    def find(self, text: str) -> list[GazetteerMatch]:
        """Non-overlapping variant occurrences in `text`, the longest variant at each position."""
        out: list[GazetteerMatch] = []
        taken_until = 0
        for word in re.finditer(r"\w+", text):
            start = word.start()
            if start < taken_until or (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_")):
                continue
            best: tuple[int, GazetteerEntry] | None = None
            lower_initial = text[start].islower()
            for pattern, entry in self._index.get(word.group().casefold()[:3], ()):
                # Place names are written capitalised; in lower case their stems are common words
                # ("астам" is not Astana, "алма" not Almaty, "тарихи" not Taraz).
                if lower_initial and entry.label in _PLACE_LABELS:
                    continue
                m = pattern.match(text, start)
                if m and (best is None or m.end() > best[0]):
                    best = (m.end(), entry)
            if best is not None:
                out.append(GazetteerMatch(start, best[0], best[1]))
                taken_until = best[0]
        return out


def _inflectable(word: str) -> str:
    """A regex for one word of a variant that also matches its Russian/Kazakh case forms.

    Cyrillic words longer than four letters keep their stem and take any short ending
    ("Европейский союз" matches "Европейского союза"); other words match as written.
    """
    if not re.fullmatch(f"[{_CYR_LETTERS}]+", word.casefold()):
        return re.escape(word)
    stem = word[:-2] if len(word) > 4 else word
    return f"{re.escape(stem)}[{_CYR_LETTERS}]{{0,5}}"


def _split_variants(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def parse_gazetteer(text: str, source: str = "<memory>") -> Gazetteer:
    """Parse gazetteer TSV text; a malformed line raises `PipelineError` naming the file and line."""
    entries: list[GazetteerEntry] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] == "id":
            continue  # header
        where = f"{source}, line {lineno}"
        if len(cells) < 3 or len(cells) > len(COLUMNS):
            raise PipelineError(
                f"{where}: expected {len(COLUMNS)} tab-separated columns "
                f"({', '.join(COLUMNS)}; variant columns may be empty), found {len(cells)}. "
                "Separate columns with a single tab and variants with ' | '.")
        cells += [""] * (len(COLUMNS) - len(cells))
        eid, label, name = (c.strip() for c in cells[:3])
        if not _ID.match(eid):
            raise PipelineError(f"{where}: id '{eid}' must be lowercase letters, digits and _ . : - "
                                "(e.g. univ:mgimo).")
        if label not in LABELS:
            raise PipelineError(f"{where}: label '{label}' is not one of {', '.join(LABELS)}.")
        if not name:
            raise PipelineError(f"{where}: the canonical name (third column) is empty.")
        if eid in seen:
            raise PipelineError(f"{where}: id '{eid}' is already used on line {seen[eid]}; "
                                "ids must be unique.")
        seen[eid] = lineno
        variants = tuple(v for cell in cells[3:] for v in _split_variants(cell))
        entries.append(GazetteerEntry(eid, label, name, variants, lineno))
    return Gazetteer(entries, source)


def load_gazetteer(path: str | Path) -> Gazetteer:
    """Read the gazetteer file at `path` (UTF-8 TSV)."""
    p = Path(path)
    if not p.exists():
        raise PipelineError(f"{p}: gazetteer not found. It ships under models/gazetteer/; "
                            "set entities.gazetteer in params.yaml to its path.")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"{p}: not UTF-8 ({exc}). Save the file as UTF-8.") from exc
    return parse_gazetteer(text, str(p))
