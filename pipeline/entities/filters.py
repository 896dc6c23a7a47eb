"""Dropping model mentions that cannot be what their label says.

Small NER models trained on news tag headings ("MIGRATION"), section words ("Abstract",
"Аннотация"), demonyms ("Kazakhs"), URLs and stray initials as PERSON in academic texts. These
checks use the form of the mention, not a list of wrong answers:
- a person's name has a letter-bearing token that is not an initial, not all capitals and not a
  digit/URL fragment;
- a demonym, language name or document-structure word alone is not a person;
- a name in quotation marks («Sana», "Zhas Tulpar») is the title of an organisation or a work;
- a single Latin word with an English abstract-noun suffix ("Engineering", "Metallurgy",
  "Migration") is a subject or a heading, not a surname;
- a university mention must name one: the bare head word ("the University") does not.
"""

from __future__ import annotations

import re

from pipeline.entities.normalize import strip_initials

# Closed classes: demonyms/languages of the region and words that head sections of papers.
_NOT_A_NAME = frozenset(w.casefold() for w in """
    Kazakh Kazakhs Kazakhstani Kazakhstanis Russian Russians Chinese Uzbek Uzbeks Kyrgyz Tajik Turkmen
    Ukrainian Belarusian English European Asian Soviet Slavic Eurasian
    Abstract Annotation Keywords Introduction Data Methods Results Discussion Conclusion Conclusions
    References Literature Socio Аннотация Аңдатпа Түйін Ключевые Введение Заключение Литература
    казах казахи русский русские китайский қазақ орыс
""".split())
# Nouns that follow initials in institution names ("U.S. Army", "U.N. Security Council").
_INSTITUTION_WORDS = frozenset("""army navy security council government department state court senate congress
    parliament ministry agency bank union assembly committee ltd inc llc gmbh plc corp""".split())
_QUOTE_BEFORE = "«“„\"'‘"
_QUOTE_AFTER = "»”“\"'’"
_BAD_CHARS = re.compile(r"[\d/@:=_\\]|https?|www\.")
_ABSTRACT_NOUN = re.compile(r"^[A-Z][a-z]+(?:ing|ogy|urgy|ism|tion|sion|ment|ness|ics|ity|ance|ence|ship)$")
_HEAD_ONLY = re.compile(r"(?i)^(?:the\s+)?(?:university|institute|academy|college|университет\w*|институт\w*|"
                        r"академи\w*|университеті\w*)$")


def plausible_person(text: str, passage: str, start: int, end: int) -> bool:
    """Whether a PERSON mention at passage[start:end] can be a person's name."""
    if _BAD_CHARS.search(text) or any(q in text for q in "«»“”„\""):
        return False  # URLs, numbers, and names with quotation marks in them (titles, organisations)
    name = strip_initials(text)
    tokens = [t for t in re.split(r"[\s.]+", name) if t]
    if not tokens or all(len(t.strip("-'’")) <= 2 for t in tokens):
        return False  # only initials or fragments ("V.Yu", "Al", "S.")
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return False  # an all-caps heading, not a name
    if tokens[-1].casefold() in _INSTITUTION_WORDS:
        return False
    if len(tokens) == 1 and (tokens[0].casefold() in _NOT_A_NAME or _ABSTRACT_NOUN.match(tokens[0])):
        return False
    before = passage[start - 1] if start > 0 else ""
    after = passage[end] if end < len(passage) else ""
    if before and before in _QUOTE_BEFORE and after and after in _QUOTE_AFTER:
        return False
    return True


# Place words a model (or the surname rule) glues in front of a name: "Kazakhstan Zhu Ran" in a
# byline "Almaty, Kazakhstan Zhu Ran".
_PLACE_WORDS = frozenset("""kazakhstan russia china almaty astana moscow kazakh russian chinese republic
    қазақстан казахстан россия ресей китай қытай""".split())


# Titles and offices a model includes in a name ("Chancellor Gordon Brown", "Mr Brown").
_TITLE_WORDS = frozenset("""mr mrs ms miss dr sir dame lord lady prof professor president chancellor minister
    premier secretary chairman speaker deputy vice governor mayor senator judge rector akim ambassador
    commissioner comic singer actor actress director coach manager captain general colonel""".split())


def trim_person(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of a PERSON span without leading place words or titles, a possessive, and trailing
    punctuation."""
    span = text[start:end]
    while True:
        m = re.match(r"(\S+?)\.?\s+", span)
        word = m.group(1).casefold() if m else ""
        # "Russia's Zvonareva", "Lisburn's Kelly McNeice Reid": a possessive before a name is not part of it.
        if not m or (word not in _PLACE_WORDS and word not in _TITLE_WORDS and not re.search(r"['’]s$", word)):
            break
        start += m.end()
        span = span[m.end():]
    stripped = span.rstrip(" ,;:(-–")
    for possessive in ("'s", "’s"):
        if stripped.endswith(possessive) and len(stripped) > 3:
            stripped = stripped[: -len(possessive)]
    return start, start + len(stripped)


# "им. Л. Н. Гумилева", "имени Абая", "named after al-Farabi", "Абай атындағы": a person's name that
# is part of an institution's name (the university is the entity, not the person).
_NAMED_AFTER_BEFORE = re.compile(r"(?i)(?:\bим\.|\bимени|\bnamed\s+after)\s*$")
_NAMED_AFTER_AFTER = re.compile(r"^\s*(?:атындағы|атында)(?!\w)|^\s+(?:[A-Z][a-z]+\s+){0,4}(?:University|Institute|Academy)\b"
                                r"|^\s*(?:[A-ZА-ЯӘІҢҒҮҰҚӨҺ][a-zа-яәіңғүұқөһ]{0,3}){1,3}(?:U|PU|TU|У|ПУ|ТУ)\b")


def inside_institution_name(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is part of an institution's name."""
    return bool(_NAMED_AFTER_BEFORE.search(text[max(0, start - 20):start]) or _NAMED_AFTER_AFTER.match(text[end:end + 20]))


# "Вестник КазНУ", "Vestnik KazNU", "Bulletin of KazNU", "ҚазҰУ Хабаршысы": journals of a university.
_JOURNAL_BEFORE = re.compile(r"(?i)(?:вестник|известия|хабаршы(?:сы)?|vestnik|izvestiya|khabarshy|habarshy|"
                             r"bulletin\s+of(?:\s+the)?|journal\s+of(?:\s+the)?|proceedings\s+of(?:\s+the)?)\s*$")
_JOURNAL_AFTER = re.compile(r"(?i)^\s*(?:хабаршысы|хабаршы|вестник|bulletin|journal|herald)\b")


def not_a_university(text: str, start: int, end: int) -> bool:
    """Whether a UNIVERSITY mention at text[start:end] names a journal of that university."""
    return bool(_JOURNAL_BEFORE.search(text[max(0, start - 30):start]) or _JOURNAL_AFTER.match(text[end:end + 20]))


def plausible_university(text: str) -> bool:
    """Whether a UNIVERSITY mention names an institution (not just "University")."""
    return not _HEAD_ONLY.match(text.strip())
