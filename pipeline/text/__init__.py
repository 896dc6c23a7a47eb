"""Text utilities shared by the stages and the training code (the Kazakh tokenizer).

Below both `entities` (the Stanza backend tokenizes with it) and `ner_training` (spaCy training
uses its infixes), so neither imports the other for it.
"""
