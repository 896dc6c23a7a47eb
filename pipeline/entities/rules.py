"""Patterns for universities and agreements in English, Russian and Kazakh.

Statistical NER models tag universities as generic organisations (or miss them) and have no
notion of agreements ("a Memorandum of Understanding" comes out as WORK_OF_ART), so the stage
adds these patterns on top of every backend. They work on the raw text (not on a model's
tokens), so the same rules run whichever backend a language uses.

UNIVERSITY is a higher-education institution: a name with a head word (University, Institute,
Academy, College; университет, институт, академия; университеті, институты, академиясы).
Institutes whose name says they do research or statistics only ("Institute for Demographic
Research", "UNESCO Institute for Statistics") are not universities.

PERSON by form: academic texts cite people as initials + surname ("K. K. Tokayev",
"L.L.Rybakovsky", "Е. Е. Письменная") or surname + two initials ("Bulatbaeva A.A."), a form
small news-trained models often miss or swallow into a neighbouring entity; a romanized
Russian/Kazakh name is recognised by its surname suffix ("Aleksej Babočkin").

AGREEMENT covers agreements, treaties, memoranda, laws, decrees, resolutions and programmes:
- specific (`specific=True`): a title or number identifies one document ("Law ... No. 285-V",
  "law ‘On the status of the pedagogue’", "Agreement between the Government of ..."), a named
  programme ("the Rossotrudnichestvo program"), an agreement with its subject ("a joint
  resolution on cooperation in ..."), or a definite singular reference ("the memorandum",
  `anaphoric=True`: it names the document discussed in its own text);
- not specific (`specific=False`): plural or generic mentions ("40 agreements on cooperation",
  "cooperation memorandums", "various agreements and memorandums").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.entities.lexicon import common_words


@dataclass(frozen=True)
class RuleMatch:
    """A span found by a pattern."""

    start: int
    end: int
    label: str  # UNIVERSITY | AGREEMENT
    specific: bool = True
    anaphoric: bool = False
    rule: str = ""
    alias_of: tuple[int, int] | None = None  # an abbreviation defined in parentheses after a name


# ---------------------------------------------------------------- shared character classes
_LU = "A-Z"
_CU = "А-ЯЁӘІҢҒҮҰҚӨҺ"
_CL = "а-яёәіңғүұқөһ"
_OPEN_Q = "«“„‘'\""
_CLOSE_Q = "»”“’'\""
_QUOTED = f"[{_OPEN_Q}][^{_CLOSE_Q}\\n]{{2,80}}[{_CLOSE_Q}]"
_INITIALS = rf"(?:[{_LU}{_CU}]\.\s?){{1,3}}"

# ---------------------------------------------------------------- English universities
_EN_HEAD = r"(?:University|Institute|Academy|College|Polytechnic|Conservatory|Conservatoire)"
_EN_WORD = rf"(?!{_EN_HEAD}\b)(?:[{_LU}][\w'’&-]*|[{_LU}]{{2,}})(?![\w'’&-])"
_EN_PRE_STOP = frozenset("""The A An In At On Of From For During This These That Its Their Our His Her
    Rector Head Director Dean Professor President Minister Member Students Student Kazakhs Within
    Among Between Both Each Every Many Most Some Several Such When While Where As By With And Or
    Currently Today Also However Moreover Thus So If Since Until After Before""".split())
_EN_TAIL_NAME = rf"{_EN_WORD}(?:\s+{_EN_WORD})*"
_EN_UNIV = re.compile(
    rf"(?<![\w'’&.-])(?P<pre>(?:(?:{_INITIALS})?{_EN_WORD}\s+){{0,6}})"
    rf"(?P<head>{_EN_HEAD})\b"
    rf"(?P<tail>(?:\s+(?:of|for|of\s+the|for\s+the|in)\s+{_EN_TAIL_NAME}"
    rf"(?:\s+(?:and|&)\s+{_EN_TAIL_NAME}(?!\s+(?:{_EN_WORD}\s+)*{_EN_HEAD}\b))*)*"
    rf"(?:\s*{_QUOTED})?)"
)
# "chemical-technological university ‘D.I. Mendeleev’": lowercase head + quoted proper name
_EN_UNIV_QUOTED = re.compile(
    rf"(?:\b[a-z][\w-]*\s+)?\b(?:university|institute|academy)\s+(?:named\s+after\s+)?{_QUOTED}")
_ACADEMY_OF_SCIENCES = re.compile(r"(?i)\s*(?:of\s+Sciences\b|наук\b|ғылым)|Academy\s+of\s+Sciences|академи\w*\s+наук")
_RESEARCH_ONLY = re.compile(r"\b(?:Research|Studies|Statistics|Strategic|Demographic)\b|исследован|зерттеу")

# ---------------------------------------------------------------- Russian universities
_RU_ADJ_END = "(?:ый|ий|ой|ая|яя|ое|ее|ого|его|ому|ему|ым|им|ом|ем|ую|юю)"
_RU_HEAD = rf"(?:университет|институт|академи(?:я|и|ю|ей)|консерватори(?:я|и|ю|ей))(?:а|у|ом|е)?(?![{_CL}])"
_RU_UNIV = re.compile(
    rf"(?P<pre>(?:[{_CU}][{_CL}-]+{_RU_ADJ_END}|[{_CU}][{_CU}{_CL}-]+[{_CL}]{_RU_ADJ_END})"
    rf"(?:\s+[{_CL}-]+{_RU_ADJ_END}){{0,4}}\s+)"
    rf"(?P<head>{_RU_HEAD})"
    rf"(?P<tail>(?:\s+(?!имени\b)(?![{_CL}]+(?:ли|ют|ят|ет|ит)(?![{_CL}]))[{_CL}]{{3,}}(?:ых|их|ого|его|ов|ей|ы|и|ий|ия|ства|ния)(?![{_CL}])){{0,3}}"
    rf"(?:\s+(?:имени|им\.)\s*(?:{_INITIALS})?(?:[{_CL}]{{1,3}}-)?[{_CU}][\w-]+(?:\s+[{_CU}][\w-]+)?)?"
    rf"(?:\s*«[^»\n]{{2,80}}»)?"
    # "Медицинский университет Караганды": one capitalised place after the head, not a person's
    # name that follows ("... университет Сергей Иванов").
    rf"(?:\s+[{_CU}][{_CL}]{{2,}}(?=[\s,.;:)]|$)(?!\s+[{_CU}]))?)"
)
# ---------------------------------------------------------------- Kazakh universities
_KK_HEAD = (rf"(?:университет|институт|академия|консерватория)(?:[{_CL}]{{0,7}})(?![{_CL}])")
_KK_WORD = rf"(?:[{_CU}{_CL}][{_CL}-]+|[{_CU}]{{2,}})"
# Kazakh: an optional "<name> атындағы" ("named after"), a run of capitalised proper names, then
# only the generic institution adjectives (a closed class), then the head word with its case
# ending. Lower-case words other than those adjectives end the name, so "Л.Н. Гумилев атындағы
# Еуразия ұлттық университетінің студенттері Томск мемлекеттік университетіне" gives two names;
# capitalised words in a dative or locative case ("Желіге", "Семейдегі") are not part of a name.
_KK_GENERIC = (r"(?:мемлекеттік|ұлттық|техникалық|политехникалық|педагогикалық|медицина(?:лық)?|аграрлық|"
               r"агротехникалық|зерттеу|технологиялық|өңірлік|халықаралық|федералдық|инженерлік|экономикалық|"
               r"гуманитарлық|тау-кен|көлік|қаржы|құқық|индустриялық|инновациялық|көпсалалы|әскери|"
               r"менеджмент|бизнес|өнер|музыка|спорт|туризм|аграрлық-техникалық|жаратылыстану|гуманитарлық-техникалық)")
_KK_CAP = (rf"(?:(?:{_INITIALS})?(?:[{_CL}]{{1,3}}-)?[{_CU}][{_CL}]+(?:-[{_CU}]?[{_CL}]+)*(?<!дегі)(?<!дағы)(?<!тегі)(?<!тағы)(?<!ға)(?<!ге)"
           rf"(?<!қа)(?<!ке)|[{_CU}]{{2,}}[{_CL}]{{0,2}}[{_CU}]*)")
_KK_PLAIN_CAP = rf"[{_CU}][{_CL}]+"  # a two-word name before атындағы: "Қорқыт Ата" (not "Тоқаев әл-Фараби")
_KK_UNIV = re.compile(
    rf"(?<![\w-])(?P<pre>(?:(?:{_KK_CAP}|{_KK_PLAIN_CAP}\s+{_KK_PLAIN_CAP})(?:\s+хан)?\s+атындағы\s+)?"
    rf"(?:{_KK_CAP}\s+){{0,3}}(?:{_KK_GENERIC}\s+){{0,4}})"
    rf"(?P<head>{_KK_HEAD})"
    rf"(?P<tail>)"
)
# Russian names that are a surname before the head: "Торайгыров университет".
_RU_UNIV_SURNAME = re.compile(
    rf"(?<![\w-])(?P<pre>[{_CU}][{_CL}]+(?:ов|ев|ин|ын|ский)\s+)(?P<head>[Уу]ниверситет(?:[{_CL}]{{0,3}}))(?![{_CL}])(?P<tail>)")
# Russian head-first names: "Университет имени Шакарима", "институт им. К. Сатпаева".
_RU_UNIV_HEAD_FIRST = re.compile(
    rf"(?<![{_CL}{_CU}])(?P<pre>)(?P<head>[Уу]ниверситет|[Ии]нститут|[Аа]кадеми[яи])(?:[{_CL}]{{0,3}})"
    rf"(?P<tail>\s+(?:имени|им\.)\s*(?:{_INITIALS}\s?)?(?:[{_CL}]{{1,3}}-)?[{_CU}][\w-]+(?:\s+[{_CU}][\w-]+)?)")
_ABBREV_AFTER = re.compile(rf"\s*\((?P<abbr>[{_LU}{_CU}][\w&-]{{1,11}})\)")

# ---------------------------------------------------------------- English agreements
_EN_AG_SG = (r"(?:[Aa]greement|[Tt]reaty|[Mm]emorandum(?:\s+of\s+[Uu]nderstanding)?|[Aa]ccord|[Cc]onvention"
             r"|[Pp]rotocol|[Ll]aw|[Dd]ecree|[Rr]esolution|[Pp]rogramme|[Pp]rogram|[Dd]eclaration|[Cc]harter"
             r"|[Cc]oncept)")
_EN_AG_CAP = (r"(?:Agreement|Treaty|Memorandum(?:\s+of\s+Understanding)?|Accord|Convention|Protocol|Law|Decree"
              r"|Resolution|Programme|Program|Declaration|Charter|Concept)")
_EN_AG_PL = r"(?:agreements|treaties|memorandums|memoranda|accords|protocols|conventions)"
_DATE_EN = r"(?:[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})"
_EN_ISSUER = r"(?:\s+of\s+the\s+(?:Government\s+of\s+the\s+)?(?:Republic\s+of\s+[A-Z]\w+|Russian\s+Federation|People's\s+Republic\s+of\s+China|[A-Z]\w+))?"
_EN_NUMBERED = re.compile(
    rf"\b{_EN_AG_SG}{_EN_ISSUER}(?:\s+dated\s+{_DATE_EN})?\s+No\.?\s*[\w-]+(?:\s*{_QUOTED})?")
_EN_DATED = re.compile(rf"\b{_EN_AG_SG}{_EN_ISSUER}\s+dated\s+{_DATE_EN}(?:\s*{_QUOTED})?")
_EN_TITLED = re.compile(rf"\b{_EN_AG_SG}{_EN_ISSUER}\s*[{_OPEN_Q}](?:On|About|on|about)\s[^{_CLOSE_Q}\n]{{2,80}}[{_CLOSE_Q}]")
_EN_TAIL_WORD = rf"(?!{_EN_AG_CAP}\b)[^\s.;:!?\[\]()«»\"]+"
_EN_CAP_HEAD_TAIL = re.compile(
    rf"\b{_EN_AG_CAP}\s+(?:between|among|on|concerning)\s+(?:{_EN_TAIL_WORD}\s+){{0,40}}?{_EN_TAIL_WORD}(?=[\s]*(?:[.;:!?\[\]()«»\"]|$|\s(?:In|Decree|Law)\s))")
_EN_NAMED = re.compile(
    rf"(?P<mods>(?:(?!(?:The|A|An|In|On|Of|This|That|By|For|As|At)\b)[{_LU}][\w'’-]+\s+){{1,4}})(?P<head>{_EN_AG_SG})\b(?!\s+(?:of|on|between)\s+[a-z])"
    rf"|\b(?P<head2>{_EN_AG_CAP})\s+(?P<ofmods>(?:on|of)\s+(?:the\s+)?(?:[{_LU}][\w'’-]+\s*){{1,6}})")
_NATIONALITY = frozenset("""Russian Kazakh Kazakhstani Kazakhstan Chinese China Russia International National State
    Federal Joint New Bilateral Intergovernmental Government Governmental Educational Cooperation""".split())
_EN_DEFINITE = re.compile(r"\bthe\s+(?P<head>memorandum|agreement|treaty|accord|resolution)\b(?!\s+(?:of|on|between)\b)")
_EN_SUBJECT = re.compile(
    r"\b(?:a|an|the)\s+(?:(?:joint|new|bilateral|intergovernmental|cooperation|framework)\s+)*"
    r"(?P<head>agreement|treaty|memorandum|accord|resolution|protocol)\s+(?:on|about|concerning)\s+"
    r"(?:[a-z][\w-]*\s+){0,9}?[a-z][\w-]*(?=\s*[,.;:()]|\s+(?:was|were|is|are|has|have|and\s+the)\b)")
_EN_PLURAL = re.compile(
    rf"\b(?:(?:\d[\d,]*|several|various|many|numerous|multiple|some|two|three|four|five|six|seven|eight|nine|ten"
    rf"|bilateral|intergovernmental|international|cooperation|new|existing|joint|these|such)\s+)*{_EN_AG_PL}"
    rf"(?:\s+(?:on|of)\s+(?:cooperation|collaboration|collabration)\b)?")

# ---------------------------------------------------------------- Russian agreements
_RU_AG = (rf"(?:соглашени(?:е|я|ю|ем|и)|договор(?:а|у|ом|е)?|меморандум(?:а|у|ом|е)?|закон(?:а|у|ом|е)?"
          rf"|указ(?:а|у|ом|е)?|постановлени(?:е|я|ю|ем|и)|программ(?:а|ы|е|у|ой)|протокол(?:а|у|ом|е)?"
          rf"|конвенци(?:я|и|ю|ей)|резолюци(?:я|и|ю|ей)|декларац(?:ия|ии|ию|ией)|концепци(?:я|и|ю|ей))(?![{_CL}])")
_RU_AG_PL = (rf"(?:соглашений|соглашениям(?:и)?|договоров|меморандумов|протоколов|договоренностей)(?![{_CL}])")
_RU_AG_PAT = re.compile(rf"(?i:{_RU_AG})")
_RU_SPECIFIC = re.compile(
    rf"(?i:\b{_RU_AG})"
    rf"(?:\s+(?:Президента|Правительства|Министерства|Республики|Российской|Китайской|Кабинета|РК|РФ)[\w\s]{{0,60}}?)?"
    rf"(?:\s+от\s+\d{{1,2}}(?:\s+[{_CL}]+|\.\d{{1,2}}\.)\s*\d{{4}}(?:\s+года|\s+г\.)?)?"
    rf"(?:\s+№\s*[\w-]+)?"
    rf"(?:\s*«[^»\n]{{2,100}}»|\s+(?:между|о|об)\s+[^.;:!?()\[\]«»\n]{{3,200}}?(?=[.;:!?()\[\]«»\n]|,\s))")
_RU_PLURAL = re.compile(rf"(?i:\b(?:\d[\d\s]*|ряд|несколько|многочисленных|ряда)\s+(?:[{_CL}]+(?:ых|их)\s+)*{_RU_AG_PL})")

# ---------------------------------------------------------------- Kazakh agreements
_KK_AG = (rf"(?:келісім(?:і|ге|де|нің|ді|мен)?|меморандум(?:ы|ға|да|ның|ды)?|[Зз]аң(?:ы|ына|ында|ның|ды)?"
          rf"|[Жж]арлығ(?:ы|ына|ында|ның)|[Жж]арлық|[Ққ]аулы(?:сы|сына|сында|ның)?|[Бб]ағдарлама(?:сы|сына|сында|ның)?"
          rf"|[Шш]арт(?:ы|қа|та|тың)?|[Тт]ұжырымдама(?:сы)?|[Хх]аттама(?:сы)?)(?![{_CL}])")
_KK_AG_PL = (r"(?:келісімдер\w*|меморандумдар\w*|шарттар\w*|хаттамалар\w*)")
_KK_SPECIFIC = re.compile(
    rf"«[^»\n]{{2,100}}»\s+(?:(?:[{_CU}][{_CL}]+|[{_CL}]+(?:ның|нің|дың|дің|тың|тің))\s+){{0,4}}{_KK_AG}"
    rf"|(?:(?![{_CL}-]*(?:да|де|та|те)\s)[{_CU}{_CL}][{_CL}-]+\s+){{1,5}}туралы\s+(?:[{_CL}]+\s+){{0,2}}{_KK_AG}")
_KK_PLURAL = re.compile(rf"(?:\d[\d\s]*|бірнеше|түрлі)?\s*(?:[{_CL}]+\s+)?{_KK_AG_PL}")


_NAME_WORD = rf"[{_LU}{_CU}][a-z{_CL}]{{2,}}(?:['’][a-z]+)?(?:-[{_LU}{_CU}][a-z{_CL}]+)?"
_PERSON_INITIALS_FIRST = re.compile(
    rf"(?<![\w.])(?:[{_LU}{_CU}][a-z{_CL}]?\.\s?){{1,3}}{_NAME_WORD}(?![\w-])(?!\s+(?:{_EN_HEAD}|[{_LU}][a-z]+\s+{_EN_HEAD})\b)")
_PERSON_INITIALS_AFTER = re.compile(
    rf"(?<![\w.])(?<!\.\s){_NAME_WORD}\s+(?:[{_LU}{_CU}]\.\s?){{2,3}}(?![\w])(?!\s*[{_LU}{_CU}][a-z{_CL}])")


# Romanized Russian/Kazakh surnames carry their suffix (Babočkin, Aliaskarov, Bejsembaev,
# Ryazantsev, Pysmennaya, Tokayuly): two capitalised words, one of them with such a suffix, are a
# person's name in texts about the region even where an English news model sees none.
_SURNAME_SUFFIX = (r"(?:ov|ev|yov|ova|eva|yova|kin|kina|enko|sky|skiy|skii|skaya|ovich|evich|ovna|evna"
                   r"|bayev|baev|bekov|uly|kyzy|tsev|tseva|shvili|yan)")
_LATIN_NAME = r"[A-Z][a-zà-žA-Z'’-]*[a-zà-ž]"
_PERSON_SLAVIC = re.compile(
    r"(?<![\w.-])(?!(?:But|And|The|In|On|At|As|For|If|When|While|After|Before|Since|So|Yet|Or|Of|By|With|From"
    r"|To|This|That|Then|Now|Also|Even|Only|President|Minister|Rector|Professor)\s)"
    rf"(?:{_LATIN_NAME}{_SURNAME_SUFFIX}\s+{_LATIN_NAME}|{_LATIN_NAME}\s+{_LATIN_NAME}{_SURNAME_SUFFIX})(?![\w-])")


def _people(text: str) -> list[RuleMatch]:
    out = [RuleMatch(m.start(), m.end(), "PERSON", rule="person:initials")
           for pattern in (_PERSON_INITIALS_FIRST, _PERSON_INITIALS_AFTER) for m in pattern.finditer(text)]
    out += [RuleMatch(m.start(), m.end(), "PERSON", rule="person:surname-suffix") for m in _PERSON_SLAVIC.finditer(text)]
    # "Toraighyrov University": a surname before an institution's head word names the institution.
    return [RuleMatch(r.start, r.start + len(text[r.start:r.end].rstrip()), r.label, rule=r.rule) for r in out
            if not re.search(rf"\b{_EN_HEAD}\b", text[r.start:r.end])]


def _trim_leading(text: str, start: int, end: int, stop: frozenset[str]) -> tuple[int, int]:
    """Drop leading capitalised function words ("The", "Rector", ...) from a span."""
    while True:
        m = re.match(r"\S+\s+", text[start:end])
        if not m or m.group().strip() not in stop:
            return start, end
        start += m.end()


# Kazakh case and plural endings, so "Делегацияны", "Грантты", "Дәрісті" are found as the
# common words "делегация", "грант", "дәріс".
_KK_ENDINGS = sorted("""ны ні ды ді ты ті ның нің дың дің тың тің ға ге қа ке на не да де та те дан ден тан тен нан нен
    мен бен пен лар лер дар дер тар тер ларды лерді дарды дерді ын ін сы сі""".split(), key=len, reverse=True)


def _kk_stem(word: str) -> str:
    """A Kazakh word without up to two case/possessive endings (делегациясын → делегация)."""
    w = word.casefold()
    for _ in range(2):
        ending = next((e for e in _KK_ENDINGS if w.endswith(e) and len(w) - len(e) >= 4), None)
        if ending is None:
            break
        w = w[: -len(ending)]
    return w


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    return frozenset(_kk_stem(w) for w in common_words())


def _is_common_word(word: str) -> bool:
    return word.casefold() in common_words() or _kk_stem(word) in _common_stems()


def _skip_common_first_word(text: str, start: int, head: int) -> int:
    """Drop capitalised common words ("Форум", "Делегацияны") in front of a Cyrillic name
    (`pipeline.entities.lexicon`) when another capitalised word follows: "Қазан" stays in "Қазан
    федералдық университеті" though "қазан" is also a common word."""
    while True:
        m = re.match(rf"([{_CU}][{_CL}]+)\s+(?=[{_CU}]\S*\s)", text[start:head])
        if not m or not _is_common_word(m.group(1)) or start + m.end() >= head:
            return start
        start += m.end()


