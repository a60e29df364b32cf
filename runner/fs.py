"""File-system foundations shared by every store: the one cache root and the one file lock.

- `cache_root()`: `$XDG_CACHE_HOME/tfguard` (default `~/.cache/tfguard`). Under it: `rules/` (enforce's
  mainline checkouts), `results/` (the result cache), `engine/` (the engine's start-up cache).
- `file_lock(path)`: an exclusive advisory lock (flock) on `path`, held for the `with` block. The rules
  store, the result cache and the local ledger take it; a second tfguard on the same machine waits."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from runner.errors import UsageError


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfguard"


@contextlib.contextmanager
def file_lock(path: Path, what: str = "this directory") -> Iterator[None]:
    """Hold `path` (created when missing) exclusively for the block."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise UsageError(f"cannot use {what}: {exc.strerror}", where=str(path.parent),
                         hint="set XDG_CACHE_HOME to a writable directory") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
