"""Bounds on what rendering a static plan may cost: hostile or broken source stops with one line, exit 2.

    MAX_HCL_DEPTH        brackets, braces and blocks nested in one .tf file
    MAX_INSTANCES        instances of one resource or module call (count / for_each)
    MAX_TOTAL_INSTANCES  resource instances in the whole plan
    MAX_FILE_BYTES       one file read: a .tf or .tfvars file, file(), templatefile(), local_file
    MAX_STRING           one string value (format("%999999999d", 1), join, replace ...)

No real configuration comes near them; a configuration past one is refused (SourceLimitError, a PlanError
naming file and line), never rendered partly.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from runner.errors import PlanError

MAX_HCL_DEPTH = 128
MAX_INSTANCES = 10_000
MAX_TOTAL_INSTANCES = 100_000
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_STRING = 16 * 1024 * 1024


class SourceLimitError(PlanError):
    """Rendering would pass one of the bounds above."""


def _where(file: str, line: int) -> str | None:
    return f"{file}:{line}" if file and line else (file or None)


def check_instances(count: int, what: str, file: str, line: int) -> None:
    if count > MAX_INSTANCES:
        raise SourceLimitError(
            f"{what}: {count} instances is more than the static renderer's limit of {MAX_INSTANCES}",
            where=_where(file, line),
        )


def check_string(value: object, what: str) -> None:
    """For values built by functions: raise EvalError-free, as a limit, when a string grows past MAX_STRING."""
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise SourceLimitError(f"{what}: a string of {len(value)} characters is more than the limit of {MAX_STRING}")


def check_width(width: int, what: str) -> None:
    if width > MAX_STRING:
        raise SourceLimitError(f"{what}: a width of {width} is more than the limit of {MAX_STRING} characters")


def read_text(path: str | Path, what: str = "file") -> str:
    """A regular file's text, refused past MAX_FILE_BYTES (and for devices, FIFOs and directories)."""
    p = Path(path)
    try:
        info = os.stat(p)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(p)) from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceLimitError(f"{what}: {p} is not a regular file", where=str(p))
    if info.st_size > MAX_FILE_BYTES:
        raise SourceLimitError(
            f"{what}: {p} is {info.st_size} bytes, more than the limit of {MAX_FILE_BYTES}", where=str(p)
        )
    with open(p, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SourceLimitError(f"{what}: {p} is more than the limit of {MAX_FILE_BYTES} bytes", where=str(p))
    from runner.readers import decode_utf8

    return decode_utf8(data, str(p), error=SourceLimitError)


def check_depth(text: str, path: str) -> None:
    """Refuse HCL nested deeper than MAX_HCL_DEPTH before the (recursive) parser sees it: brackets, braces,
    parentheses and template interpolations, outside comments and heredoc bodies."""
    stack: list[str] = []  # "s" a quoted string, "i" an interpolation, "(" "[" "{" brackets
    line, i, n = 1, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        if stack and stack[-1] == "s":
            if ch == "\\":
                i += 2
                continue
            if ch == '"' or ch == "\n":
                stack.pop()
            elif ch in "$%" and text.startswith("{", i + 1) and not text.startswith(ch, i - 1):
                stack.append("i")
                i += 1
        elif ch == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
            continue
        elif text.startswith("<<", i):
            marker = _heredoc_marker(text, i)
            if marker:
                end = _heredoc_end(text, i, marker)
                line += text.count("\n", i, end)
                i = end
                continue
        elif ch == '"':
            stack.append("s")
        elif ch in "{[(":
            stack.append(ch)
        elif ch in "}])" and stack:
            stack.pop()
        if len(stack) > MAX_HCL_DEPTH:
            raise SourceLimitError(f"HCL nests deeper than {MAX_HCL_DEPTH} levels", where=f"{path}:{line}")
        i += 1


def _heredoc_marker(text: str, i: int) -> str:
    j = i + 2 + (1 if text.startswith("-", i + 2) else 0)
    k = j
    while k < len(text) and (text[k].isalnum() or text[k] == "_"):
        k += 1
    return text[j:k] if k > j and text.startswith("\n", k) else ""


def _heredoc_end(text: str, i: int, marker: str) -> int:
    pos = text.find("\n", i) + 1
    while 0 < pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        if text[pos:end].strip() == marker:
            return end
        pos = end + 1
    return len(text)
