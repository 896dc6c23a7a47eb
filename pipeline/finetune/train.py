"""Continue training a spaCy NER pipeline on reviewed examples, with rehearsal.

Fine-tuning on a few dozen passages alone makes a model forget what it knew ("catastrophic
forgetting"); each batch therefore mixes reviewed examples with sentences of the model's
original training data (rehearsal), as spaCy's and Prodigy's guides recommend.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from pipeline.finetune.examples import Example, Span


def to_spacy_example(nlp: Any, example: Example) -> Any:
    """A spaCy `Example`; spans that do not fall on the model's token edges are snapped outward."""
    from spacy.training import Example as SpacyExample
    from spacy.util import filter_spans

    doc = nlp.make_doc(example.text)
    ents = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in example.spans]
    reference = doc.copy()
    reference.ents = filter_spans([x for x in ents if x is not None])
    return SpacyExample(doc, reference)


def fine_tune(base: str | Path, reviews: list[Example], rehearsal: list[Example], steps: int, seed: int = 0,
              batch_size: int = 16, rehearsal_share: float = 0.5, dropout: float = 0.2,
              learn_rate: float = 0.0005) -> tuple[Any, dict[str, Any]]:
    """The pipeline at `base`, trained `steps` more steps; returns (nlp, training log)."""
    import spacy
    from spacy.util import fix_random_seed

    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = spacy.load(base)
    optimizer = nlp.resume_training()
    optimizer.learn_rate = learn_rate
    own = [to_spacy_example(nlp, e) for e in reviews]
    old = [to_spacy_example(nlp, e) for e in rehearsal]
    started = time.perf_counter()
    losses: dict[str, float] = {}
    n_own = max(1, round(batch_size * (1 - rehearsal_share))) if old else batch_size
    for _ in range(steps):
        batch = rng.sample(own, min(n_own, len(own))) if own else []
        if old:
            batch += rng.sample(old, min(batch_size - len(batch), len(old)))
        losses = {}
        nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
    return nlp, {"steps": steps, "seconds": round(time.perf_counter() - started, 1),
                 "last_loss": round(float(losses.get("ner", 0.0)), 3), "reviews": len(own),
                 "rehearsal": len(old)}


def predict(nlp: Any, texts: list[str]) -> list[list[Span]]:
    """Entities the pipeline finds in each text."""
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=64)]


def f1(nlp: Any, examples: list[Example], labels: set[str] | None = None) -> dict[str, Any]:
    """Exact-span micro scores (via `pipeline.ner_training.scoring`) on `examples`, optionally only
    over `labels`."""
    from pipeline.ner_training.scoring import score_spans

    keep = (lambda spans: [s for s in spans if s[2] in labels]) if labels else (lambda spans: list(spans))
    predicted = [keep(p) for p in predict(nlp, [e.text for e in examples])]
    return score_spans([keep(e.spans) for e in examples], predicted)["micro"]
