"""Errors a user can cause; the CLI prints them as one line and exits with status 2.

>>> str(UsageError("unknown option --x"))
'unknown option --x'
"""


class UsageError(Exception):
    """Bad command-line input: an unknown id, option or value."""
