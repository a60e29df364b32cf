"""The one edge of every command (runner/cli.py): a failure that is not a TfguardError is one line and
exit 2, never exit 1 (violations) with a traceback; --debug and TFGUARD_DEBUG=1 print the traceback.

The failure is injected for real: a child Python process replaces one command's run() with a function
that raises, then calls the CLI's main() as the console script does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

INJECT = """
import sys
import runner.commands.status as command

def boom(args, output):
    raise {exc}

command.run = boom
import runner.cli
sys.exit(runner.cli.main(sys.argv[1:]))
"""


def run(exc: str, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "TFGUARD_DEBUG"} | (env or {})
    return subprocess.run([sys.executable, "-c", INJECT.format(exc=exc), *argv], capture_output=True, text=True,
                          env=full, timeout=60)


@pytest.mark.parametrize(("exc", "line"), [
    ("ValueError('boom')", "tfguard: internal error in status: ValueError: boom (run with --debug for the traceback)"),
    ("KeyError('outbox')", "tfguard: internal error in status: KeyError: 'outbox' (run with --debug for the traceback)"),
    ("MemoryError()", "tfguard: internal error in status: MemoryError: (no message) (run with --debug for the traceback)"),
    ("RuntimeError('two\\nlines')", "tfguard: internal error in status: RuntimeError: two\\nlines (run with --debug for "
                                    "the traceback)"),
])
def test_an_unexpected_exception_is_one_line_and_exit_2(exc: str, line: str) -> None:
    proc = run(exc, "status")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [line]
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("how", [("--debug", "status"), ("status",)])
def test_debug_prints_the_traceback_and_still_exits_2(how: tuple[str, ...]) -> None:
    env = {"TFGUARD_DEBUG": "1"} if how == ("status",) else None
    proc = run("ValueError('boom')", *how, env=env)
    assert proc.returncode == 2
    assert "Traceback (most recent call last)" in proc.stderr and "in boom" in proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1].startswith("tfguard: internal error in status: ValueError: boom")


def test_a_tfguard_error_stays_its_own_line() -> None:
    proc = run("__import__('runner.errors').errors.ConfigError('broken', where='x.yaml:3')", "status")
    assert proc.returncode == 2 and proc.stderr.splitlines() == ["tfguard: error: x.yaml:3: broken"]
