"""Findings grouped by resource, for an application team reading its pipeline log: the `by-resource`
format, what `tfguard enforce` prints by default (any command can ask for it with `--format by-resource`).

Each resource lists the guardrails it breaks, what to change in Terraform, and the exact command to ask
for an exclusion in the compliance repository. The header and the last line name the rules' URL and
commit, so a log always says which rules judged the plan."""

from __future__ import annotations

import shlex
from collections import defaultdict

from runner.model import Finding, Result, RunResult, Status
from runner.report.options import NO_OPTIONS, ReportOptions

NO_ADDRESS = "(no resource named by the engine)"
VERDICT = {0: "compliant: deploy may proceed", 1: "NONCOMPLIANT: deploy blocked",
           2: "ERROR: results incomplete, deploy blocked"}


def rules_line(run: RunResult) -> str:
    src = run.rules_source
    if not src:
        return "rules: (local)"
    pinned = ", pinned" if src.get("pinned") == "true" else ""
    cached = ", from cache" if src.get("cached") == "true" else ""
    return f"rules: {src.get('url', '?')} @ {src.get('commit', '?')} ({src.get('ref', '?')}{pinned}{cached})"


def request_command(f: Finding, rules_url: str) -> str:
    address = f.address or "ADDRESS"
    cmd = (f"tfguard exclusions request --workload {shlex.quote(f.workload)} --guardrail {shlex.quote(f.guardrail_id)}"
           f" --resource {shlex.quote(address)} --reason '...' --expires YYYY-MM-DD")
    return f"{cmd} (in the compliance repo {rules_url})"


def _indent(text: str, pad: str, limit: int = 6) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    out = [f"{pad}{ln.strip()}" for ln in lines[:limit]]
    if len(lines) > limit:
        out.append(f"{pad}... ({len(lines) - limit} more lines)")
    return out


def _finding_lines(run: RunResult, f: Finding) -> list[str]:
    g = run.guardrail(f.guardrail_id)
    label = "EXCLUDED" if f.excluded else ("WARNING" if f.warning else ("UNKNOWN" if f.unknown else "FAIL"))
    lines = [f"  {label:<8} {g.id} [{g.severity.value}] {g.title}"]
    pad = " " * 11
    if f.note:
        lines.append(f"{pad}{f.note}")
    if f.excluded:
        return lines
    lines += _indent(f.message, pad + "| ")
    if g.remediation:
        lines += _indent(f"fix: {g.remediation}", pad, limit=12)
    if f.is_violation or f.is_unknown:
        lines.append(f"{pad}to request an exclusion: {request_command(f, run.rules_source.get('url', '?'))}")
    return lines


def _by_address(results: list[Result]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for r in results:
        for f in r.findings:
            grouped[f.address or NO_ADDRESS].append(f)
    order = {k: (k == NO_ADDRESS, not any(f.is_violation or f.is_unknown for f in v), k) for k, v in grouped.items()}
    return {k: grouped[k] for k in sorted(grouped, key=lambda k: order[k])}


def _unattributed(run: RunResult) -> list[str]:
    lines: list[str] = []
    for r in run.results:
        if r.status is Status.ERROR:
            lines.append(f"  ERROR    {r.guardrail_id}: {r.error}")
        elif r.status is Status.FAILED and not r.findings:
            lines.append(f"  FAIL     {r.guardrail_id}: {'; '.join(r.messages) or 'failed without a message'}")
    for w in run.workloads:
        if w.error:
            lines.append(f"  ERROR    workload {w.workload}: {w.error}")
    return lines


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _summary(run: RunResult) -> str:
    c = run.counts()
    violations = [f for r in run.results for f in r.violations]
    excluded = sum(len(r.excluded) for r in run.results)
    resources = len({f.address for f in violations})
    unknowns = sum(len(r.unknowns) for r in run.results)
    unknown = f"{c['unknown']} unknown, " if c["unknown"] else ""  # counted apart, when there are some
    at_plan = f"{unknowns} unknown at plan time, " if unknowns else ""
    return (f"{_n(len(run.guardrails), 'guardrail')}: {c['passed']} passed, {c['failed']} failed, {unknown}"
            f"{c['not-applicable']} not applicable, {_n(c['error'], 'error')}; {_n(len(violations), 'violation')} "
            f"on {_n(resources, 'resource')}, {at_plan}{excluded} excluded -> {VERDICT[run.exit_code]}")


def render_by_resource(run: RunResult) -> str:
    names = ", ".join(w.workload + (" (static plan from source)" if w.static_plan else "") for w in run.workloads) or "?"
    lines = [rules_line(run), f"workload: {names}", ""]
    for address, findings in _by_address(list(run.results)).items():
        lines.append(address)
        for f in findings:
            lines += _finding_lines(run, f)
        lines.append("")
    problems = _unattributed(run)
    problems += [f"  NOT EVALUATED {gap} (static plan)" for w in run.workloads for gap in w.not_evaluated]
    if problems:
        lines += ["not evaluated or not attributed to a resource:", *problems, ""]
    lines += [_summary(run), rules_line(run)]
    return "\n".join(lines) + "\n"


class ByResourceFormatter:
    name = "by-resource"
    filename = "by-resource.txt"
    in_report_dir = False

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
        return render_by_resource(run)


FORMATTER = ByResourceFormatter()
