"""Template pieces of HCL strings and heredocs: literal text split at newlines (as HCL's scanner does),
strip markers, `<<-` indentation, and nesting `%{if}` / `%{for}` directives into TIf / TFor parts."""

from __future__ import annotations

import re
from typing import Any

from runner.source.hcl_nodes import Lit, Node, Template, TFor, TIf


class TemplateError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _split_lines(text: str) -> list[str]:
    return [piece for piece in re.split(r"(?<=\n)", text) if piece]


def _strip(flat: list[Any]) -> list[Any]:
    """Apply strip markers: `{~` trims the token before, `~}` the token after (whitespace only)."""
    out = list(flat)
    for i, item in enumerate(out):
        if not isinstance(item, tuple):
            continue
        left, right = item[-2], item[-1]
        if left and i > 0 and isinstance(out[i - 1], str):
            out[i - 1] = out[i - 1].rstrip()
        if right and i + 1 < len(out) and isinstance(out[i + 1], str):
            out[i + 1] = out[i + 1].lstrip()
    return out


def _flush(flat: list[Any], indent: int) -> list[Any]:
    """`<<-` heredocs: remove `indent` leading spaces from each literal token that starts a line."""
    out: list[Any] = []
    at_line_start = True
    for item in flat:
        if isinstance(item, str):
            if at_line_start:
                cut = len(item) - len(item.lstrip(" \t"))
                item = item[min(cut, indent) :]
            at_line_start = item.endswith("\n")
        else:
            at_line_start = False
        out.append(item)
    return out


def _template_node(parts: list[Any], line: int) -> Node:
    if not parts:
        return Lit(line, "")
    if len(parts) == 1 and isinstance(parts[0], str):
        return Lit(line, parts[0])
    return Template(line, tuple(parts))


def _matching_brace(text: str, start: int) -> int:
    depth = 1
    i = start
    quote = False
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                quote = False
        elif ch == '"':
            quote = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _assemble(flat: list[Any], line: int) -> list[Any]:
    """Nest flat template items (`if`/`else`/`endif`, `for`/`endfor`) into TIf / TFor parts."""
    pos = 0

    def run(stop: tuple[str, ...]) -> tuple[list[Any], str | None]:
        nonlocal pos
        out: list[Any] = []
        while pos < len(flat):
            item = flat[pos]
            pos += 1
            if isinstance(item, tuple) and item[0] == "interp":
                out.append(item[1])
            elif isinstance(item, tuple):
                head = item[0]
                if head in stop:
                    return out, head
                if head == "if":
                    then, ended = run(("else", "endif"))
                    other: list[Any] = []
                    if ended == "else":
                        other, ended = run(("endif",))
                    if ended != "endif":
                        raise TemplateError("%{if} without %{endif}", line)
                    out.append(TIf(item[1], tuple(then), tuple(other)))
                elif head == "for":
                    body, ended = run(("endfor",))
                    if ended != "endfor":
                        raise TemplateError("%{for} without %{endfor}", line)
                    out.append(TFor(item[1], item[2], item[3], tuple(body)))
                else:
                    raise TemplateError(f"%{{{head}}} without its opening directive", line)
            elif isinstance(item, str) and out and isinstance(out[-1], str):
                out[-1] += item
            elif isinstance(item, str):
                if item:
                    out.append(item)
            else:
                out.append(item)
        return out, None

    parts, _ = run(())
    return parts
