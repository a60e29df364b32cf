"""Repository settings from `tfguard.yaml` at the compliance repository's root (all keys optional).

The whole file is validated against runner/schemas/tfguard.schema.json before any value is read: types,
ranges and unknown keys are errors naming file, line and key path, so a string where a list belongs
(`approvers: alice`) is refused instead of being read one character at a time."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from runner.errors import ConfigError
from runner.limits import DEFAULT, Limits, from_config
from runner.problems import key_path, schema_message
from runner.schemas import load_schema
from runner.yamlload import load_yaml

CONFIG_FILE = "tfguard.yaml"


@dataclass(frozen=True)
class ExclusionSettings:
    approvers: tuple[str, ...] = ()  # the security team: who may approve an exclusion
    max_lifetime_days: int = 90
    warning_days: int = 14  # "expiring soon" window


@dataclass(frozen=True)
class ObservationSettings:
    mainline: str = "main"
    deadline_days: int = 30  # deadline = first observation + this, unless a guardrail has @deadline
    reminder_days: tuple[int, ...] = (7, 1)
    auto_activate_after_deadline: bool = False
    ledger_branch: str = "tfguard-ledger"


@dataclass(frozen=True)
class Config:
    root: Path
    exclusions: ExclusionSettings = field(default_factory=ExclusionSettings)
    observation: ObservationSettings = field(default_factory=ObservationSettings)
    forge: dict[str, Any] = field(default_factory=dict)  # e.g. {github: {repository: o/r, token_env: GITHUB_TOKEN}}
    raw: dict[str, Any] = field(default_factory=dict)
    limits: Limits = DEFAULT  # `limits:` (docs/limits.md)


def _read(path: Path, where: str) -> tuple[Any, yaml.Node | None]:
    """The YAML document and its node tree (for line numbers), through the one bounded loader of registry
    files (runner.yamlload: size, nesting and alias expansion bounded). Duplicate keys are refused here,
    with their key path, before anything is built from the nodes."""
    doc = load_yaml(path, where, unique_keys=False)
    _refuse_duplicate_keys(doc.node, where)
    return doc.data, doc.node


def _refuse_duplicate_keys(node: yaml.Node | None, where: str, path: str = "") -> None:
    """YAML keeps the last of two equal keys without a word: a second `approvers:` would hide the first."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            sub = f"{path}.{name}" if path else name
            if name in seen:
                raise ConfigError(f"key `{sub}` is given twice", where=f"{where}:{key.start_mark.line + 1}",
                                  hint="keep one")
            seen.add(name)
            _refuse_duplicate_keys(value, where, sub)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _refuse_duplicate_keys(item, where, f"{path}[{i}]")


def _line(node: yaml.Node | None, path: Iterable[Any]) -> int:
    """1-based line of the value at `path` (the deepest node found on the way)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == part), None)
            if found is None:
                break
            line, node = found[1].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def validate(data: Any, node: yaml.Node | None, where: str) -> None:
    """The whole file against runner/schemas/tfguard.schema.json, before anything reads a value."""
    problems = sorted((schema_message(e) for e in Draft202012Validator(load_schema("tfguard")).iter_errors(data)),
                      key=lambda p: (_line(node, p[0]), list(map(str, p[0]))))
    if not problems:
        return
    path, message = problems[0]
    key = key_path(path)
    more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
    raise ConfigError((f"key `{key}`: " if key else "") + message + more, where=f"{where}:{_line(node, path)}")


def load_config(root: str | Path = ".") -> Config:
    root = Path(root)
    path = root / CONFIG_FILE
    if not os.path.lexists(path):  # a dangling link or a loop is read, and refused by name
        return Config(root=root)
    where = str(path)
    raw, node = _read(path, where)
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ConfigError("must be a mapping of settings", where=f"{where}:1")
    validate(raw, node, where)
    exc_raw = raw.get("exclusions") or {}
    obs_raw = raw.get("observation") or {}
    exclusions = ExclusionSettings(
        approvers=tuple(exc_raw.get("approvers", ())),
        max_lifetime_days=exc_raw.get("max_lifetime_days", 90),
        warning_days=exc_raw.get("warning_days", 14),
    )
    observation = ObservationSettings(
        mainline=obs_raw.get("mainline", "main"),
        deadline_days=obs_raw.get("deadline_days", 30),
        reminder_days=tuple(obs_raw.get("reminder_days", (7, 1))),
        auto_activate_after_deadline=obs_raw.get("auto_activate_after_deadline", False),
        ledger_branch=obs_raw.get("ledger_branch", "tfguard-ledger"),
    )
    return Config(root, exclusions, observation, raw.get("forge") or {}, raw, from_config(raw.get("limits"), where))