def _add_abbreviation(text: str, start: int, end: int, out: list[RuleMatch], label: str) -> None:
    """`Full Name (ABBR)`: the abbreviation is a second mention linked to the full name."""
    m = _ABBREV_AFTER.match(text, end)
    if m and sum(c.isupper() for c in m.group("abbr")) >= 2:
        out.append(RuleMatch(m.start("abbr"), m.end("abbr"), label, rule="abbreviation",
                             alias_of=(start, end)))


def _universities(text: str, lang: str) -> list[RuleMatch]:
    out: list[RuleMatch] = []
    patterns = {"en": [_EN_UNIV], "ru": [_RU_UNIV, _RU_UNIV_HEAD_FIRST, _RU_UNIV_SURNAME],
                "kk": [_KK_UNIV, _RU_UNIV, _RU_UNIV_HEAD_FIRST]}.get(lang, [_EN_UNIV])
    if lang != "en":
        patterns = patterns + [_EN_UNIV]  # English names inside Russian/Kazakh texts and vice versa
    for pattern in patterns:
        for m in pattern.finditer(text):
            start, end = _trim_leading(text, m.start(), m.end(), _EN_PRE_STOP)
            start = _skip_common_first_word(text, start, m.start("head"))
            if start >= m.start("head") and not m.group("tail").strip():
                continue  # a bare head word ("the University") names nothing
            span = text[start:end].rstrip(" ,")
            end = start + len(span)
            if _not_higher_education(span) or _ACADEMY_OF_SCIENCES.match(text, end):
                continue
            out.append(RuleMatch(start, end, "UNIVERSITY", rule=f"university:{pattern is _EN_UNIV and 'en' or lang}"))
            _add_abbreviation(text, start, end, out, "UNIVERSITY")
    for m in _EN_UNIV_QUOTED.finditer(text):
        out.append(RuleMatch(m.start(), m.end(), "UNIVERSITY", rule="university:quoted"))
    # A shorter reading inside a longer name ("университет имени аль-Фараби" inside "Казахский
    # национальный университет имени аль-Фараби") is the same name, not a second one.
    names = [(r.start, r.end) for r in out if r.alias_of is None]
    return [r for r in out if r.alias_of is not None
            or not any(s <= r.start and r.end <= e and (s, e) != (r.start, r.end) for s, e in names)]


