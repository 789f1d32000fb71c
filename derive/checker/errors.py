"""Input errors of the checker: what went wrong and where, as one line.

>>> str(InputError("unexpected ')'", column=7).at("step 2"))
"step 2, column 7: unexpected ')'"
"""

from __future__ import annotations

from derive.core.errors import UsageError


class InputError(UsageError):
    """A request that cannot be read: a message, and where (``step 2``, column 7)."""

    def __init__(self, message: str, *, column: int | None = None, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.where = where

    def at(self, where: str) -> InputError:
        """The same error, located in a part of the request (kept if already located)."""
        if self.where:
            return self
        return InputError(self.message, column=self.column, where=where)

    def __str__(self) -> str:
        place = [p for p in (self.where, f"column {self.column}" if self.column else "") if p]
        return ", ".join(place) + (": " if place else "") + self.message
