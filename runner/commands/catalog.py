"""tfguard catalog: write the guardrail catalogue (docs/guardrails.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from runner.console import Output
from runner.guardrails.catalog import render_catalog
from runner.guardrails.load import load_guardrails

NAME = "catalog"
HELP = "Write the guardrail catalogue (Markdown table of ids, severities, controls, remediation)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--features", default="features", metavar="DIR", help="guardrails (default: features)")
    parser.add_argument("-o", "--output", default="docs/guardrails.md", metavar="FILE",
                        help="where to write it (default: docs/guardrails.md); '-' for stdout")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when FILE is out of date")


def run(args: argparse.Namespace, output: Output) -> int:
    text = render_catalog(load_guardrails(args.features))
    if args.output == "-":
        output.raw(text)
        return 0
    target = Path(args.output)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            output.print(f"{target} is out of date: run `tfguard catalog -o {target}`")
            return 1
        output.print(f"{target} is up to date")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    output.print(f"wrote {target}")
    return 0
