"""Where a module call's files are: a local path, the modules `terraform init` installed, or a mapping.

    local source ("./net", "../shared")   the calling module's directory joined with it
    any other source (registry, git, s3)   `.terraform/modules/modules.json` under the root module (the
                                           manifest `terraform init` writes: Key "a.b" -> Dir), else the
                                           `--module-dir` mapping (by module address or by source)
    none of them                           not found: the module is reported "not evaluated"

The renderer and the source locator both resolve modules here, so a finding inside a registry module is
located in the installed copy the static plan was rendered from.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MANIFEST = Path(".terraform") / "modules" / "modules.json"


def is_local(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


@dataclass(frozen=True)
class Installed:
    dir: str
    source: str
    version: str


def read_manifest(root_dir: str | Path) -> dict[str, Installed]:
    """Module key ("a", "a.b") -> its installed copy, from the manifest `terraform init` wrote; {} when there
    is none or it cannot be read (a broken manifest is as good as none: the modules are not evaluated)."""
    root = Path(root_dir)
    try:
        doc = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    out: dict[str, Installed] = {}
    for entry in doc.get("Modules") or [] if isinstance(doc, dict) else []:
        if not isinstance(entry, dict) or not entry.get("Key") or not isinstance(entry.get("Dir"), str):
            continue
        out[str(entry["Key"])] = Installed(
            os.path.normpath(root / entry["Dir"]), str(entry.get("Source") or ""), str(entry.get("Version") or "")
        )
    return out


def _strip_registry(source: str) -> str:
    return source.removeprefix("registry.terraform.io/")


def split_subdir(source: str) -> tuple[str, str]:
    """`git::https://host/repo.git//modules/x?ref=v1` -> (`git::https://host/repo.git?ref=v1`, `modules/x`)."""
    scheme = source.find("://")
    start = scheme + 3 if scheme >= 0 else 0
    cut = source.find("//", start)
    if cut < 0:
        return source, ""
    rest = source[cut + 2 :]
    sub, _, query = rest.partition("?")
    return source[:cut] + (f"?{query}" if query else ""), sub


@dataclass(frozen=True)
class Resolved:
    dir: str | None  # None: not found
    how: str  # local | installed | mapped | missing
    note: str = ""  # why not found, or a mismatch worth a warning


class ModuleResolver:
    """Resolves module calls for one root module (the manifest read once)."""

    def __init__(self, root_dir: str | Path, module_dirs: Mapping[str, str] | None = None) -> None:
        self.root_dir = str(root_dir)
        self.installed = read_manifest(root_dir)
        self.module_dirs = dict(module_dirs or {})

    def resolve(self, parent_dir: str, path: tuple[str, ...], source: str) -> Resolved:
        """`path` is the call names from the root (("a", "b") for module.a.module.b)."""
        if is_local(source):
            directory = os.path.normpath(os.path.join(parent_dir, source))
            if os.path.isdir(directory):
                return Resolved(directory, "local")
            return Resolved(None, "missing", f"source directory {source} does not exist")
        key = ".".join(path)
        installed = self.installed.get(key)
        if installed is not None and os.path.isdir(installed.dir):
            note = ""
            if installed.source and _strip_registry(installed.source) != _strip_registry(source):
                note = f"was installed from {installed.source}; run terraform init again"
            return Resolved(installed.dir, "installed", note)
        mapped = self._mapped(path, source)
        if mapped is not None:
            return mapped
        return Resolved(
            None,
            "missing",
            f"remote source {source} is not installed (run terraform init, or pass --module-dir {source}=DIR)",
        )

    def _mapped(self, path: tuple[str, ...], source: str) -> Resolved | None:
        address = ".".join(f"module.{name}" for name in path)
        base, sub = split_subdir(source)
        for key, extra in ((address, ""), (".".join(path), ""), (source, ""), (base, sub)):
            target = self.module_dirs.get(key)
            if target is None:
                continue
            directory = os.path.normpath(os.path.join(target, extra)) if extra else os.path.normpath(target)
            if os.path.isdir(directory):
                return Resolved(directory, "mapped")
            return Resolved(None, "missing", f"--module-dir {key}={target}: no such directory")
        return None


def parse_module_dirs(args: list[str]) -> dict[str, str]:
    """`--module-dir KEY=DIR` arguments (KEY a module address such as module.vpc, or a module source)."""
    from runner.errors import UsageError

    out: dict[str, str] = {}
    for arg in args:
        key, sep, directory = arg.rpartition("=")
        if not sep or not key.strip() or not directory.strip():
            raise UsageError(f"--module-dir {arg!r}: expected SOURCE=DIR or module.NAME=DIR")
        if not os.path.isdir(directory):
            raise UsageError(f"--module-dir {arg!r}: {directory} is not a directory")
        out[key.strip()] = directory
    return out
