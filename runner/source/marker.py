"""How a static plan is marked, and how to recognise one (no heavy imports: check and observe use this)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MARKER = (
    "tfguard"  # top-level key of a static plan: {"static_plan": true, "warnings": [...], "locations": {...}}
)
VERSION_TAG = "+tfguard.static"  # build metadata on terraform_version; terraform-compliance reads 1.6.x
TERRAFORM_VERSION = f"1.6.6{VERSION_TAG}"
FORMAT_VERSION = "1.2"

Location = tuple[str, int]


def is_static_plan(data: Mapping[str, Any]) -> bool:
    """True for a plan rendered by plan-from-source (top-level `tfguard.static_plan`, or the version tag)."""
    marker = data.get(MARKER)
    if isinstance(marker, Mapping) and marker.get("static_plan") is True:
        return True
    return str(data.get("terraform_version", "")).endswith(VERSION_TAG)


def plan_not_evaluated(data: Mapping[str, Any]) -> tuple[str, ...]:
    """What a static plan could not evaluate, one line each: `module.vendor: remote source ... not installed`
    (empty for plans from terraform). Reports list these as "not evaluated"."""
    marker = data.get(MARKER)
    found = marker.get("not_evaluated") if isinstance(marker, Mapping) else None
    if not isinstance(found, list):
        return ()
    out = []
    for gap in found:
        if isinstance(gap, Mapping) and gap.get("address"):
            out.append(f"{gap['address']}: {gap.get('reason') or 'not evaluated'}")
    return tuple(out)


def plan_locations(data: Mapping[str, Any]) -> dict[str, Location]:
    """Resource address -> (file, line) recorded inside a static plan (empty for plans from terraform)."""
    marker = data.get(MARKER)
    if not isinstance(marker, Mapping):
        return {}
    found = marker.get("locations") or {}
    if not isinstance(found, Mapping):
        return {}
    out: dict[str, Location] = {}
    for address, where in found.items():
        if isinstance(where, Mapping):
            out[str(address)] = (str(where.get("file", "")), int(where.get("line", 0) or 0))
    return out
