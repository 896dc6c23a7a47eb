"""People in reference lists and citations: spotting entries, reading their author lists.

Scholars cite people in a handful of styles, and a news-trained NER model reads none of them
well: it misses "Beech, S.", cuts "Dustmann C." short, glues initials to the next title word
("А. З. Всемирное") and takes words of titles for people ("Young People", "Global Flow"). This
module reads citations by their structure instead:

1. **Entries**: a reference list is the text after a references heading
   (`pipeline.entities.sections`), or any line that starts like a reference (an optional number or
   bullet, then an author list followed by a year, "(eds)", "//" or a title). Each line is one
   entry.
2. **Author list** at the start of an entry: authors separated by ",", ";", "&", "and", "и",
   "және", in any of these forms (Latin or Cyrillic, Kazakh letters included):
   - APA/Harvard `Surname, I. I.` and GOST/Vancouver `Surname I. I.` ("Lo W. Y. W.",
     "Ledeneva V.YU.", "Тоқаев Қ.-Ж. К.");
   - initials first `I. I. Surname` ("A. K. Sagintayeva", "Т. В. Медведева");
   - Chicago `Surname, Firstname` for the first author and `Firstname I. Surname` after it;
   - a full name `Firstname Surname` ("Greg Madison") only when a year follows the list, so a
     title ("Young People and Global Flow.") is never read as authors.
3. **In-text citations**: "(Marginson, 2016; Kuzhabekova & Lee, 2018)", "Silova et al. (2007)",
   "Рязанцев и Письменная (2015)": the surnames before a year.

Every pattern is anchored at a known position with bounded repetition, so a reference list of
thousands of entries is read in time linear in its length (no backtracking blow-up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.entities.sections import references_start

_UP = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁӘІҢҒҮҰҚӨҺЄЇЎ"
_LO = "a-zß-öø-ÿā-žа-яёәіңғүұқөһєїў"
_L = f"{_UP}{_LO}"
# A surname: capitalised, with apostrophes and hyphenated parts (O'Brien, Kassym-Jomartova,
# Al-Tamimi), optional lower-case particles before it (de Wit, van der Berg, von Trapp).
_PARTICLE = r"(?<![\w'’-])(?:(?:de|da|van|von|der|den|di|du|le|la|al|el|bin|ibn)\s+){0,2}"
_SURNAME = (rf"{_PARTICLE}(?:[{_UP}]['’](?=[{_UP}]))?[{_UP}](?:[{_LO}]{{1,30}}|[{_UP}][{_LO}]{{1,30}})"
            rf"(?:['’-][{_UP}]?[{_LO}]{{1,30}}){{0,2}}")
_SURNAME_CAPS = rf"[{_UP}][{_UP}]{{2,20}}"  # "SMITH J." in some reference lists
# One initial: "A.", "Yu.", "Zh.", "YU.", "Қ.-Ж." (hyphenated double initials of Kazakh names).
_INITIAL = rf"[{_UP}](?:[{_LO}]{{1,2}}|[{_UP}])?\.(?:-[{_UP}][{_LO}]?\.)?"
_INITIALS = rf"{_INITIAL}(?:\s?{_INITIAL}){{0,3}}"
_FIRSTNAME = rf"[{_UP}][{_LO}]{{1,20}}(?:-[{_UP}][{_LO}]{{1,20}})?"

# After a name whose surname comes last, the list goes on or ends ("Hazen, ...", "Madison. (2006)");
# "Абдакимов А. А. История ..." is a surname, initials and the first word of a title instead.
_LIST_GOES_ON = r"(?=\s?[,.;(&:]|\s(?:and|и|және|et\sal)\s|\s*$)"
_AUTHOR_FORMS = (
    ("surname-comma-initials", re.compile(rf"(?:{_SURNAME}|{_SURNAME_CAPS}),\s?{_INITIALS}")),
    ("surname-initials", re.compile(rf"(?:{_SURNAME}|{_SURNAME_CAPS})\s{_INITIALS}")),
    ("initials-surname", re.compile(rf"{_INITIALS}\s?{_SURNAME}{_LIST_GOES_ON}")),
    ("first-initials-surname", re.compile(rf"{_FIRSTNAME}\s(?:{_INITIALS}\s)?{_SURNAME}{_LIST_GOES_ON}")),
    ("surname-comma-firstname", re.compile(rf"{_SURNAME},\s{_FIRSTNAME}(?:\s{_INITIAL})?(?=[.,]|\s(?:and|&)\s)")),
)
_WITH_INITIALS = {"surname-comma-initials", "surname-initials", "initials-surname"}
_SEPARATOR = re.compile(r"\s?(?:,\s?(?:and\s|&\s|и\s|және\s)?|;\s?|\s(?:&|and|и|және)\s)\s?")
_ENTRY_START = re.compile(r"[ \t]*(?:[-–•*]\s*)?(?:\[?\d{1,4}[.)\]]\s*)?")
_YEAR_AFTER = re.compile(r"\s?[.,]?\s?\(?(?:1[5-9]|20)\d\d[a-z]?\)?(?![\d])")
_EDITORS = re.compile(r"\s?\((?:eds?|ред|отв\. ред|құраст)\.?\)", re.IGNORECASE)
_AFTER_LIST = re.compile(r"\s?(?:\.|//|:|\(|—|–|-\s)")
_TITLE_AFTER = re.compile(rf"\s[{_UP}]")
_ET_AL = re.compile(r",?\s(?:et\s+al\.?|и\s+др\.?|және\s+т\.б\.?)")
# A run that is one of these is a word of a title or a heading, not a person.
_NOT_FIRSTNAME = frozenset("""The A An In On Of For And To From With By At As Its Their Our New Young Global
    International National State Higher Education Existential Human Social Political Central Asia European
    Journal Review Studies Research Policy University Institute Academy Introduction Migration Student
    Students People Flow Foreign Russian Kazakh Chinese Soviet Public World Theory Method Family""".split())


@dataclass(frozen=True)
class Author:
    """An author found in a citation: offsets into the text, and the form it was written in."""

    start: int
    end: int
    form: str


def _one_author(text: str, pos: int, end: int) -> tuple[int, str] | None:
    """The longest author form starting exactly at `pos` (its end and form name)."""
    best: tuple[int, str] | None = None
    for name, pattern in _AUTHOR_FORMS:
        m = pattern.match(text, pos, end)
        if m and (best is None or m.end() > best[0]):
            if name == "first-initials-surname" and m.group().split()[0] in _NOT_FIRSTNAME:
                continue
            if name == "surname-comma-firstname" and m.group().split(",")[1].split()[0] in _NOT_FIRSTNAME:
                continue
            best = (m.end(), name)
    return best


def author_list(text: str, pos: int, end: int, in_references: bool) -> list[Author]:
    """Authors of the citation whose author list starts at `pos` (empty when it is not one)."""
    authors: list[Author] = []
    cursor = pos
    while cursor < end and len(authors) < 100:
        found = _one_author(text, cursor, end)
        if found is None:
            break
        a_end, form = found
        authors.append(Author(cursor, a_end, form))
        sep = _SEPARATOR.match(text, a_end, end)
        if not sep or sep.end() == a_end:
            cursor = a_end
            break
        cursor = sep.end()
    if not authors:
        return []
    tail_at = authors[-1].end
    et_al = _ET_AL.match(text, tail_at, end)
    if et_al:
        tail_at = et_al.end()
    editors = _EDITORS.match(text, tail_at, end)
    year = _YEAR_AFTER.match(text, tail_at, end)
    if any(a.form in _WITH_INITIALS for a in authors) or any("." in text[a.start:a.end] for a in authors):
        ok = bool(in_references or year or editors or _AFTER_LIST.match(text, tail_at, end) or tail_at >= end
                  or _TITLE_AFTER.match(text, tail_at, end))
    elif authors[0].form == "surname-comma-firstname":
        ok = in_references and bool(year or _AFTER_LIST.match(text, tail_at, end))
    else:
        ok = bool(year or editors)
    return authors if ok else []


# A numbered entry inside a line: a reference list flattened into one paragraph ("... 1997. 2. К. К.").
_INLINE_NUMBER = re.compile(rf"(?<=[.;])\s+\[?\d{{1,4}}[.)\]]\s+(?=[{_UP}])")


def entries(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each candidate entry of text[start:end]: each line, after its number or bullet,
    and numbered entries run together in one line."""
    end = len(text) if end is None else end
    out = []
    line_start = start
    while line_start < end:
        nl = text.find("\n", line_start, end)
        line_end = end if nl < 0 else nl
        m = _ENTRY_START.match(text, line_start, line_end)
        pos = m.end() if m else line_start
        for inner in _INLINE_NUMBER.finditer(text, pos, line_end):
            if inner.start() > pos:
                out.append((pos, inner.start()))
            pos = inner.end()
        if pos < line_end:
            out.append((pos, line_end))
        line_start = line_end + 1
    return out


