"""Observation sweep benchmark: the naive way against tfguard, side by side in one run.

    python bench/bench_sweep.py [--sizes 50 200] [--features features]

For each N it generates N synthetic workloads (bench/workloads.py) and measures:
  (a) naive: one `terraform-compliance` CLI process per workload, one after another, as the workflow's
      original implementation does;
  (b) tfguard cold: empty result cache;  (c) tfguard warm: nothing changed;
  (d) tfguard after one guardrail changed;
printing wall time, the ratio against (a), peak RSS, and whether every verdict and failing-address set
equals (a)'s."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from workloads import generate  # noqa: E402

from runner.engine.cli import cli_command  # noqa: E402
from runner.engine.cli_output import parse_plain_output  # noqa: E402
from runner.engine.messages import parse_addresses  # noqa: E402
from runner.guardrails import load_guardrails, write_engine_features  # noqa: E402
from runner.plan import load_plan  # noqa: E402

VERDICT = {"passed": "passed", "failed": "failed", "skipped": "not-applicable", "error": "error"}


def naive(plans: list[Path], features: Path, tmp: Path) -> tuple[float, int, dict[str, list]]:
    gset = load_guardrails(features)
    clean = tmp / "naive-features"
    write_engine_features(gset, clean)
    by_title = {g.title: g.id for g in gset.guardrails}
    verdicts: dict[str, list] = {}
    started = time.monotonic()
    for path in plans:
        plan = load_plan(path)
        copy = plan.write_engine_copy(tmp)
        proc = subprocess.run(cli_command(copy, str(clean)), capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)
        for sc in parse_plain_output(proc.stdout + proc.stderr):
            msgs = sc.messages if sc.state == "failed" else []
            addrs = sorted({a for m in msgs for a in parse_addresses(plan.redact(m), plan.addresses)})
            verdicts[f"{path.stem}|{by_title[sc.name]}"] = [VERDICT[sc.state], addrs]
        os.unlink(copy)
    seconds = time.monotonic() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, verdicts


def tfguard(plans_dir: Path, features: Path, cache: Path) -> dict:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "sweep_driver.py"), str(plans_dir),
                           str(features), str(cache)], capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout)
    out["wall"] = time.monotonic() - started
    return out


def change_one_guardrail(features: Path, dest: Path) -> str:
    shutil.copytree(features, dest)
    gset = load_guardrails(dest)
    g = gset.guardrails[len(gset.guardrails) // 2]
    path = dest / g.file
    lines = path.read_text().splitlines()
    lines[g.line - 2] = lines[g.line - 2] + " @bench-changed"  # the tag line above the Scenario
    path.write_text("\n".join(lines) + "\n")
    return g.id


def mismatches(a: dict[str, list], b: dict[str, list]) -> int:
    return sum(1 for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def bench(n: int, features: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="tfguard-bench-") as tmp_s:
        tmp = Path(tmp_s)
        plans = generate(tmp / "plans", n)
        a_secs, a_rss, a_verdicts = naive(plans, features, tmp)
        cache = tmp / "cache"
        b = tfguard(tmp / "plans", features, cache)
        c = tfguard(tmp / "plans", features, cache)
        changed = change_one_guardrail(features, tmp / "features-changed")
        d = tfguard(tmp / "plans", tmp / "features-changed", cache)
        size = sum(p.stat().st_size for p in plans)
        largest = max(p.stat().st_size for p in plans)
    row = {
        "workloads": n, "guardrails": len(load_guardrails(features).guardrails),
        "plans_mb": round(size / 2**20, 1), "largest_plan_mb": round(largest / 2**20, 2),
        "naive_s": round(a_secs, 1), "naive_rss_mib": round(a_rss / 1024),
        "cold_s": round(b["wall"], 2), "warm_s": round(c["wall"], 2), "changed_s": round(d["wall"], 2),
        "cold_x": round(a_secs / b["wall"], 1), "warm_x": round(a_secs / c["wall"], 1),
        "changed_x": round(a_secs / d["wall"], 1),
        "peak_rss_mib": round(max(b["rss_self_kib"], b["rss_children_kib"], c["rss_self_kib"],
                                  d["rss_self_kib"], d["rss_children_kib"]) / 1024),
        "changed_guardrail": changed, "changed_evaluated": d["cache_misses"],
        "cold_vs_naive_mismatches": mismatches(a_verdicts, b["verdicts"]),
        "warm_vs_cold_mismatches": mismatches(b["verdicts"], c["verdicts"]),
    }
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--features", type=Path, default=ROOT / "features")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = [bench(n, args.features) for n in args.sizes]
    cols = ["workloads", "guardrails", "plans_mb", "naive_s", "cold_s", "cold_x", "warm_s", "warm_x",
            "changed_s", "changed_x", "peak_rss_mib", "naive_rss_mib", "cold_vs_naive_mismatches"]
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(str(r[c]) for c in cols))
    print(json.dumps(rows, indent=1))
    return 0 if all(r["cold_vs_naive_mismatches"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
