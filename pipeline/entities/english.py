"""English people beyond the small spaCy model: titles, parties and places, surnames within a document.

`en_core_web_sm` is trained on OntoNotes news; on British and Kazakh government news it tags
parties ("Labour", "Lib Dems"), clubs and towns as people, misses "Mr Kruger" half the time and
tags a surname it saw with a first name in one sentence as an organisation in the next. Three
fixes that use the form of the text and the document, not a list of the errors seen:

- `mr_names`: a courtesy title or honorific (Mr, Mrs, Ms, Dr, Sir, Lord, ...) is followed by a
  person's name ("Mr Kruger", "Ms Jowell", "Dr Liam Fox"); the title itself is not part of it.
- `english_person_filter`: a PERSON candidate is dropped when it is a political party or
  movement or an online platform (closed classes), a sports club ("Manchester United"), when the
  same words are tagged as an organisation or place elsewhere in the passage ("Villa" of "Aston
  Villa"), or when it is only a job title.
- `document_people`: within one document, a surname first seen in a full name ("Gordon Brown")
  is the same person when it occurs alone later ("Brown said"); such occurrences are added where
  the model missed them, and a one-word PERSON that the document itself tags mostly as a place
  or organisation is dropped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from pipeline.entities.merge import EntityMention

_NAME = r"(?:[A-Z]['’][A-Z][a-z]+|(?:Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_HONORIFIC = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Baroness|Prof)\.?\s+(?P<name>{_NAME}(?:\s+{_NAME}){{0,2}})(?![\w-])")
# Words after a title that are not names ("Mr President", "Lord Chancellor", "Dr Who").
_NOT_AFTER_TITLE = frozenset("President Speaker Chancellor Justice Chairman Secretary Minister Mayor Who".split())

# Political parties and movements named in English news (closed class; countries of the corpus
# included). A one-word PERSON equal to one of them is a party.
_PARTIES = frozenset(w.casefold() for w in """Labour Tory Tories Conservative Conservatives Lib LibDem LibDems
    Liberal Liberals Democrat Democrats Republican Republicans SNP UKIP Plaid Greens Green Sinn Fein DUP SDLP
    Unionist Unionists Respect Veritas Nur Otan Amanat Ak Zhol Auyl Communist Communists Socialist Socialists
    Labour's Tories' Whig Whigs""".split())
_PARTY_PHRASES = re.compile(r"(?i)^(?:lib\s+dems?|liberal\s+democrats?|plaid\s+cymru|sinn\s+f[eé]in|nur\s+otan|ak\s+zhol|"
                            r"new\s+labour|green\s+party|labour\s+party|conservative\s+party)$")
_TITLE_WORDS = frozenset(w.casefold() for w in """President Prime Minister Ministers Chancellor Secretary Chairman
    Chairwoman Chair Speaker Deputy Vice Governor Mayor Senator Judge Justice General Colonel Captain Coach Manager
    Director Head Chief Executive Officer CEO Akim Rector Professor Ambassador Commissioner Spokesman Spokeswoman
    Minister's Premier King Queen Prince Princess Pope Bishop Archbishop Sheikh Emir Sultan Baron Shadow Foreign Home
    Culture Education Health Finance Defence Justice Mr Mrs Ms Dr Sir Lord Lady""".split())
_CONTEXT_LABELS = ("ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "UNIVERSITY")


def mr_names(text: str) -> list[tuple[int, int]]:
    """Spans of names after a courtesy title or honorific ("Mr Kruger" → "Kruger")."""
    out = []
    for m in _HONORIFIC.finditer(text):
        words = m.group("name").split()
        while words and words[-1] in _NOT_AFTER_TITLE:
            words.pop()
        if words and words[0] not in _NOT_AFTER_TITLE:
            start = m.start("name")
            out.append((start, start + len(" ".join(words))))
    return out


def is_party(text: str) -> bool:
    """Whether `text` names a political party or movement."""
    t = text.strip()
    return t.casefold() in _PARTIES or bool(_PARTY_PHRASES.match(t))


def only_titles(text: str) -> bool:
    """Whether every word of `text` is a title or office ("Chancellor", "Prime Minister")."""
    words = re.findall(r"[\w'’]+", text)
    return bool(words) and all(w.casefold() in _TITLE_WORDS for w in words)


# Sports clubs are named "<Town> United/City/Rovers/..."; online platforms are a closed class.
_CLUB = re.compile(r"\b(?:United|City|Rovers|Athletic|Albion|Wanderers|Hotspur|Rangers|Celtic|FC|Villa|County|Town)$")
_PLATFORMS = frozenset(w.casefold() for w in """Twitter Facebook Instagram Periscope Vkontakte VK YouTube Telegram
    WhatsApp TikTok LinkedIn Google Skype Napster""".split())


class EnglishContext:
    """What the rest of a passage says about words: the texts and words of its organisation,
    place and other non-person mentions."""

    def __init__(self, mentions: Sequence[EntityMention]) -> None:
        context = [o for o in mentions if o.label in _CONTEXT_LABELS]
        self.texts = {o.text for o in context}
        self.words = {w for o in context for w in o.text.split()}


def english_person_filter(m: EntityMention, context: EnglishContext) -> bool:
    """Whether an English PERSON candidate can stay (see module docstring)."""
    if is_party(m.text) or only_titles(m.text) or _CLUB.search(m.text) or m.text.casefold() in _PLATFORMS:
        return False
    return m.text not in context.texts and not (" " not in m.text and m.text in context.words)


_SURNAME_TOKEN = re.compile(r"^[A-Z][\w'’-]+$")


def _surname_of(name: str) -> str | None:
    words = [w for w in name.replace("’s", "").replace("'s", "").split() if not w.endswith(".")]
    if len(words) < 2 or not _SURNAME_TOKEN.match(words[-1]):
        return None
    return words[-1]


def document_people(texts: Sequence[str], mentions: list[list[EntityMention]], scopes: Sequence[str],
                    lang_of: Sequence[str]) -> list[list[EntityMention]]:
    """English passages of one run: surnames of full names found in a document are added where they
    occur alone later in it, and one-word PERSON mentions the document mostly tags otherwise go."""
    surnames: dict[str, dict[str, int]] = defaultdict(dict)  # scope → surname → first passage index
    label_votes: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for i, ms in enumerate(mentions):
        if lang_of[i] != "en":
            continue
        for m in ms:
            label_votes[scopes[i]][(m.text, m.label if m.label == "PERSON" else "OTHER")] += 1
            if m.label == "PERSON" and (s := _surname_of(m.text)) is not None:
                surnames[scopes[i]].setdefault(s, i)
    out = []
    for i, ms in enumerate(mentions):
        if lang_of[i] != "en":
            out.append(ms)
            continue
        votes = label_votes[scopes[i]]
        kept = [m for m in ms if not (m.label == "PERSON" and " " not in m.text
                                      and votes[(m.text, "OTHER")] > votes[(m.text, "PERSON")])]
        taken = [(m.start, m.end) for m in kept]
        for surname, first in surnames[scopes[i]].items():
            if first > i:
                continue
            for occ in re.finditer(rf"(?<![\w'’-]){re.escape(surname)}(?![\w-])", texts[i]):
                if votes[(surname, "OTHER")] > votes[(surname, "PERSON")]:
                    break
                if all(occ.end() <= s or occ.start() >= e for s, e in taken):
                    kept.append(EntityMention(occ.start(), occ.end(), surname, "PERSON", True, "coreference", 0.7, "en"))
                    taken.append((occ.start(), occ.end()))
        out.append(sorted(kept, key=lambda m: (m.start, m.end, m.label)))
    return out


def strip_possessive(m: EntityMention) -> EntityMention:
    """"Kenteris's" → "Kenteris": the possessive is not part of the name."""
    for suffix in ("'s", "’s"):
        if m.text.endswith(suffix) and len(m.text) > len(suffix) + 1:
            return replace(m, end=m.end - len(suffix), text=m.text[: -len(suffix)])
    return m