def _editor_lists(text: str, start: int, end: int) -> list[Author]:
    """Editors inside an entry: "In: Abebe, T., Waters, J. (eds)", "in Huisman, J. and Tight, M. (eds)"."""
    out: list[Author] = []
    for m in re.finditer(r"\b(?:In|in|В|в)\s?:?\s", text[start:end]):
        authors = author_list(text, start + m.end(), end, in_references=True)
        if authors and _EDITORS.match(text, authors[-1].end, end):
            out += authors
    return out


def reference_authors(text: str, refs_from: int | None = None) -> list[Author]:
    """Authors of every reference entry in `text`.

    `refs_from`: where the reference list starts in `text` (0: the whole text is one; None: look
    for a references heading, and read heading-less lines only when they start like a citation).
    """
    if refs_from is None:
        refs_from = references_start(text)
    out: list[Author] = []
    for pos, line_end in entries(text):
        in_refs = refs_from is not None and pos >= refs_from
        authors = author_list(text, pos, line_end, in_refs)
        if not authors and in_refs:
            continue
        out += authors
        if authors or in_refs:
            out += _editor_lists(text, authors[-1].end if authors else pos, line_end)
    return _dedupe(out)


_YEAR = re.compile(r"(?:1[5-9]|20)\d\d[a-z]?(?!\d)")
_CITED_NAME = rf"{_PARTICLE}[{_UP}][{_LO}'’-]{{1,30}}"
_CITED_BEFORE_PAREN = re.compile(
    rf"(?P<names>{_CITED_NAME}(?:(?:,\s|\s(?:&|and|и|және)\s|,\s(?:&|and)\s){_CITED_NAME}){{0,5}})"
    rf"(?:\s(?:et\s+al\.|и\s+др\.))?\s\($")
