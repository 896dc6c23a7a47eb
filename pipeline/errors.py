"""User-facing errors.

A `PipelineError` carries a message meant for a scholar or annotator: it names the file,
row or passage at fault and says what to do. The CLI prints it without a traceback.
"""


class PipelineError(Exception):
    """An error caused by input or configuration that the user can fix."""
