"""`source: {dir, vars, var_files}`: a static plan rendered from the Terraform source (runner.source), no
credentials needed; labelled static in every report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runner.errors import PlanError, TfguardError
from runner.workloads.plan import Plan, parse_plan_bytes
from runner.workloads.sources.base import SourceContext

KEY = "source"
SCHEMA = {
    "description": "Render a static plan from the Terraform source in dir (relative to the compliance repo), no "
                   "credentials needed.",
    "type": "object",
    "additionalProperties": False,
    "required": ["dir"],
    "properties": {
        "dir": {"type": "string", "minLength": 1},
        "vars": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
        "var_files": {"type": "array", "items": {"type": "string"}},
        "module_dirs": {
            "description": "remote modules terraform init has not installed: module source (or module.NAME "
                           "address) -> directory relative to the compliance repo",
            "type": "object",
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "placeholders": {
            "description": "what aws_caller_identity / aws_region / aws_partition read",
            "type": "object",
            "additionalProperties": False,
            "properties": {n: {"type": "string"} for n in
                           ("account_id", "region", "partition", "caller_arn", "caller_user_id")},
        },
    },
}


class StaticPlan:
    key = KEY
    schema = SCHEMA

    def claims(self, spec: Any) -> bool:
        return True

    def describe(self, spec: Any) -> str:
        return f"source {spec.get('dir')} (static plan)"

    def load(self, spec: Any, ctx: SourceContext) -> Plan:
        return render_source(spec, ctx.root)


SOURCE = StaticPlan()


def _renderer() -> Any:
    """issue 10's renderer, when this installation has it."""
    try:
        from runner.source import render_plan
    except ImportError:
        return None
    return render_plan


def render_source(spec: Mapping[str, Any], root: Path) -> Plan:
    """A static plan rendered from the Terraform source in spec['dir'] (labelled static in reports)."""
    directory = root / str(spec["dir"])
    where = f"source {spec['dir']}"
    render = _renderer()
    if render is None:
        raise PlanError("the static plan renderer (runner.source) is not available in this installation",
                        where=where, hint="give the workload a `plan:` or `plan_url:` instead")
    if not directory.is_dir():
        raise PlanError("source directory not found", where=where)
    variables = {str(k): v for k, v in (spec.get("vars") or {}).items()}
    var_files = [str(root / f) for f in spec.get("var_files") or ()]
    extra: dict[str, Any] = {}
    if spec.get("module_dirs"):
        extra["module_dirs"] = {str(k): str(root / str(v)) for k, v in spec["module_dirs"].items()}
    if spec.get("placeholders"):
        extra["placeholders"] = {str(k): str(v) for k, v in spec["placeholders"].items()}
    try:
        rendered = render(str(directory), variables=variables, var_files=var_files, **extra)
    except TfguardError:
        raise
    except Exception as exc:  # noqa: BLE001 - a renderer bug must not end the sweep
        raise PlanError(f"static render failed: {type(exc).__name__}: {exc}", where=where) from None
    return _as_plan(rendered, where)


def _as_plan(rendered: Any, where: str) -> Plan:
    if isinstance(rendered, Plan):
        return rendered
    data = getattr(rendered, "plan", rendered)
    if isinstance(data, dict):
        return parse_plan_bytes(json.dumps(data).encode(), where)
    if isinstance(data, (str, bytes)):
        return parse_plan_bytes(data.encode() if isinstance(data, str) else data, where)
    raise PlanError(f"static render returned {type(rendered).__name__}, not a plan", where=where)
