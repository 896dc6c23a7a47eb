"""Settings of the two Kazakh NER training stages (params.yaml sections
`ner_train_kk` and `ner_train_kk_stanza`); the defaults here are the committed models' settings."""

from __future__ import annotations

from dataclasses import dataclass

# Output paths are literal here, not read from pipeline/outputs.py: the training stages take half
# an hour, and importing that module would make every edit of it (a new topic table) retrain the
# Kazakh models. tests/test_output_contracts.py checks these defaults against it.


@dataclass(frozen=True)
class SpacyNerSettings:
    """`ner_train_kk`: the spaCy `xx` tok2vec + ner model.

    `data`, `split_salt`, `dev_ratio`, `test_ratio`, `retired_seed` and `retired_ratio` fix the
    KazNERD split; keep them equal in both sections so the two models are scored on the same
    held-out sentences.
    """

    data: str = "data/kaznerd/IOB2_valid.txt"
    seed: int = 13  # training seed
    # The split (pipeline/datasets/kaznerd_split.py): near-duplicate groups by a salted hash;
    # the first split's dev + test part (seed 13, 20 %) is retired from test.
    split_salt: str = "kaznerd-2026"
    dev_ratio: float = 0.15
    test_ratio: float = 0.2
    retired_seed: int = 13
    retired_ratio: float = 0.2
    output: str = "models/kk_ner"
    metrics: str = "models/kk_ner_metrics.json"
    work_dir: str = "outputs/ner_train_kk"
    # Architecture: hashed embeddings of NORM/PREFIX/SUFFIX/SHAPE feed a CNN encoder.
    width: int = 128
    embed_rows: tuple[int, ...] = (12000, 4000, 8000, 2000)
    encoder_depth: int = 4
    window_size: int = 1
    ner_hidden_width: int = 128
    # "multihash": hashed NORM/PREFIX/SUFFIX/SHAPE; "chars": spaCy's CharacterEmbed (the first and
    # last `char_bytes` / 2 UTF-8 bytes of each word, case kept, plus NORM).
    embed: str = "multihash"
    char_bytes: int = 20
    char_dim: int = 32
    # Mention-replacement augmentation (ner_training/augment.py): copies per training sentence with a name.
    augment_copies: int = 0
    # Training schedule: early stopping on dev F1 (`patience` steps without improvement).
    dropout: float = 0.25
    learn_rate: float = 0.001
    batch_start: int = 100
    batch_stop: int = 1000
    max_steps: int = 3000
    max_epochs: int = 0
    patience: int = 3000
    eval_frequency: int = 200


@dataclass(frozen=True)
class StanzaNerSettings:
    """`ner_train_kk_stanza`: Stanza's BiLSTM-CRF tagger with a character LSTM, no pretrained vectors."""

    data: str = "data/kaznerd/IOB2_valid.txt"
    seed: int = 13  # training seed
    # The split (pipeline/datasets/kaznerd_split.py): near-duplicate groups by a salted hash;
    # the first split's dev + test part (seed 13, 20 %) is retired from test.
    split_salt: str = "kaznerd-2026"
    dev_ratio: float = 0.15
    test_ratio: float = 0.2
    retired_seed: int = 13
    retired_ratio: float = 0.2
    output: str = "models/kk_ner_stanza"
    metrics: str = "models/kk_ner_stanza_metrics.json"
    work_dir: str = "outputs/ner_train_kk_stanza"
    word_emb_dim: int = 100
    char_hidden_dim: int = 100
    hidden_dim: int = 256
    dropout: float = 0.5
    batch_size: int = 32
    max_steps: int = 3000
    eval_interval: int = 250
    max_steps_no_improve: int = 1500


@dataclass(frozen=True)
class RussianCrfSettings:
    """`ner_train_ru`: the CRF over natasha's tags (pipeline/entities/natasha_crf_backend.py).

    CRFsuite's L-BFGS with its usual regularisation (c1 = c2 = 0.1) and a fixed iteration count:
    nothing is tuned, so the cross-validated figure has no choice made on the scored folds.
    """

    data: str = "data/factrueval/devset"
    output: str = "models/ru_ner_crf"
    metrics: str = "models/ru_ner_crf_metrics.json"
    folds: int = 5  # cross-validation by document: train on folds-1, score the held-out fold
    fold_salt: str = "factru-2026"
    c1: float = 0.1
    c2: float = 0.1
    max_iterations: int = 150
    n_boot: int = 1000
