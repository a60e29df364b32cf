"""junit.xml: one test suite per workload, one test case per guardrail x workload, for CI test tabs.

passed -> a passing case; failed -> <failure> listing the noncompliant resources, the engine's messages
and the remediation; unknown -> <failure> too (type "unknown": the resources it cannot judge at plan time
are never a pass); not-applicable -> <skipped>; error -> <error>. Excluded findings and @warning findings
never fail a case: they are listed in the case's <system-out> (and in the failure text, when there is one),
so an exclusion stays visible where app teams look.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from runner.model import Finding, Guardrail, Result, RunResult, Status, WorkloadRun
from runner.report.options import NO_OPTIONS, ReportOptions

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_MESSAGE_LINES = 12


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold (control characters dropped)."""
    return _XML_INVALID.sub("", text)


def _indent(text: str, pad: str) -> list[str]:
    lines = text.splitlines()
    extra = len(lines) - MAX_MESSAGE_LINES
    kept = [pad + line for line in lines[:MAX_MESSAGE_LINES]]
    return kept + ([f"{pad}... {extra} more lines"] if extra > 0 else [])


def _finding_lines(findings: tuple[Finding, ...], title: str, with_messages: bool) -> list[str]:
    if not findings:
        return []
    lines = ["", f"{title} ({len(findings)}):"]
    for f in findings:
        lines.append(f"  - {f.address or '(no resource named)'}" + (f" ({f.note})" if f.note else ""))
        if with_messages:
            lines += _indent(f.message, "      ")
    return lines


def _header(g: Guardrail, r: Result) -> list[str]:
    lines = [f"{g.id} [{g.severity.value}] {g.title}", f"workload: {r.workload}"]
    if g.controls:
        lines.append(f"controls: {', '.join(g.controls)}")
    lines.append(f"guardrail: {g.where}")
    return lines


def failure_text(g: Guardrail, r: Result) -> str:
    lines = _header(g, r)
    lines += _finding_lines(r.violations, "Noncompliant resources", True)
    lines += _finding_lines(r.unknowns, "Unknown at plan time (values known only after apply), not a pass", True)
    for m in r.messages:
        lines += ["", "Engine message:", *_indent(m, "  ")]
    lines += _finding_lines(r.excluded, "Excluded, not failing", False)
    lines += _finding_lines(tuple(f for f in r.findings if f.warning and not f.excluded), "Warnings", True)
    if g.remediation:
        lines += ["", "Remediation:", *_indent(g.remediation, "  ")]
    return "\n".join(lines)


def _failure_message(run: RunResult, r: Result) -> str:
    count = len(r.violations)
    what = f"{count} noncompliant resource{'s' if count != 1 else ''}" if count else "guardrail failed"
    if r.unknowns:
        unknown = f"{len(r.unknowns)} resource{'s' if len(r.unknowns) != 1 else ''} unknown at plan time"
        what = f"{what}, {unknown}" if count else unknown
    excluded = f", {len(r.excluded)} excluded" if r.excluded else ""
    prefix = "observed, not enforced: " if run.mode == "observe" else ""
    return f"{prefix}{what}{excluded}"


def _notes(r: Result) -> str:
    lines = _finding_lines(r.excluded, "Excluded findings", False)
    lines += _finding_lines(tuple(f for f in r.findings if f.warning and not f.excluded), "Warnings", True)
    return "\n".join(lines).strip()


def _case(run: RunResult, g: Guardrail, r: Result) -> ET.Element:
    case = ET.Element("testcase", {
        "name": f"{g.id}: {g.title}", "classname": r.workload, "file": g.file, "line": str(g.line), "time": "0",
    })
    if r.status in (Status.FAILED, Status.UNKNOWN):
        kind = g.severity.value if r.status is Status.FAILED else "unknown"
        failure = ET.SubElement(case, "failure", {"message": _failure_message(run, r), "type": kind})
        failure.text = failure_text(g, r)
    elif r.status is Status.ERROR:
        error = ET.SubElement(case, "error", {"message": r.error.splitlines()[0] if r.error else "error",
                                              "type": "evaluation-error"})
        error.text = "\n".join([*_header(g, r), "", r.error])
    elif r.status is Status.NOT_APPLICABLE:
        types = ", ".join(g.resource_types) or "matching"
        ET.SubElement(case, "skipped", {"message": f"not applicable: no {types} resources in the plan"})
    elif (notes := _notes(r)) and r.status is Status.PASSED:
        ET.SubElement(case, "system-out").text = notes
    return case


def _counts(results: list[Result]) -> dict[str, str]:
    n = {s: sum(1 for r in results if r.status is s) for s in Status}
    return {"tests": str(len(results)), "failures": str(n[Status.FAILED] + n[Status.UNKNOWN]),
            "errors": str(n[Status.ERROR]),
            "skipped": str(n[Status.NOT_APPLICABLE]), "time": "0"}


def _suite(run: RunResult, w: WorkloadRun, results: list[Result]) -> ET.Element:
    attrs = {"name": w.workload, **_counts(results)}
    if run.created:
        attrs["timestamp"] = run.created[:19]
    suite = ET.Element("testsuite", attrs)
    props = ET.SubElement(suite, "properties")
    for name, value in (("mode", run.mode), ("plan", w.plan_path), ("plan_digest", w.plan_digest),
                        ("static_plan", str(w.static_plan).lower()), *sorted(run.rules_source.items())):
        if value:
            ET.SubElement(props, "property", {"name": name, "value": str(value)})
    for gap in w.not_evaluated:  # configuration a static plan holds no resources for
        ET.SubElement(props, "property", {"name": "not_evaluated", "value": gap})
    for r in results:
        suite.append(_case(run, run.guardrail(r.guardrail_id), r))
    if w.error:
        ET.SubElement(suite, "system-err").text = w.error
    return suite


def render_junit(run: RunResult) -> str:
    by_workload: dict[str, list[Result]] = defaultdict(list)
    for r in run.results:
        by_workload[r.workload].append(r)
    root = ET.Element("testsuites", {"name": "tfguard", **_counts(list(run.results))})
    workloads = list(run.workloads) or [WorkloadRun(name) for name in by_workload]
    for w in workloads:
        root.append(_suite(run, w, by_workload.get(w.workload, [])))
    for el in root.iter():
        el.text = xml_text(el.text) if el.text else el.text
        for key, value in el.attrib.items():
            el.attrib[key] = xml_text(value)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


class JunitFormatter:
    name = "junit"
    filename = "junit.xml"
    in_report_dir = True

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
        return render_junit(run)


FORMATTER = JunitFormatter()
