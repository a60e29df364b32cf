"""docs/architecture.md's tree is the tree: every module and package of runner/ is named there, and every
module it names exists."""

from __future__ import annotations

import re

from helpers import REPO_ROOT

RUNNER = REPO_ROOT / "runner"
DOC = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
# packages whose every module the tree lists one by one (report/, source/, notify/ are described as a whole)
LISTED_IN_FULL = ("", "guardrails", "workloads", "workloads/sources", "exclusions", "engine", "workflow", "forge")


def _tree_block() -> str:
    section = DOC.split("## The tree", 1)[1]
    return section.split("```", 2)[1]


def _named(block: str) -> set[str]:
    """Paths the tree names, relative to runner/: nesting from indentation, several names on one line."""
    names: set[str] = set()
    stack: list[tuple[int, str]] = []
    lines = [ln for ln in block.splitlines() if ln.strip()]
    assert lines[0].strip() == "runner/"
    for line in lines[1:]:
        indent = len(line) - len(line.lstrip())
        stack = [(i, p) for i, p in stack if i < indent]
        parent = stack[-1][1] if stack else ""
        first = line.split()[0].rstrip(",")
        if first.endswith("/"):  # a package
            names.add(parent + first.rstrip("/"))
            stack.append((indent, parent + first))
            continue
        if "/" in first:  # package/module.py on one line
            names.add(parent + first.rsplit("/", 1)[0])
            names.add(parent + first)
            continue
        for token in [first] + re.findall(r"\b\w+\.py\b", line)[1:]:
            names.add(parent + token)
    return names


def _modules(package: str) -> set[str]:
    base = RUNNER / package
    prefix = f"{package}/" if package else ""
    return {f"{prefix}{p.name}" for p in base.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}


def test_every_module_of_the_core_packages_is_in_the_tree() -> None:
    named = _named(_tree_block())
    missing = sorted(m for pkg in LISTED_IN_FULL for m in _modules(pkg) if m not in named)
    assert missing == [], f"add these to docs/architecture.md's tree: {missing}"


def test_every_package_is_in_the_tree_and_every_named_module_exists() -> None:
    named = _named(_tree_block())
    packages = {p.parent.relative_to(RUNNER).as_posix() for p in RUNNER.rglob("__init__.py") if p.parent != RUNNER}
    assert sorted(packages - named) == []
    stale = sorted(n for n in named if n.endswith(".py") and not (RUNNER / n).is_file())
    assert stale == [], f"docs/architecture.md names modules that do not exist: {stale}"


def test_every_command_module_is_named() -> None:
    commands_line = " ".join(line for line in _tree_block().splitlines() if "commands/" in line or "new observe" in line)
    for path in (RUNNER / "commands").glob("*.py"):
        if not path.name.startswith("_"):
            assert path.stem in commands_line, f"command {path.stem} missing from docs/architecture.md"
