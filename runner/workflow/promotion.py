"""A whole `promote` run, for the CLI and for `daily`: load the observation, decide, merge and push or
notify, deliver what is queued. Deciding and merging themselves live in runner.workflow.promote; this
module only sequences them and says what happened through a Narrator (the CLI passes its Output)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from runner import clock
from runner.config import Config, load_config
from runner.engine import Engine
from runner.engine.cache import ResultCache
from runner.errors import UsageError
from runner.model import RunResult
from runner.notify import DeliverySettings, flush
from runner.workflow.ledger import Store, open_store
from runner.workflow.observe import Observation, ObserveOptions, load_observation, observe, record_observation
from runner.workflow.promote import (
    AFTER_DEADLINE,
    BLOCKED,
    NOTHING,
    REFUSED,
    Blocked,
    Decision,
    PushResult,
    Reobserve,
    SelfTests,
    decide,
    merge_and_push,
    queue_notifications,
    record_promotion,
    self_tests,
)
from runner.workloads.registry import load_registry


class Narrator(Protocol):
    """Where a workflow run says what it does (the CLI's Output; a list in tests)."""

    def print(self, text: str) -> None: ...
    def info(self, text: str) -> None: ...
    def warn(self, text: str) -> None: ...


@dataclass
class Recorder:
    """A Narrator that passes everything on and keeps what was printed and warned, for summaries."""

    inner: Narrator
    lines: list[str] = field(default_factory=list)

    def print(self, text: str) -> None:
        self.lines.append(text)
        self.inner.print(text)

    def info(self, text: str) -> None:
        self.inner.info(text)

    def warn(self, text: str) -> None:
        self.lines.append(f"warning: {text}")
        self.inner.warn(text)


@dataclass(frozen=True)
class PromoteOptions:
    repo: Path = Path(".")
    report_dir: str = "out"
    observation: str | None = None
    self_tests_passed: bool = False
    self_tests: str | None = None
    fixtures: str | None = None
    after_deadline: bool = False
    reason: str | None = None
    no_ff: bool = False
    no_notify: bool = False
    dry_run: bool = False
    ledger: str | None = None
    remote: str = "origin"
    mainline: str | None = None


def _explain(decision: Decision, obs: Observation, output: Narrator) -> None:
    output.print(f"observation {obs.digest[:12]} of {obs.branch} ({obs.commit[:12]}) against {obs.mainline} "
                 f"({obs.mainline_commit[:12]})")
    if decision.differing:
        output.print(f"guardrails differing from mainline: {', '.join(decision.differing)}")
    output.print(f"self-tests: {decision.self_tests.state} ({decision.self_tests.detail})")
    for gid in decision.blocking_guardrails:
        deadline = decision.deadlines[gid]
        days = (deadline - clock.today()).days
        output.print(f"  {gid}: deadline {deadline.isoformat()} ({days} days left)" if days >= 0 else
                     f"  {gid}: deadline {deadline.isoformat()} (passed {-days} days ago)")
    for w, rs in sorted(decision.blocking.items()):
        output.print(f"  {w}: " + ", ".join(f"{r.guardrail_id} {r.status.value}" for r in rs))


class _Promotion:
    """One promote run: the ledger store, the engine (made only when needed) and what to tell."""

    def __init__(self, opts: PromoteOptions, make_engine: Callable[[], Engine],
                 make_cache: Callable[[], ResultCache | None], output: Narrator) -> None:
        self.args, self.output = opts, output
        self.root = Path(opts.repo)
        self.config: Config = load_config(self.root)
        self.today = clock.today()
        self.store: Store = open_store(self.root, opts.ledger, self.config.observation.ledger_branch, opts.remote)
        self._make_engine, self._make_cache = make_engine, make_cache
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    def decide(self, obs: Observation, run: RunResult, tests: SelfTests) -> Decision:
        return decide(obs, run, self.store.read(), self.config, self.today, tests, self.args.after_deadline,
                      self.args.reason or "")

    def reobserve(self, tests: SelfTests, branch: str, features: str) -> Reobserve:
        def again(path: Path, tip: str) -> tuple[Decision, RunResult, Observation]:
            self.output.info(f"mainline moved to {tip[:12]} since the observation: observing the merged tree")
            config = load_config(path)
            outcome = observe(path, self.engine(), ObserveOptions(
                features=features, mainline=self.args.mainline or self.config.observation.mainline,
                remote=self.args.remote, fetch=False, branch=branch), config=config, cache=self._make_cache())
            self.store.update(record_observation(outcome, config), f"re-observe {branch} merged onto {tip[:12]}")
            decision = decide(outcome.observation, outcome.run, self.store.read(), config, self.today, tests,
                              self.args.after_deadline, self.args.reason or "")
            return decision, outcome.run, outcome.observation

        return again

    def notify(self, decision: Decision, run: RunResult, obs: Observation, activated: bool = False) -> None:
        if self.args.no_notify:
            return
        workloads = load_registry(self.root).workloads
        for planned in queue_notifications(self.store, decision, run, obs, workloads, self.config, self.today,
                                           activated):
            self.output.print(f"queued {planned.message.kind} message for {planned.message.workload} "
                              f"({len(planned.targets)} target(s))")

    def deliver(self) -> None:
        if self.args.no_notify:
            return
        report = flush(self.store, DeliverySettings.from_config(self.config.raw.get("notify")))
        for msg in report.delivered:
            self.output.print(f"delivered {msg['kind']} message for {msg['workload']} to {msg['target']}")
        for msg, error in report.failed:
            self.output.warn(f"not delivered, kept queued: {msg['kind']} message for {msg['workload']}: {error}")
        if report.still_queued:
            self.output.warn(f"{report.still_queued} message(s) queued in the ledger for the next run")

    def promoted(self, push: PushResult, run: RunResult) -> None:
        if push.already_merged:
            self.output.print(f"already in {push.observation.mainline}: nothing to merge")
        else:
            how = "fast-forward" if push.fast_forward else "merge commit"
            self.output.print(f"promoted: {', '.join(push.decision.differing)} active on "
                              f"{push.observation.mainline} at {push.commit[:12]} ({how}"
                              + (", re-observed after mainline moved" if push.reobserved else "") + ")")
        self.store.update(record_promotion(push, self.today), f"promote {push.observation.branch} {push.commit[:12]}")
        if push.decision.action == AFTER_DEADLINE:
            self.notify(push.decision, run, push.observation, activated=True)


def promote(args: PromoteOptions, make_engine: Callable[[], Engine], make_cache: Callable[[], ResultCache | None],
            output: Narrator) -> int:
    """Act on an observation: merge and push when it promotes, else notify the owners; deliver queued
    messages. Returns the exit code (0 promoted, waiting or nothing to do; 1 refused)."""
    if args.reason and not args.after_deadline:
        raise UsageError("--reason goes with --after-deadline")
    p = _Promotion(args, make_engine, make_cache, output)
    obs, observed = load_observation(args.report_dir, args.observation, p.root)
    tests = self_tests(args.self_tests_passed, args.self_tests, p.root, obs.features, obs.changes.differing,
                       p.engine, args.fixtures)
    decision = p.decide(obs, observed, tests)
    _explain(decision, obs, output)
    if args.dry_run:
        output.print(f"dry run: would {decision.action}" + (f" ({'; '.join(decision.why)})" if decision.why else ""))
        return 0
    if decision.action in (NOTHING, REFUSED):
        output.print(f"not promoted: {'; '.join(decision.why)}")
        p.deliver()
        return 1 if decision.action == REFUSED else 0
    if decision.action == BLOCKED:
        output.print(f"not promoted: {'; '.join(decision.why)}")
        p.notify(decision, observed, obs)
        p.deliver()
        return 0
    no_ff = args.no_ff or decision.action == AFTER_DEADLINE
    mainline = args.mainline or obs.mainline
    try:
        push = merge_and_push(p.root, obs, decision, observed, args.remote, mainline, no_ff,
                              p.reobserve(tests, obs.branch, obs.features))
    except Blocked as blocked:
        output.print(f"not promoted: mainline moved and the merged tree is not compliant: "
                     f"{'; '.join(blocked.decision.why)}")
        if blocked.decision.action == BLOCKED:
            p.notify(blocked.decision, blocked.run, blocked.obs)
        p.deliver()
        return 1 if blocked.decision.action == REFUSED else 0
    p.promoted(push, observed)
    p.deliver()
    return 0
