"""Where a workload's plan comes from: one module per source behind the PlanSource protocol (base.py).

`resolve(workload, root)` turns a registered workload into an evaluation Target. It never raises for a
problem with one workload's plan: the Target carries the error instead, so one broken plan costs an error
row for that workload and the rest of the sweep goes on."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runner.engine.evaluation import Target
from runner.errors import PlanError, TfguardError
from runner.limits import DEFAULT, Limits
from runner.model import Workload
from runner.workloads.sources import file, s3, static, terraform, url
from runner.workloads.sources.base import MAX_PLAN_BYTES, PlanSource, SourceContext

SOURCES: tuple[PlanSource, ...] = (file.SOURCE, url.SOURCE, s3.SOURCE, terraform.SOURCE, static.SOURCE)
KEYS: tuple[str, ...] = tuple(dict.fromkeys(s.key for s in SOURCES))


def schema_fragments() -> dict[str, dict[str, Any]]:
    """Workload-schema properties for every source key (anyOf when several sources share a key)."""
    out: dict[str, dict[str, Any]] = {}
    for key in KEYS:
        fragments = [dict(s.schema) for s in SOURCES if s.key == key]
        out[key] = fragments[0] if len(fragments) == 1 else {"anyOf": fragments}
    return out


def source_of(workload: Workload) -> tuple[PlanSource, Any] | None:
    """The source that serves this workload's plan, with its value; None when it names none."""
    for key in KEYS:
        spec = getattr(workload, key, None)
        if spec:
            for source in SOURCES:
                if source.key == key and source.claims(spec):
                    return source, spec
            raise PlanError(f"no plan source handles this {key} value", where=f"{key} {spec}")
    return None


def describe(workload: Workload) -> str:
    """A short, secret-free description of where the workload's plan comes from."""
    try:
        found = source_of(workload)
    except PlanError as exc:
        return exc.line()
    return found[0].describe(found[1]) if found else "no plan source"


def resolve(workload: Workload, root: str | Path, terraform: str | None = None,
            env: Mapping[str, str] | None = None, limits: Limits = DEFAULT) -> Target:
    """The workload with its loaded plan, or with the reason it could not be loaded."""
    try:
        found = source_of(workload)
        if found is None:
            return Target(workload, error=f"workload {workload.name} has no plan source")
        source, spec = found
        plan = source.load(spec, SourceContext(workload, Path(root), terraform, env, limits))
        return Target(workload, plan, static_plan=plan.static_plan or source.key == static.KEY)
    except TfguardError as exc:
        return Target(workload, error=exc.line())


__all__ = ["KEYS", "MAX_PLAN_BYTES", "SOURCES", "PlanSource", "SourceContext", "describe", "resolve", "source_of"]
