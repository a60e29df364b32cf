"""A cache of the compliance repository's mainline rule checkouts, keyed by (url, commit).

Like pre-commit's store: one directory per rules URL under `$XDG_CACHE_HOME/tfguard/rules/`, guarded by a
file lock. Under the lock the moving mainline ref is resolved to a SHA (`git ls-remote`), the cache is
checked again, and only what is missing is fetched (the mainline branch alone, depth 1, no tags) into a
bare repository kept for the next run; the rule files of that commit are extracted into a temp dir and
moved into place atomically as `checkouts/<sha>/`. The SHA, never the branch name, is what gets reported.

The cache is never trusted: every run checks the checkout against the commit it claims to be (the git
tree hash of its rule files, computed from the files on disk, against the tree the commit names; the
commit and tree objects themselves hashed against their ids, see runner.gitobjects). Rule files are
read from the bare store by blob id. A checkout that does not match is discarded and extracted again;
a store whose objects do not match is discarded and fetched again; each is reported in a warning.

    <cache>/tfguard/rules/<name>-<hash>/
        lock            fcntl lock: one writer at a time
        repo.git/       bare repository holding mainline history fetched so far
        checkouts/<sha>/ features/, exclusions/, tfguard.yaml, pipeline/workloads/ of one mainline commit
        state.json      last resolved mainline per branch and verified pins, with when they were fetched

Credentials come from the environment (`TFGUARD_GIT_TOKEN`, read by an inline credential helper so the
token is never on a command line) or from git's own credential helpers and ssh keys; no prompt is ever
shown, and every message has the URL's userinfo scrubbed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from runner import git as gitcmd
from runner import gitobjects
from runner.errors import GitError, UsageError
from runner.fs import cache_root, file_lock
from runner.git import TOKEN_ENV, first_error, scrub

RULE_PATHS = ("features", "exclusions", "tfguard.yaml", "pipeline/workloads")
KEEP_CHECKOUTS = 5
ALLOWED_SCHEMES = ("file", "https", "http", "ssh", "git", "git+ssh", "ssh+git")
SHA_RE = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
BRANCH_RE = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)[A-Za-z0-9._/-]+(?<!\.lock)(?<![/.])$")
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
USERINFO_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")
SCP_RE = re.compile(r"^[^/:]+:")  # host:path or user@host:path (git's ssh shorthand)
LS_REMOTE_TIMEOUT_S, FETCH_TIMEOUT_S = 120, 600
AUTH_HINTS = ("authentication failed", "could not read username", "could not read password",
              "terminal prompts disabled", "permission denied", "401", "403", "invalid username or password",
              "host key verification failed")


# --- URLs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesUrl:
    """A rules repository URL, checked for option injection; `public` is safe to print and record."""

    raw: str
    kind: str  # local | file | https | http | ssh | git
    public: str

    @property
    def key(self) -> str:
        digest = hashlib.sha256(self.public.encode()).hexdigest()[:16]
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", self.public.rstrip("/").rsplit("/", 1)[-1].split(":")[-1])
        name = name.removesuffix(".git").strip("-.") or "rules"
        return f"{name[:40]}-{digest}"


def strip_userinfo(url: str) -> str:
    """Drop `user:secret@` from a scheme URL (ssh keeps a plain user name: it carries no secret)."""
    match = SCHEME_RE.match(url)
    if not match:
        return url
    scheme, rest = match.group(1).lower(), url[match.end():]
    host_end = len(rest) if "/" not in rest else rest.index("/")
    netloc, path = rest[:host_end], rest[host_end:]
    if "@" not in netloc:
        return url
    user, host = netloc.rsplit("@", 1)
    if "ssh" in scheme and ":" not in user:
        return url
    return f"{match.group(1)}://{host}{path}"


def parse_url(url: str) -> RulesUrl:
    """Accept a local path, file://, http(s)://, ssh:// or scp-like URL; refuse anything git could read
    as an option or as a command-running transport (`ext::`, `fd::`)."""
    if not url or not url.strip():
        raise UsageError("the rules URL is empty", hint="pass --rules GIT_URL")
    if url.startswith("-"):
        raise UsageError(f"rules URL {scrub(url)!r} starts with '-'", hint="git would read it as an option")
    if any(ch in url for ch in "\n\r\0"):
        raise UsageError("the rules URL contains a control character")
    match = SCHEME_RE.match(url)
    if match:
        scheme = match.group(1).lower()
        if scheme not in ALLOWED_SCHEMES:
            raise UsageError(f"rules URL scheme {scheme!r} is not supported",
                             hint="use a local path, file://, https:// or ssh://")
        kind = "ssh" if "ssh" in scheme else scheme
        return RulesUrl(url, kind, strip_userinfo(url))
    if "::" in url.split("/", 1)[0]:
        raise UsageError(f"rules URL {scrub(url)!r} names a git remote helper", hint="use file://, https:// or ssh://")
    if SCP_RE.match(url):
        return RulesUrl(url, "ssh", url)
    path = os.path.abspath(os.path.expanduser(url))
    return RulesUrl(path, "local", path)


class RemoteUnavailable(GitError):
    """The rules remote could not be reached or refused our credentials: `--allow-cached` may step in."""


def git(args: Sequence[str], cwd: Path | None = None, url: RulesUrl | None = None, timeout: int = 120,
        binary: bool = False) -> subprocess.CompletedProcess[Any]:
    """Run git without a prompt; a failure talking to the remote raises RemoteUnavailable, others GitError.
    Every message is scrubbed of credentials."""
    try:
        proc = gitcmd.run(args, cwd=cwd, timeout=timeout, binary=binary,
                          pre_args=gitcmd.credential_args(url is not None and url.kind in ("https", "http")),
                          ssh=url is not None and url.kind == "ssh")
    except GitError as exc:
        if "timed out" in exc.message:
            raise RemoteUnavailable(exc.message, where=url.public if url else None) from None
        raise
    if proc.returncode != 0 and url is not None:
        stderr = proc.stderr.decode("utf-8", "replace") if binary else proc.stderr
        raise _remote_error(stderr, url)
    return proc


def _remote_error(stderr: str, url: RulesUrl) -> GitError:
    why = scrub(first_error(stderr).replace(url.raw, url.public)) or "git failed without a message"
    if any(h in stderr.lower() for h in AUTH_HINTS):
        return RemoteUnavailable(f"authentication failed: {why}", where=url.public,
                                 hint=f"set {TOKEN_ENV} or configure a git credential helper or ssh key")
    return RemoteUnavailable(f"cannot reach the rules repository: {why}", where=url.public,
                             hint="check the URL, or pass --allow-cached to use the last fetched mainline")


def _local(repo: Path, *args: str, check: bool = True, binary: bool = False) -> subprocess.CompletedProcess[Any]:
    proc = git(["--git-dir", str(repo), *args], binary=binary)
    if check and proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace") if binary else proc.stderr
        raise GitError(f"git {args[0]} failed in the rules cache: {scrub(first_error(stderr))}", where=str(repo),
                       hint="delete this cache directory and run again")
    return proc


# --- records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesRequest:
    url: RulesUrl
    mainline: str = "main"
    pin: str | None = None
    allow_cached: bool = False

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.mainline}"


@dataclass(frozen=True)
class RulesCheckout:
    """The rule files of one mainline commit, and where they came from."""

    url: str  # public URL (no credentials)
    ref: str  # refs/heads/<mainline>
    commit: str
    path: Path
    fetched_at: datetime  # when mainline was last read from the remote
    pinned: bool = False
    cached: bool = False  # the remote was unavailable and the last fetched mainline is used
    unavailable: str = ""  # why the remote was unavailable
    warnings: tuple[str, ...] = ()  # the cache did not match the commit and was rebuilt

    @property
    def features(self) -> Path:
        return self.path / "features"

    def age_seconds(self, now: datetime | None = None) -> float:
        return max(0.0, ((now or _now()) - self.fetched_at).total_seconds())

    def as_source(self) -> dict[str, str]:
        """What every report records about the rules (RunResult.rules_source)."""
        return {"url": self.url, "commit": self.commit, "ref": self.ref,
                "fetched_at": self.fetched_at.isoformat(timespec="seconds"),
                "pinned": "true" if self.pinned else "false", "cached": "true" if self.cached else "false"}


def describe_age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)} s"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days {hours % 24} h"


def validate_request(url: str, mainline: str = "main", pin: str | None = None,
                     allow_cached: bool = False) -> RulesRequest:
    mainline = mainline.removeprefix("refs/heads/")
    if not BRANCH_RE.match(mainline):
        raise UsageError(f"--mainline {mainline!r} is not a branch name")
    if pin is not None and not SHA_RE.match(pin.lower()):
        raise UsageError(f"--pin {pin!r} is not a full commit SHA", hint="pass all 40 hex digits")
    return RulesRequest(parse_url(url), mainline, pin.lower() if pin else None, allow_cached)


def _now() -> datetime:
    return datetime.now(UTC)


# --- the store ------------------------------------------------------------------------------------


class Store:
    """Mainline rule checkouts per rules URL; safe for concurrent runs sharing one cache."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else cache_root()

    def directory(self, url: RulesUrl) -> Path:
        return self.root / "rules" / url.key

    @contextlib.contextmanager
    def checkout(self, request: RulesRequest) -> Iterator[RulesCheckout]:
        """Resolve and, if needed, fetch the rules; the checkout is safe to read inside the block (old
        checkouts are pruned only under the same lock). Load what you need and leave."""
        base = self.directory(request.url)
        with _locked(base):
            yield _Session(base, request).resolve()


