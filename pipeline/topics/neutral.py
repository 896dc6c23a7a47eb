"""Language-neutral passage vectors: remove what tells the languages apart before clustering.

Multilingual sentence vectors carry a strong language component: a Kazakh passage is closer
to other Kazakh passages on any subject than to its own English translation, so clustering
raw vectors makes topics per language. Remedies, chosen with `topics.language_neutral`:

- `center`: subtract each language's mean vector over the corpus (Libovický et al. 2020,
  "On the Language Neutrality of Pre-trained Multilingual Representations"). Cheap and
  strong, but the mean of a language also holds what its passages talk about: when one
  language is mostly one perspective, centering also removes part of the real difference.
- `reference`: subtract per-language offsets learned on PARALLEL sentences (SIB-200 train,
  shipped in data/sib200): the same content in every language, so the offset is language
  only, whatever the corpus is about.
- `project`: project out the language-identity subspace learned on the same parallel
  sentences (iterative nullspace projection: a linear language classifier is fitted, its
  directions removed, repeated), for every passage of every language.
- combinations: `center+project`, `reference+project`; `none` keeps the raw vectors.

Languages the reference does not know (zh, und) and corpora embedded with another model are
centered on the corpus instead when they have at least `min_language_passages` passages;
with fewer, a language's mean is too noisy to subtract and its passages are left as they
are (the notes say so). Rows are re-normalised afterwards, and rounded to `ROUND_DECIMALS`
so that last-bit differences between machines do not change the clustering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import PipelineError

METHODS = ("none", "center", "reference", "project", "center+project", "reference+project")
ROUND_DECIMALS = 4
REFERENCE_FORMAT = 1


@dataclass(frozen=True)
class LanguageReference:
    """Language offsets and directions learned on parallel sentences for one embedder."""

    embedder: str
    languages: tuple[str, ...]
    offsets: np.ndarray  # (n_languages, dim): language mean minus the mean over languages
    basis: np.ndarray  # (k, dim) orthonormal language-identity directions
    n_sentences: int

    def offset(self, lang: str) -> np.ndarray | None:
        """The language's offset, or None for a language not in the reference."""
        return self.offsets[self.languages.index(lang)] if lang in self.languages else None


