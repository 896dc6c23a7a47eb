"""Settings of the e5 tagger's training (`ner_train_kk_e5`), apart from settings.py for the same reason
as e5_cli.py."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class E5TaggerSettings:
    """`ner_train_kk_e5`: BiLSTM-CRF over frozen multilingual-e5-small word states (pipeline/e5_tokens)."""

    data: str = "data/kaznerd/IOB2_valid.txt"
    seed: int = 13
    split_salt: str = "kaznerd-2026"  # the same split as the spaCy and Stanza models
    dev_ratio: float = 0.15
    test_ratio: float = 0.2
    retired_seed: int = 13
    retired_ratio: float = 0.2
    output: str = "models/kk_ner_e5"
    metrics: str = "models/kk_ner_e5_metrics.json"
    from_layer: int = -1      # e5 states: -1 the final layer; k the mean of layers k..11 (chosen on dev)
    min_word_count: int = 2   # learned word embeddings for words seen this often in train
    word_dim: int = 100
    char_filters: int = 64
    hidden: int = 256
    dropout: float = 0.4
    learn_rate: float = 0.001
    batch_size: int = 32
    max_epochs: int = 20      # a compute budget; the best dev epoch is kept
    patience: int = 5
