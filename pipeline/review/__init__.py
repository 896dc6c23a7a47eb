"""Annotators' review: decision store, web app, exports, agreement, and applying decisions.

The SQLite store under `corpus/annotations/` is the source of truth; `decisions.jsonl` is its
deterministic text export, which DVC and git track.
"""
