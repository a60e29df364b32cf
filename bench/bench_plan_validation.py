"""What reading a plan strictly costs: a plan of about RESOURCES resources (default 30,000), read the
plain way and tfguard's way, side by side in one run (best of --runs).

    python bench/bench_plan_validation.py [--resources 30000] [--runs 3]

Rows: json.loads alone; runner.readers.loads (nesting measured on the bytes before parsing, no NaN or
Infinity, no key twice, integer digits bounded); the plan schema checked with the pure-Python jsonschema
validator (the naive way) and with the compiled jsonschema-rs validator tfguard uses; the whole load_plan
(read, decode, strict parse, schema, addresses, sensitive values)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from workloads import EXAMPLES, _repeat  # noqa: E402

from runner.readers import loads  # noqa: E402
from runner.schemas import load_schema  # noqa: E402
from runner.workloads.plan import _plan_validator, load_plan  # noqa: E402


def best(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = json.loads(next(p for p in EXAMPLES if "web-service" in str(p)).read_text())
    plan = _repeat(base, max(1, args.resources // len(base["resource_changes"])))
    text = json.dumps(plan)
    raw = text.encode()
    data = json.loads(text)
    import jsonschema

    naive = jsonschema.Draft7Validator(load_schema("plan"))
    fast = _plan_validator()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_bytes(raw)
        rows = [
            ("json.loads (plain parse)", best(lambda: json.loads(text), args.runs)),
            ("readers.loads (strict parse)", best(lambda: loads(text, "plan.json", raw=raw), args.runs)),
            ("schema: jsonschema, pure Python", best(lambda: next(naive.iter_errors(data), None), args.runs)),
            ("schema: jsonschema-rs, compiled", best(lambda: fast(data), args.runs)),
            ("load_plan (all of it)", best(lambda: load_plan(path), args.runs)),
        ]
    print(f"plan: {len(plan['resource_changes'])} resources, {len(raw) / 2**20:.1f} MiB; best of {args.runs}")
    plain = rows[0][1]
    for label, seconds in rows:
        print(f"  {label:<34} {seconds:7.3f} s   {seconds / plain:5.2f}x json.loads")
    print(f"  compiled schema check is {rows[2][1] / rows[3][1]:.0f}x faster than the pure-Python validator")


if __name__ == "__main__":
    main()
