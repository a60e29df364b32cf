"""tfguard plan-from-source: render a static plan from Terraform source when no real plan exists."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from runner.console import Output
from runner.errors import UsageError
from runner.source import render_plan
from runner.source.datasources import PLACEHOLDER_NAMES
from runner.source.modules import parse_module_dirs
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
    parser.add_argument(
        "--module-dir",
        dest="module_dir",
        action="append",
        default=[],
        metavar="SOURCE=DIR",
        help="read a remote module from DIR (SOURCE: the module's source as written, or its address such as "
        "module.vpc); modules `terraform init` installed in .terraform/modules are read without it",
    )
    parser.add_argument(
        "--placeholder",
        dest="placeholder",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="what aws_caller_identity / aws_region / aws_partition read: account_id (default 123456789012, "
        "with a warning), region (default: the provider block's), partition, caller_arn, caller_user_id",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print warnings")


def run(args: argparse.Namespace, output: Output) -> int:
    if not Path(args.dir).is_dir():
        raise UsageError(f"{args.dir}: not a directory")
    target = None if args.output == "-" else Path(args.output)
    if target is not None:
        check_output_path(target, Path(args.dir), args.var_file)
    plan = render_plan(
        args.dir,
        parse_var_args(args.var),
        args.var_file,
        placeholders=parse_placeholders(args.placeholder),
        module_dirs=parse_module_dirs(args.module_dir),
    )
    if target is not None:
        check_output_path(target, Path(args.dir), [*args.var_file, *plan.inputs])
    if not args.quiet:
        for warning in plan.warnings:
            output.warn(str(warning))
    text = json.dumps(plan.data, indent=2) + "\n"
    if target is None:
        output.raw(text)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        gaps = f", {len(plan.not_evaluated)} not evaluated" if plan.not_evaluated else ""
        output.info(
            f"wrote static plan {target}: {len(plan.addresses)} resources, {len(plan.warnings)} warnings{gaps}"
        )
    return 0


SOURCE_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")


def check_output_path(target: Path, source_dir: Path, inputs: list[str]) -> None:
    """Refuse, before anything is written, an output that is a directory, one of the files read, or a
    Terraform file inside the source tree (it would become part of the configuration)."""
    if target.is_dir():
        raise UsageError(f"-o {target}: is a directory; name the plan file to write")
    resolved = target.resolve()
    if any(Path(name).resolve() == resolved for name in inputs):
        raise UsageError(f"-o {target}: is one of the files plan-from-source reads; write the plan elsewhere")
    source = source_dir.resolve()
    if source in resolved.parents and resolved.name.endswith(SOURCE_SUFFIXES):
        raise UsageError(f"-o {target}: would be read as Terraform source in {source_dir}; write the plan elsewhere")


def parse_placeholders(args: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep or name.strip() not in PLACEHOLDER_NAMES or not value.strip():
            raise UsageError(f"--placeholder {arg!r}: expected NAME=VALUE with NAME one of {', '.join(PLACEHOLDER_NAMES)}")
        out[name.strip()] = value.strip()
    return out
