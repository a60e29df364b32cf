"""Timing a command tree: wall seconds, exit code and the peak RSS of its largest process."""

from __future__ import annotations

import os
import subprocess
import time


def run_measured(cmd: list[str], cwd: str | None = None) -> tuple[float, int, int]:
    """Run cmd in a forked child (so the rusage is this command's alone); returns (wall s, exit code,
    peak RSS KiB of the largest process in the tree). Output is discarded."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os._exit(subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL).returncode)
    _, status, usage = os.wait4(pid, 0)
    return time.monotonic() - started, os.waitstatus_to_exitcode(status), usage.ru_maxrss
