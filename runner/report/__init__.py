"""Report formatters: one module per format, all behind one interface, all rendering one RunResult.

Every formatter's `render(run, options)` takes the one `ReportOptions` record (history, pending, today),
and reads only what it needs. Formats with `in_report_dir` are the files `--report-dir` writes when no
format is named; the others (`text`, `by-resource`) are for a terminal or a pipeline log, written only
when asked for by name."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from runner.model import RunResult
from runner.report.options import NO_OPTIONS, HistoryPoint, ReportOptions

__all__ = ["FORMATS", "NO_OPTIONS", "Formatter", "HistoryPoint", "ReportOptions", "file_formats", "get_formatter",
           "write_reports"]


class Formatter(Protocol):
    name: str
    filename: str  # the file written into --report-dir
    in_report_dir: bool  # written by --report-dir when no format is named

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str: ...


# format name -> module under runner.report; each module exposes FORMATTER
FORMATS: dict[str, str] = {
    "text": "text",
    "by-resource": "by_resource",
    "json": "json",
    "junit": "junit",
    "sarif": "sarif",
    "markdown": "markdown",
    "html": "html",
}


def get_formatter(name: str) -> Formatter:
    from runner.errors import UsageError

    if name not in FORMATS:
        raise UsageError(f"unknown report format {name!r} (use one of: {', '.join(FORMATS)})")
    formatter: Formatter = importlib.import_module(f"runner.report.{FORMATS[name]}").FORMATTER
    return formatter


def file_formats() -> list[str]:
    """The formats --report-dir writes by default: every one but the terminal formats."""
    return [name for name in FORMATS if get_formatter(name).in_report_dir]


def write_reports(run: RunResult, report_dir: str | Path, formats: list[str] | None = None,
                  options: ReportOptions = NO_OPTIONS) -> list[Path]:
    """Write each format's file into report_dir (default: every file format); returns the paths written."""
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats or file_formats():
        fmt = get_formatter(name)
        path = out / fmt.filename
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(fmt.render(run, options), encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
