"""Where a command writes, checked before it reads or evaluates anything: an output file must not be a
directory or one of the command's inputs; a report directory must not be a file, sit under a file, or
hold an input under a name a report would take. Nothing is written when a check fails."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from runner.errors import UsageError

PathLike = str | os.PathLike[str]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _file_above(path: Path) -> Path | None:
    """The nearest existing ancestor of `path` that is not a directory, if any."""
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else parent
    return None


def check_output_file(path: PathLike, inputs: Iterable[PathLike | None], flag: str = "-o") -> None:
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"is a directory ({flag} names the file to write)", where=str(target))
    blocked = _file_above(target)
    if blocked is not None:
        raise UsageError(f"{blocked} is a file, not a directory", where=str(target))
    for source in inputs:
        if source is not None and _same(target, Path(source)):
            raise UsageError(f"is one of the inputs; {flag} {path} would overwrite it", where=str(target))


def check_report_dir(path: PathLike, names: Iterable[str], inputs: Iterable[PathLike | None],
                     flag: str = "--report-dir") -> None:
    """`names`: the files the command writes into the directory."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"is not a directory ({flag} names the directory to write the reports into)",
                         where=str(folder))
    blocked = _file_above(folder)
    if blocked is not None:
        raise UsageError(f"{blocked} is a file, not a directory", where=str(folder))
    sources = [Path(s) for s in inputs if s is not None]
    for name in names:
        target = folder / name
        for source in sources:
            if _same(target, source):
                raise UsageError(f"is one of the inputs; {flag} {path} would overwrite it", where=str(source))


def report_names(formats: Iterable[str] | None = None) -> list[str]:
    """The file names `write_reports` gives the formats (default: every file format)."""
    from runner.report import file_formats, get_formatter

    return [get_formatter(n).filename for n in (formats or file_formats())]
