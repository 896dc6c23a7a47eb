"""Line tools (one JSON object per input line) that combine several stages' code.

Kept out of the stage packages so a stage's DVC deps (its import closure, see
tests/test_dvc_deps.py) do not include the code a tool adds, such as language detection.
"""
