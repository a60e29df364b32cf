"""tfguard report: re-render a results.json in any format, without evaluating anything again."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from runner.console import Output
from runner.errors import ConfigError, UsageError
from runner.report import FORMATS, ReportOptions, get_formatter, write_reports
from runner.report.json import load_document

NAME = "report"
HELP = "Render a results.json (from check, observe or enforce) as text, by-resource, json, junit, sarif, markdown or html."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="source", required=True, metavar="RESULTS",
                        help="the results.json to render")
    parser.add_argument("--format", action="append", choices=sorted(FORMATS), metavar="FMT",
                        help=f"one of {', '.join(FORMATS)}; repeatable with --report-dir "
                             "(default: text on stdout, every file format with --report-dir)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    where.add_argument("--report-dir", metavar="DIR", help="write each format's file (results.sarif, ...) into DIR")
    parser.add_argument("--history", metavar="FILE",
                        help="html: the ledger's history (JSON array or JSON Lines of "
                             "{date, guardrail, workload, status}) for compliance over time")
    parser.add_argument("--pending", metavar="FILE",
                        help="html: JSON object of guardrail id -> activation deadline (YYYY-MM-DD or null)")


def _read_json_or_lines(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", where=path) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ConfigError(f"not JSON or JSON Lines: {exc.msg}", where=f"{path}:{number}") from None
    return records


def report_options(args: argparse.Namespace) -> ReportOptions:
    """The dashboard's extras from --history and --pending (the other formats ignore them)."""
    history = pending = None
    if args.history:
        history = _read_json_or_lines(args.history)
        if isinstance(history, dict):
            history = history.get("history")
        if not isinstance(history, list):
            raise ConfigError("must be a list of history records", where=args.history)
    if args.pending:
        pending = _read_json_or_lines(args.pending)
        if not isinstance(pending, dict):
            raise ConfigError("must be an object of guardrail id -> deadline", where=args.pending)
    return ReportOptions.build(history=history, pending=pending)


def run(args: argparse.Namespace, output: Output) -> int:
    formats: list[str] = args.format or []
    if not args.report_dir and len(formats) > 1:
        raise UsageError("give one --format when printing or writing one file (or use --report-dir)")
    result = load_document(args.source)
    options = report_options(args)
    if args.report_dir:
        for path in write_reports(result, args.report_dir, formats or None, options):
            output.info(f"wrote {path}")
        return 0
    text = get_formatter(formats[0] if formats else "text").render(result, options)
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        output.info(f"wrote {target}")
    else:
        output.raw(text)
    return 0
