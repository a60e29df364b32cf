"""What verdict integrity costs: tfguard's corrections of the engine and its unknown judgement, measured
against the engine without them, side by side in one run.

    python bench/bench_verdict_integrity.py [--sizes 1000 4000] [--for-each 250 1000]

On the realistic plans of bench/large_plans.py (per tenant module instance, `for_each`: a bucket with
its v4+ companion resources, an instance, a security group with rules, a database):

- plan parse (terraform-compliance's TerraformParser: read, resources, configuration, mounting), plain
  vs with runner/engine/corrections.py installed (instance-scoped mounting, normalisation, tags scope);
- tfguard's view for unknowns (runner.engine.unknowns.plan_view + watch list), which the run adds;
- `evaluate` of the whole library with the in-process engine, judge_unknowns False vs True;
- the parse again on a root `for_each` of N buckets whose companions pair by instance key
  (runner/engine/companions.py), the case where one module instance holds every instance.

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

from large_plans import _change, make_plan  # noqa: E402

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


def for_each_plan(n: int) -> dict:
    """A root for_each of n buckets with a public access block per `each.key` and a versioning per
    `each.value` (for_each = aws_s3_bucket.team): every companion pairs by instance key."""
    keys = [f"t{i}" for i in range(n)]
    changes = [_change(f'aws_s3_bucket.team["{k}"]', "aws_s3_bucket", "team", {"bucket": f"acme-{k}"}, index=k)
               for k in keys]
    changes += [_change(f'aws_s3_bucket_public_access_block.team["{k}"]', "aws_s3_bucket_public_access_block", "team",
                        {"block_public_acls": True}, index=k) for k in keys]
    changes += [_change(f'aws_s3_bucket_versioning.team["{k}"]', "aws_s3_bucket_versioning", "team",
                        {"versioning_configuration": [{"status": "Enabled"}]}, index=k) for k in keys]
    resources = [
        {"address": "aws_s3_bucket.team", "mode": "managed", "type": "aws_s3_bucket", "name": "team",
         "expressions": {"bucket": {"references": ["each.key"]}}, "for_each_expression": {"references": ["local.teams"]}},
        {"address": "aws_s3_bucket_public_access_block.team", "mode": "managed", "type": "aws_s3_bucket_public_access_block",
         "name": "team", "expressions": {"bucket": {"references": ["aws_s3_bucket.team", "each.key"]}},
         "for_each_expression": {"references": ["local.teams"]}},
        {"address": "aws_s3_bucket_versioning.team", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "team",
         "expressions": {"bucket": {"references": ["each.value.id", "each.value"]}},
         "for_each_expression": {"references": ["aws_s3_bucket.team"]}},
    ]
    planned = [{"address": c["address"], "mode": "managed", "type": c["type"], "name": c["name"], "index": c["index"],
                "values": c["change"]["after"]} for c in changes]
    return {"format_version": "1.2", "terraform_version": "1.6.6", "resource_changes": changes,
            "planned_values": {"root_module": {"resources": planned}},
            "configuration": {"provider_config": {"aws": {"name": "aws"}}, "root_module": {"resources": resources}}}


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
    ap.add_argument("--for-each", type=int, nargs="*", default=[250, 1000],
                    help="also parse a root for_each of N buckets with companions paired by key")
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
    if args.for_each:
        print(f"\n{'for_each':>9} {'parse plain':>12} {'corrected':>10} {'ratio':>6}   (root for_each of N buckets, "
              "3 resources per key)")
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.for_each:
                path = Path(tmp) / f"for-each-{n}.json"
                path.write_text(json.dumps(for_each_plan(n)))
                plain, corrected = parse_seconds(path, "plain", args.repeat), parse_seconds(path, "corrected", args.repeat)
                print(f"{n:>9} {plain:>11.2f}s {corrected:>9.2f}s {corrected / plain:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
