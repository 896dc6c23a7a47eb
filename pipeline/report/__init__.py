"""The analyst report stage: upstream outputs → one self-contained HTML page, figures, summary."""
