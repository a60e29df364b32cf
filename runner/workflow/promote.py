"""Promotion: from observation to active mode.

`decide` reads an observation: the guardrails that differ from mainline can be activated when every
workload complies with them (after exclusions) and the guardrail self-tests passed, or, after their
deadline, when asked to (`--after-deadline --reason`, or the scheduled run with
observation.auto_activate_after_deadline). `merge_and_push` merges the observed commit into mainline in a
private worktree (fast-forward when possible, a merge commit otherwise or when asked) and pushes it without
force. If mainline moved since the observation, the merged tree is observed again before it is pushed; a
rejected push is fetched and retried. The user's checkout, branches and index are never touched, and
nothing is recorded until the push succeeded."""

from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Self

from runner.config import Config
from runner.errors import ConfigError, GitError, UsageError
from runner.git import GitCommandFailed, Repo, first_error, identity_env
from runner.limits import DEFAULT
from runner.model import Result, RunResult, Status, Workload
from runner.notify import Context, DeliverySettings, Planned, plan
from runner.readers import decode_utf8, loads, read_bytes
from runner.workflow.ledger import Ledger, Store
from runner.workflow.observe import Observation, blocking, deadline_of, mainline_commit

PUSH_ATTEMPTS = 5
MERGE, AFTER_DEADLINE, BLOCKED, NOTHING, REFUSED = "merge", "after-deadline", "blocked", "nothing", "refused"


# --- guardrail self-tests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfTests:
    state: str  # passed | failed | unknown
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.state == "passed"


def self_tests_from_file(path: str | Path) -> SelfTests:
    """Self-test status from a result file of `tfguard test`: JUnit XML (no failures or errors), or JSON
    with `passed: true`, `exit_code: 0` or `summary.exit_code: 0`."""
    p = Path(path)
    raw = read_bytes(p, DEFAULT.json_size, str(p), ConfigError, hint=DEFAULT.hint("json_size"))
    text = decode_utf8(raw, str(p), ConfigError)
    if p.suffix == ".xml" or text.lstrip().startswith("<"):
        try:
            root = ET.fromstring(text)
            suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
            bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
            total = sum(int(s.get("tests", 0)) for s in suites)
        except ET.ParseError as exc:
            return SelfTests("unknown", f"{p} is not valid XML: {exc}")
        except ValueError:
            return SelfTests("unknown", f"{p} has test counts that are not numbers")
        if total == 0:
            return SelfTests("unknown", f"{p} holds no test cases")
        return SelfTests("failed" if bad else "passed", f"{total - bad}/{total} passed ({p})")
    try:
        doc = loads(text, str(p), raw=raw)
    except ConfigError:
        return SelfTests("unknown", f"{p} is neither JUnit XML nor JSON")
    if not isinstance(doc, dict):
        return SelfTests("unknown", f"{p} does not say whether the self-tests passed")
    for value in (doc.get("passed"), doc.get("ok")):
        if isinstance(value, bool):
            return SelfTests("passed" if value else "failed", str(p))
    code = doc.get("exit_code", (doc.get("summary") or {}).get("exit_code"))
    if isinstance(code, int):
        return SelfTests("passed" if code == 0 else "failed", f"exit code {code} ({p})")
    return SelfTests("unknown", f"{p} does not say whether the self-tests passed")


def self_tests_by_runner(root: Path, features: str, ids: Sequence[str], engine: Callable[[], Any],
                         fixtures: str | None = None) -> SelfTests:
    """Run the self-tests (runner.guardrails.selftest, `tfguard test`) of the guardrails about to be activated."""
    from runner.guardrails.load import load_guardrails
    from runner.guardrails.selftest import DEFAULT_FIXTURES, run_self_tests

    if not ids:
        return SelfTests("passed", "no guardrail to activate")
    folder = Path(fixtures) if fixtures else root / DEFAULT_FIXTURES
    report = run_self_tests(load_guardrails(root / features), folder, engine(), list(ids))
    bad = [g.guardrail for g in report.guardrails if not g.ok]
    if bad:
        return SelfTests("failed", f"{', '.join(bad)} failed `tfguard test` against {folder}")
    return SelfTests("passed", f"`tfguard test` of {', '.join(ids)} against {folder}")