_CITED_IN_PAREN = re.compile(
    rf"(?:\(|;\s)(?P<names>{_CITED_NAME}(?:(?:,\s|\s(?:&|and|и|және)\s|,\s(?:&|and)\s){_CITED_NAME}){{0,5}})"
    rf"(?:\s(?:et\s+al\.|и\s+др\.))?,\s$")
_NAME_IN_LIST = re.compile(_CITED_NAME)
_NOT_CITED = frozenset("""In On The And As See Cf Also According Following Table Figure Fig Law Decree Article
    January February March April May June July August September October November December Since Until From""".split())


def intext_authors(text: str) -> list[Author]:
    """Surnames in author–year citations ("Silova et al. (2007)", "(Marginson, 2016; Lee & Kim, 2018)")."""
    out: list[Author] = []
    for y in _YEAR.finditer(text):
        lo = max(0, y.start() - 120)
        window = text[lo:y.start()]
        for pattern in (_CITED_BEFORE_PAREN, _CITED_IN_PAREN):
            m = pattern.search(window)
            if not m:
                continue
            base = lo + m.start("names")
            for n in _NAME_IN_LIST.finditer(m.group("names")):
                word = n.group()
                if word.split()[-1] in _NOT_CITED or word in ("and", "и", "және"):
                    continue
                out.append(Author(base + n.start(), base + n.end(), "in-text"))
            break
    return _dedupe(out)


def _dedupe(authors: list[Author]) -> list[Author]:
    """Authors in text order without repeats or spans inside an earlier, longer one (linear after sorting)."""
    out: list[Author] = []
    max_end = -1
    for a in sorted(authors, key=lambda a: (a.start, -a.end)):
        if a.end <= max_end:
            continue  # the same span again, or inside one already kept
        out.append(a)
        max_end = a.end
    return out


def citation_people(text: str, refs_from: int | None = None) -> list[Author]:
    """All people a citation parser finds in `text`: reference-list authors and in-text citations."""
    return _dedupe(reference_authors(text, refs_from) + intext_authors(text))


def reference_region(text: str, refs_from: int | None = None) -> list[tuple[int, int]]:
    """Spans of `text` that are reference entries (where a model's PERSON is not to be trusted)."""
    if refs_from is None:
        refs_from = references_start(text)
    out = []
    for pos, line_end in entries(text):
        if (refs_from is not None and pos >= refs_from) or author_list(text, pos, line_end, False):
            out.append((pos, line_end))
    return out
