"""tfguard observe: the branch's guardrails against every registered workload, in observation mode.

Noncompliance never fails the build (exit 0); a tool error (a plan that cannot be read, an engine crash)
exits 2 after writing the results of every workload that did run."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from runner.commands._common import add_engine_arguments, add_limit_arguments, make_cache, repo_root
from runner.config import Config, load_config
from runner.console import Output
from runner.engine import make_engine
from runner.errors import TfguardError
from runner.limits import with_plan_size
from runner.model import RunResult, Status
from runner.outputs import check_report_dir, report_names
from runner.report import FORMATS, NO_OPTIONS, ReportOptions, get_formatter, write_reports
from runner.workflow.ledger import STORES, Ledger, open_store
from runner.workflow.observe import (
    OBSERVATION_FILE,
    Observation,
    ObserveOptions,
    Outcome,
    Progress,
    blocking,
    observe,
    record_observation,
    write_observation,
)
from runner.workflow.sharding import parse_shard

NAME = "observe"
HELP = ("Observation mode: evaluate every guardrail of this branch against every registered workload, "
        "show what differs from mainline, record it in the ledger (exit 0 even when noncompliant).")


def add_ledger_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ledger", metavar="STORE",
                        help=f"where the ledger lives: {', '.join(STORES)}, none, or a file path (default: "
                             "$TFGUARD_LEDGER or auto: the state branch in CI, .tfguard/ledger.json otherwise)")


def add_repo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", default=".", metavar="DIR", help="compliance repository root (default: .)")
    parser.add_argument("--mainline", metavar="BRANCH", help="mainline branch (default: observation.mainline, main)")
    parser.add_argument("--remote", default="origin", help="the compliance repository's remote (default: origin)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_repo_arguments(parser)
    parser.add_argument("--features", default="features", metavar="DIR",
                        help="guardrails, relative to the repository (default: features)")
    parser.add_argument("--workload", action="append", metavar="NAME", help="observe only this workload (repeatable)")
    parser.add_argument("--shard", metavar="K/N", type=parse_shard,
                        help="evaluate only the workloads of shard K of N (a stable hash of the name); combine "
                             "the shards' results.json with `tfguard merge-results`")
    parser.add_argument("--branch", metavar="NAME", help="branch name to record (default: the checked-out branch)")
    parser.add_argument("--no-fetch", action="store_true", help="compare with the last fetched mainline")
    parser.add_argument("--terraform", metavar="PATH", help="terraform binary (binary plans, `terraform:` sources)")
    parser.add_argument("--format", choices=["summary", *sorted(FORMATS)], default="summary",
                        help="what to print on stdout (default: summary)")
    parser.add_argument("--report-dir", default="out", metavar="DIR",
                        help="write results.json, observation.json and every report format here (default: out)")
    add_ledger_argument(parser)
    add_engine_arguments(parser)
    add_limit_arguments(parser)


@contextlib.contextmanager
def progress_display(output: Output) -> Iterator[Progress]:
    """A progress bar on a terminal (stderr); stage lines otherwise."""
    if not output.err.is_terminal:
        def note(what: str, done: int, total: int) -> None:
            if what.startswith("evaluating"):
                output.info(what)

        yield note
        return
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
    from rich.progress import Progress as Bar

    with Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
             console=output.err, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total or None)

        yield update


def _failing_lines(run: RunResult, gid: str, workloads: list[str], indent: str) -> list[str]:
    by_result = {(r.guardrail_id, r.workload): r for r in run.results}
    lines = []
    for w in workloads:
        r = by_result.get((gid, w))
        if r is None or r.status is Status.ERROR:
            lines.append(f"{indent}{w}: ERROR {(r.error if r else '') or 'could not be evaluated'}")
            continue
        addresses = sorted({f.address or "(no resource named)" for f in r.violations}
                           | {f"{f.address} (unknown at plan time)" for f in r.unknowns})
        lines.append(f"{indent}{w}: {', '.join(addresses)}")
    return lines


def summary(run: RunResult, obs: Observation) -> str:
    """What the security team reads: the guardrails pending activation and who blocks them."""
    total = len(run.workloads)
    head = (f"observed {obs.branch} ({obs.commit[:12]}) against {obs.mainline} ({obs.mainline_commit[:12]}): "
            f"{len(run.guardrails)} guardrails x {total} workloads")
    lines = [head]
    differing = obs.changes.differing
    if differing:
        lines.append(f"pending activation ({len(differing)} new or changed against {obs.mainline}):")
    else:
        lines.append(f"no guardrail differs from {obs.mainline}: nothing pending activation on this branch")
    if obs.removed:
        lines.append(f"removed on this branch: {', '.join(obs.removed)}")
    blocked = blocking(run, differing)
    clean = []
    for gid in differing:
        bad = sorted(w for w, rs in blocked.items() if any(r.guardrail_id == gid for r in rs))
        if not bad:
            clean.append(gid)
            continue
        g = run.guardrail(gid)
        label = "new" if gid in obs.new else "changed"
        lines.append(f"  {gid:<12} {total - len(bad)}/{total} workloads compliant  [{g.severity.value}] {g.title} "
                     f"({label})")
        lines += _failing_lines(run, gid, bad, "      ")
    if clean:
        lines.append(f"  compliant on every workload: {', '.join(clean)}")
    active: dict[str, list[str]] = {}
    for r in run.results:
        if r.guardrail_id not in differing and r.status.noncompliant:
            active.setdefault(r.guardrail_id, []).append(r.workload)
    if active:
        lines.append(f"active guardrails ({obs.mainline}) not met:")
        for gid, names in active.items():
            lines.append(f"  {gid:<12} " + ", ".join(sorted(set(names))))
    for w in run.workloads:
        if w.error:
            lines.append(f"error: workload {w.workload}: {w.error}")
    if not differing:
        verdict = "nothing to promote"
    else:
        verdict = "not ready: noncompliant workloads (owners are notified by promote)" if blocked else \
            "ready to promote"
    lines.append(verdict)
    return "\n".join(lines) + "\n"


def _inputs(root: Path) -> list[Path]:
    """The files a sweep reads that a report could overwrite: tfguard.yaml, the workloads' plan files."""
    from runner.workloads.registry import load_registry

    try:
        plans = [root / w.plan for w in load_registry(root).workloads if w.plan]
    except TfguardError:
        plans = []  # the sweep reports the registry itself
    return [root / "tfguard.yaml", *plans]


