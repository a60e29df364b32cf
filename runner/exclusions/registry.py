"""Exclusions: the registry of approved, scoped, expiring exceptions to guardrails.

The registry lives in the compliance repository, one file per workload: `exclusions/<workload>.yaml`
(schema: runner/schemas/exclusions.schema.json). It is read only from there, never from an application's
workspace, so an application cannot exempt itself.

An entry applies to a finding when all of these hold:
- same workload (the file) and same guardrail id;
- its `resource` pattern matches the finding's address (runner.exclusions.match; a finding without an address
  is never excluded);
- it is approved: `approved_by` names one of tfguard.yaml `exclusions.approvers`, not the requester;
- it has not expired: it applies up to the day before `expires`; on `expires` the finding is a
  violation again, and says "exclusion EXC-12 expired on 2026-10-01".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from runner.config import Config, load_config
from runner.errors import ConfigError
from runner.exclusions.match import check_pattern, matches
from runner.limits import DEFAULT, Limits
from runner.model import ExclusionRef, Finding, Result, Status, Workload, judged_status
from runner.problems import ERROR, Problem, schema_message
from runner.yamlload import load_yaml

EXCLUSIONS_DIR = "exclusions"

__all__ = [
    "EXCLUSIONS_DIR",
    "Exclusion",
    "ExclusionRegistry",
    "load_registry",
    "make_result_filter",
    "matches",
    "read_registry",
]


@dataclass(frozen=True)
class Exclusion:
    """One entry of exclusions/<workload>.yaml."""

    id: str
    guardrail: str
    workload: str
    resource: str  # exact address or pattern (runner.exclusions.match)
    reason: str
    requested_by: str
    approved_by: str  # "" while the request is pending approval
    ticket: str
    created: date
    expires: date
    allow_broad: bool = False  # a security approver accepted a broad pattern
    file: str = ""  # path relative to the repository root
    entry: int = 0  # 1-based position in the file's `exclusions` list
    line: int = 0  # 1-based line of the entry in its file

    @property
    def ref(self) -> ExclusionRef:
        return ExclusionRef(self.id, self.expires, self.ticket, self.reason)

    @property
    def where(self) -> str:
        return entry_where(self.file, self.entry, self.id)

    def expired(self, today: date) -> bool:
        return today >= self.expires

    def days_left(self, today: date) -> int:
        return (self.expires - today).days

    def approved(self, approvers: Collection[str]) -> bool:
        return bool(self.approved_by) and self.approved_by in approvers and self.approved_by != self.requested_by

    def covers(self, address: str) -> bool:
        return matches(self.resource, address)

    def state(self, today: date, approvers: Collection[str], warning_days: int) -> str:
        """pending | expired | expiring | active, for listings."""
        if not self.approved(approvers):
            return "pending"
        if self.expired(today):
            return "expired"
        return "expiring" if self.days_left(today) <= warning_days else "active"


@dataclass(frozen=True)
class ExclusionRegistry:
    root: Path
    exclusions: tuple[Exclusion, ...] = ()
    approvers: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # registry files read, relative to root

    @property
    def all(self) -> tuple[Exclusion, ...]:
        return self.exclusions

    def for_workload(self, name: str) -> tuple[Exclusion, ...]:
        return tuple(e for e in self.exclusions if e.workload == name)

    def get(self, exclusion_id: str) -> Exclusion | None:
        return next((e for e in self.exclusions if e.id == exclusion_id), None)

    def applicable(self, workload: str, guardrail: str) -> tuple[Exclusion, ...]:
        return tuple(e for e in self.for_workload(workload)
                     if e.guardrail == guardrail and e.approved(self.approvers))


def entry_where(file: str, entry: int, exclusion_id: str = "", key: str = "") -> str:
    text = file
    if entry:
        text += f", entry {entry}" + (f" ({exclusion_id})" if exclusion_id else "")
    if key:
        text += f", key `{key}`"
    return text


# --- reading the registry -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("runner").joinpath("schemas/exclusions.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _plain(value: Any) -> Any:
    """YAML dates become YYYY-MM-DD strings (datetimes keep their time, so the schema refuses them)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _line_map(node: yaml.Node | None) -> dict[tuple[Any, ...], int]:
    """1-based line of each top-level key, each `exclusions` item and each of its keys, by path."""
    out: dict[tuple[Any, ...], int] = {}
    if not isinstance(node, yaml.MappingNode):
        return out
    for key, value in node.value:
        out[(key.value,)] = key.start_mark.line + 1
        if key.value != "exclusions" or not isinstance(value, yaml.SequenceNode):
            continue
        for i, item in enumerate(value.value, start=1):
            out[("exclusions", i)] = item.start_mark.line + 1
            if isinstance(item, yaml.MappingNode):
                for k, _ in item.value:
                    out[("exclusions", i, k.value)] = k.start_mark.line + 1
    return out


