"""tfguard report: re-render a results.json in any format, without evaluating anything again."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from runner.console import Output
from runner.errors import ConfigError, UsageError
from runner.limits import DEFAULT
from runner.outputs import check_output_file, check_report_dir, report_names
from runner.readers import compiled, decode_utf8, loads, read_bytes
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


HISTORY_SCHEMA: dict[str, Any] = {"type": "array", "items": {
    "type": "object", "required": ["date", "guardrail", "workload", "status"],
    "properties": {"date": {"type": "string", "format": "date"}, "guardrail": {"type": "string"},
                   "workload": {"type": "string"}, "status": {"type": "string"}}}}
PENDING_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": {
    "x-message": "expected a YYYY-MM-DD date or null", "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}}


def _read_json_or_lines(path: str) -> Any:
    """A JSON document, or JSON Lines (one record a line), read within the JSON limits."""
    raw = read_bytes(path, DEFAULT.json_size, path, ConfigError, hint=DEFAULT.hint("json_size"))
    text = decode_utf8(raw, path, ConfigError)
    try:
        return loads(text, path, raw=raw)
    except ConfigError as exc:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) < 2 or not exc.message.startswith("invalid JSON: Extra data"):
            raise
    return [loads(line, f"{path}:{number}") for number, line in lines]


def _checked(doc: Any, schema: dict[str, Any], where: str, what: str) -> Any:
    problem = compiled(schema)(doc)
    if problem:
        raise ConfigError(f"{problem} ({what})", where=where)
    return doc


def report_options(args: argparse.Namespace) -> ReportOptions:
    """The dashboard's extras from --history and --pending (the other formats ignore them)."""
    history = pending = None
    if args.history:
        history = _read_json_or_lines(args.history)
        if isinstance(history, dict) and "history" in history:
            history = history["history"]
        history = _checked(history, HISTORY_SCHEMA, args.history, "a list of {date, guardrail, workload, status} records")
    if args.pending:
        pending = _checked(_read_json_or_lines(args.pending), PENDING_SCHEMA, args.pending,
                           "an object of guardrail id -> deadline, YYYY-MM-DD or null")
    return ReportOptions.build(history=history, pending=pending)


def run(args: argparse.Namespace, output: Output) -> int:
    formats: list[str] = args.format or []
    if not args.report_dir and len(formats) > 1:
        raise UsageError("give one --format when printing or writing one file (or use --report-dir)")
    inputs = [args.source, args.history, args.pending]
    if args.report_dir:  # refused before anything is read or written
        check_report_dir(args.report_dir, report_names(formats or None), inputs)
    elif args.output:
        check_output_file(args.output, inputs)
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