def self_tests(passed_flag: bool, file: str | None, root: Path, features: str, ids: Sequence[str] = (),
               engine: Callable[[], Any] | None = None, fixtures: str | None = None) -> SelfTests:
    """Whether the guardrails' self-tests passed: said by the pipeline (flag), read from `tfguard test
    --report FILE`, or found out by running them now (with an engine)."""
    if passed_flag:
        return SelfTests("passed", "asserted by --self-tests-passed (the pipeline's test stage)")
    if file:
        return self_tests_from_file(file)
    if engine is not None:
        return self_tests_by_runner(root, features, ids, engine, fixtures)
    return SelfTests("unknown", "no self-test result: pass --self-tests FILE (from `tfguard test --report`) "
                                "or --self-tests-passed")


# --- the decision ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    action: str  # merge | after-deadline | blocked | nothing | refused
    differing: tuple[str, ...]
    blocking: Mapping[str, Sequence[Result]]
    deadlines: Mapping[str, date]
    self_tests: SelfTests
    why: tuple[str, ...] = ()
    reason: str = ""  # the --reason of an after-deadline activation
    automatic: bool = False  # activated after the deadline by the config switch

    @property
    def promotes(self) -> bool:
        return self.action in (MERGE, AFTER_DEADLINE)

    @property
    def blocking_guardrails(self) -> tuple[str, ...]:
        return tuple(sorted({r.guardrail_id for rs in self.blocking.values() for r in rs}))


def decide(obs: Observation, run: RunResult, ledger: Ledger, config: Config, today: date, tests: SelfTests,
           after_deadline: bool = False, reason: str = "") -> Decision:
    differing = obs.changes.differing
    deadlines = {gid: deadline_of(ledger, gid, obs, config) for gid in differing}
    blocked = blocking(run, differing)

    def made(action: str, *why: str, why_now: str = reason, automatic: bool = False) -> Decision:
        return Decision(action, differing, blocked, deadlines, tests, tuple(why), why_now, automatic)

    if not differing:
        return made(NOTHING, "the branch changes no guardrail against mainline; other changes (exclusions, "
                             "workloads) go through review, not promotion")
    if not tests.passed:
        return made(REFUSED, f"guardrail self-tests {tests.state}: {tests.detail}")
    if not blocked:
        return made(MERGE)
    culprits = sorted({r.guardrail_id for rs in blocked.values() for r in rs})
    not_due = {g: deadlines[g] for g in culprits if today <= deadlines[g]}
    summary = ", ".join(f"{w} ({', '.join(sorted({r.guardrail_id for r in rs}))})" for w, rs in sorted(blocked.items()))
    if after_deadline:
        if not_due:
            first = min(not_due.items(), key=lambda kv: kv[1])
            raise UsageError(
                f"refusing to activate before the deadline: {first[0]} is due {first[1].isoformat()} "
                f"({(first[1] - today).days} days left)",
                hint="activation after the deadline is possible from the day after it")
        if not reason.strip():
            raise UsageError("--after-deadline needs --reason \"…\" (recorded in the merge commit and the ledger)")
        return made(AFTER_DEADLINE, f"noncompliant: {summary}")
    if config.observation.auto_activate_after_deadline and not not_due:
        return made(AFTER_DEADLINE, f"noncompliant: {summary}", automatic=True,
                    why_now=reason or "deadline passed (observation.auto_activate_after_deadline)")
    return made(BLOCKED, f"noncompliant: {summary}")


# --- the merge commit -----------------------------------------------------------------------------------


