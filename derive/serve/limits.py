"""What the server bounds, and a per-client rate limiter.

>>> limits = ServeLimits(workers=1, queue=1)
>>> limits.admitted
2
>>> bucket = RateLimiter(per_minute=2)
>>> [bucket.allow("10.0.0.1", now=0.0) for _ in range(3)]
[0.0, 0.0, 30.0]

The limiter is a token bucket per client address, refilled at ``per_minute / 60`` tokens a
second: :meth:`RateLimiter.allow` returns 0.0 when the request may go on, else the seconds to
wait (the ``Retry-After``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from derive.core.errors import UsageError


@dataclass(frozen=True)
class ServeLimits:
    """The server's bounds. ``deadline`` is the hard wall-clock limit on one request (its worker
    is killed past it); ``budget`` is the checker's own softer time budget inside it."""

    workers: int = 2
    queue: int = 16  # requests waiting for a worker, beyond those being checked
    deadline: float = 10.0  # seconds
    budget: float = 5.0  # seconds
    max_body: int = 1 << 20  # bytes of one POST /check body
    max_batch: int = 16 << 20  # bytes of one POST /check/batch body
    max_lines: int = 10_000  # requests in one batch
    rate: int = 0  # requests per minute per client; 0: no limit
    cors: tuple[str, ...] = ()  # origins allowed by CORS; none: CORS off
    warm: bool = True  # build the catalog's mistake index before serving

    def __post_init__(self) -> None:
        checks = [
            (1 <= self.workers <= 64, f"--workers must be 1 to 64, got {self.workers}"),
            (0 <= self.queue <= 10_000, f"--queue must be 0 to 10000, got {self.queue}"),
            (
                0 < self.deadline <= 3600,
                f"--deadline must be between 0 and 3600 s, got {self.deadline:g}",
            ),
            (0 < self.budget <= 600, f"--budget must be between 0 and 600 s, got {self.budget:g}"),
            (self.max_body >= 1024, f"--max-body must be at least 1024 bytes, got {self.max_body}"),
            (self.rate >= 0, f"--rate must be 0 (off) or more, got {self.rate}"),
        ]
        for ok, message in checks:
            if not ok:
                raise UsageError(message)

    @property
    def admitted(self) -> int:
        """Requests in the server at once (being checked or waiting); one more gets 503."""
        return self.workers + self.queue


@dataclass
class RateLimiter:
    """A token bucket per client (``per_minute`` requests a minute, bursts up to that many);
    at most ``clients`` buckets are kept (the fullest are forgotten first)."""

    per_minute: int
    clients: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, client: str, now: float) -> float:
        """0.0 if ``client`` may send a request at time ``now`` (seconds), else how long to
        wait."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        tokens, since = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - since) * rate)
        if tokens >= 1.0:
            self._remember(client, (tokens - 1.0, now))
            return 0.0
        self._remember(client, (tokens, now))
        return float(math.ceil((1.0 - tokens) / rate))

    def _remember(self, client: str, state: tuple[float, float]) -> None:
        self._buckets[client] = state
        if len(self._buckets) > self.clients:
            fullest = max(self._buckets, key=lambda c: self._buckets[c][0])
            del self._buckets[fullest]
