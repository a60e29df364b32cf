"""Where a resource is written: a plan address -> the file and lines of its block in Terraform source.

    SourceIndex(root).locate("module.net[0].aws_subnet.a[1]") -> SourceLocation(file, start, end) | None
    plan_address_lines(plan_path) -> {address: line}    the fallback: the resource's line in the plan file

The index reads a workload's root module with the renderer's parser (runner.source.hcl) and follows
`module` blocks the way the renderer does (runner.source.modules): local sources against the calling
module's directory, remote ones through `.terraform/modules/modules.json` or a --module-dir mapping. A
resource inside a module that cannot be read is located at the `module` block that calls it, the nearest
line an app team can change. It is lazy (a module directory is read when an address needs it) and never
raises for a broken tree: unparseable files are skipped and listed in `problems`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from runner.addresses import parse_address
from runner.errors import PlanError
from runner.source.hcl import Lit, parse_file
from runner.source.limits import read_text
from runner.source.modules import ModuleResolver


@dataclass(frozen=True)
class SourceLocation:
    file: str  # path of the .tf file (the index root joined with the file's relative path)
    start_line: int
    end_line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.start_line}"


@dataclass
class _Module:
    """The blocks of one module directory."""

    resources: dict[tuple[str, str, str], SourceLocation] = field(default_factory=dict)  # (mode, type, name)
    calls: dict[str, tuple[str | None, SourceLocation]] = field(default_factory=dict)  # name -> (source, loc)


def module_blocks(path: str, text: str) -> _Module:
    """The resource, data and module blocks of one .tf file; PlanError when it does not parse."""
    mod = _Module()
    for block in parse_file(path, text).blocks:
        loc = SourceLocation(path, block.line, block.end_line or block.line)
        if block.type in ("resource", "data") and len(block.labels) == 2:
            mode = "managed" if block.type == "resource" else "data"
            mod.resources.setdefault((mode, block.labels[0], block.labels[1]), loc)
        elif block.type == "module" and len(block.labels) == 1:
            attr = block.body.attributes.get("source")
            literal = attr.expr.value if attr is not None and isinstance(attr.expr, Lit) else None
            mod.calls.setdefault(block.labels[0], (literal if isinstance(literal, str) else None, loc))
    return mod


class SourceIndex:
    """The Terraform source of one workload, read lazily module by module."""

    def __init__(self, root: str | os.PathLike[str], module_dirs: Mapping[str, str] | None = None) -> None:
        self.root = Path(root)
        self.problems: list[str] = []
        self._modules: dict[Path, _Module] = {}
        self._resolver = ModuleResolver(self.root, module_dirs)

    def _module(self, directory: Path) -> _Module:
        key = directory.resolve()
        if key not in self._modules:
            self._modules[key] = self._read_module(directory)
        return self._modules[key]

    def _read_module(self, directory: Path) -> _Module:
        mod = _Module()
        for path in sorted(directory.glob("*.tf")):
            shown = os.path.normpath(path)
            try:
                found = module_blocks(shown, read_text(path, "Terraform file"))
            except (PlanError, OSError, UnicodeDecodeError) as exc:
                reason = exc.message if isinstance(exc, PlanError) else str(exc)
                self.problems.append(f"{shown}: cannot parse: {reason.splitlines()[0] if reason else exc!r}")
                continue
            for key, loc in found.resources.items():
                mod.resources.setdefault(key, loc)
            for name, call in found.calls.items():
                mod.calls.setdefault(name, call)
        return mod

    def locate(self, address: str) -> SourceLocation | None:
        """The block of `address` (or of the nearest module call leading to it); None when unknown."""
        parsed = parse_address(address)
        if parsed is None or not self.root.is_dir():
            return None
        directory = self.root
        nearest: SourceLocation | None = None
        for depth, name in enumerate(parsed.modules):
            call = self._module(directory).calls.get(name)
            if call is None:
                return nearest
            source, nearest = call
            if source is None:
                return nearest
            resolved = self._resolver.resolve(str(directory), parsed.modules[: depth + 1], source)
            if resolved.dir is None:
                return nearest
            directory = Path(resolved.dir)
        found = self._module(directory).resources.get((parsed.mode, parsed.type, parsed.name))
        return found or nearest


_ADDRESS_LINE = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')


def plan_address_lines(plan_path: str) -> dict[str, int]:
    """Every resource address in a plan file -> the line of its first `"address": ...` (the resource_changes
    entry comes first). Empty for a one-line plan, where a line number tells nothing."""
    lines: dict[str, int] = {}
    try:
        with open(plan_path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if len(line) > 100_000:
                    return {}
                if '"address"' in line and (m := _ADDRESS_LINE.search(line)):
                    lines.setdefault(json.loads(m.group(1)), number)
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return lines


def locate_in_plan(plan_path: str, address: str) -> int | None:
    """The line of `"address": "<address>"` in a plan file (the resource_changes entry comes first)."""
    if not plan_path:
        return None
    return plan_address_lines(plan_path).get(address)
