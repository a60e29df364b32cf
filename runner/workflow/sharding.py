"""Scale-out on the CI system's own parallel jobs: stable workload shards and merging their results.

A workload's shard depends only on its name and the shard count (a hash, not a position), so adding
or removing one workload never moves the others between shards."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from runner.errors import ConfigError, UsageError

SHARD_RE = re.compile(r"^(\d+)/(\d+)$")


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' (1-based K) -> (K, N)."""
    m = SHARD_RE.match(text.strip())
    if not m or not (1 <= int(m.group(1)) <= int(m.group(2))):
        raise UsageError(f"--shard {text!r} must be K/N with 1 <= K <= N, e.g. 2/4")
    return int(m.group(1)), int(m.group(2))


def shard_of(workload: str, count: int) -> int:
    """The 1-based shard a workload belongs to."""
    digest = hashlib.sha256(workload.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def in_shard(workload: str, shard: tuple[int, int] | None) -> bool:
    return shard is None or shard_of(workload, shard[1]) == shard[0]


def merge_documents(docs: Sequence[dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """Merge results.json documents of shards of one sweep into the document one unsharded run writes.

    The shards must agree on the guardrails (ids and content digests), the mode and the guardrails that
    differ from mainline; a workload may appear in only one shard."""
    if not docs:
        raise UsageError("merge-results needs at least one results.json")
    first, first_name = docs[0], names[0]
    seen: dict[str, str] = {}
    workloads: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    warnings: list[str] = []
    for doc, name in zip(docs, names):
        for key in ("schema_version", "mode", "changed_guardrails", "rules_source"):
            if doc.get(key) != first.get(key):
                raise ConfigError(f"`{key}` differs from {first_name}: not shards of one sweep", where=name)
        if [(g["id"], g["digest"]) for g in doc["guardrails"]] != [(g["id"], g["digest"]) for g in first["guardrails"]]:
            raise ConfigError(f"guardrails differ from {first_name}: not shards of one sweep", where=name)
        for w in doc["workloads"]:
            if w["name"] in seen:
                raise ConfigError(f"workload {w['name']} is also in {seen[w['name']]}", where=name)
            seen[w["name"]] = name
            workloads.append(w)
        results += doc["results"]
        warnings += [w for w in doc.get("warnings", []) if w not in warnings]
    order = {w["name"]: i for i, w in enumerate(sorted(workloads, key=lambda w: w["name"]))}
    guardrail_order = {g["id"]: i for i, g in enumerate(first["guardrails"])}
    workloads.sort(key=lambda w: order[w["name"]])
    results.sort(key=lambda r: (order[r["workload"]], guardrail_order[r["guardrail"]]))
    merged = dict(first)
    merged.update(workloads=workloads, results=results, warnings=warnings,
                  created=max(d.get("created", "") for d in docs))
    merged["summary"] = _summary(merged)
    return merged


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    statuses = [r["status"] for r in doc["results"]]
    errors = "error" in statuses or any(w.get("error") for w in doc["workloads"])
    exit_code = 2 if errors else (1 if "failed" in statuses or "unknown" in statuses else 0)
    findings = [f for r in doc["results"] for f in r["findings"]]
    return {
        "guardrails": len(doc["guardrails"]),
        "workloads": len(doc["workloads"]),
        **{s: statuses.count(s) for s in ("passed", "failed", "not-applicable", "error", "unknown")},
        "violations": sum(1 for f in findings if f["status"] == "violation"),
        "unknowns": sum(1 for f in findings if f["status"] == "unknown"),
        "excluded_findings": sum(1 for f in findings if f["status"] == "excluded"),
        "compliant": exit_code == 0,
        "exit_code": exit_code,
    }
