"""The ledger: what the observation workflow remembers between runs.

First-observed dates and deadlines of guardrails pending activation, the history of statuses per
guardrail x workload, notification state (what each workload was told, which reminders went out), the
outbox of messages not yet delivered, and promotions.

Where it lives, with no new infrastructure:
- `GitStore`: one JSON file on a dedicated state branch of the compliance repository (tfguard.yaml
  `observation.ledger_branch`, default `tfguard-ledger`), written by plumbing commands that never touch
  the work tree, and pushed compare-and-swap style: a commit whose parent is the tip we read, pushed
  without force. If another run pushed first the push is rejected, and the update is re-applied to the
  fresh tip and pushed again, so two runs writing at once lose nothing.
- `FileStore`: `.tfguard/ledger.json` in the repository, under a file lock, for local runs.

Updates are functions `fn(ledger) -> value` that `Store.update` may call more than once (after a
conflict): they must derive every change from the ledger they are given and their captured inputs."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from runner import clock
from runner.errors import ConfigError, GitError, UsageError
from runner.fs import file_lock
from runner.git import GitCommandFailed, Repo, first_error, identity_env
from runner.limits import DEFAULT
from runner.readers import compiled, decode_utf8, json_type, loads, read_bytes
from runner.retry import backoff
from runner.schemas import load_schema

SCHEMA_VERSION = 1
LEDGER_FILE = "ledger.json"
LOCAL_PATH = ".tfguard/ledger.json"
DELIVERED_KEEP = 1000  # delivered messages kept for the record (oldest dropped)
STORES = ("auto", "git", "file")
T = TypeVar("T")

BRANCH_README = """# tfguard ledger

