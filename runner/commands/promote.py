"""tfguard promote: activate the observed branch (merge into mainline and push) or tell the owners.

Exit 0: promoted, or waiting for noncompliant workloads (owners notified), or nothing to promote;
1: refused because the guardrail self-tests did not pass; 2: tool error or a refused --after-deadline."""

from __future__ import annotations

import argparse
from pathlib import Path

from runner.commands._common import add_engine_arguments, make_cache
from runner.commands.observe import add_ledger_argument, add_repo_arguments
from runner.console import Output
from runner.engine import make_engine
from runner.report import get_formatter
from runner.workflow.promotion import PromoteOptions, Recorder, promote

NAME = "promote"
HELP = ("Promote the observed branch: merge it into mainline and push when every workload complies with its "
        "new or changed guardrails; otherwise notify the owners with the deadline.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_repo_arguments(parser)
    parser.add_argument("--from", dest="report_dir", default="out", metavar="DIR",
                        help="the observation to act on (observation.json + results.json; default: out)")
    parser.add_argument("--observation", metavar="FILE",
                        help="observation.json (default: in the --from directory; after `merge-results`, any shard's)")
    tests = parser.add_mutually_exclusive_group()
    tests.add_argument("--self-tests-passed", action="store_true",
                       help="the guardrail self-tests (`tfguard test`) passed in an earlier pipeline stage")
    tests.add_argument("--self-tests", metavar="FILE",
                       help="the report of `tfguard test --report FILE` (JSON; JUnit XML works too); without this "
                            "or --self-tests-passed, promote runs the self-tests of the guardrails it activates")
    parser.add_argument("--fixtures", metavar="DIR", help="guardrail fixtures for the self-tests "
                                                          "(default: REPO/tests/guardrails)")
    parser.add_argument("--after-deadline", action="store_true",
                        help="activate despite noncompliance; refused before every blocking guardrail's deadline")
    parser.add_argument("--reason", help="why (required with --after-deadline; recorded in the merge commit and ledger)")
    parser.add_argument("--no-ff", action="store_true", help="always create a merge commit (after-deadline always does)")
    parser.add_argument("--no-notify", action="store_true", help="queue nothing and deliver nothing")
    parser.add_argument("--dry-run", action="store_true", help="show the decision; merge, record and notify nothing")
    parser.add_argument("--summary", metavar="FILE",
                        help="also append the observation's summary and the decision as Markdown to FILE (GitHub "
                             "Actions: \"$GITHUB_STEP_SUMMARY\")")
    add_ledger_argument(parser)
    add_engine_arguments(parser)  # for self-tests and the re-observation when mainline moved


def run(args: argparse.Namespace, output: Output) -> int:
    opts = PromoteOptions(
        repo=Path(args.repo), report_dir=args.report_dir, observation=args.observation,
        self_tests_passed=args.self_tests_passed, self_tests=args.self_tests, fixtures=args.fixtures,
        after_deadline=args.after_deadline, reason=args.reason, no_ff=args.no_ff, no_notify=args.no_notify,
        dry_run=args.dry_run, ledger=args.ledger, remote=args.remote, mainline=args.mainline)
    narrator = Recorder(output)
    try:
        return promote(opts, lambda: make_engine(args.engine, args.workers), lambda: make_cache(args), narrator)
    finally:
        if args.summary:
            _write_summary(Path(args.summary), Path(args.report_dir), narrator.lines)


def _write_summary(path: Path, report_dir: Path, lines: list[str]) -> None:
    observed = report_dir / get_formatter("markdown").filename
    text = observed.read_text(encoding="utf-8") if observed.is_file() else ""
    decision = "\n".join(lines)
    with path.open("a", encoding="utf-8") as summary:
        summary.write(f"{text}\n#### tfguard promote\n\n```\n{decision}\n```\n")