def learn_reference(vectors: np.ndarray, langs: np.ndarray, embedder: str, n_iterations: int = 4,
                    seed: int = 0) -> LanguageReference:
    """Offsets and an INLP basis from parallel vectors (every sentence in every language).

    Each iteration fits a multinomial logistic regression predicting the language, adds its
    weight vectors to the basis (orthonormalised) and projects them out of the data before
    the next fit (Ravfogel et al. 2020, "Null It Out").
    """
    from sklearn.linear_model import LogisticRegression

    vectors = np.asarray(vectors, dtype=np.float64)
    langs = np.asarray(langs).astype(str)
    languages = tuple(sorted(set(langs.tolist())))
    if len(languages) < 2:
        raise PipelineError("Learning language directions needs parallel sentences in at least two languages.")
    means = np.vstack([vectors[langs == lang].mean(axis=0) for lang in languages])
    offsets = means - means.mean(axis=0)
    basis = np.zeros((0, vectors.shape[1]))
    work = vectors - vectors.mean(axis=0)
    for _ in range(n_iterations):
        classifier = LogisticRegression(max_iter=2000, C=1.0, random_state=seed)
        classifier.fit(work, langs)
        directions = np.vstack([basis, classifier.coef_])
        q, r = np.linalg.qr(directions.T)
        keep = np.abs(np.diag(r)) > 1e-8
        basis = q[:, keep].T
        work = work - (work @ basis.T) @ basis
    return LanguageReference(embedder, languages, offsets.astype(np.float32), basis.astype(np.float32),
                             int(len(vectors) // len(languages)))


def save_reference(reference: LanguageReference, path: str | Path) -> None:
    """Write the reference as .npz (written to a temporary name, then renamed)."""
    from pipeline.atomic import atomic_path

    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            np.savez(handle, format=REFERENCE_FORMAT, embedder=reference.embedder,
                     languages=np.array(reference.languages), offsets=reference.offsets,
                     basis=reference.basis, n_sentences=reference.n_sentences)


def load_reference(path: str | Path) -> LanguageReference:
    """Read a reference written by `save_reference`; a clear error when it is missing or foreign."""
    path = Path(path)
    if not path.exists():
        raise PipelineError(
            f"{path}: the language directions for topics.language_neutral are missing. Rebuild them with "
            f"`dvc repro topic_language` (or `python -m pipeline train-topic-language`), or set "
            f"topics.language_neutral to 'center' or 'none'."
        )
    with np.load(path, allow_pickle=False) as data:
        if int(data["format"]) != REFERENCE_FORMAT:
            raise PipelineError(f"{path}: written by another version (format {int(data['format'])}); rebuild it "
                                f"with `python -m pipeline train-topic-language`.")
        return LanguageReference(str(data["embedder"]), tuple(str(x) for x in data["languages"]),
                                 data["offsets"], data["basis"], int(data["n_sentences"]))


def check_method(method: str) -> bool:
    """Refuse an unknown topics.language_neutral; True when it needs the learned reference."""
    if method not in METHODS:
        raise PipelineError(f"params.yaml: topics.language_neutral is '{method}'; choose one of {list(METHODS)}.")
    return any(step in method.split("+") for step in ("reference", "project"))


@dataclass
class Neutralised:
    """Vectors after neutralisation, and what was done to which language."""

    vectors: np.ndarray
    notes: list[str]


def neutralise(vectors: np.ndarray, langs, method: str, reference: LanguageReference | None = None,
               embedder: str = "", min_language_passages: int = 10) -> Neutralised:
    """Apply `method` (one of METHODS) to L2-normalised `vectors`; returns normalised, rounded rows."""
    check_method(method)
    langs = np.asarray(langs).astype(str)
    out = np.asarray(vectors, dtype=np.float64).copy()
    notes: list[str] = []
    steps = method.split("+")
    usable = reference is not None and reference.embedder == embedder
    if reference is not None and not usable and method != "none" and method != "center":
        notes.append(f"The language directions were learned for '{reference.embedder}', not for '{embedder}': "
                     f"languages were centered on the corpus instead.")
    if "center" in steps or "reference" in steps:
        out, step_notes = _subtract_language_means(out, langs, reference if ("reference" in steps and usable) else None,
                                                   min_language_passages)
        notes += step_notes
    if "project" in steps:
        if usable:
            out = out - (out @ reference.basis.T.astype(np.float64)) @ reference.basis.astype(np.float64)
        elif "center" not in steps and "reference" not in steps:
            out, step_notes = _subtract_language_means(out, langs, None, min_language_passages)
            notes += step_notes
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return Neutralised(np.round(out, ROUND_DECIMALS).astype(np.float32), notes)


def _subtract_language_means(vectors: np.ndarray, langs: np.ndarray, reference: LanguageReference | None,
                             min_passages: int) -> tuple[np.ndarray, list[str]]:
    """Per language: the reference offset when known, else the corpus mean if there are enough passages."""
    notes = []
    present = sorted(set(langs.tolist()))
    if len(present) == 1 and reference is None:
        return vectors, [f"All passages are in one language ({present[0]}): nothing to center."]
    corpus_mean = vectors.mean(axis=0)
    out = vectors.copy()
    for lang in present:
        mask = langs == lang
        offset = reference.offset(lang) if reference is not None else None
        if offset is not None:
            out[mask] -= offset.astype(np.float64)
        elif mask.sum() >= min_passages:
            out[mask] -= vectors[mask].mean(axis=0) - corpus_mean
        else:
            notes.append(f"Language '{lang}' has {int(mask.sum())} passage(s), fewer than "
                         f"topics.min_language_passages={min_passages}: too few to estimate its mean, "
                         f"so its vectors were not centered.")
    return out, notes
