"""Ingest: corpus/ documents → cleaned, offset-tracked passages (outputs/passages.parquet).

The core is pure: `pipeline.ingest.passages.passages_from_text` turns a decoded text into
passages without touching files; `pipeline.ingest.stage.run_ingest` reads the corpus,
validates it and writes the outputs atomically.
"""