This branch is written by tfguard (`tfguard observe` / `promote`): `ledger.json` holds first-observed
dates, deadlines, notifications and promotions of the observation workflow. Do not edit or merge it;
every update is a fast-forward commit made by a pipeline run.
"""


def _empty() -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "guardrails": {}, "status": {}, "observed": [], "notifications": {},
            "outbox": [], "delivered": [], "promotions": [], "updated": ""}


class Ledger:
    """The ledger document with the operations the workflow needs. Plain JSON inside."""

    def __init__(self, doc: dict[str, Any] | None = None) -> None:
        self.doc = doc if doc is not None else _empty()
        for key, value in _empty().items():
            self.doc.setdefault(key, value)

    # --- guardrails pending activation -------------------------------------------------------------

    def guardrail(self, gid: str) -> dict[str, Any] | None:
        return self.doc["guardrails"].get(gid)

    def observe_guardrail(self, gid: str, digest: str, today: date, branch: str, tag_deadline: date | None,
                          deadline_days: int) -> dict[str, Any]:
        """Note that the guardrail was observed (new or changed against mainline) today.

        The first observation fixes the deadline (the @deadline tag, else first observation + deadline_days);
        later content changes keep it, so a guardrail cannot be pushed back forever by small edits. A tag
        added or changed later wins."""
        entry = self.doc["guardrails"].get(gid)
        if entry is None or entry.get("state") == "active":
            entry = {"first_observed": today.isoformat(), "state": "pending", "digests": []}
            self.doc["guardrails"][gid] = entry
        entry["last_observed"] = today.isoformat()
        entry["branch"] = branch
        entry["digest"] = digest
        if digest not in entry["digests"]:
            entry["digests"].append(digest)
        first = date.fromisoformat(entry["first_observed"])
        if tag_deadline:
            entry["deadline"], entry["deadline_source"] = tag_deadline.isoformat(), "tag"
        else:
            entry["deadline"] = date.fromordinal(first.toordinal() + deadline_days).isoformat()
            entry["deadline_source"] = f"first observation + {deadline_days} days"
        return entry

    def deadline(self, gid: str) -> date | None:
        entry = self.guardrail(gid)
        return date.fromisoformat(entry["deadline"]) if entry and entry.get("deadline") else None

    def mark_active(self, gid: str, today: date, record: dict[str, Any]) -> None:
        entry = self.doc["guardrails"].setdefault(gid, {"first_observed": today.isoformat(), "digests": []})
        entry["state"] = "active"
        entry["activated"] = today.isoformat()
        entry["activation"] = record

    def withdraw_missing(self, present: set[str], branch: str, today: date) -> None:
        """A pending guardrail that the same branch no longer has is withdrawn (not pending any more)."""
        for gid, entry in self.doc["guardrails"].items():
            if entry.get("state") == "pending" and entry.get("branch") == branch and gid not in present:
                entry["state"] = "withdrawn"
                entry["withdrawn"] = today.isoformat()

    def pending(self, today: date | None = None) -> list[dict[str, Any]]:
        """Guardrails observed but not active: [{guardrail, first_observed, deadline, deadline_source,
        days_left, branch, digest}], soonest deadline first."""
        today = today or clock.today()
        out = []
        for gid, entry in self.doc["guardrails"].items():
            if entry.get("state") != "pending":
                continue
            deadline = date.fromisoformat(entry["deadline"])
            out.append({"guardrail": gid, "first_observed": entry["first_observed"], "deadline": entry["deadline"],
                        "deadline_source": entry.get("deadline_source", ""), "days_left": (deadline - today).days,
                        "branch": entry.get("branch", ""), "digest": entry.get("digest", "")})
        return sorted(out, key=lambda e: (e["deadline"], e["guardrail"]))

    # --- status history ------------------------------------------------------------------------------

    def record_status(self, gid: str, workload: str, status: str, today: date) -> bool:
        """Keep the status of a guardrail x workload as change points; returns True when it changed."""
        points = self.doc["status"].setdefault(gid, {}).setdefault(workload, [])
        day = today.isoformat()
        if points and points[-1][1] == status:
            return False
        if points and points[-1][0] == day:
            points.pop()  # one status per day: the latest observation of the day wins
            if points and points[-1][1] == status:
                return True
        points.append([day, status])
        return True

    def mark_observed(self, today: date) -> None:
        days = self.doc.setdefault("observed", [])
        if today.isoformat() not in days:
            days.append(today.isoformat())
            days.sort()

    def history(self, max_dates: int | None = None) -> list[dict[str, str]]:
        """The status of every guardrail x workload on every date an observation was recorded (a full
        snapshot per date, carried forward from the change points): [{date, guardrail, workload, status}],
        oldest first. Statuses: passed, failed, unknown, not-applicable, error, excluded (passed thanks to an
        exclusion). `max_dates` keeps the most recent dates only."""
        days = list(self.doc.get("observed") or [])
        for per in self.doc["status"].values():
            for points in per.values():
                days += [day for day, _ in points]
        days = sorted(set(days))[-max_dates:] if max_dates else sorted(set(days))
        out = []
        for gid, per in sorted(self.doc["status"].items()):
            for workload, points in sorted(per.items()):
                i, current = 0, None
                for day in days:
                    while i < len(points) and points[i][0] <= day:
                        current = points[i][1]
                        i += 1
                    if current is not None:
                        out.append({"date": day, "guardrail": gid, "workload": workload, "status": current})
        return sorted(out, key=lambda e: (e["date"], e["guardrail"], e["workload"]))

    def changes(self) -> list[dict[str, str]]:
        """Only the status changes (the stored change points), oldest first."""
        out = [{"date": day, "guardrail": gid, "workload": workload, "status": status}
               for gid, per in self.doc["status"].items()
               for workload, points in per.items()
               for day, status in points]
        return sorted(out, key=lambda e: (e["date"], e["guardrail"], e["workload"]))

    def latest_status(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(guardrail, workload) -> (status, since date)."""
        return {(gid, w): (points[-1][1], points[-1][0])
                for gid, per in self.doc["status"].items() for w, points in per.items() if points}

    # --- notification state --------------------------------------------------------------------------

    def notification_state(self, workload: str) -> dict[str, Any]:
        return self.doc["notifications"].setdefault(workload, {"fingerprint": "", "reminders": []})

    def enqueue(self, message: dict[str, Any]) -> bool:
        """Queue a message for one target unless the same message id is queued or was delivered."""
        known = {m["id"] for m in self.doc["outbox"]} | {m["id"] for m in self.doc["delivered"]}
        if message["id"] in known:
            return False
        self.doc["outbox"].append({"attempts": 0, "last_error": "", "claimed_by": "", "claimed_until": 0,
                                   **message})
        return True

    def outbox(self) -> list[dict[str, Any]]:
        return list(self.doc["outbox"])

    def claim(self, owner: str, lease_seconds: int, now: float, claimer: Mapping[str, Any] | None = None,
              dead: Callable[[Mapping[str, Any]], bool] | None = None) -> list[dict[str, Any]]:
        """Take every queued message nobody else holds. A claim ends when its lease expires, or at once when
        `dead(message)` says the process that claimed it is gone (its host and pid are in the claim:
        `claimer`, e.g. {claimed_host, claimed_pid, claimed_started})."""
        taken = []
        for msg in self.doc["outbox"]:
            held = msg.get("claimed_by") and msg.get("claimed_until", 0) > now and msg["claimed_by"] != owner
            if held and not (dead is not None and dead(msg)):
                continue
            msg["claimed_by"], msg["claimed_until"] = owner, now + lease_seconds
            msg.update(claimer or {})
            taken.append(dict(msg))
        return taken

    def settle(self, owner: str, delivered: dict[str, str], failed: dict[str, str]) -> None:
        """Record the outcome of delivering claimed messages: delivered ids leave the outbox, failed ones
        stay queued with their error and are released for the next run."""
        keep = []
        for msg in self.doc["outbox"]:
            if msg["id"] in delivered:
                record = {k: msg[k] for k in ("id", "workload", "kind", "target", "subject", "fingerprint")
                          if k in msg}
                self.doc["delivered"].append({**record, "delivered": delivered[msg["id"]],
                                              "attempts": msg.get("attempts", 0) + 1})
                continue
            if msg["id"] in failed and msg.get("claimed_by") == owner:
                msg["attempts"] = msg.get("attempts", 0) + 1
                msg["last_error"] = failed[msg["id"]]
                msg["last_attempt"] = clock.now_iso()
                msg["claimed_by"], msg["claimed_until"] = "", 0
            keep.append(msg)
        self.doc["outbox"] = keep
        self.doc["delivered"] = self.doc["delivered"][-DELIVERED_KEEP:]

    def delivered(self) -> list[dict[str, Any]]:
        return list(self.doc["delivered"])

    # --- promotions ----------------------------------------------------------------------------------

    def record_promotion(self, record: dict[str, Any]) -> None:
        if any(p.get("id") == record.get("id") for p in self.doc["promotions"]):
            return
        self.doc["promotions"].append(record)

    def promotions(self) -> list[dict[str, Any]]:
        return list(self.doc["promotions"])

    # --- serialisation -------------------------------------------------------------------------------

    def dumps(self) -> str:
        return json.dumps(self.doc, indent=1, sort_keys=True) + "\n"

    @classmethod
    def loads(cls, text: str, where: str) -> Ledger:
        """A ledger read back strictly (runner.readers) and against runner/schemas/ledger.schema.json."""
        doc = loads(text, where, error=ConfigError, hint="the ledger is written by tfguard only; restore it from "
                                                         "its branch history or remove it")
        if not isinstance(doc, dict):
            raise ConfigError(f"top level: expected an object, got {json_type(doc)} (not a tfguard ledger)",
                              where=where)
        version = doc.get("schema_version", 0)
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            raise ConfigError(f"ledger schema_version {version} is newer than this tfguard understands "
                              f"({SCHEMA_VERSION})", where=where, hint="upgrade tfguard")
        problem = _validator()(doc)
        if problem:
            raise ConfigError(problem, where=where, hint="the ledger is written by tfguard only; restore it from its "
                                                         "branch history or remove it")
        return cls(doc)


