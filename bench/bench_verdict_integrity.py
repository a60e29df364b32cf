"""What verdict integrity costs: tfguard's corrections of the engine and its unknown judgement, measured
against the engine without them, side by side in one run.

    python bench/bench_verdict_integrity.py [--sizes 1000 4000]

On the realistic plans of bench/large_plans.py (per tenant module instance, `for_each`: a bucket with
its v4+ companion resources, an instance, a security group with rules, a database):

- plan parse (terraform-compliance's TerraformParser: read, resources, configuration, mounting), plain
  vs with runner/engine/corrections.py installed (instance-scoped mounting, normalisation, tags scope);
- tfguard's view for unknowns (runner.engine.unknowns.plan_view + watch list), which the run adds;
- `evaluate` of the whole library with the in-process engine, judge_unknowns False vs True.

Each figure is the best of --repeat runs. Figures go in docs/performance.md."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from large_plans import make_plan  # noqa: E402

PARSE = """
import contextlib, io, sys, time
with contextlib.redirect_stdout(io.StringIO()):
    from terraform_compliance.extensions.terraform import TerraformParser
    if sys.argv[2] == "corrected":
        from runner.engine.corrections import install_engine_fixes
        install_engine_fixes(TerraformParser)
    best = None
    for _ in range(int(sys.argv[3])):
        started = time.perf_counter()
        parser = TerraformParser(sys.argv[1], parse_it=False)
        parser.raw = parser._read_file(sys.argv[1])
        parser._parse_resources(); parser._parse_configurations(); parser._mount_references()
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
print(best)
"""


def parse_seconds(plan: Path, mode: str, repeat: int) -> float:
    out = subprocess.run([sys.executable, "-c", PARSE, str(plan), mode, str(repeat)], capture_output=True,
                         text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from runner.engine import make_engine
    from runner.engine.evaluation import Target, evaluate, guardrail_probes
    from runner.engine.unknowns import plan_view, watch_list
    from runner.guardrails.load import load_guardrails
    from runner.model import Workload
    from runner.workloads.plan import load_plan

    gset = load_guardrails(ROOT / "features")
    probes = [p for ps, _ in guardrail_probes(gset, gset.ids).values() for p in ps]
    engine = make_engine("inprocess", args.workers)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"plan-{size}.json"
            path.write_text(json.dumps(make_plan(size)))
            plan = load_plan(path)
            plain = parse_seconds(path, "plain", args.repeat)
            corrected = parse_seconds(path, "corrected", args.repeat)
            view = best_of(args.repeat, lambda: watch_list(plan_view(plan.data), probes))
            target = [Target(Workload("w"), plan)]
            engine_only = best_of(1, lambda: evaluate(gset, target, engine, judge_unknowns=False))
            judged = best_of(1, lambda: evaluate(gset, target, engine, judge_unknowns=True))
            rows.append((size, len(plan.addresses), plain, corrected, view, engine_only, judged))
    print(f"{'resources':>9} {'parse plain':>12} {'corrected':>10} {'ratio':>6} {'unknowns view':>14} "
          f"{'evaluate':>9} {'+unknowns':>10} {'ratio':>6}")
    for size, n, plain, corrected, view, engine_only, judged in rows:
        print(f"{n:>9} {plain:>11.2f}s {corrected:>9.2f}s {corrected / plain:>6.2f} {view:>13.2f}s "
              f"{engine_only:>8.1f}s {judged:>9.1f}s {judged / engine_only:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
