"""The benchmarks that `@control:` tags name: their control ids, titles and resource types.

Two frameworks have a list: `FSBP` (AWS Foundational Security Best Practices v1.0.0, fsbp.yaml) and `CIS`
(CIS Amazon Web Services Foundations Benchmark v3.0.0, cis_aws_v3.yaml). Lint rejects ids outside them;
the catalogue's coverage table is built from the FSBP list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from runner.errors import GuardrailError

CONTROLS_DIR = Path(__file__).parent
FILES = {"FSBP": "fsbp.yaml", "CIS": "cis_aws_v3.yaml"}


@dataclass(frozen=True)
class Control:
    framework: str
    id: str  # without the framework prefix, e.g. S3.4 or 2.1.1
    title: str
    resources: tuple[str, ...] = ()
    not_checkable: str = ""  # why no plan can decide it; empty when a plan can
    retired: bool = False

    @property
    def tag(self) -> str:
        return f"{self.framework}-{self.id}"

    @property
    def service(self) -> str:
        return self.id.split(".")[0]


@dataclass(frozen=True)
class Benchmark:
    framework: str
    standard: str  # full name and version
    controls: dict[str, Control]
    scope: tuple[str, ...] = ()  # services whose controls the coverage table reports

    def get(self, ident: str) -> Control | None:
        return self.controls.get(ident)

    def in_scope(self) -> list[Control]:
        return sorted((c for c in self.controls.values() if c.service in self.scope), key=_order)


def _order(c: Control) -> tuple[Any, ...]:
    head, _, num = c.id.rpartition(".")
    return (head.lower(), int(num)) if num.isdigit() else (c.id.lower(), 0)


def _entry(framework: str, ident: str, raw: Any, where: str) -> Control:
    if isinstance(raw, str):
        return Control(framework, ident, raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
        raise GuardrailError(f"control {ident} needs a title", where=where)
    return Control(framework, ident, raw["title"], tuple(raw.get("resources") or ()), raw.get("not_checkable") or "",
                   bool(raw.get("retired", False)))


@cache
def benchmark(framework: str) -> Benchmark:
    path = CONTROLS_DIR / FILES[framework]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    controls = {str(k): _entry(framework, str(k), v, str(path)) for k, v in (doc.get("controls") or {}).items()}
    return Benchmark(framework, str(doc["standard"]), controls, tuple(doc.get("scope") or ()))
