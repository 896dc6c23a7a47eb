"""Readers for the gold data sets the project ships under data/."""
