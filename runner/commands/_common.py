"""Arguments and steps shared by several commands (check, observe, enforce)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from runner.console import Output
from runner.engine import ENGINES
from runner.engine.cache import KEY_ENV, ResultCache, secret_from_env
from runner.errors import UsageError
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
                             f"plan, guardrail and engine versions, and sealed with ${KEY_ENV} when it is set")
    parser.add_argument("--no-cache", action="store_true", help="evaluate everything, read and write no cache")


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-plan-size", metavar="SIZE",
                        help="refuse plans larger than SIZE (default: limits.plan_size of tfguard.yaml, 512MiB; "
                             "docs/limits.md)")


def repo_root(path: str) -> Path:
    """--repo: the compliance repository's root, which must be a directory."""
    root = Path(path)
    if not root.is_dir():
        raise UsageError("is not a directory" if root.exists() else "no such directory", where=path,
                         hint="--repo names the compliance repository's root")
    return root


def make_cache(args: argparse.Namespace, verified_only: bool = False) -> ResultCache | None:
    """The result cache, keyed with TFGUARD_CACHE_KEY when it is set. `verified_only` (enforce): without
    that secret no entry is read, since anyone who can write the cache could have forged it."""
    if getattr(args, "no_cache", False):
        return None
    directory = getattr(args, "cache_dir", None)
    if directory and os.path.exists(directory) and not os.path.isdir(directory):
        raise UsageError("is not a directory (--cache-dir names the result cache's directory)", where=directory)
    return ResultCache(directory, secret=secret_from_env(), trust_unkeyed=not verified_only)


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
