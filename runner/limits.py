"""Bounds on what tfguard reads, so that no input can take unbounded time or memory (docs/limits.md).

Every limit has a default, can be set in tfguard.yaml under `limits:`, and the plan size also with
`--max-plan-size`. A value over a limit is refused with one line that names the file, the limit and how
to raise it; it is never truncated or skipped."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from runner.errors import ConfigError, UsageError

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
_UNITS = {"": 1, "b": 1, "k": KIB, "kb": KIB, "kib": KIB, "m": MIB, "mb": MIB, "mib": MIB, "g": GIB, "gb": GIB,
          "gib": GIB}
_SIZE_RE = re.compile(r"^\s*([0-9]+)\s*([a-zA-Z]*)\s*$")


@dataclass(frozen=True)
class Limits:
    """The limits in force. `origin` says where they were set, for the hint of a refusal."""

    plan_size: int = 512 * MIB  # bytes of one plan (JSON or converted binary plan)
    json_size: int = 64 * MIB  # bytes of any other JSON document (results, ledger, observation, history)
    json_depth: int = 100  # nesting of arrays and objects in any JSON document
    integer_digits: int = 1000  # digits of one integer in any JSON document
    yaml_size: int = 1 * MIB  # bytes of one YAML registry file (tfguard.yaml, exclusions/, pipeline/workloads/)
    yaml_depth: int = 64  # nesting of one YAML registry file
    yaml_nodes: int = 100_000  # nodes of one YAML registry file once its aliases are expanded
    origin: str = ""  # "tfguard.yaml" when the file set any of them

    def hint(self, key: str, flag: str = "") -> str:
        how = f"{flag} or " if flag else ""
        return f"to raise the limit: {how}limits.{key} in tfguard.yaml; docs/limits.md"


DEFAULT = Limits()
SIZE_KEYS = ("plan_size", "json_size", "yaml_size")


def parse_size(text: str, what: str = "size") -> int:
    """'512MiB', '4 KiB', '1G', '2048' -> bytes (K/M/G are powers of 1024)."""
    found = _SIZE_RE.match(str(text))
    unit = found.group(2).lower() if found else ""
    if not found or unit not in _UNITS:
        raise UsageError(f"{what} {text!r} is not a size", hint="write e.g. 512MiB, 64KiB or 1GiB")
    value = int(found.group(1)) * _UNITS[unit]
    if value <= 0:
        raise UsageError(f"{what} {text!r} must be more than 0 bytes")
    return value


def size_text(n: int) -> str:
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def from_config(raw: Any, where: str = "tfguard.yaml") -> Limits:
    """The `limits:` section of tfguard.yaml (a mapping of the fields above; sizes may carry units)."""
    if raw is None:
        return DEFAULT
    if not isinstance(raw, Mapping):
        raise ConfigError("key `limits` must be a mapping", where=where)
    known = {f.name for f in fields(Limits)} - {"origin"}
    values: dict[str, int] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"unknown key `limits.{key}` (known: {', '.join(sorted(known))})", where=where)
        try:
            values[key] = parse_size(value, f"limits.{key}") if key in SIZE_KEYS else int(value)
        except (TypeError, ValueError, UsageError):
            raise ConfigError(f"limits.{key} must be a {'size' if key in SIZE_KEYS else 'whole number'}, "
                              f"got {value!r}", where=where) from None
        if values[key] <= 0:
            raise ConfigError(f"limits.{key} must be more than 0, got {value!r}", where=where)
    return replace(DEFAULT, **values, origin=where) if values else DEFAULT


def with_plan_size(limits: Limits, flag_value: str | None) -> Limits:
    """The limits with --max-plan-size applied (the flag wins over tfguard.yaml)."""
    if not flag_value:
        return limits
    return replace(limits, plan_size=parse_size(flag_value, "--max-plan-size"), origin="--max-plan-size")
