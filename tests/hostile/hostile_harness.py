"""Running one hostile case: the real `tfguard` console script in a subprocess, in the case's own temp dir,
measured around the process (wall time, peak RSS from wait4) and checked against its row of the table.

A case writes its inputs with small generator functions (nothing binary is committed), returns the
command line, and says which exit code it expects and which line must name the file and the place."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TFGUARD = str(Path(sys.executable).parent / "tfguard")  # the installed console script, not `python -m`
TODAY = "2026-03-02"
WALL_LIMIT = 30.0  # seconds: a safety net, not a benchmark
RSS_LIMIT_KIB = 1024 * 1024  # 1 GiB peak resident set
ADDRESS_SPACE_CAP = 4 * 1024**3  # hard wall so that an unbounded input cannot take the machine down
TRACEBACK = "Traceback (most recent call last)"


@dataclass(frozen=True)
class Case:
    """One row: `build(tmp)` writes the inputs under tmp and returns the arguments after `tfguard`.

    `want` is a regular expression the diagnostic line must match (it names the file and the place);
    `code` the exit code, with `why` saying why when it is not 2; `stream` where the line is printed
    (stderr: exactly one `tfguard:` line; stdout: at least one matching line, for validators and lint
    whose report is their output). `owner` names the part of tfguard a failure belongs to."""

    name: str
    build: Callable[[Path], list[str]]
    want: str | None
    code: int = 2
    why: str = ""
    stream: str = "stderr"
    owner: str = "hostile"
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code != 2 and not self.why:
            raise ValueError(f"{self.name}: exit code {self.code} needs a reason in the table")


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_kib: int
    changed: tuple[str, ...]  # inputs that are not byte-identical afterwards
    killed: bool = False


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def snapshot(root: Path) -> dict[str, str]:
    """Every input under root: files by content digest, symlinks by target, directories by name."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):  # never follows symlinks
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if rel.split("/")[0] in (".home", ".git") or "/.git/" in f"/{rel}/":
                continue
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[rel] = "dir"
            elif path.is_file():
                found[rel] = "file:" + _digest(path)
            else:
                found[rel] = "special"
    return found


def changed_inputs(before: dict[str, str], after: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(rel for rel, what in before.items() if after.get(rel) != what))


def case_env(tmp: Path, extra: dict[str, str]) -> dict[str, str]:
    home = tmp / ".home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TFGUARD_", "GIT_", "PYTEST_")) and k not in ("CI", "GITHUB_TOKEN")}
    env.update({
        "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TFGUARD_TODAY": TODAY,
        "GIT_AUTHOR_NAME": "hostile", "GIT_AUTHOR_EMAIL": "hostile@example.com",
        "GIT_COMMITTER_NAME": "hostile", "GIT_COMMITTER_EMAIL": "hostile@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "COLUMNS": "200", "PYTHONFAULTHANDLER": "",
    })
    env.update(extra)
    return env


def run(case: Case, tmp: Path) -> Outcome:
    """Build the case's inputs, run tfguard on them, measure it, and compare the inputs afterwards."""
    tmp.mkdir(parents=True, exist_ok=True)
    argv = case.build(tmp)
    before = snapshot(tmp)
    out_path, err_path = tmp / ".home" / "stdout", tmp / ".home" / "stderr"
    env = case_env(tmp, case.env)
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen([TFGUARD, *argv], cwd=tmp, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:  # set from outside: preexec_fn is unsafe while the test runs cases in threads
            resource.prlimit(proc.pid, resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))
        except (ProcessLookupError, PermissionError):
            pass
        status, usage, killed = _wait(proc.pid, started)
        proc.returncode = 0  # reaped by wait4 above; keep Popen from waiting again
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    return Outcome(code, out_path.read_text(errors="replace"), err_path.read_text(errors="replace"), seconds,
                   usage.ru_maxrss, changed_inputs(before, snapshot(tmp)), killed)


def _wait(pid: int, started: float) -> tuple[int, resource.struct_rusage, bool]:
    """wait4 the child (its own rusage, peak RSS included); kill its process group past the wall limit.

    The child is seen to exit with WNOWAIT first, so its group (engine children left behind) is killed
    while the leader is still a zombie and its id cannot have been reused."""
    killed = False
    delay = 0.005
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if not killed and time.monotonic() - started > WALL_LIMIT:
            os.killpg(pid, signal.SIGKILL)
            killed = True
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _, status, usage = os.wait4(pid, 0)
    return status, usage, killed


def problems(case: Case, got: Outcome) -> list[str]:
    """What is wrong with the outcome, as sentences (empty when the case holds)."""
    bad = []
    if got.killed:
        bad.append(f"still running after {WALL_LIMIT:.0f} s: killed")
    if got.code != case.code:
        bad.append(f"exit {got.code}, want {case.code}")
    if TRACEBACK in got.stdout or TRACEBACK in got.stderr:
        bad.append("printed a traceback")
    if got.seconds > WALL_LIMIT:
        bad.append(f"took {got.seconds:.1f} s (bound {WALL_LIMIT:.0f} s)")
    if got.max_rss_kib > RSS_LIMIT_KIB:
        bad.append(f"peak RSS {got.max_rss_kib // 1024} MiB (bound {RSS_LIMIT_KIB // 1024} MiB)")
    if got.changed:
        bad.append(f"changed its inputs: {', '.join(got.changed)}")
    if case.want is not None:
        bad += _diagnostic_problems(case, got)
    return bad


def _diagnostic_problems(case: Case, got: Outcome) -> list[str]:
    pattern = re.compile(case.want or "")
    if case.stream == "stderr":
        lines = [ln for ln in got.stderr.splitlines() if ln.startswith("tfguard:")]
        if len(lines) != 1:
            return [f"{len(lines)} `tfguard:` lines on stderr, want exactly one: {lines[:3]!r}"]
        if "internal error" in lines[0]:
            return [f"an internal error, not a clear message: {lines[0]!r}"]
        if not pattern.search(lines[0]):
            return [f"the line does not match /{case.want}/: {lines[0]!r}"]
        return []
    text = got.stdout if case.stream == "stdout" else got.stdout + got.stderr
    if not any(pattern.search(ln) for ln in text.splitlines()):
        return [f"no line on {case.stream} matches /{case.want}/: {text[-600:]!r}"]
    return []


def describe(got: Outcome) -> str:
    tail = (got.stderr.strip().splitlines() or [""])[-1]
    return f"exit {got.code} in {got.seconds:.1f}s, {got.max_rss_kib // 1024} MiB; last stderr line: {tail[:300]!r}"