# Broadcasts are not agreements: "the BBC World Service programme", "the Today programme".
_BROADCAST = re.compile(r"\b(?:BBC|ITV|CNN|Sky|Radio|TV|Television|Channel|World\s+Service|Newsnight|Today|Panorama"
                        r"|Breakfast|show|series|episode|broadcast|documentary)\b")


def is_broadcast(text: str, before: str = "") -> bool:
    """Whether a programme mention names a broadcast (the programme word with a broadcaster or show word)."""
    return bool(re.search(r"(?i)\bprogram", text) and (_BROADCAST.search(text) or _BROADCAST.search(before[-40:])))


def _named_is_specific(m: re.Match[str]) -> bool:
    if m.group("head2"):
        return True
    mods = m.group("mods").split()
    if mods and mods[-1].rstrip(".") in ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Dame"):
        return False  # "Mr Law" is a person
    return any(w.strip("'’") not in _NATIONALITY for w in mods)


def _agreements_en(text: str) -> list[RuleMatch]:
    out: list[RuleMatch] = []
    for rule, pattern in (("numbered", _EN_NUMBERED), ("dated", _EN_DATED), ("titled", _EN_TITLED),
                          ("title-tail", _EN_CAP_HEAD_TAIL), ("subject", _EN_SUBJECT)):
        out += [RuleMatch(m.start(), m.end(), "AGREEMENT", rule=f"agreement:{rule}") for m in pattern.finditer(text)]
    for m in _EN_NAMED.finditer(text):
        if _named_is_specific(m) and not is_broadcast(m.group(), text[max(0, m.start() - 40):m.start()]):
            start, end = _trim_leading(text, m.start(), m.end(), _EN_PRE_STOP)
            start = _skip_common_first_word(text, start, m.start("head"))
            end = start + len(text[start:end].rstrip())
            out.append(RuleMatch(start, end, "AGREEMENT", rule="agreement:named"))
    out += [RuleMatch(m.start("head"), m.end("head"), "AGREEMENT", anaphoric=True, rule="agreement:definite")
            for m in _EN_DEFINITE.finditer(text)]
    out += [RuleMatch(m.start(), m.end(), "AGREEMENT", specific=False, rule="agreement:plural")
            for m in _EN_PLURAL.finditer(text)]
    return out


