"""Repository settings from `tfguard.yaml` at the compliance repository's root (all keys optional)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from runner.errors import ConfigError

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


def _section(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"key `{key}` must be a mapping", where=where)
    return value


def load_config(root: str | Path = ".") -> Config:
    root = Path(root)
    path = root / CONFIG_FILE
    if not path.exists():
        return Config(root=root)
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", where=where + line) from None
    if not isinstance(raw, dict):
        raise ConfigError("must be a mapping", where=where)
    exc_raw = _section(raw, "exclusions", where)
    obs_raw = _section(raw, "observation", where)
    try:
        exclusions = ExclusionSettings(
            approvers=tuple(str(a) for a in exc_raw.get("approvers", ())),
            max_lifetime_days=int(exc_raw.get("max_lifetime_days", 90)),
            warning_days=int(exc_raw.get("warning_days", 14)),
        )
        observation = ObservationSettings(
            mainline=str(obs_raw.get("mainline", "main")),
            deadline_days=int(obs_raw.get("deadline_days", 30)),
            reminder_days=tuple(int(d) for d in obs_raw.get("reminder_days", (7, 1))),
            auto_activate_after_deadline=bool(obs_raw.get("auto_activate_after_deadline", False)),
            ledger_branch=str(obs_raw.get("ledger_branch", "tfguard-ledger")),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad value: {exc}", where=where) from None
    return Config(root, exclusions, observation, _section(raw, "forge", where), raw)
