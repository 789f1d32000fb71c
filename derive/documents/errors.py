"""A document that cannot be read: one line ``file:line:col: message``.

>>> str(DocumentError("notes.md", 12, 5, "unexpected ')'"))
"notes.md:12:5: unexpected ')'"
"""

from __future__ import annotations

from derive.core.errors import UsageError


class DocumentError(UsageError):
    """What cannot be read in a document or block, and where (1-based line and column)."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"
