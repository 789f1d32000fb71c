"""A progress bar on stderr, drawn only when stderr is a terminal.

>>> import io
>>> bar = Progress(10, stream=io.StringIO())  # not a terminal: draws nothing
>>> bar.advance(); bar.close(); bar.stream.getvalue()
''
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``grading  120/500 [#####.........]  24.1/s  0:16 left``, redrawn at most 10× a second."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "grading") -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.done = 0
        self.start = time.monotonic()
        self.drawn = 0.0
        self.active = total > 0 and self.stream.isatty()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.active and (now - self.drawn >= 0.1 or self.done >= self.total):
            self.drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        width = 30
        filled = int(width * self.done / self.total)
        rate = self.done / max(now - self.start, 1e-9)
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        minutes, seconds = divmod(int(left), 60)
        self.stream.write(
            f"\r{self.label} {self.done:>{len(str(self.total))}}/{self.total} "
            f"[{'#' * filled}{'.' * (width - filled)}] {rate:6.1f}/s {minutes}:{seconds:02d} left"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\n")
            self.stream.flush()
