"""Reviewed decisions teach the models: fine-tuning the Kazakh spaCy NER model on reviewed passages.

Modules: `examples` (reviewed passages → text + gold spans in the model's label scheme, and the
held-out part of the reviews), `train` (continue training a spaCy pipeline on them, with
rehearsal of its original training data so it does not forget), `stage` (the DVC stage: train,
score base and fine-tuned model on the held-out reviews and on KazNERD dev, install the
fine-tuned model only when it measures better) and `cli`.

The existing training code (`pipeline.ner_training`) is used through its public functions only.
"""
