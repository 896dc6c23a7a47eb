"""A language-independent key for institution names, so a university is one entity in en, ru and kk.

"Tomsk State University", "Томского государственного университета" and "Томск мемлекеттік
университетіне" share no letters after plain transliteration. The key splits a name into
- **concepts**: generic institution words mapped across languages to one English word
  (state / государственный / мемлекеттік → state; federal / федеральный / федералдық → federal;
  technical / технический / техникалық; national / национальный / ұлттық; university /
  университет; ...); "named after" / имени / атындағы and other function words are dropped;
- **name stems**: the proper-name words, transliterated to one Latin form, with Russian and
  Kazakh case and adjective endings removed (Томского → tomsk, Томск → tomsk, Qarağandy →
  karagand), and mapped to one place where the place gazetteer knows the word in several
  languages (Омбы → omsk, Орынбор → orenburg, Мәскеу → moscow).

Two keys name the same institution when their concept sets are equal and their name stems pair
up: equal, or one a prefix of the other (at least four letters, vowels folded), so
"karagand" matches "karagandinsk" and "sibir" matches "siberian", while "omsk" and "tomsk" or
"kazan" and "kazakh" stay apart. `InstitutionIndex` hands out one id per such group, in the order
names are first seen, so the same corpus always gets the same ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.entities.normalize import _fold_latin, _tokens

# concept → stems (folded Latin, as `_tokens` + `_fold_latin` produce them); a token is the
# concept when it starts with one of the stems.
_CONCEPTS: dict[str, tuple[str, ...]] = {
    "university": ("univers", "universitet"),
    "institute": ("institut",),
    "academy": ("academ", "akadem"),
    "college": ("college", "koledj", "koledzh", "kolej"),
    "conservatory": ("conservator", "konservator"),
    "state": ("state", "gosudarstv", "memleket"),
    "national": ("national", "nacional", "nacion", "ulttik", "ultik"),
    "federal": ("federal",),
    "polytechnic": ("polytechn", "politehn", "politechn", "polytehn"),
    "technical": ("technical", "tehnich", "tehnikal", "technic"),
    "technology": ("technolog", "tehnolog"),
    "pedagogical": ("pedagog",),
    "medical": ("medic", "medicin", "meditsin", "medisin"),
    "agrarian": ("agrar", "agricult", "agrotehn", "selskohoz"),
    "research": ("research", "issledov", "isledov", "zerteu"),
    "regional": ("region", "onirlik"),
    "mining": ("mining", "gorn", "tauken"),
    "economic": ("econom", "ekonom"),
    "humanitarian": ("humanit", "gumanit"),
    "international": ("internation", "mejdunarod", "halikaralik", "halkaralik"),
    "linguistic": ("linguist", "lingvist"),
    "friendship": ("friendship", "drujb"),
    "aviation": ("aviat",),
    "transport": ("transport",),
    "engineering": ("engineer", "injener", "injenerl"),
    "south": ("south", "iujn", "iuzhn", "ontustik"),
    "north": ("north", "sever", "soltustik"),
    "east": ("east", "vostoch", "shigis"),
    "west": ("west", "zapad", "batis"),
    "central": ("central", "centraln", "ortalik"),
    "kazakh": ("kazah", "kazak"),
    "russian": ("russia", "rossi", "russk", "resei"),
    "eurasian": ("eurasi", "evrazi", "euraz", "eurazi", "eurazia", "evraz"),
    "chinese": ("chinese", "kitai", "kitaisk", "kitai"),
}
_CONCEPT_EXACT = {"st": "", "saint": "", "sankt": "", "sv": ""}  # "St Petersburg" / "Санкт-Петербург"
_DROP = frozenset("""the of for and named after a an in at on to im imeni i v na po atindagi atyndagy atindagy zhane jane
    men ben pen al el ul city town""".split())
# Russian/Kazakh adjective and case endings removed from proper-name words (longest first).
_NAME_ENDINGS = sorted("""ogo ego omu emu imi ymi aia iaia oi ei om em im ym ie ye ih yh ii yi uiu iuiu ai
    inin nin nin dyn din tyn tin ina ine da de ta te ga ge ka ke ny ni dy di ty ti a ia y i u e o""".split(),
                       key=len, reverse=True)


def _concept(token: str) -> str | None:
    if token in _CONCEPT_EXACT:
        return _CONCEPT_EXACT[token]
    for concept, stems in _CONCEPTS.items():
        if any(token.startswith(s) for s in stems):
            return concept
    return None


def name_stem(token: str) -> str:
    """A proper-name word without its Russian/Kazakh endings (Томского → tomsk, Карагандинском →
    karagandinsk, Қарағанды → karagand, Siberian → siber)."""
    t = token
    if t.endswith("ian") and len(t) >= 7:
        t = t[:-3]
    for ending in _NAME_ENDINGS:
        if t.endswith(ending) and len(t) - len(ending) >= 4:
            return t[: -len(ending)]
    return t


def _vowel_folded(stem: str) -> str:
    return re.sub(r"[aeiouy]", "a", stem)


def _place_of(stem: str, places: dict[str, str]) -> str:
    """The place a name stem names, trying it bare and without a Russian adjective suffix
    ("orenburgsk" → orenburg, "karagandinsk" → karagand)."""
    for candidate in (stem, *(stem[: -len(s)] for s in ("insk", "ovsk", "evsk", "ensk", "sk") if stem.endswith(s))):
        if candidate in places:
            return places[candidate]
    return stem


def stems_match(a: str, b: str) -> bool:
    """Whether two name stems name the same thing (equal, or a prefix of at least four letters)."""
    if a == b:
        return True
    fa, fb = _vowel_folded(a), _vowel_folded(b)
    short, long_ = sorted((fa, fb), key=len)
    return len(short) >= 4 and long_.startswith(short)


@dataclass(frozen=True)
class InstitutionKey:
    """Concepts and proper-name stems of an institution's name."""

    concepts: frozenset[str]
    names: tuple[str, ...]

    def slug(self) -> str:
        """A readable id part: name stems, then concepts ("tomsk-state-university")."""
        return "-".join([*self.names, *sorted(self.concepts)]) or "x"


