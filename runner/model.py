"""The typed, immutable records passed between stages, in the words we use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not-applicable"  # no matching resources: never a failure, never hidden
    ERROR = "error"  # the engine could not evaluate: never reads as passed
    UNKNOWN = "unknown"  # a value the guardrail needs is known only after apply: never a pass

    @property
    def noncompliant(self) -> bool:
        """Failed, unknown or error: what stops a deploy, blocks a promotion and is notified."""
        return self in (Status.FAILED, Status.UNKNOWN, Status.ERROR)


class Mode(StrEnum):
    """What a run was for: one plan locally, observation of a branch, enforcement in an app pipeline, or a
    guardrail's self-test."""

    CHECK = "check"
    OBSERVE = "observe"
    ENFORCE = "enforce"
    TEST = "test"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class Guardrail:
    """One Scenario (or Scenario Outline) of a feature file."""

    id: str
    title: str
    file: str  # path relative to the features directory
    line: int
    severity: Severity = Severity.MEDIUM
    controls: tuple[str, ...] = ()
    remediation: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()  # every tag as written, without '@'
    deadline: date | None = None
    id_derived: bool = False  # no @id tag: id derived from file and scenario name
    resource_types: tuple[str, ...] = ()  # the types named in Given steps
    digest: str = ""  # content digest of the scenario (tags + steps), for change detection and caching
    feature: str = ""  # the Feature's title

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Owner:
    name: str
    contact: str


@dataclass(frozen=True)
class Workload:
    name: str
    plan: str | None = None
    owners: tuple[Owner, ...] = ()
    notify: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    source_dir: str | None = None
    plan_url: str | None = None
    terraform: Mapping[str, str] | None = None
    registry_file: str | None = None
    description: str = ""
    plan_headers: Mapping[str, str] = field(default_factory=dict)  # for plan_url; values may hold ${ENV} refs
    source: Mapping[str, object] | None = None  # `source: {dir, vars, var_files}`: render a static plan


@dataclass(frozen=True)
class ExclusionRef:
    """The exclusion that covers (or used to cover) a finding."""

    id: str
    expires: date
    ticket: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Finding:
    """One guardrail failing on one resource of one workload."""

    guardrail_id: str
    workload: str
    address: str  # "" when the engine's message named no resource
    message: str  # ANSI-free, sensitive values redacted
    severity: Severity = Severity.MEDIUM
    excluded_by: ExclusionRef | None = None
    expired_exclusion: ExclusionRef | None = None
    warning: bool = False  # from a @warning guardrail: reported, never a violation
    unknown: bool = False  # the resource cannot be judged at plan time: neither a pass nor a known violation
    # the address as the plan has it, when `address` shows a sensitive instance key as (sensitive): matched
    # against exclusions within the run that found it, and never written anywhere (reports, cache, ledger)
    match_address: str = field(default="", repr=False, compare=False)

    @property
    def excluded(self) -> bool:
        return self.excluded_by is not None

    @property
    def is_violation(self) -> bool:
        """A known violation that counts (not excluded, not a warning, not unknown)."""
        return not self.excluded and not self.warning and not self.unknown

    @property
    def is_unknown(self) -> bool:
        """An unknown that counts: not excluded, not a warning. Never read as compliant."""
        return self.unknown and not self.excluded and not self.warning

    @property
    def note(self) -> str:
        if self.excluded_by:
            ref = self.excluded_by
            ticket = f", ticket {ref.ticket}" if ref.ticket else ""
            return f"excluded by {ref.id} until {ref.expires.isoformat()}{ticket}"
        if self.expired_exclusion:
            return f"exclusion {self.expired_exclusion.id} expired on {self.expired_exclusion.expires.isoformat()}"
        return ""


@dataclass(frozen=True)
class Result:
    """One guardrail evaluated against one workload."""

    guardrail_id: str
    workload: str
    status: Status
    findings: tuple[Finding, ...] = ()
    messages: tuple[str, ...] = ()  # raw messages (redacted) kept when no address could be parsed
    error: str = ""  # why the engine could not evaluate
    engine_status: Status | None = None  # the status before exclusions were applied

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_violation)

    @property
    def unknowns(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_unknown)

    @property
    def excluded(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.excluded)


@dataclass(frozen=True)
class WorkloadRun:
    """What is known about evaluating one workload's plan, success or not."""

    workload: str
    plan_path: str = ""
    plan_digest: str = ""
    static_plan: bool = False  # the plan was rendered from source, not produced by terraform
    error: str = ""
    source_dir: str | None = None  # the workload's Terraform root module, for file:line locations in reports
    not_evaluated: tuple[str, ...] = ()  # static plans: "module.x: why" for configuration with no resources in it


@dataclass(frozen=True)
class RunResult:
    """Every result of one run (check, observe, enforce), with enough context to render any report."""

    guardrails: tuple[Guardrail, ...]
    results: tuple[Result, ...]
    workloads: tuple[WorkloadRun, ...] = ()
    mode: Mode = Mode.CHECK
    created: str = ""
    rules_source: Mapping[str, str] = field(default_factory=dict)  # url and commit for enforce
    warnings: tuple[str, ...] = ()
    changed_guardrails: tuple[str, ...] = ()  # observe: ids new or changed against mainline

    def guardrail(self, gid: str) -> Guardrail:
        for g in self.guardrails:
            if g.id == gid:
                return g
        raise KeyError(gid)

    @property
    def has_errors(self) -> bool:
        return any(r.status is Status.ERROR for r in self.results) or any(w.error for w in self.workloads)

    @property
    def has_violations(self) -> bool:
        return any(r.status is Status.FAILED for r in self.results)

    @property
    def has_unknowns(self) -> bool:
        return any(r.status is Status.UNKNOWN for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 compliant, 1 violations or unknowns, 2 tool error (an error is never read as compliant).

        An unknown counts like a violation: the plan does not show the guardrail holds, so a deploy must
        not go ahead on it (fail closed); what to do is the workload's (make the value known at plan
        time, or ask for an exclusion), not a tool failure, hence 1 and not 2."""
        if self.has_errors:
            return 2
        return 1 if self.has_violations or self.has_unknowns else 0

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for r in self.results:
            out[r.status.value] += 1
        return out


def worst_status(statuses: Iterable[Status]) -> Status:
    order = [Status.ERROR, Status.FAILED, Status.UNKNOWN, Status.PASSED, Status.NOT_APPLICABLE]
    present = set(statuses)
    for s in order:
        if s in present:
            return s
    return Status.NOT_APPLICABLE


def judged_status(findings: Iterable[Finding], otherwise: Status) -> Status:
    """The status findings give: failed on a known violation, else unknown on an unknown, else `otherwise`."""
    found = list(findings)
    if any(f.is_violation for f in found):
        return Status.FAILED
    if any(f.is_unknown for f in found):
        return Status.UNKNOWN
    return otherwise