def _locked(base: Path) -> contextlib.AbstractContextManager[None]:
    """Hold base/lock exclusively: one run at a time resolves and fetches into this cache directory."""
    return file_lock(base / "lock", "the rules cache")


class _Session:
    """One resolve under the lock."""

    def __init__(self, base: Path, request: RulesRequest) -> None:
        self.base, self.req, self.url = base, request, request.url
        self.repo = base / "repo.git"
        self.checkouts = base / "checkouts"
        self.state_path = base / "state.json"
        self.warnings: list[str] = []

    # -- resolve --

    def resolve(self) -> RulesCheckout:
        self._clean_temp()
        try:
            tip = self._remote_tip()
        except RemoteUnavailable as exc:
            if not self.req.allow_cached:
                raise
            return self._from_cache(exc)
        commit = self._pinned(tip) if self.req.pin else self._fetched(tip)
        fetched = _now()
        self._record(commit, tip, fetched)
        self._prune(keep=commit)
        return RulesCheckout(self.url.public, self.req.ref, commit, self.checkouts / commit, fetched,
                             pinned=bool(self.req.pin), warnings=tuple(self.warnings))

    def _remote_tip(self) -> str:
        proc = git(["ls-remote", "--symref", "--", self.url.raw, "HEAD", self.req.ref], url=self.url,
                   timeout=LS_REMOTE_TIMEOUT_S)
        head, tip = None, None
        for line in proc.stdout.splitlines():
            left, _, name = line.partition("\t")
            if left.startswith("ref: ") and name == "HEAD":
                head = left[5:].strip()
            elif name == self.req.ref:
                tip = left.strip()
        if tip is None:
            raise GitError(f"branch {self.req.mainline!r} not found", where=self.url.public,
                           hint="pass --mainline with the compliance repository's mainline branch")
        if head is not None and head != self.req.ref:
            raise GitError(f"{self.req.mainline!r} is not the mainline (the default branch is "
                           f"{head.removeprefix('refs/heads/')!r}); only mainline rules are enforced",
                           where=self.url.public, hint="use --mainline with the default branch")
        return tip

    def _fetched(self, tip: str) -> str:
        commit = tip
        if not self._has_commit(tip):  # checked again under the lock: another run may have fetched it
            self._fetch()
            commit = self._rev(self._local_ref())
        self._ready(commit)
        return commit

    def _pinned(self, tip: str) -> str:
        pin = str(self.req.pin)
        if not self._on_mainline(pin, tip):
            raise GitError(f"commit {pin[:12]} is not on the mainline {self.req.mainline!r}",
                           where=self.url.public, hint="--pin accepts only commits merged into the mainline")
        self._ensure_commit(pin)
        self._ready(pin)
        return pin

    def _ensure_commit(self, sha: str) -> None:
        if self._has_commit(sha):
            return
        self._fetch()
        if not self._has_commit(sha) and self._shallow():
            self._fetch(unshallow=True)
        if not self._has_commit(sha):
            raise GitError(f"commit {sha[:12]} is not on the mainline {self.req.mainline!r}", where=self.url.public)

    def _on_mainline(self, pin: str, tip: str) -> bool:
        """Is `pin` the tip or an ancestor of it? Decided from commit objects hashed against their ids,
        starting at the tip the remote named: neither state.json nor the store's own graph is trusted.
        The history already in the store is walked first; only when it ends too soon is more fetched."""
        if pin == tip:
            return True
        for step in ("local", "fetch", "unshallow"):
            if step == "fetch" or not self._has_commit(tip):
                self._fetch()
            elif step == "unshallow":
                if not self._shallow():
                    return False  # the whole history is here and the pin is not in it
                self._fetch(unshallow=True)
            listed = _local(self.repo, "rev-list", tip, check=False).stdout.split()
            try:
                found = gitobjects.is_ancestor(self._reader(), listed, pin, tip)
            except gitobjects.ObjectMismatch as exc:
                self.warnings.append(f"the rules cache's git store did not match the mainline history ({exc}); "
                                     "discarded and fetched again")
                shutil.rmtree(self.repo, ignore_errors=True)
                continue
            if found is not None:
                return found
        return False

    # -- git work --

    def _local_ref(self) -> str:
        return f"refs/tfguard/{self.req.mainline}"

    def _ensure_repo(self) -> None:
        if (self.repo / "HEAD").is_file():
            return
        shutil.rmtree(self.repo, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-repo-", dir=self.base))
        _local(tmp, "init", "--quiet", "--bare")
        os.rename(tmp, self.repo)

    def _shallow(self) -> bool:
        return _local(self.repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"

    def _fetch(self, unshallow: bool = False) -> None:
        """Fetch the mainline branch only: depth 1 at first, then only new commits."""
        self._ensure_repo()
        depth = ["--unshallow"] if unshallow else (["--depth=1"] if self._shallow() or not self._has_ref() else [])
        git(["--git-dir", str(self.repo), "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", *depth,
             "--", self.url.raw, f"+{self.req.ref}:{self._local_ref()}"], url=self.url, timeout=FETCH_TIMEOUT_S)

    def _rev(self, ref: str) -> str:
        return _local(self.repo, "rev-parse", "--verify", f"{ref}^{{commit}}").stdout.strip()

    def _has_commit(self, sha: str) -> bool:
        if not (self.repo / "HEAD").is_file():
            return False
        return _local(self.repo, "cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode == 0

    # -- the checkout, checked against its commit --

    def _ready(self, commit: str, can_fetch: bool = True) -> None:
        """Leave checkouts/<commit> holding exactly the rule files of `commit`: a checkout that does not
        hash to the commit's tree is extracted again; a store whose objects do not hash to their ids is
        fetched again (not possible when the remote is down: then this is an error)."""
        for fresh_store in (False, True):
            try:
                selection = gitobjects.select(self._reader(), commit, RULE_PATHS)
                if "features" not in selection or not selection["features"].is_tree:
                    raise GitError(f"no features/ directory at mainline commit {commit[:12]}", where=self.url.public,
                                   hint="point --rules at the compliance repository")
                if self._matches(commit, selection):
                    return
                self._extract(commit, selection)
                if not self._matches(commit, selection, warn=False):
                    raise gitobjects.ObjectMismatch("the files written do not hash to the commit's tree")
                return
            except gitobjects.ObjectMismatch as exc:
                if fresh_store or not can_fetch:
                    raise GitError(f"the rules cache does not hold commit {commit[:12]} intact: {exc}",
                                   where=str(self.base), hint="delete this cache directory and run again "
                                   "while the rules repository is reachable") from None
                self.warnings.append(f"the rules cache's git store did not match commit {commit[:12]} ({exc}); "
                                     "discarded and fetched again")
                shutil.rmtree(self.repo, ignore_errors=True)
                shutil.rmtree(self.checkouts / commit, ignore_errors=True)
                self._ensure_commit(commit)

    def _reader(self) -> gitobjects.Reader:
        return gitobjects.batch_reader(self.repo, gitcmd.git_env(extra={"GIT_NO_REPLACE_OBJECTS": "1"}))

    def _matches(self, commit: str, selection: dict[str, gitobjects.Entry], warn: bool = True) -> bool:
        path = self.checkouts / commit
        if not path.is_dir():
            return False
        if gitobjects.disk_tree(path, commit) == gitobjects.tree_id(selection, commit):
            return True
        if warn:
            self.warnings.append(f"the cached rules checkout of {commit[:12]} did not match that commit (its files "
                                 "were changed after they were fetched); discarded, and the rule files of "
                                 f"{commit[:12]} read again from git")
        shutil.rmtree(path, ignore_errors=True)
        return False

    def _extract(self, commit: str, selection: dict[str, gitobjects.Entry]) -> None:
        """Write the rule files of `commit` (blobs read by id) into a temp dir and move it into place."""
        self.checkouts.mkdir(exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-checkout-", dir=self.base))
        try:
            gitobjects.write(self._reader(), selection, tmp)
            with contextlib.suppress(OSError):  # already there: checked again by the caller
                os.rename(tmp, self.checkouts / commit)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # nothing left after the rename

    # -- state, cache fallback, pruning --

    def _state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _record(self, commit: str, tip: str, fetched: datetime) -> None:
        state = self._state()
        state["url"] = self.url.public
        stamp = fetched.isoformat(timespec="seconds")
        if self.req.pin:
            state.setdefault("pins", {})[commit] = {"mainline": self.req.mainline, "fetched_at": stamp, "tip": tip}
        else:
            state.setdefault("mainline", {})[self.req.mainline] = {"commit": commit, "fetched_at": stamp}
        tmp = self.state_path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def _has_ref(self) -> bool:
        if not (self.repo / "HEAD").is_file():
            return False
        return _local(self.repo, "rev-parse", "--verify", "--quiet", self._local_ref(), check=False).returncode == 0

    def _from_cache(self, exc: GitError) -> RulesCheckout:
        state = self._state()
        if self.req.pin:
            entry = (state.get("pins") or {}).get(self.req.pin) or {}
            ok = entry.get("mainline") == self.req.mainline
            commit = self.req.pin
        else:
            entry = (state.get("mainline") or {}).get(self.req.mainline) or {}
            ok, commit = bool(entry.get("commit")), str(entry.get("commit", ""))
        try:
            fetched = datetime.fromisoformat(str(entry.get("fetched_at")))
        except ValueError:
            ok = False
        if not ok or not (self.checkouts / commit).is_dir() or not self._has_commit(commit):
            raise GitError(f"{exc.message}; and no cached mainline to fall back on", where=exc.where,
                           hint="run once while the rules repository is reachable")
        self._ready(commit, can_fetch=False)
        return RulesCheckout(self.url.public, self.req.ref, commit, self.checkouts / commit, fetched,
                             pinned=bool(self.req.pin), cached=True, unavailable=exc.message,
                             warnings=tuple(self.warnings))

    def _clean_temp(self) -> None:
        for leftover in self.base.glob(".tmp-*"):  # only a lock holder makes these: any seen now are orphans
            shutil.rmtree(leftover, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        if not self.checkouts.is_dir():
            return
        os.utime(self.checkouts / keep)
        current = {e.get("commit") for e in (self._state().get("mainline") or {}).values()}
        dirs = sorted(self.checkouts.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in dirs[KEEP_CHECKOUTS:]:
            if old.name not in current and old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
