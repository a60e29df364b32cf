"""Report formatters: one module per format, all behind one interface, all rendering one RunResult."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from runner.model import RunResult


class Formatter(Protocol):
    name: str
    filename: str  # the file written into --report-dir

    def render(self, run: RunResult) -> str: ...


# format name -> module under runner.report; each module exposes FORMATTER
FORMATS: dict[str, str] = {
    "text": "text",
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
    return importlib.import_module(f"runner.report.{FORMATS[name]}").FORMATTER


def write_reports(run: RunResult, report_dir: str | Path, formats: list[str] | None = None,
                  options: Mapping[str, Mapping[str, Any]] | None = None) -> list[Path]:
    """Write every file format (all but `text`) into report_dir; returns the paths written.

    `options` maps a format name to extra keyword arguments of its render(), for formatters that take
    some (html: history, pending)."""
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats or [n for n in FORMATS if n != "text"]:
        fmt = get_formatter(name)
        path = out / fmt.filename
        tmp = path.with_suffix(path.suffix + ".tmp")
        extra = dict((options or {}).get(name) or {})
        tmp.write_text(fmt.render(run, **extra) if extra else fmt.render(run), encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
