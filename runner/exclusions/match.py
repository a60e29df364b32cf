"""The patterns exclusions use to match resource addresses.

A pattern is split into parts like an address (runner.addresses.split_address) and matched part by part:

- a part without `*` must equal the address part exactly (`['k']` is read as `["k"]`);
- `*` inside a part matches any run of characters of that one part, index and key included
  (`raw[*]` is every instance of `raw`, `raw["eu-*"]` the keys starting with `eu-`, `logs*` both
  `logs_archive` and `logs[0]`), but never crosses the dot between two parts;
- `**` as a whole part, followed by more parts, matches any module path: zero or more
  `module.NAME[KEY]` steps (`**.aws_s3_bucket.logs` is `logs` in the root or in any module);
- `**` as the last part matches everything below (`module.data.**`: every resource of that module
  and its child modules, data sources included).

A pattern ends with `TYPE.NAME` or with `**`. `*` is always a wildcard, even inside a quoted key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from runner.addresses import PatternError, split_address

_TYPE_PART = re.compile(r"^[a-z*][a-z0-9_*]*$")


def check_pattern(pattern: str) -> str | None:
    """Why a pattern is malformed, or None when it is fine."""
    if not pattern.strip():
        return "is empty"
    if pattern != pattern.strip():
        return "has spaces around it"
    try:
        parts = split_address(pattern)
    except PatternError as exc:
        return str(exc)
    if any(not p for p in parts):
        return "has an empty part (two dots in a row, or a dot at an end)"
    if any(c.isspace() for p in parts for c in p.split("[", 1)[0]):
        return "has a space in a name (only a quoted key inside [...] may hold one)"
    if any("**" in p and p != "**" for p in parts):
        return "uses `**` inside a part: `**` must stand alone between dots (e.g. `**.aws_s3_bucket.logs`)"
    if parts[-1] == "**":
        return None
    if len(parts) < 2 or parts[-2] == "**":
        return "must end with TYPE.NAME (e.g. aws_s3_bucket.logs) or with `**`"
    if not _TYPE_PART.match(parts[-2]) and parts[-2] != "*":
        return f"has `{parts[-2]}` where a resource type (e.g. aws_s3_bucket) is expected"
    return None


def is_broad(pattern: str) -> bool:
    """True when the pattern is not tied to one resource: it ends in `**`, leaves the resource type
    open, or names every resource of a type (`aws_s3_bucket.*`)."""
    parts = split_address(pattern)
    if parts[-1] == "**" or len(parts) < 2:
        return True
    if "*" in parts[-2]:
        return True
    return parts[-1].split("[", 1)[0] == "*"


@lru_cache(maxsize=4096)
def _part_regex(part: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(chunk) for chunk in part.split("*")), re.DOTALL)


def _match(pat: tuple[str, ...], addr: tuple[str, ...], i: int, j: int) -> bool:
    if i == len(pat):
        return j == len(addr)
    if pat[i] == "**":
        if i == len(pat) - 1:
            return j < len(addr)
        if _match(pat, addr, i + 1, j):
            return True
        return j + 2 < len(addr) and addr[j] == "module" and _match(pat, addr, i, j + 2)
    if j >= len(addr) or not _part_regex(pat[i]).fullmatch(addr[j]):
        return False
    return _match(pat, addr, i + 1, j + 1)


@lru_cache(maxsize=4096)
def _split_cached(text: str) -> tuple[str, ...]:
    return split_address(text)


def matches(pattern: str, address: str) -> bool:
    """Does `pattern` (an exact address, or one with `*`/`**`) cover `address`? Never true for ""."""
    if not address:
        return False
    try:
        return _match(_split_cached(pattern), _split_cached(address), 0, 0)
    except PatternError:
        return False


def has_wildcard(pattern: str) -> bool:
    return "*" in pattern
