"""Verdict parity: tfguard vs a plain `terraform-compliance` run, per scenario, on a directory of plans.

"Plain" is the CLI as people run it plus tfguard's corrections of the engine (runner/engine/fixes, loaded
by `cli_command`), which every tfguard engine applies; tfguard's unknown judgement is left out on both sides.

    python bench/parity_reference_plans.py [PLANS_DIR] [FEATURES_DIR]

Defaults: ../shared/reference-plans (public real plans, not part of the repo) and the parity guardrail set
in tests/e2e/parity_features. Prints one line per disagreement and a summary; exit 1 on any disagreement."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from runner.engine import make_engine
from runner.engine.cli import cli_command
from runner.engine.cli_output import parse_plain_output
from runner.engine.evaluation import Target, evaluate
from runner.engine.messages import parse_addresses
from runner.errors import PlanError
from runner.guardrails.load import load_guardrails, write_engine_features
from runner.model import Status, Workload
from runner.workloads.plan import Plan, load_plan

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLANS = ROOT.parent / "shared" / "reference-plans"
DEFAULT_FEATURES = ROOT / "tests" / "e2e" / "parity_features"
# a crash inside a step: the plain CLI fails the run; tfguard reports it as an error (never as passed)
VERDICT = {"passed": Status.PASSED, "failed": Status.FAILED, "skipped": Status.NOT_APPLICABLE,
           "error": Status.ERROR}


@dataclass
class Disagreement:
    plan: str
    guardrail: str
    plain: str
    tfguard: str


def plain_run(plan: Plan, features_dir: str, tmp: Path) -> tuple[dict[str, tuple[Status, frozenset[str]]], str]:
    """Run the real CLI as people do, on a one-line copy, and read its terminal output."""
    work = tmp / plan.digest[:12]
    work.mkdir(exist_ok=True)
    copy = plan.write_engine_copy(work)
    proc = subprocess.run(cli_command(copy, features_dir), capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)
    out: dict[str, tuple[Status, frozenset[str]]] = {}
    for sc in parse_plain_output(proc.stdout + proc.stderr):
        messages = sc.messages if sc.state == "failed" else []
        addrs = frozenset(a for m in messages for a in parse_addresses(plan.redact(m), plan.addresses))
        out[sc.name] = (VERDICT[sc.state], addrs)
    return out, proc.stdout[-300:]


def compare(plans_dir: Path | list[Path], features_dir: Path, workers: int = 2,
            ) -> tuple[int, list[Disagreement], list[str]]:
    """Compare on every plan in plans_dir (or the given plan files) with every guardrail in features_dir."""
    gset = load_guardrails(features_dir)
    plans: list[Plan] = []
    rejected: list[str] = []
    paths = sorted(plans_dir.glob("*.json")) if isinstance(plans_dir, Path) else plans_dir
    for path in paths:
        try:
            plans.append(load_plan(path))
        except PlanError as exc:
            rejected.append(exc.line())
    disagreements: list[Disagreement] = []
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        clean = tmp / "features"
        write_engine_features(gset, clean)
        with ThreadPoolExecutor(workers) as pool:
            plain = list(pool.map(lambda p: plain_run(p, str(clean), tmp), plans))
        # the engine's own verdicts: tfguard's unknown judgement on top is not the engine's (tested apart)
        run = evaluate(gset, [Target(Workload(p.path), p) for p in plans], make_engine("inprocess", workers),
                       judge_unknowns=False)
    by_key = {(r.workload, r.guardrail_id): r for r in run.results}
    for plan, (verdicts, _) in zip(plans, plain):
        name = plan.path
        for g in gset.guardrails:
            ours = by_key[(name, g.id)]
            theirs = verdicts.get(g.title)
            if theirs is None:
                plain_desc = "missing"
            else:
                ours_addrs = frozenset(f.address for f in ours.findings if f.address)
                if theirs[0] is ours.status and theirs[1] == ours_addrs:
                    continue
                plain_desc = f"{theirs[0].value} {sorted(theirs[1])}"
            ours_desc = f"{ours.status.value} {sorted(f.address for f in ours.findings)} {ours.error[:120]}"
            disagreements.append(Disagreement(name, g.id, plain_desc, ours_desc))
    return len(plans), disagreements, rejected


def main(argv: list[str]) -> int:
    plans_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_PLANS
    features_dir = Path(argv[2]) if len(argv) > 2 else DEFAULT_FEATURES
    if not plans_dir.is_dir():
        print(f"no plans directory at {plans_dir}", file=sys.stderr)
        return 2
    started = time.monotonic()
    count, disagreements, rejected = compare(plans_dir, features_dir)
    for d in disagreements:
        print(f"DIFF {d.plan} {d.guardrail}: plain={d.plain} tfguard={d.tfguard}")
    for r in rejected:
        print(f"REJECTED {r}")
    print(json.dumps({"plans": count, "rejected": len(rejected), "disagreements": len(disagreements),
                      "seconds": round(time.monotonic() - started, 1)}))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
