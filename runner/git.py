"""The one git helper: the git binary in a subprocess, never a prompt, always a timeout, and every error
message scrubbed of credentials. The rules store, the ledger, promotion, observation, exclusion requests
and plan sources all talk to git through it.

    repo = Repo.discover(path)          # the repository holding path (GitError when there is none)
    sha = repo.git("rev-parse", "HEAD")  # stdout, stripped; GitCommandFailed on a non-zero exit
    if repo.ok("cat-file", "-e", sha): ...
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.errors import GitError

DEFAULT_TIMEOUT = 120  # seconds; a remote that hangs must not hang the pipeline
TOKEN_ENV = "TFGUARD_GIT_TOKEN"
USER_ENV = "TFGUARD_GIT_USERNAME"
USERINFO_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")
REJECTED_MARKS = ("rejected", "non-fast-forward", "fetch first", "cannot lock ref", "failed to update ref",
                  "stale info", "failed to lock", "incorrect old value")


class GitCommandFailed(GitError):
    """git exited non-zero. `stderr` is kept (scrubbed) for callers that look for a specific cause."""

    def __init__(self, message: str, *, stderr: str = "", returncode: int = 1, where: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, where=where, hint=hint)
        self.stderr = stderr
        self.returncode = returncode

    @property
    def rejected(self) -> bool:
        """The remote refused a push because its branch moved (retry after fetching)."""
        return any(mark in self.stderr.lower() for mark in REJECTED_MARKS)


def scrub(text: str, secrets: Sequence[str] = ()) -> str:
    """Remove URL userinfo and any known secret (the token in the environment) from a message."""
    text = USERINFO_RE.sub(r"\1", text)
    for secret in (*secrets, os.environ.get(TOKEN_ENV, "")):
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def first_error(stderr: str) -> str:
    """The line that says what went wrong; ssh's own line when git only says it could not read."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip() and not ln.strip().startswith("hint:")]
    for prefix in ("fatal:", "error:", "remote:"):
        for ln in lines:
            if ln.lower().startswith(prefix):
                text = ln[len(prefix):].strip()
                cause = next((c for c in lines if not c.lower().startswith(("fatal:", "error:", "please make",
                                                                            "and the repository"))), "")
                return f"{cause}: {text}" if cause and "could not read from remote" in text.lower() else text
    return lines[-1] if lines else ""


def git_env(ssh: bool = False, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment git runs in: no terminal prompt, C locale, only safe transports; ssh in batch mode; with
    TFGUARD_GIT_TOKEN set, a credential helper (through GIT_CONFIG_*, never the command line) that answers
    https prompts with it, so CI jobs configure no git credentials of their own."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_ALLOW_PROTOCOL": "file:https:http:ssh:git",
           **(extra or {})}
    if env.get(TOKEN_ENV) and "GIT_CONFIG_COUNT" not in env:  # https fetches and pushes answer with the token
        env.update({"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "credential.helper", "GIT_CONFIG_VALUE_0": "",
                    "GIT_CONFIG_KEY_1": "credential.helper", "GIT_CONFIG_VALUE_1": _CREDENTIAL_HELPER})
    if ssh and not (env.get("GIT_SSH_COMMAND") or env.get("GIT_SSH")):
        configured = subprocess.run(["git", "config", "--get", "core.sshCommand"], capture_output=True,
                                    text=True, env=env, stdin=subprocess.DEVNULL, check=False).stdout.strip()
        env["GIT_SSH_COMMAND"] = f"{configured or 'ssh'} -o BatchMode=yes"
    return env


_CREDENTIAL_HELPER = ('!f() { test "$1" = get || return 0; echo "username=${' + USER_ENV + ':-x-access-token}"; '
                      'echo "password=$' + TOKEN_ENV + '"; }; f')


def credential_args(https: bool) -> list[str]:
    """A credential helper that answers with the token in TFGUARD_GIT_TOKEN (never on the command line)."""
    if not https or not os.environ.get(TOKEN_ENV):
        return []
    return ["-c", "credential.helper=", "-c", f"credential.helper={_CREDENTIAL_HELPER}"]