def institution_key(text: str, places: dict[str, str] | None = None) -> InstitutionKey:
    """The key of an institution name (see module docstring); `places` maps name stems to one place id
    (multi-word place names by their joined stems: "Far Eastern", "Қиыр Шығыс" → fareast)."""
    text = re.sub(r"\([^()]*\)", " ", text)  # "(KazNU)": an abbreviation is linked separately
    text = re.sub(r"(?i)тау-кен|tau-ken", " tauken ", text)
    places = places or {}
    tokens = [t.strip(".") for t in _tokens(text)]
    if any(" " in k for k in places):
        tokens = _join_place_phrases(tokens, places)
    concepts: set[str] = set()
    names: list[str] = []
    for tok in tokens:
        if tok.startswith("="):
            names.append(tok[1:])
            continue
        if not tok or "." in tok or len(tok) <= 1 or tok in _DROP or tok.isdigit():
            continue
        folded = _fold_latin(tok)
        concept = _concept(folded)
        if concept is not None:
            if concept:
                concepts.add(concept)
            continue
        stem = name_stem(folded)
        names.append(_place_of(stem, places))
    return InstitutionKey(frozenset(concepts), tuple(sorted(set(names))))


def _join_place_phrases(tokens: list[str], places: dict[str, str]) -> list[str]:
    """Two-word place names found as a phrase become one token named by the place."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        if k + 1 < len(tokens):
            phrase = f"{name_stem(_fold_latin(tokens[k]))} {name_stem(_fold_latin(tokens[k + 1]))}"
            if phrase in places:
                out.append("=" + places[phrase])  # already a place: not a generic word, not stemmed
                k += 2
                continue
        out.append(tokens[k])
        k += 1
    return out


def keys_match(a: InstitutionKey, b: InstitutionKey) -> bool:
    """Same concepts and name stems that pair up one to one."""
    if a.concepts != b.concepts or len(a.names) != len(b.names) or not a.names:
        return False
    left = list(b.names)
    for n in a.names:
        hit = next((k for k, m in enumerate(left) if stems_match(n, m)), None)
        if hit is None:
            return False
        left.pop(hit)
    return True


@dataclass
class InstitutionIndex:
    """Ids for institution names across a run: a name whose key matches one seen before gets its id."""

    places: dict[str, str] = field(default_factory=dict)
    _by_concepts: dict[tuple[frozenset[str], int], list[tuple[InstitutionKey, str]]] = field(default_factory=dict)

    def add(self, key: InstitutionKey, entity_id: str) -> None:
        """Remember `key` as naming `entity_id` (gazetteer rows are added first)."""
        bucket = self._by_concepts.setdefault((key.concepts, len(key.names)), [])
        if not any(k == key for k, _ in bucket):
            bucket.append((key, entity_id))

    def find(self, key: InstitutionKey) -> str | None:
        """The id of a known name whose key matches `key`, if any."""
        for known, entity_id in self._by_concepts.get((key.concepts, len(key.names)), ()):
            if keys_match(known, key):
                return entity_id
        return None

    def id_for(self, text: str, label: str) -> str:
        """The id of `text` (an institution of `label`): a matching known one, else a new one."""
        key = institution_key(text, self.places)
        found = self.find(key)
        if found is not None:
            return found
        new_id = f"{label.lower()}:{key.slug()}"
        self.add(key, new_id)
        return new_id


def place_stems(variants_by_place: dict[str, list[str]]) -> dict[str, str]:
    """name stem → place id, from each place's names in several languages (the gazetteer's GPE/LOC
    rows and `models/gazetteer/places.tsv`)."""
    out: dict[str, str] = {}
    for place_id, variants in variants_by_place.items():
        canon = place_id.split(":", 1)[-1].replace("-", "")
        for v in variants:
            toks = [name_stem(_fold_latin(t)) for t in _tokens(v) if t not in _DROP and len(t) > 1]
            if len(toks) in (1, 2):  # "Омбы"; "Far Eastern", "Қиыр Шығыс" (matched as a phrase)
                out.setdefault(" ".join(toks), canon)
    return out


def read_places(path: str) -> dict[str, list[str]]:
    """Place id → names in every language, from a places TSV (`models/gazetteer/places.tsv`)."""
    from pathlib import Path

    p = Path(path)
    out: dict[str, list[str]] = {}
    if not p.exists():
        return out
    for line in p.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("id\t"):
            continue
        cells = line.split("\t")
        out[cells[0]] = [v.strip() for cell in cells[1:] for v in cell.split("|") if v.strip()]
    return out