def commit_message(obs: Observation, decision: Decision, run: RunResult) -> str:
    titles = {g.id: g.title for g in run.guardrails}
    ids = ", ".join(decision.differing)
    head = f"tfguard: activate {ids}" if len(ids) < 60 else f"tfguard: activate {len(decision.differing)} guardrails"
    lines = [f"{head} from {obs.branch}", ""]
    for label, group in (("New", obs.new), ("Changed", obs.changed), ("Removed", obs.removed)):
        for gid in group:
            lines.append(f"{label}: {gid} {titles.get(gid, '')}".rstrip())
    names = [w.workload for w in run.workloads]
    if decision.action == AFTER_DEADLINE:
        lines += ["", "Activated after the deadline" + (" (automatic)" if decision.automatic else "") + ".",
                  f"Reason: {decision.reason}"]
        for w, rs in sorted(decision.blocking.items()):
            for r in rs:
                lines.append(f"Noncompliant: {w} {r.guardrail_id} {r.status.value} "
                             f"(deadline {decision.deadlines[r.guardrail_id].isoformat()})")
    else:
        lines += ["", f"All {len(names)} workloads comply: {', '.join(names)}."]
    observed = f"sha256:{obs.digest} of {obs.commit[:12]} against {obs.mainline} {obs.mainline_commit[:12]}"
    lines += ["", f"Self-tests: {decision.self_tests.state} ({decision.self_tests.detail})",
              f"Observation: {observed}", "",
              f"Tfguard-Activated: {' '.join(decision.differing)}", f"Tfguard-Observation: {obs.digest}"]
    if decision.action == AFTER_DEADLINE:
        lines.append(f"Tfguard-After-Deadline: {decision.reason}")
    return "\n".join(lines) + "\n"


# --- merging and pushing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    commit: str  # what mainline points at now
    fast_forward: bool
    mainline_before: str
    attempts: int
    reobserved: bool
    decision: Decision  # the decision acted on (the re-observation's when mainline had moved)
    observation: Observation
    already_merged: bool = False


class Blocked(Exception):
    """The re-observation of the merged tree no longer allows the promotion."""

    def __init__(self, decision: Decision, run: RunResult, obs: Observation) -> None:
        super().__init__("the merged tree is not compliant")
        self.decision, self.run, self.obs = decision, run, obs


# (worktree path, new mainline sha) -> (decision, run, observation) on the merged tree
Reobserve = Callable[[Path, str], tuple[Decision, RunResult, Observation]]


def _git_error(exc: GitCommandFailed) -> str:
    return first_error(exc.stderr) or exc.message


@dataclass
class _Worktree:
    repo: Repo
    path: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tfguard-promote-")) / "tree")

    def __enter__(self) -> Self:
        return self

    def add(self, commit: str) -> Repo:
        self.repo.git("worktree", "add", "--detach", "--quiet", str(self.path), commit)
        return Repo(self.path)

    def __exit__(self, *exc: object) -> None:
        self.repo.ok("worktree", "remove", "--force", str(self.path))  # it may never have been created
        shutil.rmtree(self.path.parent, ignore_errors=True)
        self.repo.ok("worktree", "prune")


def _merge(repo: Repo, tip: str, commit: str, message: str, no_ff: bool, wt: _Worktree) -> tuple[str, bool, Repo]:
    """(result commit, fast-forward?, worktree repo) of merging `commit` into `tip`."""
    tree = wt.add(tip)
    if not no_ff and repo.is_ancestor(tip, commit):
        tree.git("checkout", "--quiet", "--detach", commit)
        return commit, True, tree
    try:
        tree.git("merge", "--no-ff", "--no-edit", "-m", message, commit, env=identity_env(wt.path))
    except GitCommandFailed as exc:
        conflicts = tree.git("diff", "--name-only", "--diff-filter=U").split()
        tree.ok("merge", "--abort")
        if conflicts:
            raise GitError(f"merging into mainline conflicts in {', '.join(conflicts)}",
                           hint="rebase the branch on mainline and observe again") from None
        raise GitError(f"cannot merge into mainline: {_git_error(exc)}") from None
    return tree.head_sha(), False, tree