@cache
def _validator() -> Callable[[Any], str | None]:
    return compiled(load_schema("ledger"))


class Store(Protocol):
    @property
    def description(self) -> str: ...

    def read(self) -> Ledger: ...

    def update(self, fn: Callable[[Ledger], T], message: str = "update") -> T: ...


def _apply(ledger: Ledger, fn: Callable[[Ledger], T]) -> tuple[T, bool]:
    before = ledger.dumps()
    result = fn(ledger)
    changed = ledger.dumps() != before
    if changed:
        ledger.doc["updated"] = clock.now_iso()
    return result, changed


# --- local file ---------------------------------------------------------------------------------------


@dataclass
class FileStore:
    path: Path

    @property
    def description(self) -> str:
        return f"file {self.path}"

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        return file_lock(self.path.with_name(self.path.name + ".lock"), "the ledger file")

    def _load(self) -> Ledger:
        if not os.path.lexists(self.path):
            return Ledger()
        where = str(self.path)
        raw = read_bytes(self.path, DEFAULT.json_size, where, ConfigError, hint=DEFAULT.hint("json_size"))
        return Ledger.loads(decode_utf8(raw, where, ConfigError), where)

    def read(self) -> Ledger:
        with self._locked():
            return self._load()

    def update(self, fn: Callable[[Ledger], T], message: str = "update") -> T:
        with self._locked():
            ledger = self._load()
            result, changed = _apply(ledger, fn)
            if changed:
                tmp = self.path.with_name(f"{self.path.name}.tmp{os.getpid()}")
                tmp.write_text(ledger.dumps(), encoding="utf-8")
                os.replace(tmp, self.path)
            return result


# --- state branch in the compliance repository -------------------------------------------------------



