"""tfguard export --plain DIR: the guardrail library in a form plain terraform-compliance loads."""

from __future__ import annotations

import argparse
from pathlib import Path

from runner.console import Output
from runner.guardrails.export import export_plain
from runner.guardrails.load import load_guardrails

NAME = "export"
HELP = "Write the guardrails for plain terraform-compliance (free text and remediation as comments)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plain", required=True, metavar="DIR", type=Path,
                        help="directory to write the feature files to (outside --features)")
    parser.add_argument("--features", default="features", metavar="DIR", help="guardrails (default: features)")


def run(args: argparse.Namespace, output: Output) -> int:
    gset = load_guardrails(args.features)
    outcome = export_plain(gset, Path(args.features), args.plain)
    output.print(f"wrote {len(outcome.files)} feature files ({outcome.guardrails} guardrails) to {args.plain}; "
                 f"run them with: terraform-compliance -f {args.plain} -p plan.json")
    return 0
