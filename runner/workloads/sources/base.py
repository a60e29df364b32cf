"""The PlanSource protocol: one module per way a workload's plan arrives (sources/<name>.py).

A source is selected by the workload registry key it serves (`plan`, `plan_url`, `terraform`, `source`);
several sources may serve one key and tell apart its values with `claims` (plan_url: https:// and file://
in url.py; another scheme is one more module). Each brings the JSON Schema fragment of its key's value;
the workload schema is composed from them (runner.workloads.registry.schema)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from runner.limits import DEFAULT, Limits
from runner.model import Workload
from runner.workloads.plan import Plan

MAX_PLAN_BYTES = DEFAULT.plan_size


@dataclass(frozen=True)
class SourceContext:
    workload: Workload
    root: Path  # the compliance repository
    terraform: str | None = None  # the terraform binary, for binary plans and `terraform:` sources
    env: Mapping[str, str] | None = None  # where ${VAR} references are read (default: os.environ)
    limits: Limits = DEFAULT  # plan size and JSON bounds (docs/limits.md)


class PlanSource(Protocol):
    @property
    def key(self) -> str: ...  # the workload registry key (a Workload attribute) this source serves

    @property
    def schema(self) -> Mapping[str, Any]: ...  # JSON Schema of the key's value, for the values it claims

    def claims(self, spec: Any) -> bool: ...  # whether this source handles this value of its key

    def describe(self, spec: Any) -> str: ...  # short and secret-free, for logs and reports

    def load(self, spec: Any, ctx: SourceContext) -> Plan: ...
