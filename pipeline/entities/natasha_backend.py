"""natasha (slovnet NewsNERTagger + navec news embeddings) backend for Russian: PER / LOC / ORG."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.entities.chunking import chunk_text
from pipeline.entities.mention import Mention
from pipeline.errors import PipelineError


class NatashaBackend:
    """Russian NER with natasha; the weights ship inside the natasha/slovnet packages.

    natasha gives no per-entity probability; mentions get score 1.0.
    """

    name = "natasha"

    def __init__(self, chunk_chars: int = 20_000) -> None:
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
        self.chunk_chars = chunk_chars

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for each text, in order."""
        from natasha import Doc

        out: list[list[Mention]] = []
        for text in texts:
            mentions: list[Mention] = []
            for offset, piece in chunk_text(text, self.chunk_chars):
                doc = Doc(piece)
                doc.segment(self._segmenter)
                doc.tag_ner(self._tagger)
                for span in doc.spans:
                    mentions.append(Mention(offset + span.start, offset + span.stop, span.text,
                                            span.type, 1.0, self.name))
            out.append(mentions)
        return out