def _agreements_ru(text: str) -> list[RuleMatch]:
    out = [RuleMatch(m.start(), m.end(), "AGREEMENT", rule="agreement:ru-specific") for m in _RU_SPECIFIC.finditer(text)]
    out += [RuleMatch(m.start(), m.end(), "AGREEMENT", specific=False, rule="agreement:ru-plural")
            for m in _RU_PLURAL.finditer(text)]
    return out


def _agreements_kk(text: str) -> list[RuleMatch]:
    out = [RuleMatch(m.start(), m.end(), "AGREEMENT", rule="agreement:kk-specific") for m in _KK_SPECIFIC.finditer(text)]
    out += [RuleMatch(m.start(), m.end(), "AGREEMENT", specific=False, rule="agreement:kk-plural")
            for m in _KK_PLURAL.finditer(text) if m.group().strip()]
    return out


def find_rule_mentions(text: str, lang: str) -> list[RuleMatch]:
    """University and agreement spans in `text` written in `lang` (en, ru, kk; others use English rules).

    Overlapping matches are all returned; `pipeline.entities.merge` keeps the best per span.
    English rules also run on Russian/Kazakh text (English names inside them) and the Russian
    ones on Kazakh text (Kazakh texts quote Russian names).
    """
    out = _universities(text, lang)
    out += _people(text)
    out += _agreements_en(text)
    if lang in ("ru", "kk"):
        out += _agreements_ru(text)
    if lang == "kk":
        out += _agreements_kk(text)
    out = [r if not text[r.start:r.end].endswith((" ", "\n")) else
           RuleMatch(r.start, r.start + len(text[r.start:r.end].rstrip()), r.label, r.specific, r.anaphoric, r.rule,
                     r.alias_of) for r in out]
    return sorted(out, key=lambda r: (r.start, -r.end, r.label, r.rule))


