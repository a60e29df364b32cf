"""Synthetic workloads for benchmarks: plans derived from the bundled examples with varied resource
names (so addresses differ), varied values, and a few large plans (resources repeated many times)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/plan.json"))


def _rename(node: Any, suffix: str) -> None:
    """Give every resource a new name (and so a new address) throughout the plan."""
    if isinstance(node, dict):
        if {"address", "type", "name"} <= node.keys() and isinstance(node.get("name"), str):
            old = f"{node['type']}.{node['name']}"
            node["name"] = node["name"] + suffix
            node["address"] = node["address"].replace(old, f"{node['type']}.{node['name']}", 1)
        for value in node.values():
            _rename(value, suffix)
    elif isinstance(node, list):
        for item in node:
            _rename(item, suffix)


def _vary(node: Any, rng: random.Random) -> None:
    """Vary names and tag values, never the attributes guardrails judge."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("bucket", "function_name", "identifier") and isinstance(value, str):
                node[key] = f"{value}-{rng.randrange(10**6)}"
            elif key == "tags" and isinstance(value, dict) and "owner" in value:
                value["owner"] = f"team-{rng.randrange(50)}@example.com"
            else:
                _vary(value, rng)
    elif isinstance(node, list):
        for item in node:
            _vary(item, rng)


def _repeat(plan: dict[str, Any], times: int) -> dict[str, Any]:
    """A large plan: every resource repeated `times` times under distinct names."""
    big = json.loads(json.dumps(plan))
    for section in ("resource_changes",):
        base = plan.get(section) or []
        out = []
        for k in range(times):
            copy = json.loads(json.dumps(base))
            _rename(copy, f"_r{k}")
            out += copy
        big[section] = out
    roots = [big["planned_values"]["root_module"]]
    while roots:
        mod = roots.pop()
        base = mod.get("resources") or []
        out = []
        for k in range(times):
            copy = json.loads(json.dumps(base))
            _rename(copy, f"_r{k}")
            out += copy
        mod["resources"] = out
        roots += mod.get("child_modules") or []
    return big


def generate(directory: Path, count: int, large_every: int = 40, large_times: int = 30,
             seed: int = 7) -> list[Path]:
    """Write `count` workload plans into directory; every `large_every`-th one is large."""
    rng = random.Random(seed)
    templates = [json.loads(p.read_text()) for p in EXAMPLES]
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        plan = json.loads(json.dumps(templates[i % len(templates)]))
        _rename(plan, f"_w{i}")
        _vary(plan, rng)
        if large_every and i % large_every == large_every - 1:
            plan = _repeat(plan, large_times)
        path = directory / f"workload-{i:04d}.json"
        path.write_text(json.dumps(plan))
        paths.append(path)
    return paths
