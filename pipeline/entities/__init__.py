"""Entities stage: universities, people and agreements (plus context types) in en/ru/kk texts.

Flow per passage: route by language (segments of mixed passages separately) → NER backend of
that language (`backends`) → university/agreement/person patterns (`rules`) and the gazetteer
(`gazetteer`) → overlap resolution (`merge`) → canonical entities (`canonical`). The stage
(`stage`) streams passages from Parquet and writes entities, the per-entity summary and the
skipped list; `cli` exposes `entities` and `extract-entities`.
"""
