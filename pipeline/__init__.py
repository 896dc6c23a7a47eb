"""Reproducible NLP corpus pipeline for Kazakhstan–Russia–China educational cooperation texts."""

__version__ = "0.1.0"
