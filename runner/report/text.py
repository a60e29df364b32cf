"""Readable terminal summary: per guardrail its status and, for failures, resources and message."""

from __future__ import annotations

from collections import defaultdict

from runner.model import Result, RunResult, Status
from runner.report.options import NO_OPTIONS, ReportOptions

ICON = {Status.PASSED: "PASS", Status.FAILED: "FAIL", Status.NOT_APPLICABLE: "N/A ", Status.ERROR: "ERR ",
        Status.UNKNOWN: "UNKN"}


def _result_lines(run: RunResult, r: Result, indent: str) -> list[str]:
    g = run.guardrail(r.guardrail_id)
    lines = [f"{indent}{ICON[r.status]}  {g.id:<14} [{g.severity.value}] {g.title}"]
    pad = indent + "      "
    if r.status is Status.ERROR:
        lines.append(f"{pad}error: {r.error}")
    for f in r.findings:
        label = f.address or "(no resource named)"
        tag = " [excluded]" if f.excluded else (" [warning]" if f.warning else (" [unknown]" if f.unknown else ""))
        lines.append(f"{pad}- {label}{tag}")
        if f.note:
            lines.append(f"{pad}    {f.note}")
        for msg_line in f.message.splitlines()[:3]:
            lines.append(f"{pad}    {msg_line}")
    for m in r.messages:
        lines.append(f"{pad}  message: {m.splitlines()[0] if m else ''}")
    if r.status in (Status.FAILED, Status.UNKNOWN) and g.remediation:
        lines.append(f"{pad}fix: {g.remediation}")
    return lines


def render_text(run: RunResult) -> str:
    by_workload: dict[str, list[Result]] = defaultdict(list)
    for r in run.results:
        by_workload[r.workload].append(r)
    lines: list[str] = []
    for w in run.workloads:
        label = f"workload {w.workload}" + (" (static plan from source)" if w.static_plan else "")
        lines.append(label)
        lines += [f"  NOT EVALUATED  {gap}" for gap in w.not_evaluated]
        if w.error and not by_workload.get(w.workload):
            lines.append(f"  ERR   {w.error}")
        for r in by_workload.get(w.workload, []):
            lines += _result_lines(run, r, "  ")
        lines.append("")
    c = run.counts()
    excluded = sum(len(r.excluded) for r in run.results)
    verdict = {0: "compliant", 1: "NONCOMPLIANT", 2: "ERROR (results incomplete)"}[run.exit_code]
    lines.append(
        f"{len(run.guardrails)} guardrails x {len(run.workloads)} workloads: {c['passed']} passed, "
        f"{c['failed']} failed, " + (f"{c['unknown']} unknown, " if c["unknown"] else "") +
        f"{c['not-applicable']} not applicable, {c['error']} errors, "
        f"{excluded} excluded findings -> {verdict}"
    )
    return "\n".join(lines) + "\n"


class TextFormatter:
    name = "text"
    filename = "summary.txt"
    in_report_dir = False

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
        return render_text(run)


FORMATTER = TextFormatter()
