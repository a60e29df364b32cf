"""Terraform resource addresses: the one parser every part of tfguard uses.

An address is a sequence of *parts* separated by dots; a dot inside an instance key does not separate:

    module.net["eu.west/1"].aws_subnet.private[2]
    -> module | net["eu.west/1"] | aws_subnet | private[2]

`split_address` gives the parts (exclusion patterns are split the same way, runner.exclusions.match);
`parse_address` reads them as a resource: module path, mode (managed or data), type, name, instance key.
Terraform writes string keys in double quotes; the engine sometimes prints them in single quotes
(Python's repr): `normalise` turns those into Terraform's spelling."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SINGLE_QUOTED_KEY = re.compile(r"\['([^']*)'\]")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class PatternError(ValueError):
    """An address or pattern that cannot be read (unbalanced brackets or quotes)."""


@dataclass(frozen=True)
class ResourceAddress:
    modules: tuple[str, ...]  # module call names from the root, instance keys dropped
    mode: str  # managed | data
    type: str
    name: str
    module_keys: tuple[str, ...] = ()  # each module step's instance key as written ('' when none)
    key: str = ""  # the resource's instance key as written, e.g. `[0]` or `["eu"]` ('' when none)

    @property
    def config_address(self) -> str:
        """The address without instance keys (module.a.aws_x.y), as in the configuration."""
        prefix = "".join(f"module.{m}." for m in self.modules)
        return f"{prefix}{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"


def normalise(address: str) -> str:
    """Terraform writes string keys in double quotes; accept a key in single quotes too."""
    return _SINGLE_QUOTED_KEY.sub(r'["\1"]', address.strip())


def split_address(address: str) -> tuple[str, ...]:
    """The parts of an address or pattern; raises PatternError on unbalanced brackets or quotes."""
    parts: list[str] = []
    buf: list[str] = []
    depth, in_quote, escaped = 0, False, False
    for ch in normalise(address):
        if in_quote:
            buf.append(ch)
            escaped, in_quote = (False, True) if escaped else (ch == "\\", ch != '"')
            continue
        if ch == "." and depth == 0:
            parts.append("".join(buf))
            buf = []
            continue
        if ch == '"':
            if depth == 0:
                raise PatternError("a quoted key must be inside [ ]")
            in_quote = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth < 0:
                raise PatternError("has a `]` without `[`")
        buf.append(ch)
    if in_quote or depth:
        raise PatternError("has an unclosed `[` or quote")
    parts.append("".join(buf))
    return tuple(parts)


@lru_cache(maxsize=8192)
def parse_address(address: str) -> ResourceAddress | None:
    """Read `module.a["k"].module.b.data.aws_x.y[0]`; None for anything that is not a resource address."""
    try:
        parts = list(split_address(address))
    except PatternError:
        return None
    modules: list[str] = []
    module_keys: list[str] = []
    while len(parts) > 2 and parts[0] == "module":
        name, key = _name_and_key(parts[1])
        if name is None:
            return None
        modules.append(name)
        module_keys.append(key)
        parts = parts[2:]
    mode = "managed"
    if len(parts) == 3 and parts[0] == "data":
        mode, parts = "data", parts[1:]
    if len(parts) != 2 or not _NAME.match(parts[0]) or parts[0] == "module":
        return None
    name, key = _name_and_key(parts[1])
    if name is None:
        return None
    return ResourceAddress(tuple(modules), mode, parts[0], name, tuple(module_keys), key)


def _name_and_key(part: str) -> tuple[str | None, str]:
    name, bracket, rest = part.partition("[")
    key = bracket + rest
    if not _NAME.match(name) or (key and not key.endswith("]")):
        return None, ""
    return name, key


def resource_type(address: str) -> str:
    """The resource type an address names (`aws_s3_bucket` for `module.x.aws_s3_bucket.y[0]`)."""
    parsed = parse_address(address)
    return parsed.type if parsed else address
