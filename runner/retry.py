"""The one retry schedule: exponential backoff with a cap, and jitter where several runs race.

Used by the ledger's compare-and-swap pushes (jitter: concurrent sweeps must not retry in lock step),
message delivery (no jitter: one sender, tests pin the waits) and anything else that waits between tries."""

from __future__ import annotations

import random


def backoff(attempt: int, base: float, cap: float, jitter: bool = False) -> float:
    """Seconds to wait after try number `attempt` (0-based): base·2^attempt, at most cap; with jitter,
    scaled by a random factor in [0.5, 1.5)."""
    delay = min(cap, base * 2 ** min(attempt, 30))
    return delay * random.uniform(0.5, 1.5) if jitter else delay