def merge_and_push(root: Path, obs: Observation, decision: Decision, run: RunResult, remote: str, mainline: str,
                   no_ff: bool, reobserve: Reobserve, attempts: int = PUSH_ATTEMPTS) -> PushResult:
    """Merge the observed commit into the remote's mainline and push it, never forcing."""
    repo = Repo(root)
    if remote not in repo.remotes():
        raise GitError(f"promotion pushes to remote {remote!r}, which this repository does not have", where=str(root))
    if not repo.ok("cat-file", "-e", f"{obs.commit}^{{commit}}"):
        raise GitError(f"the observed commit {obs.commit[:12]} is not in this repository",
                       hint="run promote in the clone that observed, or fetch the branch")
    if repo.git("rev-parse", "--is-shallow-repository") == "true":  # CI checkouts: a merge needs the history
        try:
            repo.git("fetch", "--quiet", "--unshallow", remote)
        except GitCommandFailed as exc:
            raise GitError(f"cannot fetch the full history to merge: {_git_error(exc)}", where=remote) from None
    for attempt in range(1, attempts + 1):
        _, tip = mainline_commit(repo, mainline, remote, fetch=True)
        if repo.is_ancestor(obs.commit, tip):
            return PushResult(tip, False, tip, attempt, False, decision, obs, already_merged=True)
        with _Worktree(repo) as wt:
            acted, acted_obs = decision, obs
            result, ff, tree = _merge(repo, tip, obs.commit, commit_message(obs, decision, run), no_ff, wt)
            if tip != obs.mainline_commit:
                acted, rerun, acted_obs = reobserve(wt.path, tip)
                if not acted.promotes:
                    raise Blocked(acted, rerun, acted_obs)
                if not ff:  # the merge commit records what the re-observation activates
                    tree.git("commit", "--amend", "--quiet", "-m", commit_message(acted_obs, acted, rerun),
                             env=identity_env(wt.path))
                    result = tree.head_sha()
            try:
                repo.git("push", "--quiet", "--porcelain", remote, f"{result}:refs/heads/{mainline}")
            except GitCommandFailed as exc:
                if exc.rejected and attempt < attempts:
                    continue  # mainline moved while we merged: fetch, merge and re-observe again
                raise GitError(f"push to {remote} {mainline} failed: {_git_error(exc)}",
                               hint="mainline was not changed; run promote again") from None
        repo.git("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{mainline}:refs/remotes/{remote}/{mainline}")
        return PushResult(result, ff, tip, attempt, tip != obs.mainline_commit, acted, acted_obs)
    raise GitError(f"mainline kept moving: gave up after {attempts} attempts", hint="run promote again")


# --- the ledger record --------------------------------------------------------------------------------------


def promotion_record(push: PushResult, today: date) -> dict[str, Any]:
    obs, decision = push.observation, push.decision
    return {
        "id": f"{push.commit}:{','.join(decision.differing)}",
        "date": today.isoformat(), "branch": obs.branch, "commit": obs.commit, "mainline": obs.mainline,
        "mainline_before": push.mainline_before, "merge_commit": push.commit, "fast_forward": push.fast_forward,
        "activated": list(decision.differing), "new": list(obs.new), "changed": list(obs.changed),
        "removed": list(obs.removed), "observation": obs.digest, "after_deadline": decision.action == AFTER_DEADLINE,
        "automatic": decision.automatic, "reason": decision.reason, "reobserved": push.reobserved,
        "self_tests": decision.self_tests.state,
        "noncompliant": {w: sorted({r.guardrail_id for r in rs}) for w, rs in decision.blocking.items()},
    }


def record_promotion(push: PushResult, today: date) -> Callable[[Ledger], None]:
    record = promotion_record(push, today)
    obs, decision = push.observation, push.decision

    def update(ledger: Ledger) -> None:
        ledger.record_promotion(record)
        for gid in decision.differing:
            ledger.mark_active(gid, today, {"merge_commit": push.commit, "after_deadline": record["after_deadline"],
                                            "reason": decision.reason, "observation": obs.digest})

    return update


def error_rows(run: RunResult) -> list[Result]:
    return [r for r in run.results if r.status is Status.ERROR]


# --- telling the owners -----------------------------------------------------------------------------------


def queue_notifications(store: Store, decision: Decision, run: RunResult, obs: Observation,
                        workloads: Sequence[Workload], config: Config, today: date, activated: bool = False
                        ) -> list[Planned]:
    """Queue this decision's messages in the ledger (deduplicated there); delivery is notify.flush."""
    ctx = Context(branch=obs.branch, observation=obs.digest, reminder_days=config.observation.reminder_days)
    settings = DeliverySettings.from_config(config.raw.get("notify"))
    guardrails = {g.id: g for g in run.guardrails}
    update = plan(decision.blocking, workloads, guardrails, decision.deadlines, today, ctx, settings.default,
                  activated=activated)
    return store.update(update, f"notify {obs.branch} {obs.commit[:12]}")
