"""Registry-wide validation of exclusions (`tfguard exclusions validate`): approvals, expiry, known
guardrails and workloads, resource patterns that match nothing in the workload's current plan, duplicates.
The per-file schema checks are done while reading (runner.exclusions.registry.read_registry)."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from runner.config import Config, load_config
from runner.errors import ConfigError, TfguardError, UsageError
from runner.exclusions.match import is_broad
from runner.exclusions.registry import Exclusion, ExclusionRegistry, entry_where, read_registry
from runner.guardrails.load import load_guardrails
from runner.problems import ERROR, WARNING, Problem
from runner.workloads.plan import load_plan
from runner.yamlload import load_yaml


@dataclass
class _Checker:
    registry: ExclusionRegistry
    config: Config
    guardrail_ids: Collection[str]
    workload_names: Collection[str] | None
    today: date
    plans: Mapping[str, Collection[str]]
    problems: list[Problem] = field(default_factory=list)

    def add(self, severity: str, code: str, e: Exclusion, key: str, message: str) -> None:
        where = entry_where(e.file, e.entry, e.id, key)
        self.problems.append(Problem(severity, where, message, code, e.file, e.line, key, e.id))

    def run(self) -> list[Problem]:
        self._workloads()
        first_of: dict[str, Exclusion] = {}
        for e in self.registry.all:
            if e.id in first_of:
                self.add(ERROR, "duplicate-id", e, "id", f"duplicate id {e.id}: also {first_of[e.id].where} "
                                         f"(ids are unique across the registry)")
            first_of.setdefault(e.id, e)
            self._entry(e)
        self._overlaps()
        return self.problems

    def _workloads(self) -> None:
        if self.workload_names is None:
            return
        for file in self.registry.files:
            name = Path(file).stem
            if name not in self.workload_names:
                hint = difflib.get_close_matches(name, list(self.workload_names), n=1)
                known = ", ".join(sorted(self.workload_names)) or "no workloads are registered"
                detail = f"did you mean `{hint[0]}`?" if hint else f"known: {known}"
                self.problems.append(Problem(ERROR, entry_where(file, 0, key="workload"),
                                             f"unknown workload `{name}` ({detail})", "unknown-workload", file))

    def _entry(self, e: Exclusion) -> None:
        self._guardrail(e)
        self._approval(e)
        self._dates(e)
        self._pattern(e)

    def _guardrail(self, e: Exclusion) -> None:
        if e.guardrail in self.guardrail_ids:
            return
        hint = difflib.get_close_matches(e.guardrail, list(self.guardrail_ids), n=1)
        self.add(ERROR, "unknown-guardrail", e, "guardrail", f"unknown guardrail `{e.guardrail}`"
                 + (f" (did you mean `{hint[0]}`?)" if hint else " (no guardrail has this @id tag)"))

    def _approval(self, e: Exclusion) -> None:
        approvers = self.config.exclusions.approvers
        named = ", ".join(approvers) if approvers else "none configured in tfguard.yaml exclusions.approvers"
        if not e.approved_by:
            self.add(ERROR, "pending-approval", e, "approved_by", f"pending approval: a security approver ({named}) must review "
                                              f"this request and write their name in `approved_by`")
        elif e.approved_by not in approvers:
            self.add(ERROR, "not-an-approver", e, "approved_by", f"`{e.approved_by}` is not a security approver "
                                              f"(tfguard.yaml exclusions.approvers: {named})")
        elif e.approved_by == e.requested_by:
            self.add(ERROR, "self-approval", e, "approved_by", f"`{e.approved_by}` requested this exclusion and cannot also "
                                              f"approve it: another security approver must")

    def _dates(self, e: Exclusion) -> None:
        settings = self.config.exclusions
        lifetime = (e.expires - e.created).days
        if e.created > self.today:
            self.add(ERROR, "created-in-future", e, "created", f"created {e.created} is in the future (today is {self.today})")
        if e.expired(self.today):
            self.add(ERROR, "expired", e, "expires", f"expired on {e.expires}: remove the entry, or request a new exclusion")
        elif e.days_left(self.today) <= settings.warning_days:
            self.add(WARNING, "expiring-soon", e, "expires", f"expires in {e.days_left(self.today)} days, on {e.expires}")
        if lifetime > settings.max_lifetime_days:
            latest = date.fromordinal(e.created.toordinal() + settings.max_lifetime_days)
            self.add(ERROR, "lifetime-exceeded", e, "expires", f"lifetime of {lifetime} days exceeds the maximum of "
                                          f"{settings.max_lifetime_days} (tfguard.yaml exclusions."
                                          f"max_lifetime_days): expire on {latest} at the latest")

    def _pattern(self, e: Exclusion) -> None:
        broad = is_broad(e.resource)
        if broad and not e.allow_broad:
            self.add(ERROR, "broad-pattern", e, "resource", f"pattern `{e.resource}` is broad (it exempts every resource of the "
                                           f"guardrail or of a module): name the resources, or a security "
                                           f"approver marks the entry `allow_broad: true`")
        if e.allow_broad and not broad:
            self.add(WARNING, "allow-broad-unneeded", e, "allow_broad", f"`allow_broad` is set but `{e.resource}` is not a broad "
                                                f"pattern: remove the key")
        addresses = self.plans.get(e.workload)
        if addresses is not None and not any(e.covers(a) for a in addresses):
            self.add(WARNING, "stale-pattern", e, "resource", f"`{e.resource}` matches no resource in the current plan of "
                                             f"{e.workload} (stale?){_suggest(e.resource, addresses)}")

    def _overlaps(self) -> None:
        seen: dict[tuple[str, str, str], Exclusion] = {}
        for e in self.registry.all:
            key = (e.workload, e.guardrail, e.resource)
            if key in seen and seen[key].id != e.id:
                self.add(WARNING, "duplicate-entry", e, "resource", f"same guardrail and resource as {seen[key].id}: "
                                                 f"keep one entry")
            seen.setdefault(key, e)


def plan_addresses(plans: Mapping[str, str | None], required: Collection[str] = ()
                   ) -> tuple[dict[str, frozenset[str]], list[str]]:
    """The resource addresses of each workload's plan (for the stale check), and why a plan was skipped.
    A plan of a workload in `required` (given on the command line) that cannot be read is an error."""
    out: dict[str, frozenset[str]] = {}
    skipped: list[str] = []
    for workload, path in plans.items():
        if not path:
            continue
        try:
            out[workload] = load_plan(path).addresses
        except TfguardError as exc:
            if workload in required:
                raise
            skipped.append(f"plan of {workload} not read, stale patterns not checked: {exc.line()}")
    return out, skipped


def _suggest(pattern: str, addresses: Collection[str]) -> str:
    instances = sorted(a for a in addresses if a.startswith(pattern + "["))
    if instances:
        return f"; its instances are {', '.join(instances[:3])}: use `{pattern}[*]` for all of them"
    close = difflib.get_close_matches(pattern, list(addresses), n=1, cutoff=0.7)
    return f"; did you mean `{close[0]}`?" if close else ""


def validate_registry(
    registry: ExclusionRegistry,
    config: Config,
    guardrail_ids: Collection[str],
    workload_names: Collection[str] | None,
    today: date,
    plans_by_workload: Mapping[str, Collection[str]] | None = None,
) -> list[Problem]:
    """Registry-wide checks (the per-file schema checks are done by read_registry).

    workload_names None: no workload registry to check against (skipped). plans_by_workload maps a
    workload to the resource addresses of its current plan, for the stale-pattern warning."""
    checker = _Checker(registry, config, set(guardrail_ids), None if workload_names is None else set(workload_names),
                       today, plans_by_workload or {})
    return checker.run()


# --- the whole repository (`tfguard exclusions validate`) --------------------------------------------


@dataclass(frozen=True)
class RepositoryCheck:
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]  # what could not be checked, and why
    entries: tuple[Exclusion, ...]


def validate_repository(root: Path, features: str | Path, plans: Mapping[str, str | None], files: Sequence[str],
                        today: date, only_files: bool = False) -> RepositoryCheck:
    """Every check of the registry in the compliance repository at `root`, against its guardrails, its
    workload registry and the workloads' plans (`plans` adds or overrides plan paths); with `files` (or
    `only_files`, when an empty list means "none"), only the problems in those registry files."""
    config = load_config(root)
    gset = load_guardrails(features)
    registry, problems = read_registry(root, config)
    broken: list[str] = []
    workloads = known_workloads(root, broken)
    addresses, skipped = plan_addresses({**workloads, **plans}, required=plans)
    problems += validate_registry(registry, config, gset.ids, list(workloads) or None, today, addresses)
    notes = broken + skipped + ([] if workloads else ["no workload registry found: workload names not checked"])
    kept = _only_files(problems, root, files) if files or not only_files else []
    return RepositoryCheck(tuple(kept), tuple(notes), registry.all)


def _only_files(problems: list[Problem], root: Path, files: Sequence[str]) -> list[Problem]:
    if not files:
        return problems
    wanted = set()
    for name in files:
        path = Path(name) if Path(name).is_absolute() or Path(name).exists() else root / name
        try:
            wanted.add(path.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            raise UsageError(f"{name} is not inside the compliance repository {root}") from None
    return [p for p in problems if p.file in wanted]


# --- the workload names and plans ------------------------------------------------------------------------


def known_workloads(root: Path, broken: list[str] | None = None) -> dict[str, str | None]:
    """Workload name -> plan path (or None), from pipeline/workloads/*.yaml and examples/*/workload.yaml.

    Lenient on purpose: a workload file that does not load is reported by `tfguard workloads validate`;
    here its name (the file's) is known without a plan, and `broken` gets a line naming the problem."""
    found: dict[str, str | None] = {}
    for path in sorted((root / "pipeline" / "workloads").glob("*.yaml")) + sorted(root.glob("examples/*/workload.yaml")):
        try:
            data = load_yaml(path, _rel(path, root)).data or {}
        except ConfigError as exc:
            if broken is not None:
                broken.append(f"workload file not read, its plan not checked: {exc.line()}")
            if path.name != "workload.yaml":
                found.setdefault(path.stem, None)
            continue
        if not isinstance(data, dict):
            continue
        name = str(data.get("name") or (path.parent.name if path.name == "workload.yaml" else path.stem))
        plan = data.get("plan")
        candidates = [root / str(plan), path.parent / str(plan)] if plan else [path.parent / "plan.json"]
        found.setdefault(name, next((str(c) for c in candidates if c.is_file()), None))
    return found


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
