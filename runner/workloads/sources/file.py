"""`plan: PATH`: a plan file in the compliance repository (JSON, or binary with terraform on PATH)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runner.workloads.plan import Plan, load_plan
from runner.workloads.sources.base import SourceContext

KEY = "plan"
SCHEMA = {
    "description": "Path of the plan JSON (terraform show -json), relative to the compliance repository's root.",
    "type": "string",
    "minLength": 1,
}


class FilePlan:
    key = KEY
    schema = SCHEMA

    def claims(self, spec: Any) -> bool:
        return True

    def describe(self, spec: Any) -> str:
        return f"plan {spec}"

    def load(self, spec: Any, ctx: SourceContext) -> Plan:
        """The plan file (relative to the repository root); the Plan re-reads it when evaluated."""
        rel = str(spec)
        return load_plan(Path(rel) if Path(rel).is_absolute() else ctx.root / rel, terraform=ctx.terraform,
                         limits=ctx.limits)


SOURCE = FilePlan()
