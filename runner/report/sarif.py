"""results.sarif: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps, IDE viewers).

- rules are the guardrails: title, description, remediation as help, severity as level and as
  `security-severity`, controls as tags;
- one result per finding (guardrail x workload x resource), located at the resource's block in the
  workload's Terraform source when `WorkloadRun.source_dir` is known (runner/source/locate.py), else at
  the resource's line in the plan file, else at the guardrail's feature file;
- excluded findings are results with an accepted external `suppressions` entry naming the exclusion;
- unknown findings (a value known only after apply) are results too, with `properties.status` "unknown":
  never dropped, never a pass;
- evaluation errors are tool execution notifications, and make `executionSuccessful` false.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from runner import __version__
from runner.model import Finding, Guardrail, Result, RunResult, Severity, Status, WorkloadRun
from runner.report.json import finding_status
from runner.report.options import NO_OPTIONS, ReportOptions
from runner.source.locate import SourceIndex, SourceLocation, plan_address_lines

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.LOW: "note", Severity.MEDIUM: "warning", Severity.HIGH: "error", Severity.CRITICAL: "error"}
# GitHub code scanning reads this number to show low / medium / high / critical
SECURITY_SEVERITY = {Severity.LOW: "2.0", Severity.MEDIUM: "5.5", Severity.HIGH: "8.0", Severity.CRITICAL: "9.5"}


def artifact_uri(path: str) -> str:
    """A relative path stays relative (to the repository checkout); an absolute one becomes a file URI."""
    p = Path(path)
    if not p.is_absolute():
        return Path(os.path.normpath(p)).as_posix()
    try:
        return p.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return p.as_uri()


def _physical(uri: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(uri)}}
    if start:
        loc["region"] = {"startLine": start, **({"endLine": end} if end and end >= start else {})}
    return loc


def _rule(g: Guardrail) -> dict[str, Any]:
    help_text = g.remediation or "No remediation is written for this guardrail."
    rule: dict[str, Any] = {
        "id": g.id,
        "name": "".join(w.capitalize() for w in g.id.replace("-", " ").split()),
        "shortDescription": {"text": g.title},
        "fullDescription": {"text": g.description or g.title},
        "help": {"text": help_text, "markdown": f"**Remediation**\n\n{help_text}"},
        "defaultConfiguration": {"level": LEVEL[g.severity]},
        "properties": {
            "tags": ["security", "terraform", "compliance", *g.controls],
            "security-severity": SECURITY_SEVERITY[g.severity],
            "severity": g.severity.value,
            "controls": list(g.controls),
            "guardrail": g.where,
            **({"deadline": g.deadline.isoformat()} if g.deadline else {}),
        },
    }
    return rule


class _Locator:
    """Finds each finding's location, reading each workload's source tree once."""

    def __init__(self, run: RunResult) -> None:
        self.workloads = {w.workload: w for w in run.workloads}
        self._indexes: dict[str, SourceIndex] = {}
        self._plan_lines: dict[str, dict[str, int]] = {}
        self.problems: list[str] = []

    def _index(self, source_dir: str) -> SourceIndex:
        if source_dir not in self._indexes:
            self._indexes[source_dir] = SourceIndex(source_dir)
        return self._indexes[source_dir]

    def locate(self, g: Guardrail, workload: str, address: str) -> dict[str, Any]:
        w = self.workloads.get(workload, WorkloadRun(workload))
        found: SourceLocation | None = None
        if address and w.source_dir:
            found = self._index(w.source_dir).locate(address)
        if found is not None:
            return _physical(found.file, found.start_line, found.end_line)
        if w.plan_path:
            if w.plan_path not in self._plan_lines:  # each plan file is read once per report
                self._plan_lines[w.plan_path] = plan_address_lines(w.plan_path)
            return _physical(w.plan_path, self._plan_lines[w.plan_path].get(address) if address else None)
        return _physical(g.file, g.line)

    def collect_problems(self) -> list[str]:
        return [p for index in self._indexes.values() for p in index.problems]


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _message(g: Guardrail, f: Finding, mode: str) -> str:
    subject = f.address or "A resource"
    verb = "cannot be shown at plan time to comply with" if f.unknown else "does not comply with"
    text = f"{subject} in workload {f.workload} {verb} {g.id}: {g.title}."
    if f.message:
        text += "\n" + f.message
    if f.note:
        text += f"\n({f.note})"
    if mode == "observe":
        text += "\n(observation: reported, not yet enforced)"
    return text


def _result(g: Guardrail, index: int, f: Finding, locator: _Locator, mode: str) -> dict[str, Any]:
    location = locator.locate(g, f.workload, f.address)
    res: dict[str, Any] = {
        "ruleId": g.id,
        "ruleIndex": index,
        "level": "note" if f.warning else LEVEL[g.severity],
        "message": {"text": _message(g, f, mode)},
        "locations": [{
            "physicalLocation": location,
            **({"logicalLocations": [{"fullyQualifiedName": f.address, "kind": "resource"}]} if f.address else {}),
        }],
        "partialFingerprints": {"tfguard/v1": _fingerprint(g.id, f.workload, f.address or f.message)},
        "properties": {"workload": f.workload, "severity": g.severity.value, "address": f.address,
                       "status": finding_status(f)},
    }
    if f.excluded_by is not None:
        ref = f.excluded_by
        why = "; ".join(p for p in (ref.reason, f"ticket {ref.ticket}" if ref.ticket else "") if p)
        res["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": f"excluded by {ref.id} until {ref.expires.isoformat()}" + (f": {why}" if why else ""),
            "properties": {"exclusion": ref.id, "expires": ref.expires.isoformat(), "ticket": ref.ticket},
        }]
    return res


def _unparsed(g: Guardrail, index: int, r: Result, locator: _Locator, message: str) -> dict[str, Any]:
    """A failure whose engine message named no resource: located at the plan file."""
    f = Finding(g.id, r.workload, "", message, g.severity)
    return _result(g, index, f, locator, "")


def _notifications(run: RunResult) -> list[dict[str, Any]]:
    out = []
    workload_errors = {w.workload: w.error for w in run.workloads if w.error}
    for name, error in workload_errors.items():
        out.append({"level": "error", "message": {"text": f"workload {name}: {error}"}})
    for r in run.results:
        if r.status is Status.ERROR and r.error and r.error != workload_errors.get(r.workload):
            out.append({"level": "error", "message": {"text": f"{r.guardrail_id} on {r.workload}: {r.error}"},
                        "associatedRule": {"id": r.guardrail_id}})
    return out


def to_sarif(run: RunResult) -> dict[str, Any]:
    index = {g.id: i for i, g in enumerate(run.guardrails)}
    locator = _Locator(run)
    results: list[dict[str, Any]] = []
    static = {w.workload for w in run.workloads if w.static_plan}
    for r in run.results:
        g = run.guardrail(r.guardrail_id)
        for f in r.findings:
            res = _result(g, index[g.id], f, locator, run.mode)
            if f.workload in static:  # labelled in every report: judged on a plan rendered from source
                res["message"]["text"] += "\n(static plan rendered from source: values known only after apply not judged)"
                res["properties"]["staticPlan"] = True
            results.append(res)
        if r.status is Status.FAILED and not r.findings:
            for m in r.messages or ("the engine failed this guardrail",):
                results.append(_unparsed(g, index[g.id], r, locator, m))
    notifications = _notifications(run)
    notifications += [{"level": "warning", "message": {"text": p}} for p in locator.collect_problems()]
    notifications += [{"level": "warning", "message": {"text": w}} for w in run.warnings]
    notifications += [{"level": "warning", "message": {"text": f"{w.workload}: not evaluated: {gap}"}}
                      for w in run.workloads for gap in w.not_evaluated]
    invocation: dict[str, Any] = {"executionSuccessful": not run.has_errors,
                                  "properties": {"mode": run.mode, "exitCode": run.exit_code}}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    sarif_run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "tfguard", "version": __version__, "semanticVersion": __version__,
            "rules": [_rule(g) for g in run.guardrails],
        }},
        "automationDetails": {"id": f"tfguard/{run.mode}/"},
        "invocations": [invocation],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"workloads": [w.workload for w in run.workloads], "created": run.created,
                       **({"rulesSource": dict(run.rules_source)} if run.rules_source else {})},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}


class SarifFormatter:
    name = "sarif"
    filename = "results.sarif"
    in_report_dir = True

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
        return json.dumps(to_sarif(run), separators=(",", ":")) + "\n"  # compact: read by machines, and large


FORMATTER = SarifFormatter()
