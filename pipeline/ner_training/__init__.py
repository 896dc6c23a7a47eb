"""Training and evaluation of the Kazakh NER models (spaCy and Stanza) from KazNERD.

Modules: `settings` (params.yaml sections), `split` (deterministic train/dev/test split),
`tokenizer` (Kazakh-aware tokenization for spaCy and for pre-tokenized Stanza input),
`convert` (KazNERD → spaCy DocBin and Stanza JSON), `scoring` (span-level P/R/F1),
`train_spacy`, `train_stanza` and `cli`.
"""