@dataclass
class _FileReader:
    """Reads one registry file into exclusions, recording every problem instead of stopping at the first."""

    root: Path
    path: Path
    problems: list[Problem] = field(default_factory=list)
    flagged: set[tuple[int, str]] = field(default_factory=set)  # (entry, key) already reported
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    limits: Limits = DEFAULT

    @property
    def rel(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    def problem(self, code: str, message: str, entry: int = 0, exclusion_id: str = "", key: str = "",
                line: int = 0) -> None:
        self.flagged.add((entry, key))
        given = line
        if not line:
            line = self.lines.get(("exclusions", entry, key) if entry else (key,), 0) if key else 0
            line = line or self.lines.get(("exclusions", entry), 0)
        where = f"{self.rel}:{given}" if given and not entry and not key else entry_where(self.rel, entry, exclusion_id,
                                                                                              key)
        self.problems.append(Problem(ERROR, where, message, code, self.rel, line, key, exclusion_id))

    def read(self) -> list[Exclusion]:
        data = self._parse()
        if data is None:
            return []
        data = _plain(data)
        self._schema_problems(data)
        workload = data.get("workload") if isinstance(data, dict) else None
        if isinstance(workload, str) and workload != self.path.stem:
            self.problem("workload-mismatch", f"names workload `{workload}` but this file is for `{self.path.stem}` "
                         f"(one file per workload: exclusions/<workload>.yaml)", key="workload")
        if not isinstance(data, dict) or not isinstance(data.get("exclusions"), list):
            return []
        out = []
        for i, raw in enumerate(data["exclusions"], start=1):
            exc = self._entry(raw, i) if isinstance(raw, dict) else None
            if exc is not None:
                out.append(exc)
        return out

    def _parse(self) -> Any:
        try:  # dates stay text (checked with date.fromisoformat), so that 2026-02-30 is a problem, not a crash
            doc = load_yaml(self.path, self.rel, self.limits, dates_as_text=True)
        except ConfigError as exc:
            line = (exc.where or "").rpartition(":")[2]
            self.problem("yaml", exc.message, line=int(line) if line.isdigit() else 0)
            return None
        self.lines = _line_map(doc.node)
        data = doc.data
        if data is None:
            self.problem("empty-file", "is empty: write `workload: <name>` and `exclusions: []`")
        return data

    def _schema_problems(self, data: Any) -> None:
        import jsonschema  # imported when a registry file is read: a command that reads none starts faster

        validator = jsonschema.Draft202012Validator(schema())
        for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
            path, message = schema_message(err)
            entry = path[1] + 1 if len(path) >= 2 and path[0] == "exclusions" and isinstance(path[1], int) else 0
            key = str(path[2]) if entry and len(path) >= 3 else (str(path[0]) if path and not entry else "")
            self.problem("schema", message, entry, _entry_id(data, entry), key)

    def _entry(self, raw: dict[str, Any], index: int) -> Exclusion | None:
        exc_id = str(raw.get("id", ""))
        created = self._date(raw, "created", index, exc_id)
        expires = self._date(raw, "expires", index, exc_id)
        resource = raw.get("resource")
        if isinstance(resource, str) and resource and (index, "resource") not in self.flagged:
            why = check_pattern(resource)
            if why:
                self.problem("bad-pattern", f"pattern `{resource}` {why}", index, exc_id, "resource")
        if created and expires and expires <= created:
            self.problem("bad-date", f"expires {expires} is not after created {created}", index, exc_id, "expires")
        if created is None or expires is None or any(entry == index for entry, _ in self.flagged):
            return None
        return Exclusion(
            id=exc_id, guardrail=str(raw["guardrail"]), workload=self.path.stem, resource=str(raw["resource"]),
            reason=str(raw["reason"]).strip(), requested_by=str(raw["requested_by"]),
            approved_by=str(raw.get("approved_by") or ""), ticket=str(raw.get("ticket") or ""),
            created=created, expires=expires, allow_broad=bool(raw.get("allow_broad", False)),
            file=self.rel, entry=index, line=self.lines.get(("exclusions", index), 0),
        )

    def _date(self, raw: dict[str, Any], key: str, index: int, exc_id: str) -> date | None:
        if key not in raw or (index, key) in self.flagged:
            return None
        try:
            return date.fromisoformat(str(raw[key]))
        except ValueError:
            self.problem("bad-date", f"`{raw[key]}` is not a real date", index, exc_id, key)
            return None


def _entry_id(data: Any, entry: int) -> str:
    try:
        value = data["exclusions"][entry - 1].get("id", "") if entry else ""
    except (AttributeError, IndexError, KeyError, TypeError):
        return ""
    return value if isinstance(value, str) else ""


def registry_files(root: Path) -> list[Path]:
    directory = root / EXCLUSIONS_DIR
    if not directory.is_dir():
        return []
    # not only regular files: a directory or a broken link named *.yaml is reported, never skipped
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def read_registry(repo_root: str | Path, config: Config | None = None,
                  workload: str | None = None) -> tuple[ExclusionRegistry, list[Problem]]:
    """Every well-formed entry of repo_root/exclusions/*.yaml, and a problem for each malformed one.
    With `workload`, only that workload's file is read (another team's broken file cannot block a run)."""
    root = Path(repo_root)
    config = config or load_config(root)
    exclusions: list[Exclusion] = []
    problems: list[Problem] = []
    files: list[str] = []
    for path in registry_files(root):
        if workload is not None and path.stem != workload:
            continue
        reader = _FileReader(root, path, limits=config.limits)
        if path.suffix == ".yml":
            reader.problem("wrong-extension", f"is not read: name it {path.stem}.yaml")
        else:
            exclusions += reader.read()
            files.append(reader.rel)
        problems += sorted(reader.problems, key=lambda p: p.line)
    registry = ExclusionRegistry(root, tuple(exclusions), config.exclusions.approvers, tuple(files))
    return registry, problems


def load_registry(repo_root: str | Path, config: Config | None = None,
                  workload: str | None = None) -> ExclusionRegistry:
    """The registry of the compliance repository at repo_root (only `workload`'s file when given);
    raises ConfigError on a malformed file."""
    registry, problems = read_registry(repo_root, config, workload)
    for p in problems:
        raise ConfigError(p.message, where=p.where, hint="run `tfguard exclusions validate`")
    return registry


# --- applying exclusions to results --------------------------------------------------------------


def _exclude(finding: Finding, candidates: Iterable[Exclusion], today: date) -> Finding:
    if not finding.address:
        return finding  # the engine named no resource: nothing to match, never excluded
    # a sensitive instance key reads (sensitive) in the address; the exclusion is matched on the real one
    covering = [e for e in candidates if e.covers(finding.match_address or finding.address)]
    active = [e for e in covering if not e.expired(today)]
    if active:
        best = max(active, key=lambda e: (e.expires, e.id))
        return replace(finding, excluded_by=best.ref, expired_exclusion=None)
    if covering:
        latest = max(covering, key=lambda e: (e.expires, e.id))
        return replace(finding, expired_exclusion=latest.ref)
    return finding


def apply_exclusions(result: Result, registry: ExclusionRegistry, today: date, workload: str = "") -> Result:
    """The result with its findings marked excluded (or expired-exclusion noted), status recomputed."""
    candidates = registry.applicable(workload or result.workload, result.guardrail_id)
    if not candidates or not result.findings:
        return result
    findings = tuple(_exclude(f, candidates, today) for f in result.findings)
    status = result.status
    if status in (Status.FAILED, Status.UNKNOWN) and any(f.excluded for f in findings):
        # every failure (or unknown) excluded: the guardrail passes, the findings stay visible
        status = judged_status(findings, Status.PASSED)
    return replace(result, findings=findings, status=status)


def make_result_filter(registry: ExclusionRegistry, today: date) -> Callable[[Workload, Result], Result]:
    """The hook for evaluate(result_filter=...): applies the registry's exclusions as of `today`."""

    def result_filter(workload: Workload, result: Result) -> Result:
        return apply_exclusions(result, registry, today, workload.name)

    return result_filter
