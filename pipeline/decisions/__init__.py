"""Reviewed decisions: the record format (records.py) and applying them to machine entities (apply.py).

Its own package, below every stage that uses it: the entities stage, evaluate and finetune
apply decisions, and the review app writes them; none of them needs the web app's package
to do so (tests/test_import_layers.py keeps imports running one way).
"""
