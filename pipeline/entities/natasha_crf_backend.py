"""Russian NER: natasha's tags corrected by a CRF trained on factRuEval-2016 (PER / ORG / LOC).

natasha (slovnet) was trained on automatically annotated news (Nerus); factRuEval's annotators
draw organisation names differently (quoted company names, abbreviations, "Совет Федерации",
names with their descriptor word when it is part of the name) and natasha misses many of them.
A linear-chain CRF (CRFsuite) reads, for every token, natasha's own tag and its neighbours' tags
together with the word's shape, suffixes, case, quotes and the neighbouring words, and outputs
the final tags. It learns where natasha is reliable and where the annotation conventions differ,
from factRuEval's documents (pipeline/ner_training/train_ru_crf.py), while natasha keeps its
knowledge of names the small set never shows.

Tokens and sentences are natasha's own (razdel), in training and at inference alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.entities.chunking import chunk_text
from pipeline.entities.mention import Mention
from pipeline.errors import PipelineError

MODEL_FILE = "ru_ner.crfsuite"
REBUILD_HINT = "Rebuild it with `dvc repro train_ru_crf` (or `python -m pipeline train-ru-crf`)."
TYPES = ("PER", "ORG", "LOC")
_OPEN_QUOTES = {"«", "\"", "“", "„", "'"}
_CLOSE_QUOTES = {"»", "\"", "”", "“", "'"}


def _shape(word: str) -> str:
    out = []
    for ch in word[:6]:
        s = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)


def _script(word: str) -> str:
    if any("а" <= ch.lower() <= "я" or ch.lower() == "ё" for ch in word):
        return "cyr"
    if any("a" <= ch.lower() <= "z" for ch in word):
        return "lat"
    return "other"


def token_features(words: Sequence[str], natasha_tags: Sequence[str]) -> list[list[str]]:
    """CRFsuite features (attribute strings) of every token of one sentence."""
    n = len(words)
    lower = [w.lower() for w in words]
    inside_quotes = []
    depth = False
    for w in words:
        if w in _OPEN_QUOTES and not depth:
            depth = True
            inside_quotes.append(False)
            continue
        if w in _CLOSE_QUOTES and depth:
            depth = False
            inside_quotes.append(False)
            continue
        inside_quotes.append(depth)
    out: list[list[str]] = []
    for i, w in enumerate(words):
        lw = lower[i]
        f = [
            "bias", f"w={lw}", f"s2={lw[-2:]}", f"s3={lw[-3:]}", f"s4={lw[-4:]}", f"p3={lw[:3]}",
            f"shape={_shape(w)}", f"script={_script(w)}", f"len={min(len(w), 10)}",
            f"nat={natasha_tags[i]}", f"quoted={inside_quotes[i]}",
        ]
        if w[:1].isupper():
            f.append("title")
        if w.isupper() and len(w) > 1:
            f.append("upper")
        if i == 0:
            f.append("first")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d:+d}={lower[j]}")
                f.append(f"nat{d:+d}={natasha_tags[j]}")
                if d in (-1, 1):
                    f.append(f"s3{d:+d}={lower[j][-3:]}")
                    f.append(f"title{d:+d}={words[j][:1].isupper()}")
            else:
                f.append(f"w{d:+d}=<pad>")
        f.append(f"nat-1|nat={natasha_tags[i - 1] if i else '<s>'}|{natasha_tags[i]}")
        f.append(f"nat|nat+1={natasha_tags[i]}|{natasha_tags[i + 1] if i + 1 < n else '</s>'}")
        out.append(f)
    return out


def bio_tags(tokens: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO tag of each token (start, end) from character spans: a token inside a span takes its type."""
    tags = ["O"] * len(tokens)
    for s, e, label in spans:
        first = True
        for k, (a, b) in enumerate(tokens):
            if a >= s and b <= e:
                tags[k] = ("B-" if first else "I-") + label
                first = False
    return tags


def spans_from_bio(tokens: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans (start, end, type) of BIO tags; an I- that does not continue its type starts a span."""
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for (a, b), tag in zip(tokens, tags, strict=True):
        prefix, _, label = tag.partition("-")
        if prefix == "B" or (prefix == "I" and (cur is None or cur[2] != label)):
            if cur:
                out.append((cur[0], cur[1], cur[2]))
            cur = [a, b, label]
        elif prefix == "I":
            cur[1] = b
        else:
            if cur:
                out.append((cur[0], cur[1], cur[2]))
            cur = None
    if cur:
        out.append((cur[0], cur[1], cur[2]))
    return out


class NatashaTagger:
    """natasha's segmenter and NER tagger: sentences of (token spans, words, natasha BIO tags)."""

    def __init__(self) -> None:
        try:
            from natasha import NewsEmbedding, NewsNERTagger, Segmenter
        except ImportError as exc:
            raise PipelineError("natasha is not installed: `.venv/bin/pip install natasha==1.6.0` "
                                "(pinned in requirements.lock).") from exc
        try:
            self._segmenter = Segmenter()
            self._tagger = NewsNERTagger(NewsEmbedding())
        except Exception as exc:  # missing or damaged weight files inside the package
            raise PipelineError(f"natasha's NER weights cannot be loaded ({type(exc).__name__}: {exc}). "
                                "Reinstall natasha and slovnet from requirements.lock.") from exc

    def sentences(self, text: str) -> list[tuple[list[tuple[int, int]], list[str], list[str]]]:
        """natasha's sentences of `text`: token offsets into `text`, words, natasha's BIO tags."""
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self._segmenter)
        doc.tag_ner(self._tagger)
        natasha_spans = [(s.start, s.stop, s.type) for s in doc.spans]
        out = []
        for sent in doc.sents:
            tokens = [(t.start, t.stop) for t in sent.tokens]
            if not tokens:
                continue
            inside = [sp for sp in natasha_spans if sp[0] < tokens[-1][1] and sp[1] > tokens[0][0]]
            out.append((tokens, [text[a:b] for a, b in tokens], bio_tags(tokens, inside)))
        return out


class NatashaCrfBackend:
    """Russian NER: natasha + the factRuEval-trained CRF at `model_dir` (see module docstring).

    Mentions carry natasha's labels (PER / ORG / LOC) and score 1.0 (the CRF's marginals are not
    calibrated on anything the project has).
    """

    def __init__(self, model_dir: str | Path = "models/ru_ner_crf", chunk_chars: int = 20_000) -> None:
        self.model_dir = Path(model_dir)
        self.name = "natasha-crf"
        self.chunk_chars = chunk_chars
        model_path = self.model_dir / MODEL_FILE
        if not model_path.is_file():
            raise PipelineError(f"{model_path}: Russian CRF model not found. {REBUILD_HINT}")
        import pycrfsuite

        self._crf = pycrfsuite.Tagger()
        try:
            self._crf.open(str(model_path))
        except Exception as exc:  # crfsuite raises ValueError/OSError for a truncated or foreign file
            raise PipelineError(f"{model_path}: cannot load the Russian CRF model ({exc}). {REBUILD_HINT}") from exc
        self._natasha = NatashaTagger()

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for each text, in order; long texts are chunked, offsets stay exact."""
        out: list[list[Mention]] = []
        for text in texts:
            mentions: list[Mention] = []
            for offset, piece in chunk_text(text, self.chunk_chars):
                for tokens, words, natasha_tags in self._natasha.sentences(piece):
                    tags = self._crf.tag(token_features(words, natasha_tags))
                    for s, e, label in spans_from_bio(tokens, tags):
                        mentions.append(Mention(offset + s, offset + e, piece[s:e], label, 1.0, self.name))
            out.append(mentions)
        return out
