"""tfguard test: run every guardrail against its own pass/fail fixture plans."""

from __future__ import annotations

import argparse
from pathlib import Path

from runner.console import Output
from runner.engine import make_engine
from runner.errors import UsageError
from runner.guardrails.load import GuardrailSet, load_guardrails
from runner.guardrails.mutants import run_mutation_check
from runner.guardrails.selftest import DEFAULT_FIXTURES, run_self_tests, write_report
from runner.outputs import check_output_file

NAME = "test"
HELP = "Self-test guardrails: pass fixtures must pass, fail fixtures must fail on the expected addresses."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--features", default="features", metavar="DIR", help="guardrails (default: features)")
    parser.add_argument("--fixtures", default=DEFAULT_FIXTURES, metavar="DIR",
                        help=f"per-guardrail fixture folders <DIR>/<ID>/pass|fail (default: {DEFAULT_FIXTURES})")
    parser.add_argument("--only", nargs="+", metavar="ID", help="test only these guardrails")
    parser.add_argument("--report", metavar="FILE",
                        help="write the outcome as JSON (read by `tfguard promote --self-tests FILE`)")
    parser.add_argument("--engine", choices=("inprocess", "cli"), default="inprocess")
    parser.add_argument("--mutants", action="store_true",
                        help="then mutate every guardrail that passed (drop each When, negate its last Then) and "
                             "fail when a mutant survives its fixtures")


def _inputs(args: argparse.Namespace) -> list[Path]:
    return [p for folder in (args.features, args.fixtures) for p in Path(folder).rglob("*") if p.is_file()]


def run(args: argparse.Namespace, output: Output) -> int:
    if args.report:  # refused before anything is read or written
        check_output_file(args.report, _inputs(args), "--report")
    fixtures = Path(args.fixtures)
    if not fixtures.is_dir():
        raise UsageError("is not a directory" if fixtures.exists() else "fixtures directory not found",
                         where=str(fixtures), hint="give --fixtures DIR with <DIR>/<ID>/pass|fail")
    gset = load_guardrails(args.features)
    if args.only:
        gset.select(args.only)
    report = run_self_tests(gset, args.fixtures, make_engine(args.engine), args.only)
    for g in report.guardrails:
        counts = {k: sum(1 for f in g.fixtures if f.expected == k) for k in ("pass", "fail", "unknown")}
        label = "ok  " if g.ok else "FAIL"
        unknown = f", {counts['unknown']} unknown" if counts["unknown"] else ""
        output.print(f"{label} {g.guardrail:<12} "
                     f"{counts['pass']} pass, {counts['fail']} fail{unknown} fixtures")
        for problem in g.problems:
            output.print(f"       {problem}")
        for f in g.fixtures:
            if f.problem:
                output.print(f"       {f.fixture}: {f.problem}")
    bad = sum(1 for g in report.guardrails if not g.ok)
    output.print(f"{len(report.guardrails)} guardrails self-tested: {len(report.guardrails) - bad} ok, {bad} failing")
    if args.report:
        write_report(report, args.report)
    if not args.mutants:
        return 0 if report.passed else 1
    return _mutants(args, gset, [g.guardrail for g in report.guardrails if g.ok], output) or (0 if report.passed else 1)


def _mutants(args: argparse.Namespace, gset: GuardrailSet, ids: list[str], output: Output) -> int:
    mreport = run_mutation_check(gset, args.fixtures, make_engine(args.engine), ids)
    for o in mreport.survivors:
        output.print(f"SURVIVED {o.mutant.id:<14} {o.mutant.change}: no fixture disagrees")
    for why in mreport.skipped:
        output.print(f"not mutated {why}")
    caught = len(mreport.outcomes) - len(mreport.survivors)
    mutated = len({o.mutant.guardrail for o in mreport.outcomes})
    output.print(f"{len(mreport.outcomes)} mutants of {mutated} guardrails: {caught} caught, "
                 f"{len(mreport.survivors)} survived ({mreport.seconds:.1f} s)")
    return 0 if mreport.passed else 1
