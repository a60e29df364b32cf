"""How long do the guardrail library's self-tests take? The budget is 60 s for `tfguard test` on 2 cores.

Side by side in one run, each in its own process tree (wall seconds, CPU seconds of the tree):

  tfguard test            every guardrail against its own fixtures, one evaluation per guardrail
  whole library/fixture   the naive way: every fixture plan evaluated against the whole library (what
                          `tfguard test` did before), judged the same way
  cli engine (sample)     one plain `terraform-compliance` process per fixture, whole library, on a sample
                          of fixtures, extrapolated to all of them
  tfguard test --mutants  self-tests, then every guardrail's mutants against its fixtures

The machine's load average is printed with the figures: on a shared machine wall time is CPU time spread
over whatever cores are free.

    python bench/bench_selftest.py [--runs 3] [--cli-sample 5] [--no-mutants]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FEATURES = REPO / "features"
FIXTURES = REPO / "tests" / "guardrails"
BUDGET_S = 60.0


def measured(cmd: list[str]) -> tuple[float, float, int, str]:
    """(wall s, CPU s of the whole process tree, exit code, last line of stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode, (proc.stdout.strip().splitlines() or [""])[-1]


def naive_whole_library() -> int:
    """Every fixture against the whole library in one evaluation, judged per fixture (the old way)."""
    from runner.engine import make_engine
    from runner.engine.evaluation import evaluate
    from runner.guardrails.load import load_guardrails
    from runner.guardrails.selftest import judge_run, load_fixtures
    from runner.model import Mode

    gset = load_guardrails(FEATURES)
    sets = [load_fixtures(FIXTURES / g.id, g.id) for g in gset.guardrails]
    targets = [t for fx in sets for t in fx.targets]
    run = evaluate(gset, targets, make_engine("inprocess"), mode=Mode.TEST)
    bad = 0
    for fx in sets:
        mine = [r for r in run.results if r.workload.startswith(f"{fx.guardrail}|")]
        bad += any(o.problem for o in judge_run(fx, mine, fx.guardrail)) or bool(fx.problems)
    return 1 if bad else 0


def cli_sample(n: int) -> tuple[float, int]:
    """Wall seconds of one `terraform-compliance` process per fixture for the first n fixtures, and how
    many fixtures there are."""
    from runner.engine import make_engine
    from runner.engine.evaluation import evaluate
    from runner.guardrails.load import load_guardrails
    from runner.guardrails.selftest import load_fixtures
    from runner.model import Mode

    gset = load_guardrails(FEATURES)
    targets = [t for g in gset.guardrails for t in load_fixtures(FIXTURES / g.id, g.id).targets]
    started = time.monotonic()
    evaluate(gset, targets[:n], make_engine("cli"), mode=Mode.TEST)
    return time.monotonic() - started, len(targets)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs of `tfguard test` (median reported)")
    ap.add_argument("--cli-sample", type=int, default=5, help="fixtures to time with the CLI engine (0: skip)")
    ap.add_argument("--no-mutants", action="store_true")
    ap.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.naive:
        return naive_whole_library()
    from runner.guardrails.load import load_guardrails

    gset = load_guardrails(FEATURES)
    fixtures = sum(1 for _ in FIXTURES.glob("*/*/*.json"))
    print(f"library: {len(gset.guardrails)} guardrails, {fixtures} fixture plans; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    tfguard = [sys.executable, "-m", "runner"]
    runs = [measured([*tfguard, "test"]) for _ in range(max(1, args.runs))]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    ok = all(r[2] == 0 for r in runs)
    print(f"tfguard test            {wall:6.1f} s wall  {cpu:6.1f} s CPU  "
          f"({'green' if ok else 'FAILING'}; budget {BUDGET_S:.0f} s: {'within' if wall <= BUDGET_S else 'OVER'})")
    n_wall, n_cpu, n_code, _ = measured([sys.executable, __file__, "--naive"])
    print(f"whole library/fixture   {n_wall:6.1f} s wall  {n_cpu:6.1f} s CPU  ({'green' if n_code == 0 else 'FAILING'}); "
          f"tfguard test is {n_wall / wall:.1f}x faster in wall time, {n_cpu / cpu:.1f}x in CPU")
    if args.cli_sample:
        s_wall, total = cli_sample(args.cli_sample)
        est = s_wall / args.cli_sample * total
        print(f"cli engine (sample)     {s_wall:6.1f} s for {args.cli_sample} fixtures -> about {est:.0f} s for all "
              f"{total} ({est / wall:.0f}x tfguard test)")
    if not args.no_mutants:
        m_wall, m_cpu, _, m_last = measured([*tfguard, "test", "--mutants"])
        print(f"tfguard test --mutants  {m_wall:6.1f} s wall  {m_cpu:6.1f} s CPU  ({m_last})")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
