"""The daily run (`tfguard daily`): for every branch that the ledger lists with guardrails pending
activation, the guardrail self-tests, a fresh observation and a promotion, which sends the reminders that
are due and, when configured or asked for (`--after-deadline`), activates after the deadline. Each branch
is checked out in its own temporary `git worktree`, never in the job's working copy, whose checkout stays
as it was; results land in the job's report directory, one folder per branch.

Also the exclusions that are expiring or expired, for warnings. The command prints; this module only
says what happens through a Narrator and returns a DailyReport."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from runner import clock
from runner.config import load_config
from runner.engine import Engine
from runner.engine.cache import ResultCache
from runner.errors import TfguardError, UsageError
from runner.git import GitCommandFailed, Repo, first_error
from runner.guardrails.load import load_guardrails
from runner.guardrails.selftest import DEFAULT_FIXTURES, run_self_tests, write_report
from runner.report import write_reports
from runner.workflow.ledger import FileStore, Store, open_store
from runner.workflow.observe import ObserveOptions, observe, record_observation, write_observation
from runner.workflow.promotion import Narrator, PromoteOptions, Recorder, promote

# per-branch states, worst last: the run's exit code is the worst branch's
DONE, GONE, REFUSED, FAILED = "done", "gone", "refused", "error"
EXIT = {DONE: 0, GONE: 0, REFUSED: 1, FAILED: 2}


@dataclass(frozen=True)
class DailyOptions:
    repo: Path = Path(".")
    remote: str = "origin"
    mainline: str | None = None
    ledger: str | None = None
    report_dir: Path = Path("out")
    fetch: bool = True
    after_deadline: bool = False  # activate `branch` despite noncompliance (refused before its deadline)
    branch: str | None = None  # with after_deadline: the guardrail branch
    reason: str | None = None
    expiring_within: int | None = None  # days (default: exclusions.warning_days)
    no_notify: bool = False


@dataclass(frozen=True)
class Expiring:
    id: str
    workload: str
    guardrail: str
    resource: str
    expires: str
    days_left: int
    state: str  # expiring | expired
    file: str
    ticket: str = ""


@dataclass(frozen=True)
class BranchRun:
    branch: str
    state: str  # done | gone | refused | error
    detail: str = ""  # the last thing promote said, or the error
    report_dir: str = ""
    lines: tuple[str, ...] = ()  # what the self-tests, observation and promotion said

    @property
    def exit_code(self) -> int:
        return EXIT[self.state]


@dataclass(frozen=True)
class DailyReport:
    today: str
    ledger: str  # where the ledger was read
    expiring: tuple[Expiring, ...] = ()
    branches: tuple[BranchRun, ...] = ()

    @property
    def exit_code(self) -> int:
        return max((b.exit_code for b in self.branches), default=0)


def slug(branch: str) -> str:
    """A folder name for a branch's reports: feature/s3-owner -> feature_s3-owner."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", branch) or "_"


def expiring_exclusions(root: Path, today: date, within: int | None = None) -> list[Expiring]:
    """Approved exclusions that expire within `within` days (default exclusions.warning_days) or have expired."""
    from runner.exclusions.registry import read_registry

    config = load_config(root)
    registry, _problems = read_registry(root, config)  # `exclusions validate` reports broken files
    days = config.exclusions.warning_days if within is None else within
    out = []
    for e in registry.all:
        state = e.state(today, registry.approvers, days)
        if state in ("expiring", "expired"):
            out.append(Expiring(e.id, e.workload, e.guardrail, e.resource, e.expires.isoformat(), e.days_left(today),
                                state, e.file, e.ticket))
    return sorted(out, key=lambda x: (x.expires, x.id))


def pending_branches(store: Store, today: date) -> list[str]:
    return sorted({p["branch"] for p in store.read().pending(today) if p.get("branch")})


@contextmanager
def branch_worktree(repo: Repo, ref: str) -> Iterator[Path]:
    """A temporary detached worktree of `ref`, removed afterwards (the job's checkout is never touched)."""
    with tempfile.TemporaryDirectory(prefix="tfguard-daily-") as tmp:
        path = Path(tmp) / "tree"
        repo.git("worktree", "add", "--quiet", "--detach", str(path), ref, what="git worktree add")
        try:
            yield path
        finally:
            repo.run("worktree", "remove", "--force", str(path))
            repo.run("worktree", "prune")


