"""tfguard check: evaluate every guardrail against one plan."""

from __future__ import annotations

import argparse
from pathlib import Path

from runner.commands._common import add_engine_arguments, add_output_arguments, emit
from runner.console import Output
from runner.engine import make_engine
from runner.evaluation import Target, evaluate
from runner.guardrails import load_guardrails
from runner.model import Workload
from runner.plan import load_plan

NAME = "check"
HELP = "Evaluate the guardrails in a features directory against one Terraform plan."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, metavar="PLAN",
                        help="plan JSON from `terraform show -json`, or a binary plan (needs terraform)")
    parser.add_argument("--features", default="features", metavar="DIR", help="guardrails (default: features)")
    parser.add_argument("--workload", metavar="NAME", help="workload name for the report (default: plan file stem)")
    parser.add_argument("--only", action="append", metavar="ID", help="evaluate only this guardrail (repeatable)")
    parser.add_argument("--terraform", metavar="PATH", help="terraform binary for converting binary plans")
    add_engine_arguments(parser)
    add_output_arguments(parser)


def run(args: argparse.Namespace, output: Output) -> int:
    gset = load_guardrails(args.features)
    if args.only:
        gset.select(args.only)  # unknown ids fail here, before any work
    plan = load_plan(args.plan, terraform=args.terraform)
    workload = Workload(name=args.workload or Path(args.plan).name.split(".")[0], plan=args.plan)
    engine = make_engine(args.engine, args.workers)
    result = evaluate(gset, [Target(workload, plan)], engine, only=args.only)
    emit(result, args, output)
    return result.exit_code
