"""Reading terraform-compliance's failure messages: strip ANSI codes, find resource addresses."""

from __future__ import annotations

import re
from collections.abc import Iterable

from runner.addresses import normalise

ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|[\x08\r]")

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_INDEX = r'\[(?:\d+|"(?:[^"\\]|\\.)*"|\'[^\']*\')\]'
ADDRESS_RE = re.compile(
    rf"(?<![\w.\-\"'])((?:module\.{_NAME}(?:{_INDEX})?\.)*(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.{_NAME}(?:{_INDEX})?)"
)


def strip_ansi(text: str) -> str:
    return ANSI_RE.sub("", text)


def parse_addresses(message: str, known: Iterable[str] | None = None) -> list[str]:
    """Resource addresses named in an engine message, in order, without duplicates.

    With `known` (the plan's addresses) only real addresses are kept, and a message naming a resource
    without its instance key (`aws_x.y` for `aws_x.y[0]`) is matched to every instance."""
    text = strip_ansi(message)
    found = [normalise(m.group(1)) for m in ADDRESS_RE.finditer(text)]
    if known is None:
        return list(dict.fromkeys(found))
    known_set = set(known)
    out: list[str] = []
    for addr in found:
        if addr in known_set:
            out.append(addr)
            continue
        stripped = addr.rstrip(".")
        instances = sorted(k for k in known_set if k.startswith(stripped + "[") and "." not in k[len(stripped):])
        out.extend(instances)
    return list(dict.fromkeys(out))
