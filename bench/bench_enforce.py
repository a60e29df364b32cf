"""`tfguard enforce` on a warm cache vs one plain `terraform-compliance` run, same plan, same guardrails.

    python bench/bench_enforce.py [--features DIR] [--plan PLAN] [--runs N]

Defaults: the repository's own guardrails (features/) and examples/web-service/plan.json. A compliance
repository holding the guardrails is built in a temp dir with a bare remote; one enforce run warms the
cache (mainline checkout, engine start-up cache; the result cache is off, so the plan is really
evaluated every time); then enforce and the plain CLI run alternately N times,
each as a fresh process as a pipeline would start them. Both sides get the guardrails ready to run: the
plain CLI reads a cleaned copy (description lines removed, as it needs) and a one-line plan copy, made
before timing. Prints median wall and CPU seconds per side, the ratio enforce / plain, and whether the
two agree on the verdict (exit code 1 = violations)."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from runner.engine.cli import cli_command
from runner.guardrails.load import load_guardrails, write_engine_features
from runner.workloads.plan import load_plan

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Timing:
    wall: float
    cpu: float
    code: int


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed with exit {proc.returncode}:\n{proc.stderr[-2000:]}")
    return Timing(wall, cpu, proc.returncode)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def compliance_remote(features: Path, tmp: Path) -> Path:
    work = tmp / "compliance"
    shutil.copytree(features, work / "features")
    (work / "tfguard.yaml").write_text("observation:\n  mainline: main\n")
    (work / "pipeline" / "workloads").mkdir(parents=True)  # enforce refuses an unregistered workload name
    (work / "pipeline" / "workloads" / "bench.yaml").write_text(
        "name: bench\nowners:\n  - name: bench\n    contact: bench@example.com\nplan: plan.json\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "rules")
    bare = tmp / "compliance.git"
    git(tmp, "clone", "-q", "--bare", str(work), str(bare))
    return bare


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--features", type=Path, default=ROOT / "features")
    ap.add_argument("--plan", type=Path, default=ROOT / "examples" / "web-service" / "plan.json")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfguard-bench-enforce-") as tmp_s:
        tmp = Path(tmp_s)
        bare = compliance_remote(args.features, tmp)
        gset = load_guardrails(args.features)
        write_engine_features(gset, tmp / "cleaned")
        plan_copy = load_plan(args.plan).write_engine_copy(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "PYTHONPATH": str(ROOT)}
        # --no-cache: the engine really evaluates (a pipeline's new plan never hits the result cache)
        enforce = [sys.executable, "-m", "runner", "enforce", "--rules", str(bare), "--workload", "bench",
                   "--plan", str(args.plan.resolve()), "--no-cache"]
        plain = cli_command(plan_copy, str(tmp / "cleaned"))
        startup = [sys.executable, "-m", "runner", "--version"]
        cold = timed(enforce, env, tmp)
        runs: dict[str, list[Timing]] = {"enforce": [], "plain": [], "startup": []}
        for _ in range(args.runs):
            runs["enforce"].append(timed(enforce, env, tmp))
            runs["plain"].append(timed(plain, env, tmp))
            runs["startup"].append(timed(startup, env, tmp))
    report(args, len(gset.guardrails), cold, runs)
    return 0


def report(args: argparse.Namespace, guardrails: int, cold: Timing, runs: dict[str, list[Timing]]) -> None:
    wall = {k: statistics.median(t.wall for t in v) for k, v in runs.items()}
    cpu = {k: statistics.median(t.cpu for t in v) for k, v in runs.items()}
    codes = {k: {t.code for t in v} for k, v in runs.items() if k != "startup"}
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load:.2f}")
    print(f"plan: {args.plan} ; guardrails: {guardrails} from {args.features} ; runs: {args.runs} each, alternating")
    print(f"{'':32}{'wall median s':>15}{'cpu median s':>14}{'exit codes':>12}")
    print(f"{'tfguard enforce (cold cache)':32}{cold.wall:>15.3f}{cold.cpu:>14.3f}{cold.code:>12}")
    print(f"{'plain terraform-compliance':32}{wall['plain']:>15.3f}{cpu['plain']:>14.3f}"
          f"{','.join(map(str, sorted(codes['plain']))):>12}")
    print(f"{'tfguard enforce (warm cache)':32}{wall['enforce']:>15.3f}{cpu['enforce']:>14.3f}"
          f"{','.join(map(str, sorted(codes['enforce']))):>12}")
    print(f"{'  of which CLI start-up':32}{wall['startup']:>15.3f}{cpu['startup']:>14.3f}"
          f"{'(tfguard --version: imports every command)':>46}")
    print(f"ratio enforce (warm) / plain: wall {wall['enforce'] / wall['plain']:.2f}, "
          f"cpu {cpu['enforce'] / cpu['plain']:.2f}")
    agree = codes["enforce"] == codes["plain"]
    print(f"verdicts agree: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    raise SystemExit(main())
