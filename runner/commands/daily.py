"""tfguard daily: the scheduled run of the compliance repository. The status; warnings for exclusions that
are expiring or expired; and for every branch with guardrails pending activation, in its own worktree,
the self-tests, an observation and a promotion (reminders; activation after the deadline when
configured). `--after-deadline --branch B --reason R` activates one branch after its deadline.

Exit 0: every branch done (promoted, waiting or nothing to do); 1: a promotion was refused (failing
self-tests); 2: a tool error on some branch (the others still ran)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from runner import clock
from runner.commands._common import add_engine_arguments, make_cache
from runner.commands.observe import add_ledger_argument, add_repo_arguments
from runner.commands.status import collect, ledger_note, render
from runner.config import load_config
from runner.console import Output
from runner.engine import make_engine
from runner.workflow.daily import (
    GONE,
    DailyOptions,
    DailyReport,
    branch_line,
    daily,
    expiring_line,
    markdown,
    report_document,
)
from runner.workflow.ledger import open_store

NAME = "daily"
HELP = ("The daily run: status, expiring exclusions, and self-tests, observation and promotion of every branch "
        "with guardrails pending activation (reminders, activation after the deadline).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_repo_arguments(parser)
    parser.add_argument("--report-dir", default="out", metavar="DIR",
                        help="one folder of reports per branch, DIR/<branch> (default: out)")
    parser.add_argument("--no-fetch", action="store_true", help="use the branches as last fetched")
    parser.add_argument("--after-deadline", action="store_true",
                        help="activate --branch despite noncompliance (refused before its deadline)")
    parser.add_argument("--task", choices=("daily", "after-deadline"),
                        help="the same as a CI variable: after-deadline is --after-deadline (and an empty or `-` "
                             "--branch or --reason counts as not given, for CI variables that cannot be empty)")
    parser.add_argument("--branch", metavar="NAME", help="with --after-deadline: the guardrail branch")
    parser.add_argument("--reason", help="with --after-deadline: why (recorded in the merge commit and the ledger)")
    parser.add_argument("--expiring-within", type=int, metavar="DAYS",
                        help="exclusions expiring within DAYS (default: exclusions.warning_days, 14)")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="github: warnings and errors as workflow commands (annotations); json: the report")
    parser.add_argument("--summary", metavar="FILE",
                        help="also append the Markdown summary to FILE (e.g. \"$GITHUB_STEP_SUMMARY\")")
    parser.add_argument("--no-notify", action="store_true", help="queue nothing and deliver nothing")
    add_ledger_argument(parser)
    add_engine_arguments(parser)


def _status(args: argparse.Namespace) -> str:
    root = Path(args.repo)
    config = load_config(root)
    store = open_store(root, args.ledger, config.observation.ledger_branch, args.remote)
    within = args.expiring_within if args.expiring_within is not None else config.exclusions.warning_days
    doc = {"ledger_note": ledger_note(store), **collect(store.read(), root, within)}
    return render(doc, within, store.description)


def _annotate(report: DailyReport, fmt: str, output: Output) -> None:
    for e in report.expiring:
        if fmt == "github":
            output.raw(f"::warning file={e.file},title=Exclusion {e.id} {e.state}::{expiring_line(e)}")
        else:
            output.warn(f"exclusion {e.id} {e.state}: {expiring_line(e)}")
    for b in report.branches:
        if b.state != GONE and not b.exit_code:
            continue
        kind = "warning" if b.state == GONE else "error"
        if fmt == "github":
            output.raw(f"::{kind} title=tfguard daily::{branch_line(b)}")
        else:
            output.warn(branch_line(b)) if kind == "warning" else output.error(branch_line(b))


class _Diagnostics:
    """With --format json, stdout holds the report only: what the run says goes to stderr."""

    def __init__(self, output: Output) -> None:
        self.output = output

    def print(self, text: str) -> None:
        self.output.info(text)

    def info(self, text: str) -> None:
        self.output.info(text)

    def warn(self, text: str) -> None:
        self.output.warn(text)


def _given(value: str | None) -> str | None:
    return None if value is None or value.strip() in ("", "-") else value


def run(args: argparse.Namespace, output: Output) -> int:
    if args.task:
        args.after_deadline = args.after_deadline or args.task == "after-deadline"
        args.branch, args.reason = _given(args.branch), _given(args.reason)
    status = "" if args.after_deadline else _status(args)
    if status and args.format != "json":
        output.raw(status)
    opts = DailyOptions(repo=Path(args.repo), remote=args.remote, mainline=args.mainline, ledger=args.ledger,
                        report_dir=Path(args.report_dir), fetch=not args.no_fetch, after_deadline=args.after_deadline,
                        branch=args.branch, reason=args.reason, expiring_within=args.expiring_within,
                        no_notify=args.no_notify)
    narrator = _Diagnostics(output) if args.format == "json" else output
    report = daily(opts, lambda: make_engine(args.engine, args.workers), lambda: make_cache(args), narrator)
    if args.format == "json":
        output.raw(json.dumps(report_document(report), indent=2))
    else:
        _annotate(report, args.format, output)
        done = ", ".join(branch_line(b) for b in report.branches) or "no pending branch"
        output.print(f"daily {clock.today().isoformat()}: {done}; {len(report.expiring)} exclusion(s) expiring "
                     f"or expired -> exit {report.exit_code}")
    if args.summary:
        Path(args.summary).parent.mkdir(parents=True, exist_ok=True)
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(markdown(report, status))
    return report.exit_code
