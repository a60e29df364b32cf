"""Run every benchmark in one go (`make bench`) and print their figures; docs/performance.md records the
latest run with the machine it ran on. Each benchmark measures the naive way side by side where one
exists (one `terraform-compliance` CLI process per workload)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RUNS = [
    ["bench_sweep.py", "--sizes", "50", "200"],
    ["bench_enforce.py", "--runs", "7"],
    ["bench_large_plan.py", "10", "50"],
    # linear growth: 1k-64k resources of a realistic mix; --engine cli and plain terraform-compliance up to 8k
    ["large_plans.py", "--sizes", "1000", "8000", "32000", "64000", "--naive-up-to", "8000"],
    ["bench_plan_validation.py", "--resources", "30000"],
    ["bench_dashboard.py"],
    ["bench_static_plans.py"],
    # tfguard's corrections of the engine and its unknown judgement against the engine without them
    ["bench_verdict_integrity.py", "--sizes", "1000", "4000"],
    # a second opinion: tfguard vs checkov (dev-only, in its own virtualenv) per (resource, control)
    ["differential/run.py"],
    ["bench_selftest.py", "--runs", "3"],
]


def main() -> int:
    worst = 0
    for args in RUNS:
        print(f"\n=== {' '.join(args)}", flush=True)
        worst = max(worst, subprocess.run([sys.executable, str(BENCH / args[0]), *args[1:]]).returncode)
    return worst


if __name__ == "__main__":
    sys.exit(main())
