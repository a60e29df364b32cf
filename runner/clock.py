"""Today's date, injectable: TFGUARD_TODAY=YYYY-MM-DD pins it (tests, replays of a past run)."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

from runner.errors import UsageError


def today() -> date:
    pinned = os.environ.get("TFGUARD_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise UsageError(f"TFGUARD_TODAY={pinned!r} is not a YYYY-MM-DD date") from None
    return datetime.now(timezone.utc).date()


def now_iso() -> str:
    pinned = os.environ.get("TFGUARD_TODAY")
    if pinned:
        return f"{today().isoformat()}T12:00:00+00:00"
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
