"""Where a resource is written: a plan's resource address -> file and lines of its block in Terraform source.

`SourceIndex(root)` reads a workload's root module (the directory holding its `.tf` files) with python-hcl2
and follows `module` blocks into the module's files: a local `source` ("./modules/net", "../shared") is
resolved against the calling module's directory, any other source through the `.terraform/modules/
modules.json` that `terraform init` writes. A resource inside a module that cannot be read is located at
the `module` block that calls it, the nearest line an app team can change. Unparseable files are skipped
and listed in `problems`; nothing here raises for a broken source tree.

`locate_in_plan(plan_path, address)` finds the line of a resource in the plan JSON itself, the fallback
when no source is known.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

from runner.addresses import parse_address


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


# --- reading blocks with python-hcl2 --------------------------------------------------------------------


def _children(tree: Any) -> list[Any]:
    return [c for c in getattr(tree, "children", ()) if hasattr(c, "children")]


def _literal(tree: Any) -> str | None:
    """The text of an identifier or a plain string literal; None for any other expression."""
    if tree.data == "identifier":
        return "".join(str(t) for t in tree.children)
    if tree.data == "expr_term":
        inner = _children(tree)
        return _literal(inner[0]) if len(inner) == 1 and inner[0].data == "string" else None
    if tree.data != "string":
        return None
    parts = []
    for part in _children(tree):
        if part.data != "string_part" or _children(part):
            return None  # an interpolation: not resolvable statically
        parts += [str(t) for t in part.children]
    return "".join(parts)


def _source_attribute(body: Any) -> str | None:
    for child in getattr(body, "children", ()):
        if getattr(child, "data", "") != "attribute":
            continue
        ident, *rest = _children(child)
        if _literal(ident) == "source" and rest:
            return _literal(rest[-1])
    return None


def _blocks_tree(text: str) -> list[tuple[list[str], int, int, str | None]]:
    """python-hcl2 8: top-level blocks as (labels, first line, last line, module source)."""
    tree = hcl2.parses_to_tree(text)
    body = tree.children[0] if tree.children else None
    out = []
    for block in getattr(body, "children", ()):
        if getattr(block, "data", "") != "block":
            continue
        parts = _children(block)
        labels = [_literal(c) or "" for c in parts if c.data in ("identifier", "string")]
        inner = next((c for c in parts if c.data == "body"), None)
        source = _source_attribute(inner) if labels[:1] == ["module"] else None
        out.append((labels, block.meta.line, block.meta.end_line, source))
    return out


def _blocks_meta(text: str) -> list[tuple[list[str], int, int, str | None]]:
    """python-hcl2 7: the same from `loads(with_meta=True)` (`__start_line__`/`__end_line__` keys)."""
    data = hcl2.loads(text, with_meta=True)  # type: ignore[call-arg]
    out = []
    for kind, depth in (("resource", 2), ("data", 2), ("module", 1)):
        for entry in data.get(kind, []):
            for labels, body in _walk(entry, depth):
                source = body.get("source") if kind == "module" and isinstance(body.get("source"), str) else None
                out.append(([kind, *labels], body["__start_line__"], body["__end_line__"], source))
    return out


def _walk(entry: dict[str, Any], depth: int) -> list[tuple[list[str], dict[str, Any]]]:
    if depth == 0:
        return [([], entry)]
    return [([key.strip('"'), *labels], body)
            for key, value in entry.items() if isinstance(value, dict)
            for labels, body in _walk(value, depth - 1)]


def read_blocks(text: str) -> list[tuple[list[str], int, int, str | None]]:
    if hasattr(hcl2, "parses_to_tree"):
        return _blocks_tree(text)
    return _blocks_meta(text)


# --- the index ----------------------------------------------------------------------------------------------


class SourceIndex:
    """The Terraform source of one workload, read lazily module by module."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.problems: list[str] = []
        self._modules: dict[Path, _Module] = {}
        self._installed = self._installed_modules()

    def _installed_modules(self) -> dict[str, Path]:
        manifest = self.root / ".terraform" / "modules" / "modules.json"
        try:
            doc = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        out = {}
        for m in doc.get("Modules") or []:
            if isinstance(m, dict) and m.get("Key") and m.get("Dir"):
                out[str(m["Key"])] = self.root / str(m["Dir"])
        return out

    def _module(self, directory: Path) -> _Module:
        key = directory.resolve()
        if key not in self._modules:
            self._modules[key] = self._read_module(directory)
        return self._modules[key]

    def _read_module(self, directory: Path) -> _Module:
        mod = _Module()
        for path in sorted(directory.glob("*.tf")):
            rel = self._display(path)
            try:
                blocks = read_blocks(path.read_text(encoding="utf-8"))
            except Exception as exc:  # noqa: BLE001 - any parser failure: skip the file, say why
                self.problems.append(f"{rel}: cannot parse: {str(exc).splitlines()[0] if str(exc) else exc!r}")
                continue
            for labels, first, last, source in blocks:
                loc = SourceLocation(rel, first, last)
                if labels[0] in ("resource", "data") and len(labels) == 3:
                    mode = "managed" if labels[0] == "resource" else "data"
                    mod.resources.setdefault((mode, labels[1], labels[2]), loc)
                elif labels[0] == "module" and len(labels) == 2:
                    mod.calls.setdefault(labels[1], (source, loc))
        return mod

    @staticmethod
    def _display(path: Path) -> str:
        return os.path.normpath(path)

    def _child_dir(self, parent: Path, source: str | None, key: str) -> Path | None:
        if source and source.startswith(("./", "../")):
            target = parent / source
            return target if target.is_dir() else None
        installed = self._installed.get(key)
        return installed if installed is not None and installed.is_dir() else None

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
            child = self._child_dir(directory, source, ".".join(parsed.modules[: depth + 1]))
            if child is None:
                return nearest
            directory = child
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
    return None