class _Daily:
    def __init__(self, opts: DailyOptions, make_engine: Callable[[], Engine],
                 make_cache: Callable[[], ResultCache | None], output: Narrator) -> None:
        self.opts, self.output = opts, output
        self.root = Path(opts.repo).resolve()
        self.repo = Repo.discover(self.root, search_parents=False, why=" (the daily run works through git)")
        self.config = load_config(self.root)
        self.store = open_store(self.root, opts.ledger, self.config.observation.ledger_branch, opts.remote)
        # a worktree has no .tfguard/ of its own: every branch reads and writes the job's ledger
        self.ledger_arg = str(self.store.path.resolve()) if isinstance(self.store, FileStore) else (opts.ledger or "git")
        self._make_engine, self._make_cache = make_engine, make_cache
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    def fetch(self) -> None:
        if not self.opts.fetch or self.opts.remote not in self.repo.remotes():
            return
        try:
            self.repo.git("fetch", "--quiet", "--prune", "--no-tags", self.opts.remote,
                          f"+refs/heads/*:refs/remotes/{self.opts.remote}/*")
        except GitCommandFailed as exc:
            raise TfguardError(f"cannot fetch the branches: {first_error(exc.stderr) or exc.message}",
                               where=self.opts.remote) from None

    def branch_ref(self, branch: str) -> str | None:
        """The remote's branch (fetched), or the local one in a repository without the remote."""
        remote = self.opts.remote
        ref = f"refs/remotes/{remote}/{branch}" if remote in self.repo.remotes() else f"refs/heads/{branch}"
        return ref if self.repo.resolve(ref) else None

    def run_branch(self, branch: str) -> BranchRun:
        ref = self.branch_ref(branch)
        if ref is None:
            self.output.warn(f"pending guardrails were observed on {branch}, which is gone from {self.opts.remote}")
            return BranchRun(branch, GONE, f"gone from {self.opts.remote}")
        out = (self.opts.report_dir / slug(branch)).resolve()
        recorder = Recorder(self.output)
        try:
            with branch_worktree(self.repo, ref) as tree:
                code = self._test_observe_promote(tree, branch, out, recorder)
        except TfguardError as exc:
            recorder.lines.append(f"error: {exc.line()}")
            return BranchRun(branch, FAILED, exc.line(), str(out), tuple(recorder.lines))
        state = DONE if code == 0 else (REFUSED if code == 1 else FAILED)
        detail = next((ln for ln in reversed(recorder.lines) if ln.startswith(("promoted", "not promoted",
                                                                               "already in"))), "")
        return BranchRun(branch, state, detail, str(out), tuple(recorder.lines))

    def _test_observe_promote(self, tree: Path, branch: str, out: Path, narrator: Recorder) -> int:
        config = load_config(tree)
        tests = run_self_tests(load_guardrails(tree / "features"), tree / DEFAULT_FIXTURES, self.engine())
        failing = [g.guardrail for g in tests.guardrails if not g.ok]
        narrator.print(f"self-tests: {len(tests.guardrails)} guardrails, "
                       + (f"failing: {', '.join(failing)}" if failing else "all ok"))
        out.mkdir(parents=True, exist_ok=True)
        write_report(tests, out / "self-tests.json")
        outcome = observe(tree, self.engine(), ObserveOptions(mainline=self.opts.mainline, remote=self.opts.remote,
                                                              fetch=self.opts.fetch, branch=branch),
                          config=config, cache=self._make_cache())
        store = open_store(tree, self.ledger_arg, config.observation.ledger_branch, self.opts.remote)
        store.update(record_observation(outcome, config), f"observe {branch} {outcome.observation.commit[:12]}")
        write_reports(outcome.run, out)
        write_observation(outcome.observation, out)
        narrator.print(f"observed {branch} ({outcome.observation.commit[:12]}): {len(outcome.run.guardrails)} "
                       f"guardrails x {len(outcome.run.workloads)} workloads")
        opts = PromoteOptions(repo=tree, report_dir=str(out), self_tests=str(out / "self-tests.json"),
                              after_deadline=self.opts.after_deadline, reason=self.opts.reason,
                              no_notify=self.opts.no_notify, ledger=self.ledger_arg, remote=self.opts.remote,
                              mainline=self.opts.mainline)
        return promote(opts, self.engine, self._make_cache, narrator)


def daily(opts: DailyOptions, make_engine: Callable[[], Engine], make_cache: Callable[[], ResultCache | None],
          output: Narrator) -> DailyReport:
    """The sweep of pending branches (or, with after_deadline, the one branch), and the expiring exclusions."""
    if opts.after_deadline and not (opts.branch and opts.reason):
        raise UsageError("--after-deadline needs --branch BRANCH and --reason TEXT")
    if opts.branch and not opts.after_deadline:
        raise UsageError("--branch goes with --after-deadline (the daily sweep takes its branches from the ledger)")
    if opts.reason and not opts.after_deadline:
        raise UsageError("--reason goes with --after-deadline")
    run = _Daily(opts, make_engine, make_cache, output)
    today = clock.today()
    run.fetch()
    expiring = tuple(expiring_exclusions(run.root, today, opts.expiring_within))
    branches = [opts.branch] if opts.branch else pending_branches(run.store, today)
    if not branches:
        output.print("no branch has guardrails pending activation")
    results = []
    for branch in branches:
        output.print(f"== {branch}")
        results.append(run.run_branch(branch))
    return DailyReport(today.isoformat(), run.store.description, expiring, tuple(results))


def report_document(report: DailyReport) -> dict[str, Any]:
    return {"today": report.today, "ledger": report.ledger, "exit_code": report.exit_code,
            "expiring_exclusions": [asdict(e) for e in report.expiring],
            "branches": [asdict(b) | {"lines": list(b.lines)} for b in report.branches]}


def expiring_line(e: Expiring) -> str:
    when = f"expires {e.expires} ({e.days_left} days left)" if e.days_left >= 0 else \
        f"expired {e.expires} ({-e.days_left} days ago)"
    return f"{e.workload}: {e.guardrail} on {e.resource} {when}, ticket {e.ticket or '-'}"


def branch_line(b: BranchRun) -> str:
    return f"{b.branch}: {b.state}" + (f" ({b.detail})" if b.detail else "")


def markdown(report: DailyReport, status: str = "") -> str:
    """The job summary: status, expiring exclusions, and what happened on each pending branch."""
    out = [f"### tfguard daily {report.today}", "", f"Ledger: {report.ledger}.", ""]
    if status:
        out += ["#### Status", "", "```", status.rstrip("\n"), "```", ""]
    out += ["#### Exclusions expiring or expired", ""]
    out += [f"- `{e.id}` {expiring_line(e)} ({e.file})" for e in report.expiring] or ["none"]
    out += ["", "#### Pending branches", ""]
    if not report.branches:
        out.append("none")
    for b in report.branches:
        out += [f"- **{b.branch}**: {b.state}" + (f", {b.detail}" if b.detail else "")]
        if b.lines:
            out += ["", "  ```", *(f"  {ln}" for ln in b.lines), "  ```"]
    return "\n".join(out) + "\n"
