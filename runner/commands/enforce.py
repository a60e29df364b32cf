"""tfguard enforce: active mode in an application pipeline.

Guardrails and this workload's exclusions come from the compliance repository's mainline only (resolved
to a commit through runner.rules_store), never from the application's workspace; a violation stops the deploy."""

from __future__ import annotations

import argparse
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from runner.clock import today
from runner.commands._common import add_engine_arguments, add_limit_arguments, add_output_arguments, emit, make_cache
from runner.config import Config, load_config
from runner.console import Output
from runner.engine import Engine, make_engine, patches
from runner.engine.evaluation import Target, evaluate
from runner.errors import GitError, UsageError
from runner.exclusions.registry import ExclusionRegistry, load_registry, make_result_filter
from runner.fs import cache_root
from runner.guardrails.load import GuardrailSet, load_guardrails
from runner.limits import DEFAULT, with_plan_size
from runner.model import Mode, Workload
from runner.outputs import check_report_dir, report_names
from runner.report import NO_OPTIONS, get_formatter
from runner.rules_store import RulesCheckout, RulesRequest, Store, describe_age, validate_request
from runner.workloads.plan import load_plan
from runner.workloads.registry import check_registered

NAME = "enforce"
HELP = ("Active mode for application pipelines: evaluate a plan against the compliance repository's "
        "mainline guardrails and exclusions; exit 1 on a violation.")
WORKLOAD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", required=True, metavar="GIT_URL",
                        help="the compliance repository: local path, file://, https:// or ssh URL")
    parser.add_argument("--mainline", default="main", metavar="BRANCH",
                        help="the compliance repository's mainline branch (default: main)")
    parser.add_argument("--pin", metavar="SHA", help="use this mainline commit (full SHA) instead of the tip")
    parser.add_argument("--workload", required=True, metavar="NAME",
                        help="this application's workload name, as registered in the compliance repository "
                             "(pipeline/workloads/NAME.yaml); an unregistered name is refused")
    parser.add_argument("--workload-unregistered", action="store_true",
                        help="run although --workload is not in the compliance repository's workload registry "
                             "(on purpose: no exclusions apply to it)")
    parser.add_argument("--plan", required=True, metavar="PLAN",
                        help="plan JSON from `terraform show -json`, or a binary plan (needs terraform)")
    parser.add_argument("--source", metavar="DIR", help="the workload's Terraform root module (file:line in reports)")
    parser.add_argument("--allow-cached", action="store_true",
                        help="if the rules repository is unreachable, use the last fetched mainline (warns its age)")
    parser.add_argument("--terraform", metavar="PATH", help="terraform binary for converting binary plans")
    parser.add_argument("--summary", metavar="FILE",
                        help="also append the Markdown report to FILE (GitHub Actions: \"$GITHUB_STEP_SUMMARY\")")
    parser.add_argument("--github-output", metavar="FILE",
                        help="append exit-code=N to FILE (GitHub Actions: \"$GITHUB_OUTPUT\")")
    add_engine_arguments(parser)
    add_limit_arguments(parser)
    add_output_arguments(parser, default="by-resource")  # findings per resource, for the pipeline log


def run(args: argparse.Namespace, output: Output) -> int:
    code = 2
    try:
        code = _enforce(args, output)
        return code
    finally:
        if args.github_output:
            with open(args.github_output, "a", encoding="utf-8") as out:
                out.write(f"exit-code={code}\n")


def _enforce(args: argparse.Namespace, output: Output) -> int:
    if args.report_dir:  # refused before anything is read or written
        check_report_dir(args.report_dir, report_names(), [args.plan])
    request = validate_request(args.rules, args.mainline, args.pin, args.allow_cached)
    workload = _workload(args)
    # the plan is read before the rules arrive: its size limit is --max-plan-size or the default
    limits = with_plan_size(DEFAULT, args.max_plan_size)
    # the engine warms up (imports) while git talks to the remote; the thread ends before any fork
    with ThreadPoolExecutor(max_workers=1) as pool:
        warming = pool.submit(_warm_engine, args)
        plan = load_plan(args.plan, terraform=args.terraform, limits=limits)
        with Store().checkout(request) as rules:
            gset, registry = _load_rules(rules, request, workload.name, args.workload_unregistered)
        engine = warming.result()
    for warning in rules.warnings:
        output.warn(warning)
    if rules.cached:
        output.warn(f"{rules.unavailable}; using the cached mainline {rules.commit[:12]} fetched "
                    f"{describe_age(rules.age_seconds())} ago ({rules.fetched_at.isoformat(timespec='seconds')})")
    output.info(f"rules: {rules.url} @ {rules.commit} ({rules.ref}); "
                f"{len(registry.for_workload(workload.name))} exclusions for {workload.name}")
    result = evaluate(gset, [Target(workload, plan, static_plan=plan.static_plan)], engine,
                      result_filter=make_result_filter(registry, today()), mode=Mode.ENFORCE,
                      cache=make_cache(args, verified_only=True))
    result = replace(result, rules_source=rules.as_source())
    emit(result, args, output)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(get_formatter("markdown").render(result, NO_OPTIONS))
    return result.exit_code


def _warm_engine(args: argparse.Namespace) -> Engine:
    engine = make_engine(args.engine, args.workers)
    if args.engine == "inprocess":
        patches.install(cache_root() / "engine")
    return engine


def _workload(args: argparse.Namespace) -> Workload:
    if not WORKLOAD_RE.match(args.workload):
        raise UsageError(f"--workload {args.workload!r} is not a workload name",
                         hint="letters, digits, '.', '_' and '-'")
    if args.source and not Path(args.source).is_dir():
        raise UsageError("not a directory", where=args.source)
    return Workload(name=args.workload, plan=args.plan, source_dir=args.source)


def _load_rules(rules: RulesCheckout, request: RulesRequest, workload: str,
                unregistered: bool = False) -> tuple[GuardrailSet, ExclusionRegistry]:
    """Everything is read from the checkout while the store's lock is held; nothing from the workspace."""
    config = load_config(rules.path)
    _check_declared_mainline(config, request, rules)
    if not unregistered:
        check_registered(rules.path, workload, where=f"{rules.url} @ {rules.commit[:12]}")
    gset = load_guardrails(rules.features)
    return gset, load_registry(rules.path, config, workload=workload)  # that workload's file only


def _check_declared_mainline(config: Config, request: RulesRequest, rules: RulesCheckout) -> None:
    declared = (config.raw.get("observation") or {}).get("mainline")
    if declared and str(declared) != request.mainline:
        raise GitError(f"{request.mainline!r} is not the mainline: tfguard.yaml at {rules.commit[:12]} names "
                       f"{declared!r}", where=rules.url, hint=f"pass --mainline {declared}")

