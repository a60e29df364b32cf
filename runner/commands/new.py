"""tfguard new: scaffold a guardrail and its fixture folders."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from runner.console import Output
from runner.errors import UsageError
from runner.guardrails.lint import PLACEHOLDER_ATTRIBUTE, PLACEHOLDER_REMEDIATION
from runner.guardrails.load import load_guardrails
from runner.guardrails.selftest import DEFAULT_FIXTURES
from runner.model import Severity

NAME = "new"
HELP = "Scaffold a guardrail (scenario skeleton in a feature file) and its pass/fail fixture folders."
ID_RE = re.compile(r"^[A-Z][A-Z0-9]*-\d{3}$")

SKELETON = """
  @id:{id} @severity:{severity}{controls}
  Scenario: {title}
    Remediation: {remediation}
    Given I have {resource_type} defined
    Then it must contain {attribute}
"""

EXPECTED = """# Addresses that each fail fixture must report, e.g.
# fail:
#   open_to_world.json: [aws_security_group.web, 'module.app.aws_security_group.db["eu"]']
fail: {}
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="new guardrail id, e.g. S3-010")
    parser.add_argument("--title", required=True, help="one-line title (the Scenario name)")
    parser.add_argument("--severity", choices=[s.value for s in Severity], default="medium")
    parser.add_argument("--control", action="append", default=[], metavar="ID", help="e.g. FSBP-S3.4 (repeatable)")
    parser.add_argument("--resource-type", default="aws_s3_bucket", help="the Given resource type")
    parser.add_argument("--attribute", default=PLACEHOLDER_ATTRIBUTE, help="the attribute the skeleton checks")
    parser.add_argument("--feature", metavar="FILE", help="feature file to append to (default: by id prefix)")
    parser.add_argument("--features", default="features", metavar="DIR")
    parser.add_argument("--fixtures", default=DEFAULT_FIXTURES, metavar="DIR")


def run(args: argparse.Namespace, output: Output) -> int:
    if not ID_RE.match(args.id):
        raise UsageError(f"guardrail id {args.id!r} should look like DOMAIN-NNN, e.g. S3-010")
    root = Path(args.features)
    if root.is_dir() and any(root.rglob("*.feature")):
        existing = load_guardrails(root)
        if args.id in existing.ids:
            raise UsageError(f"guardrail id {args.id} already exists at {existing.get(args.id).where}")
    feature = Path(args.feature) if args.feature else root / f"{args.id.split('-')[0].lower()}.feature"
    controls = "".join(f" @control:{c}" for c in args.control)
    block = SKELETON.format(id=args.id, severity=args.severity, controls=controls, title=args.title,
                            resource_type=args.resource_type, attribute=args.attribute,
                            remediation=PLACEHOLDER_REMEDIATION)
    if feature.exists():
        text = feature.read_text(encoding="utf-8")
        feature.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")
    else:
        feature.parent.mkdir(parents=True, exist_ok=True)
        feature.write_text(f"Feature: {args.id.split('-')[0]} guardrails\n" + block, encoding="utf-8")
    folder = Path(args.fixtures) / args.id
    for kind in ("pass", "fail"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
        (folder / kind / ".gitkeep").touch()
    expected = folder / "expected.yaml"
    if not expected.exists():
        expected.write_text(EXPECTED, encoding="utf-8")
    output.print(f"added {args.id} to {feature}")
    output.print(f"created {folder}/pass, {folder}/fail and {expected}")
    output.print("next: write the steps and remediation, add plans that must pass and must fail, list the failing "
                 f"addresses in expected.yaml, then run `tfguard test --only {args.id}` and `tfguard lint --strict`")
    return 0