def run(args: Sequence[str], cwd: str | Path | None = None, *, timeout: float = DEFAULT_TIMEOUT,
        input: str | None = None, env: Mapping[str, str] | None = None, binary: bool = False,
        pre_args: Sequence[str] = (), ssh: bool = False) -> subprocess.CompletedProcess[Any]:
    """Run `git ARGS` and return the finished process, whatever its exit code. A timeout or a missing git
    binary raises GitError."""
    cmd = ["git", *pre_args, *args]
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, env=git_env(ssh, env), timeout=timeout,
                              input=input, stdin=None if input is not None else subprocess.DEVNULL,
                              text=not binary, check=False)
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out after {timeout:g} s", where=str(cwd) if cwd else None) from None
    except FileNotFoundError:
        raise GitError("git is not installed", hint="install git") from None


def check(proc: subprocess.CompletedProcess[Any], what: str = "", where: str | None = None) -> str:
    """stdout of a finished git process; GitCommandFailed naming its first error line when it failed."""
    if proc.returncode == 0:
        return proc.stdout if isinstance(proc.stdout, str) else proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode("utf-8", "replace")
    stderr = scrub(stderr)
    line = (first_error(stderr) or scrub(str(proc.stdout or "")).strip() or f"exit {proc.returncode}").splitlines()[-1]
    verb = what or f"git {proc.args[1] if isinstance(proc.args, list) and len(proc.args) > 1 else ''}".strip()
    raise GitCommandFailed(f"{verb} failed: {line}", stderr=stderr, returncode=proc.returncode, where=where)


@dataclass(frozen=True)
class Repo:
    """A local repository (work tree or bare) driven through the git binary."""

    path: Path

    @classmethod
    def discover(cls, path: str | Path, search_parents: bool = True, why: str = "") -> Repo:
        """The repository holding `path`: its top level (search_parents) or `path` itself."""
        where = Path(path)
        if not where.is_dir():
            raise GitError(f"not a git repository{why}", where=str(path))
        proc = run(["rev-parse", "--show-toplevel"], cwd=where)
        top = proc.stdout.strip() if proc.returncode == 0 else ""
        if not top or (not search_parents and Path(top).resolve() != where.resolve()):
            raise GitError(f"not a git repository{why}", where=str(path))
        return cls(Path(top))

    def run(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
        return run(args, cwd=self.path, **kwargs)

    def git(self, *args: str, input: str | None = None, env: Mapping[str, str] | None = None,
            timeout: float = DEFAULT_TIMEOUT, what: str = "", where: str | None = None) -> str:
        """stdout of `git ARGS` in this repository, stripped; GitCommandFailed when git fails."""
        proc = run(args, cwd=self.path, input=input, env=env, timeout=timeout)
        return check(proc, what or f"git {args[0]}", where).strip()

    def ok(self, *args: str) -> bool:
        """Whether `git ARGS` succeeds (for questions such as `cat-file -e` or `merge-base --is-ancestor`)."""
        return run(args, cwd=self.path).returncode == 0

    def head_sha(self) -> str:
        return self.git("rev-parse", "HEAD")

    def branch(self) -> str | None:
        """The checked-out branch, or None when HEAD is detached."""
        proc = run(["symbolic-ref", "--quiet", "--short", "HEAD"], cwd=self.path)
        return proc.stdout.strip() if proc.returncode == 0 else None

    def heads(self) -> list[str]:
        out = self.git("for-each-ref", "--format=%(refname:short)", "refs/heads")
        return [line for line in out.splitlines() if line]

    def remotes(self) -> list[str]:
        return [line for line in self.git("remote").splitlines() if line]

    def remote_url(self, remote: str) -> str:
        return self.git("remote", "get-url", remote)

    def config(self, key: str) -> str:
        """A git config value as this repository sees it, or "" when unset."""
        proc = run(["config", "--get", key], cwd=self.path)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    def resolve(self, rev: str) -> str | None:
        """The commit SHA `rev` names, or None."""
        proc = run(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=self.path)
        return proc.stdout.strip() if proc.returncode == 0 else None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return self.ok("merge-base", "--is-ancestor", ancestor, descendant)


def identity_env(repo: str | Path) -> dict[str, str]:
    """Commit as the configured user, or as `tfguard` when the runner has no git identity."""
    env: dict[str, str] = {}
    for key, var in (("user.name", "NAME"), ("user.email", "EMAIL")):
        if os.environ.get(f"GIT_COMMITTER_{var}") and os.environ.get(f"GIT_AUTHOR_{var}"):
            continue
        proc = run(["config", key], cwd=repo)
        if proc.returncode != 0 or not proc.stdout.strip():
            value = "tfguard" if var == "NAME" else "tfguard@localhost"
            env.setdefault(f"GIT_AUTHOR_{var}", value)
            env.setdefault(f"GIT_COMMITTER_{var}", value)
    return env
