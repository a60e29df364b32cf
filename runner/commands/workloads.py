"""tfguard workloads list|validate: the workload registry (pipeline/workloads/<name>.yaml)."""

from __future__ import annotations

import argparse
import json

from runner.console import Output
from runner.errors import UsageError
from runner.workloads.registry import WorkloadRegistry, load_registry, plan_source

NAME = "workloads"
HELP = "List or validate the workload registry (pipeline/workloads/<name>.yaml)."


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", default=".", metavar="DIR", help="compliance repository root (default: .)")
    parser.add_argument("--dir", metavar="DIR", help="registry directory (default: REPO/pipeline/workloads)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="workloads_command", metavar="SUBCOMMAND", parser_class=type(parser))
    sub.required = True
    lister = sub.add_parser("list", help="one line per workload: owners, plan source, labels",
                            description="List the registered workloads.")
    _common(lister)
    lister.add_argument("--label", action="append", default=[], metavar="KEY=VALUE",
                        help="only workloads with this label (repeatable)")
    lister.add_argument("--format", choices=("table", "json"), default="table")
    lister.set_defaults(_run=run_list)
    validate = sub.add_parser("validate", help="check every registry file; exit 1 on errors",
                              description="Validate the registry: schema, names, notification URLs "
                                          "(no literal secrets), plan sources.")
    _common(validate)
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(_run=run_validate)


def run(args: argparse.Namespace, output: Output) -> int:  # pragma: no cover - sub-commands set _run
    raise UsageError("give a sub-command: list or validate")


def _labels(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"--label {pair!r} is not KEY=VALUE")
        key, value = pair.split("=", 1)
        out[key] = value
    return out


def _load(args: argparse.Namespace) -> WorkloadRegistry:
    return load_registry(args.repo, args.dir)


def run_list(args: argparse.Namespace, output: Output) -> int:
    registry = _load(args)
    workloads = registry.with_labels(_labels(args.label))
    if args.format == "json":
        doc = [{"name": w.name, "description": w.description,
                "owners": [{"name": o.name, "contact": o.contact} for o in w.owners],
                "notify": list(w.notify), "plan_source": plan_source(w), "labels": dict(w.labels),
                "file": w.registry_file} for w in workloads]
        output.raw(json.dumps(doc, indent=2))
    else:
        for w in workloads:
            owners = ", ".join(f"{o.name} <{o.contact}>" for o in w.owners)
            labels = " ".join(f"{k}={v}" for k, v in sorted(w.labels.items()))
            output.print(f"{w.name:<24} {plan_source(w)}")
            output.print(f"{'':<24} owners: {owners}; {len(w.notify)} notification target(s)"
                         + (f"; {labels}" if labels else ""))
    for p in registry.errors:
        output.warn(f"not loaded: {p.line_text()}")
    return 0


def run_validate(args: argparse.Namespace, output: Output) -> int:
    registry = _load(args)
    for p in registry.problems:
        text = f"{p.level}: {p.line_text()}"
        if p.level == "error":
            output.print(text, style="red")
        else:
            output.print(text, style="yellow")
    errors = len(registry.errors) + (len(registry.warnings) if args.strict else 0)
    total = len(registry.workloads) + len(registry.broken)
    output.info(f"{total} workload file(s): {len(registry.errors)} error(s), {len(registry.warnings)} warning(s)")
    return 1 if errors else 0
