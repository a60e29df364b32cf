"""Arguments and steps shared by several commands (check, observe, enforce)."""

from __future__ import annotations

import argparse

from runner.console import Output
from runner.engine import ENGINES
from runner.engine.cache import ResultCache
from runner.model import RunResult
from runner.report import FORMATS, NO_OPTIONS, ReportOptions, get_formatter, write_reports


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (`--workers 0` or `-3` is refused, never clamped)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number (use 1 or more)")
    return value


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default="inprocess",
                        help="inprocess: warm engine forked per evaluation (default); cli: one "
                             "terraform-compliance process per evaluation")
    parser.add_argument("--workers", type=positive_int, metavar="N", default=None, help="parallel evaluations (default: cores)")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help="result cache (default: $XDG_CACHE_HOME/tfguard/results); entries are keyed by "
                             "plan, guardrail and engine versions")
    parser.add_argument("--no-cache", action="store_true", help="evaluate everything, read and write no cache")


def make_cache(args: argparse.Namespace) -> ResultCache | None:
    if getattr(args, "no_cache", False):
        return None
    return ResultCache(getattr(args, "cache_dir", None))


def add_output_arguments(parser: argparse.ArgumentParser, default: str = "text") -> None:
    parser.add_argument("--format", choices=sorted(FORMATS), default=default,
                        help=f"what to print on stdout (default: {default})")
    parser.add_argument("--report-dir", metavar="DIR", help="also write every report format into DIR")


def emit(run: RunResult, args: argparse.Namespace, output: Output, options: ReportOptions = NO_OPTIONS) -> None:
    """Print the run in --format and write every report file into --report-dir, both with `options`."""
    for warning in run.warnings:
        output.warn(warning)
    output.raw(get_formatter(args.format).render(run, options))
    if getattr(args, "report_dir", None):
        for path in write_reports(run, args.report_dir, options=options):
            output.info(f"wrote {path}")
