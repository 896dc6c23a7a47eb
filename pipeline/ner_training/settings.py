"""Settings of the two Kazakh NER training stages (params.yaml sections
`ner_train_kk` and `ner_train_kk_stanza`); the defaults here are the committed models' settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpacyNerSettings:
    """`ner_train_kk`: the spaCy `xx` tok2vec + ner model.

    `data`, `seed`, `dev_ratio` and `test_ratio` fix the KazNERD split; keep them equal in both
    sections so the two models are scored on the same held-out sentences.
    """

    data: str = "data/kaznerd/IOB2_valid.txt"
    seed: int = 13
    dev_ratio: float = 0.1
    test_ratio: float = 0.1
    output: str = "models/kk_ner"
    metrics: str = "models/kk_ner_metrics.json"
    work_dir: str = "outputs/ner_train_kk"
    # Architecture: hashed embeddings of NORM/PREFIX/SUFFIX/SHAPE feed a CNN encoder.
    width: int = 128
    embed_rows: tuple[int, ...] = (12000, 4000, 8000, 2000)
    encoder_depth: int = 4
    window_size: int = 1
    ner_hidden_width: int = 128
    # Training schedule: early stopping on dev F1 (`patience` steps without improvement).
    dropout: float = 0.25
    learn_rate: float = 0.001
    batch_start: int = 100
    batch_stop: int = 1000
    max_steps: int = 4000
    max_epochs: int = 0
    patience: int = 1600
    eval_frequency: int = 200


@dataclass(frozen=True)
class StanzaNerSettings:
    """`ner_train_kk_stanza`: Stanza's BiLSTM-CRF tagger with a character LSTM, no pretrained vectors."""

    data: str = "data/kaznerd/IOB2_valid.txt"
    seed: int = 13
    dev_ratio: float = 0.1
    test_ratio: float = 0.1
    output: str = "models/kk_ner_stanza"
    metrics: str = "models/kk_ner_stanza_metrics.json"
    work_dir: str = "outputs/ner_train_kk_stanza"
    word_emb_dim: int = 100
    char_hidden_dim: int = 100
    hidden_dim: int = 256
    dropout: float = 0.5
    batch_size: int = 32
    max_steps: int = 5000
    eval_interval: int = 250
    max_steps_no_improve: int = 1500
