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


class KnownAddresses:
    """The plan's addresses, and every instance of a resource address by that address without its key."""

    def __init__(self, addresses: Iterable[str]) -> None:
        self.source = addresses
        self.exact = addresses if isinstance(addresses, (set, frozenset)) else frozenset(addresses)
        by_base: dict[str, list[str]] = {}
        for k in self.exact:
            i = k.find("[")
            while i != -1:
                if "." not in k[i:]:
                    by_base.setdefault(k[:i], []).append(k)
                i = k.find("[", i + 1)
        self.by_base = {base: sorted(keys) for base, keys in by_base.items()}


_KNOWN: list[KnownAddresses] = []  # the last plan's index: one plan's findings ask thousands of times


def _known(known: Iterable[str]) -> KnownAddresses:
    if _KNOWN and _KNOWN[0].source is known:
        return _KNOWN[0]
    index = KnownAddresses(known)
    _KNOWN[:] = [index]
    return index


def parse_addresses(message: str, known: Iterable[str] | None = None) -> list[str]:
    """Resource addresses named in an engine message, in order, without duplicates.

    With `known` (the plan's addresses) only real addresses are kept, and a message naming a resource
    without its instance key (`aws_x.y` for `aws_x.y[0]`) is matched to every instance."""
    text = strip_ansi(message)
    found = [normalise(m.group(1)) for m in ADDRESS_RE.finditer(text)]
    if known is None:
        return list(dict.fromkeys(found))
    index = _known(known)
    out: list[str] = []
    for addr in found:
        if addr in index.exact:
            out.append(addr)
            continue
        out.extend(index.by_base.get(addr.rstrip("."), ()))
    return list(dict.fromkeys(out))
