"""tfguard plan-from-source: render a static plan from Terraform source when no real plan exists."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from runner.console import Output
from runner.errors import UsageError
from runner.source import render_plan
from runner.source.variables import parse_var_args

NAME = "plan-from-source"
HELP = (
    "Render a static plan (format 1.2, labelled static) from a Terraform source directory, without "
    "providers or state; values known only after apply are marked unknown."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="the Terraform root module directory")
    parser.add_argument(
        "-var",
        "--var",
        dest="var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a root variable (repeatable; overrides .tfvars files)",
    )
    parser.add_argument(
        "-var-file",
        "--var-file",
        dest="var_file",
        action="append",
        default=[],
        metavar="FILE",
        help="read root variables from a .tfvars or .tfvars.json file (repeatable)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PLAN_JSON",
        help="where to write the plan JSON ('-' for stdout)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print warnings")


def run(args: argparse.Namespace, output: Output) -> int:
    if not Path(args.dir).is_dir():
        raise UsageError(f"{args.dir}: not a directory")
    plan = render_plan(args.dir, parse_var_args(args.var), args.var_file)
    if not args.quiet:
        for warning in plan.warnings:
            output.warn(str(warning))
    text = json.dumps(plan.data, indent=2) + "\n"
    if args.output == "-":
        output.raw(text)
    else:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        output.info(
            f"wrote static plan {target}: {len(plan.addresses)} resources, {len(plan.warnings)} warnings"
        )
    return 0
