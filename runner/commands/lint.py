"""tfguard lint: catch guardrail problems before any run."""

from __future__ import annotations

import argparse

from runner.console import Output
from runner.guardrails.lint import lint, lint_line

NAME = "lint"
HELP = "Check guardrail feature files: syntax, engine steps, ids, severities, tags, controls."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--features", default="features", metavar="DIR", help="guardrails (default: features)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")


def run(args: argparse.Namespace, output: Output) -> int:
    problems = lint(args.features)
    errors = [p for p in problems if p.level == "error" or args.strict]
    for p in problems:
        output.print(lint_line(p))
    warnings = len(problems) - sum(1 for p in problems if p.level == "error")
    output.print(f"{len(problems)} problems ({len(problems) - warnings} errors, {warnings} warnings)"
                 + (" -- warnings count as errors (--strict)" if args.strict and warnings else ""))
    return 1 if errors else 0
