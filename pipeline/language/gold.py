"""Evaluation sentences for language identification, drawn only from material the repo ships.

- Kazakh (kk): KazNERD validation sentences (`data/kaznerd/IOB2_valid.txt`).
- Russian (ru): factRuEval-2016 dev sentences (`data/factrueval/devset/`).
- English (en): sentences of the seed corpus (`corpus/documents/*.txt`), keeping only lines
  written in Latin letters and leaving out bibliography entries (they carry romanized Russian
  and Kazakh titles, which are not English).

Every sentence falls deterministically into TRAIN or TEST by a hash of its text, so anything
trained on gold sentences (the romanized-Russian model, the short-text model, the langdetect
Kazakh profile) never sees a TEST sentence, and figures are reported on TEST only.

From each sentence the bench derives shorter items (rules fixed here so numbers are comparable):
- sentences: gold sentences with at least three words of two or more letters (list items such
  as "• Бельгия" are left out: a lone country name has no language);
- snippets: consecutive, non-overlapping windows of three tokens that are all letters-only
  (`str.isalpha`) and written in the language's script (Cyrillic for kk/ru, Latin for en: a
  Latin company name inside a Russian sentence is not Russian), taken left to right;
- words: letters-only tokens in the language's script of at least `MIN_WORD_LETTERS` letters starting with a lowercase
  letter (capitalised tokens are mostly names, which carry no language of their own),
  de-duplicated per language.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.datasets.factrueval import read_factrueval
from pipeline.datasets.kaznerd import read_kaznerd

GOLD_LANGUAGES = ("en", "kk", "ru")
MIN_WORD_LETTERS = 4
TEST_SHARE_PERCENT = 50  # half of every language is held out

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"«“(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F]")
_REFERENCE_HEADING = re.compile(r"^\W*(references|literature|использованные источники|список литературы|әдебиеттер)",
                                re.IGNORECASE)
_SCRIPT_OF = {"en": re.compile(r"[A-Za-z\u00C0-\u024F]+"), "kk": re.compile(r"[\u0400-\u04FF]+"),
              "ru": re.compile(r"[\u0400-\u04FF]+")}
_REFERENCE_ENTRY = re.compile(r"^\s*(?:[-•*]|\d{1,3}\.)\s")


@dataclass(frozen=True)
class GoldSentence:
    """One evaluation sentence with its language, origin and split."""

    text: str
    lang: str
    source: str  # file the sentence comes from
    split: str  # "train" or "test"


def split_of(text: str) -> str:
    """TRAIN or TEST for a sentence, from a hash of its text (stable across runs and machines)."""
    bucket = int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < TEST_SHARE_PERCENT else "train"


def english_sentences(corpus_dir: str | Path) -> list[str]:
    """English sentences of the seed corpus: Latin-only lines outside bibliographies, split at sentence ends."""
    sentences: list[str] = []
    for path in sorted(Path(corpus_dir, "documents").glob("*.txt")):
        in_references = False
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"<[^>]+>|[*#]+", " ", raw).strip()
            if _REFERENCE_HEADING.match(line):
                in_references = True
            if in_references or not line or _NON_LATIN_LETTER.search(line):
                continue
            if _REFERENCE_ENTRY.match(raw) and re.search(r"\(\d{4}\)", raw):
                continue  # a bibliography entry outside a headed reference list
            for sentence in _SENTENCE_END.split(line):
                sentence = " ".join(sentence.split())
                if len(re.findall(r"[A-Za-z]{2,}", sentence)) >= 3:
                    sentences.append(sentence)
    return sentences


def load_gold(repo_root: str | Path = ".") -> list[GoldSentence]:
    """All gold sentences (both splits), de-duplicated per language, in a fixed order."""
    root = Path(repo_root)
    kaznerd = root / "data" / "kaznerd" / "IOB2_valid.txt"
    factru = root / "data" / "factrueval" / "devset"
    groups = {
        "kk": (str(kaznerd.relative_to(root)), [s.text for s in read_kaznerd(kaznerd)]),
        "ru": (str(factru.relative_to(root)),
               [" ".join(t.split()) for d in read_factrueval(factru) for t in d.sentence_texts()]),
        "en": ("corpus/documents", english_sentences(root / "corpus")),
    }
    out: list[GoldSentence] = []
    for lang in GOLD_LANGUAGES:
        source, texts = groups[lang]
        seen: set[str] = set()
        for text in texts:
            if text and text not in seen and is_sentence(text):
                seen.add(text)
                out.append(GoldSentence(text, lang, source, split_of(text)))
    return out


def letter_tokens(text: str, lang: str | None = None) -> list[str | None]:
    """Whitespace tokens with surrounding punctuation stripped; None where a token is not letters-only
    (or, given `lang`, not written in that language's script: a Latin word inside a Russian sentence
    is not Russian evidence)."""
    script = _SCRIPT_OF.get(lang or "")
    out: list[str | None] = []
    for tok in text.split():
        tok = tok.strip(".,;:!?()[]{}\"'«»“”„-–—")
        ok = tok.isalpha() and (script is None or script.fullmatch(tok) is not None)
        out.append(tok if ok else None)
    return out


def is_sentence(text: str) -> bool:
    """At least three words of two or more letters: list items like "• Бельгия" are not sentences."""
    return sum(1 for t in letter_tokens(text) if t and len(t) >= 2) >= 3


def snippets(text: str, size: int = 3, lang: str | None = None) -> list[str]:
    """Consecutive, non-overlapping windows of `size` letters-only tokens (in `lang`'s script)."""
    tokens = letter_tokens(text, lang)
    out, i = [], 0
    while i + size <= len(tokens):
        window = tokens[i:i + size]
        if all(window):
            out.append(" ".join(window))  # type: ignore[arg-type]
            i += size
        else:
            i += 1
    return out


def words(text: str, min_letters: int = MIN_WORD_LETTERS, lang: str | None = None) -> list[str]:
    """Lowercase-initial letters-only tokens (in `lang`'s script) with at least `min_letters` letters."""
    return [t for t in letter_tokens(text, lang) if t and len(t) >= min_letters and t[0].islower()]


def evaluation_items(gold: list[GoldSentence], split: str = "test") -> dict[str, list[tuple[str, str]]]:
    """(text, lang) items per length bucket ("sentence", "snippet3", "word") from one split."""
    buckets: dict[str, list[tuple[str, str]]] = {"sentence": [], "snippet3": [], "word": []}
    seen_words: set[tuple[str, str]] = set()
    for g in gold:
        if g.split != split:
            continue
        buckets["sentence"].append((g.text, g.lang))
        buckets["snippet3"].extend((s, g.lang) for s in snippets(g.text, lang=g.lang))
        for w in words(g.text, lang=g.lang):
            if (w, g.lang) not in seen_words:
                seen_words.add((w, g.lang))
                buckets["word"].append((w, g.lang))
    return buckets


def sample_per_language(items: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """At most `limit` items per language, chosen by hash (deterministic), in their original order."""
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for item in items:
        by_lang.setdefault(item[1], []).append(item)
    keep: set[tuple[str, str]] = set()
    for lang_items in by_lang.values():
        ranked = sorted(lang_items, key=lambda it: hashlib.sha1(it[0].encode("utf-8")).hexdigest())
        keep.update(ranked[:limit])
    return [it for it in items if it in keep]


# Bibliography entries of the seed corpus, labelled by hand with the language of the cited title
# (the bracketed English translations do not count). Used only to evaluate, never to train or to
# decide: the detectors do not see this list. Keys are line prefixes in corpus/documents/002_*.txt.
REFERENCE_ENTRY_LABELS = {
    "Eisenstadt S.N.": "en", "Gonzales N.L.": "en", "Beech, S.": "en", "Tan J.": "en", "Dustmann C.": "en",
    "Rybakovskii L.L.": "ru", "Ledeneva V.YU.": "ru", "Greg Madison.": "en", "O gosudarstvennoi": "ru",
    "UNESCO Institute": "en", "Central Asian Bureau": "en", "O podpisanii": "ru", "Zakon Respubliki": "ru",
    "Posol'stvo Respubliki": "ru", "Helen D. Hazen": "en", "Bijwaard G.E.": "en", "Qazaqstan Respublikasy": "kk",
}


def reference_entries(repo_root: str | Path = ".") -> list[tuple[str, str]]:
    """(entry, hand label) for every bibliography line of the seed corpus that a label prefix matches."""
    out: list[tuple[str, str]] = []
    for path in sorted(Path(repo_root, "corpus", "documents").glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            entry = re.sub(r"^\s*-\s*(\d+\.\s*)?", "", raw).strip()
            for prefix, lang in REFERENCE_ENTRY_LABELS.items():
                if entry.startswith(prefix):
                    out.append((entry, lang))
                    break
    return out