@dataclass
class GitStore:
    """The ledger on branch `branch` of `remote`, updated by compare-and-swap pushes."""

    repo: Path
    branch: str = "tfguard-ledger"
    remote: str = "origin"
    attempts: int = 25

    @property
    def description(self) -> str:
        return f"branch {self.branch} of {self.remote}"

    @property
    def _tracking(self) -> str:
        return f"refs/tfguard/ledger/{self.remote}/{self.branch}"

    def _git(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        return Repo(self.repo).git(*args, input=stdin, env=env)

    def _fetch(self) -> str | None:
        """The remote tip of the ledger branch (fetched), or None when the branch does not exist yet."""
        try:
            self._git("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", self.remote,
                      f"+refs/heads/{self.branch}:{self._tracking}")
        except GitCommandFailed as exc:
            if "couldn't find remote ref" in exc.stderr.lower():
                return None
            raise GitError(f"cannot fetch the ledger: {first_error(exc.stderr) or exc.message}",
                           where=f"{self.remote} {self.branch}") from None
        return self._git("rev-parse", self._tracking)

    def _load(self, tip: str | None) -> Ledger:
        if tip is None:
            return Ledger()
        try:
            text = self._git("cat-file", "blob", f"{tip}:{LEDGER_FILE}")
        except GitCommandFailed:
            raise ConfigError(f"branch {self.branch} has no {LEDGER_FILE}", where=self.description,
                              hint="the ledger branch must only be written by tfguard") from None
        return Ledger.loads(text, f"{self.description}:{LEDGER_FILE}")

    def read(self) -> Ledger:
        return self._load(self._fetch())

    def _commit(self, ledger: Ledger, parent: str | None, message: str) -> str:
        blob = self._git("hash-object", "-w", "--stdin", stdin=ledger.dumps())
        readme = self._git("hash-object", "-w", "--stdin", stdin=BRANCH_README)
        tree = self._git("mktree", stdin=f"100644 blob {readme}\tREADME.md\n100644 blob {blob}\t{LEDGER_FILE}\n")
        args = ["commit-tree", tree, "-m", f"tfguard ledger: {message}"] + (["-p", parent] if parent else [])
        return self._git(*args, env=identity_env(self.repo))

    def _push(self, commit: str) -> bool:
        try:
            self._git("push", "--quiet", "--porcelain", self.remote, f"{commit}:refs/heads/{self.branch}")
        except GitCommandFailed as exc:
            if exc.rejected:
                return False
            raise GitError(f"cannot push the ledger: {first_error(exc.stderr) or exc.message}",
                           where=f"{self.remote} {self.branch}") from None
        return True

    def update(self, fn: Callable[[Ledger], T], message: str = "update") -> T:
        for attempt in range(self.attempts):
            tip = self._fetch()
            ledger = self._load(tip)
            result, changed = _apply(ledger, fn)
            if not changed:
                return result
            commit = self._commit(ledger, tip, message)
            if self._push(commit):
                self._git("update-ref", self._tracking, commit)
                return result
            time.sleep(backoff(attempt, 0.05, 1.6, jitter=True))
        raise GitError(f"could not update the ledger after {self.attempts} attempts (other runs kept "
                       "writing first)", where=self.description, hint="run again")

# --- choosing a store -----------------------------------------------------------------------------------


def has_remote(repo: Path, remote: str) -> bool:
    return Repo(repo).ok("remote", "get-url", remote)


def open_store(repo_root: str | Path, kind: str | None = None, branch: str = "tfguard-ledger",
               remote: str = "origin") -> Store:
    """`git`: the state branch on `remote`; `file`: .tfguard/ledger.json; `auto` (default, or the
    TFGUARD_LEDGER variable): git in CI (the CI variable is set) when the remote exists, else file. A path
    (anything else containing '/' or ending .json) is used as the ledger file."""
    root = Path(repo_root)
    kind = kind or os.environ.get("TFGUARD_LEDGER") or "auto"
    if kind == "auto":
        in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
        kind = "git" if in_ci and has_remote(root, remote) else "file"
    if kind == "git":
        if not has_remote(root, remote):
            raise UsageError(f"the ledger lives on remote {remote!r}, which this repository does not have",
                             where=str(root), hint="use --ledger file for a local run")
        return GitStore(root, branch, remote)
    if kind == "file":
        return FileStore(root / LOCAL_PATH)
    if "/" in kind or kind.endswith(".json"):
        return FileStore(Path(kind))
    raise UsageError(f"unknown ledger store {kind!r} (use git, file, auto or a file path)")
