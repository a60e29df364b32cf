"""tfguard check: evaluate every guardrail against one plan."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from runner import clock
from runner.commands._common import add_engine_arguments, add_limit_arguments, add_output_arguments, emit, make_cache
from runner.config import Config, load_config
from runner.console import Output
from runner.engine import make_engine
from runner.engine.evaluation import Target, evaluate
from runner.errors import UsageError
from runner.exclusions.registry import load_registry, make_result_filter
from runner.guardrails.load import load_guardrails
from runner.limits import with_plan_size
from runner.model import Workload
from runner.outputs import check_report_dir, report_names
from runner.workloads.plan import load_plan

if TYPE_CHECKING:
    from runner.engine.evaluation import ResultFilter

NAME = "check"
HELP = "Evaluate the guardrails in a features directory against one Terraform plan."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, metavar="PLAN",
                        help="plan JSON from `terraform show -json`, or a binary plan (needs terraform)")
    parser.add_argument("--features", default="features", metavar="DIR", help="guardrails (default: features)")
    parser.add_argument("--workload", metavar="NAME", help="workload name for the report (default: plan file stem)")
    parser.add_argument("--only", action="append", metavar="ID", help="evaluate only this guardrail (repeatable)")
    parser.add_argument("--source", metavar="DIR",
                        help="the plan's Terraform root module: reports locate findings at file:line in it")
    parser.add_argument("--terraform", metavar="PATH", help="terraform binary for converting binary plans")
    parser.add_argument("--rules-root", metavar="DIR",
                        help="root of the compliance repository: exclusions are read from DIR/exclusions and "
                             "approvers from DIR/tfguard.yaml, never from the application's workspace "
                             "(default: the parent of --features)")
    parser.add_argument("--no-exclusions", action="store_true", help="apply no exclusions")
    add_engine_arguments(parser)
    add_limit_arguments(parser)
    add_output_arguments(parser)


def run(args: argparse.Namespace, output: Output) -> int:
    if args.report_dir:  # refused before anything is read or written
        check_report_dir(args.report_dir, report_names(), [args.plan])
    if args.source and not Path(args.source).is_dir():
        raise UsageError("is not a directory (--source names the plan's Terraform root module)", where=args.source)
    root = rules_root(args)
    config = load_config(root)
    gset = load_guardrails(args.features)
    if args.only:
        gset.select(args.only)  # unknown ids fail here, before any work
    plan = load_plan(args.plan, terraform=args.terraform, limits=with_plan_size(config.limits, args.max_plan_size))
    workload = Workload(name=args.workload or Path(args.plan).name.split(".")[0], plan=args.plan,
                        source_dir=args.source)
    result_filter = exclusion_filter(args, root, config, workload.name)
    engine = make_engine(args.engine, args.workers)
    target = Target(workload, plan, static_plan=plan.static_plan)
    result = evaluate(gset, [target], engine, only=args.only, result_filter=result_filter, cache=make_cache(args))
    emit(result, args, output)
    return result.exit_code


def rules_root(args: argparse.Namespace) -> Path:
    """The compliance repository the guardrails come from: --rules-root, or the parent of --features."""
    root = Path(args.rules_root) if args.rules_root else Path(args.features).resolve().parent
    if not root.is_dir():
        raise UsageError(f"--rules-root {args.rules_root!r} is not a directory")
    return root


def exclusion_filter(args: argparse.Namespace, root: Path, config: Config, workload_name: str) -> ResultFilter | None:
    """The workload's exclusions in the compliance repository the guardrails come from. Never the current
    directory: an application cannot exempt itself from its own workspace."""
    if args.no_exclusions:
        return None
    return make_result_filter(load_registry(root, config, workload=workload_name), clock.today())
