"""Scoring against the hand-made gold sets (seed corpus entities, exact-span gold) for tests and bench/.

No stage imports this package, so changing how the benchmarks score re-runs no DVC stage;
tests/test_dvc_deps.py checks that.
"""
