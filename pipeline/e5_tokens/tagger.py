"""A sequence tagger over contextual e5 word vectors, trainable on a CPU in minutes.

Each word is represented by its multilingual-e5-small state (`states.WordStates`, frozen), a
word embedding learned from the training sentences, a character CNN (Kazakh case endings and
hyphenated names) and five shape flags. A BiLSTM reads the sentence and a linear-chain CRF picks
the tag sequence; transitions that break IOB2 (`I-X` not after `B-X`/`I-X`) are forbidden.

The model is saved as `tagger.safetensors` (weights) and `tagger.json` (vocabularies, sizes),
both deterministic for the same weights.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from pipeline.errors import PipelineError

WEIGHTS_FILE = "tagger.safetensors"
META_FILE = "tagger.json"
MAX_WORD_CHARS = 20
SHAPE_FLAGS = 5
PAD, UNKNOWN = 0, 1


def shape_flags(word: str) -> list[float]:
    """Capitalised, all capitals, has a digit, no letter or digit, title case."""
    return [float(word[:1].isupper()), float(word.isupper() and len(word) > 1),
            float(any(c.isdigit() for c in word)), float(not any(c.isalnum() for c in word)),
            float(word.istitle())]


@dataclass(frozen=True)
class TaggerSpec:
    """Everything but the weights: vocabularies, tag set and layer sizes."""

    tags: tuple[str, ...]
    words: tuple[str, ...]          # lower-cased words seen at least `min_word_count` times
    chars: tuple[str, ...]
    e5_dim: int = 384
    from_layer: int = -1            # e5 states: -1 the final layer, k the mean of layers k..11 (states.py)
    word_dim: int = 100
    char_dim: int = 32
    char_filters: int = 64
    hidden: int = 256
    dropout: float = 0.4

    @classmethod
    def from_sentences(cls, words: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], min_word_count: int = 2,
                       min_char_count: int = 3, **sizes) -> TaggerSpec:
        word_counts = Counter(w.lower() for sentence in words for w in sentence)
        char_counts = Counter(c for sentence in words for w in sentence for c in w)
        tag_set = sorted({t for sentence in tags for t in sentence} | {"O"})
        return cls(tags=tuple(tag_set),
                   words=tuple(sorted(w for w, n in word_counts.items() if n >= min_word_count)),
                   chars=tuple(sorted(c for c, n in char_counts.items() if n >= min_char_count)), **sizes)


class _CRF(nn.Module):
    """Linear-chain CRF with IOB2-invalid transitions masked out."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__()
        k = len(tags)
        self.transitions = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))
        forbidden = torch.zeros(k + 1, k)  # row k: from the sentence start
        for i, before in enumerate([*tags, "<start>"]):
            for j, tag in enumerate(tags):
                if tag.startswith("I-") and not (before[2:] == tag[2:] and before[:2] in ("B-", "I-")):
                    forbidden[i, j] = -1e4
        self.register_buffer("forbidden", forbidden, persistent=False)

    def _scores(self) -> tuple[torch.Tensor, torch.Tensor]:
        k = self.transitions.shape[0]
        return self.transitions + self.forbidden[:k], self.start + self.forbidden[k]

    def neg_log_likelihood(self, emissions: torch.Tensor, gold: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Summed over the batch; emissions (B, T, K), gold (B, T), mask (B, T) of 0/1."""
        trans, start = self._scores()
        score = start[gold[:, 0]] + emissions[:, 0].gather(1, gold[:, :1]).squeeze(1)
        alpha = start + emissions[:, 0]
        for t in range(1, emissions.shape[1]):
            on = mask[:, t]
            step = trans[gold[:, t - 1], gold[:, t]] + emissions[:, t].gather(1, gold[:, t:t + 1]).squeeze(1)
            score = score + on * step
            moved = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0) + emissions[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(on.unsqueeze(1) > 0, moved, alpha)
        last = gold.gather(1, (mask.sum(1).long() - 1).unsqueeze(1)).squeeze(1)
        score = score + self.end[last]
        return (torch.logsumexp(alpha + self.end, 1) - score).sum()

    def decode(self, emissions: torch.Tensor) -> list[int]:
        """Best tag sequence for one sentence's emissions (T, K)."""
        trans, start = self._scores()
        best = start + emissions[0]
        back: list[torch.Tensor] = []
        for t in range(1, emissions.shape[0]):
            total = best.unsqueeze(1) + trans
            back.append(total.argmax(0))
            best = total.max(0).values + emissions[t]
        path = [int((best + self.end).argmax())]
        for pointers in reversed(back):
            path.append(int(pointers[path[-1]]))
        return path[::-1]


class E5Tagger(nn.Module):
    """e5 states + word embedding + char CNN + shape → BiLSTM → CRF."""

    def __init__(self, spec: TaggerSpec) -> None:
        super().__init__()
        self.spec = spec
        self.word_index = {w: i + 2 for i, w in enumerate(spec.words)}
        self.char_index = {c: i + 2 for i, c in enumerate(spec.chars)}
        self.word_embedding = nn.Embedding(len(spec.words) + 2, spec.word_dim, padding_idx=PAD)
        self.char_embedding = nn.Embedding(len(spec.chars) + 2, spec.char_dim, padding_idx=PAD)
        self.char_cnn = nn.Conv1d(spec.char_dim, spec.char_filters, 3, padding=1)
        self.dropout = nn.Dropout(spec.dropout)
        width = spec.e5_dim + SHAPE_FLAGS + spec.word_dim + spec.char_filters
        self.lstm = nn.LSTM(width, spec.hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * spec.hidden, len(spec.tags))
        self.crf = _CRF(spec.tags)

    def features(self, words: Sequence[str], states: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One sentence's inputs: dense (T, e5+shape), word ids (T,), char ids (T, chars)."""
        dense = np.hstack([states.astype(np.float32), np.array([shape_flags(w) for w in words], dtype=np.float32)])
        word_ids = torch.tensor([self.word_index.get(w.lower(), UNKNOWN) for w in words])
        chars = [torch.tensor([self.char_index.get(c, UNKNOWN) for c in w[:MAX_WORD_CHARS]] or [UNKNOWN]) for w in words]
        return torch.from_numpy(dense), word_ids, nn.utils.rnn.pad_sequence(chars, batch_first=True)

    def emissions(self, batch: Sequence[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Tag scores (B, T, K) for a batch of `features` outputs, and their lengths."""
        lengths = torch.tensor([len(words) for _, words, _ in batch])
        dense = nn.utils.rnn.pad_sequence([d for d, _, _ in batch], batch_first=True)
        word_ids = nn.utils.rnn.pad_sequence([w for _, w, _ in batch], batch_first=True)
        b, t = word_ids.shape
        width = max(c.shape[1] for _, _, c in batch)
        chars = torch.zeros(b, t, width, dtype=torch.long)
        for i, (_, _, c) in enumerate(batch):
            chars[i, :c.shape[0], :c.shape[1]] = c
        char_vectors = self.char_embedding(chars.view(b * t, width)).transpose(1, 2)
        char_features = torch.relu(self.char_cnn(char_vectors)).max(2).values.view(b, t, -1)
        x = self.dropout(torch.cat([dense, self.word_embedding(word_ids), char_features], -1))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        hidden, _ = self.lstm(packed)
        hidden, _ = nn.utils.rnn.pad_packed_sequence(hidden, batch_first=True, total_length=t)
        return self.out(self.dropout(hidden)), lengths

    def loss(self, batch, gold: Sequence[Sequence[str]]) -> torch.Tensor:
        """Mean CRF negative log-likelihood of the gold tags."""
        scores, lengths = self.emissions(batch)
        index = {t: i for i, t in enumerate(self.spec.tags)}
        ids = nn.utils.rnn.pad_sequence([torch.tensor([index.get(t, index["O"]) for t in g]) for g in gold], batch_first=True)
        mask = (torch.arange(ids.shape[1])[None] < lengths[:, None]).float()
        return self.crf.neg_log_likelihood(scores, ids, mask) / len(gold)

    @torch.no_grad()
    def predict(self, batch) -> list[list[str]]:
        """IOB2 tags for each sentence of the batch (eval mode is the caller's job)."""
        scores, lengths = self.emissions(batch)
        return [[self.spec.tags[k] for k in self.crf.decode(scores[i, :n])] for i, n in enumerate(lengths.tolist())]


def save_tagger(model: E5Tagger, directory: Path) -> None:
    """Write the weights and the spec into `directory` (created)."""
    from safetensors.torch import save_file

    directory.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in sorted(model.state_dict().items())}
    save_file(state, str(directory / WEIGHTS_FILE))
    (directory / META_FILE).write_text(json.dumps(asdict(model.spec), ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


def load_tagger(directory: Path, hint: str) -> E5Tagger:
    """The tagger saved in `directory`, in eval mode; `hint` says how to rebuild it."""
    from safetensors.torch import load_file

    weights, meta = directory / WEIGHTS_FILE, directory / META_FILE
    for path in (weights, meta):
        if not path.is_file():
            raise PipelineError(f"{path}: missing. {hint}")
    try:
        raw = json.loads(meta.read_text(encoding="utf-8"))
        spec = TaggerSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
        model = E5Tagger(spec)
        model.load_state_dict(load_file(str(weights)))
    except (ValueError, TypeError, KeyError, RuntimeError, OSError) as exc:
        raise PipelineError(f"{directory}: cannot load the e5 tagger ({exc}). {hint}") from exc
    model.eval()
    return model