# Research and professional bodies named like institutes: "Institute for Supply Management",
# "Chartered Institute of ...", and Russian head-first "Институт ядерной физики" (research
# institutes; Russian universities put the adjective first: "Московский авиационный институт").
_NON_HEI_INSTITUTE = re.compile(r"\bInstitute\s+for\b|\bChartered\b|^(?:РГП\s*«?)?Институт[а-яё]*\s")


def _not_higher_education(name: str) -> bool:
    """Whether a name with a university head word still names no higher-education institution."""
    if re.search(r"(?i)univers|университет", name):
        return False
    if _ACADEMY_OF_SCIENCES.search(name):
        return True  # academies of sciences are research bodies
    return bool(re.search(r"(?i)institut|инстит", name) and (_RESEARCH_ONLY.search(name) or _NON_HEI_INSTITUTE.search(name)))


def looks_like_university(text: str) -> bool:
    """Whether an organisation name found by a model names a higher-education institution."""
    if _not_higher_education(text):
        return False
    return bool(re.search(r"(?i)\b(?:university|institute|academy|college|polytechnic)\b"
                          r"|университет|институт|академи|консерватори", text))


def looks_like_agreement(text: str) -> bool:
    """Whether a law/work-of-art name found by a model names an agreement-like document (not a
    broadcast programme, not a person called Law after a courtesy title)."""
    if is_broadcast(text) or re.match(r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Dame)\.?\s", text):
        return False
    return bool(re.search(rf"(?i)\b{_EN_AG_SG}\b", text) or _RU_AG_PAT.search(text)
                or re.search(_KK_AG, text))


def is_plural_agreement(text: str) -> bool:
    """Whether an agreement mention is plural (hence not one specific document)."""
    return bool(re.search(rf"(?i)\b{_EN_AG_PL}\b|{_RU_AG_PL}|{_KK_AG_PL}", text))