def run(args: argparse.Namespace, output: Output) -> int:
    root = repo_root(args.repo)
    check_report_dir(args.report_dir, [*report_names(), OBSERVATION_FILE], _inputs(root))
    config = load_config(root)
    opts = ObserveOptions(features=args.features, mainline=args.mainline, remote=args.remote,
                          fetch=not args.no_fetch, workloads=args.workload, branch=args.branch,
                          terraform=args.terraform, shard=args.shard,
                          limits=with_plan_size(config.limits, args.max_plan_size))
    engine = make_engine(args.engine, args.workers)
    with progress_display(output) as progress:
        outcome = observe(root, engine, opts, progress=progress, config=config, cache=make_cache(args))
    run_result, obs = outcome.run, outcome.observation
    for warning in run_result.warnings:
        output.warn(warning)
    for problem in outcome.registry.warnings:
        output.warn(problem.line_text())
    ledger, ledger_error = None, None
    if args.ledger != "none":
        try:
            store = open_store(root, args.ledger, config.observation.ledger_branch, args.remote)
            ledger = store.update(_record(outcome, config), f"observe {obs.branch} {obs.commit[:12]}")
            output.info(f"ledger: recorded in {store.description}")
        except TfguardError as exc:  # the results are still written: the sweep is not lost
            ledger_error = exc
    options = ReportOptions.build(history=ledger.history(max_dates=180), pending=_pending(ledger)) if ledger \
        else NO_OPTIONS
    for path in write_reports(run_result, args.report_dir, options=options):
        output.info(f"wrote {path}")
    output.info(f"wrote {write_observation(obs, args.report_dir)}")
    if args.format == "summary":
        output.raw(summary(run_result, obs))
    else:
        output.raw(get_formatter(args.format).render(run_result, options))
    if ledger_error is not None:
        output.error(f"the observation was not recorded in the ledger: {ledger_error.line()}")
        return 2
    return 2 if run_result.has_errors else 0


def _record(outcome: Outcome, config: Config) -> Callable[[Ledger], Ledger]:
    """Record the observation and hand back the updated ledger (for the dashboard's history)."""
    update = record_observation(outcome, config)

    def apply(ledger: Ledger) -> Ledger:
        update(ledger)
        return ledger

    return apply


def _pending(ledger: Ledger) -> dict[str, str]:
    return {p["guardrail"]: p["deadline"] for p in ledger.pending()}
