"""summary.md: a short, grouped summary for a pull request comment or `$GITHUB_STEP_SUMMARY`.

Verdict and counts first, then a per-workload table, then the failing guardrails (grouped, worst severity
first, each folded in <details> with its resources and remediation), errors and excluded findings. Long
runs are cut to stay well below GitHub's 65,536-character comment limit: the full picture is in
dashboard.html and results.json.
"""

from __future__ import annotations

import re
from collections import defaultdict

from runner import __version__
from runner.model import Finding, Guardrail, Result, RunResult, Status
from runner.report.options import NO_OPTIONS, ReportOptions

ICON = {Status.PASSED: "✅", Status.FAILED: "❌", Status.NOT_APPLICABLE: "➖", Status.ERROR: "⚠️", Status.UNKNOWN: "❓"}
EXCLUDED_ICON = "🔕"
MAX_CHARS = 60_000
MAX_WORKLOAD_ROWS = 25
MAX_RESOURCES = 10
MAX_WORKLOADS_PER_GUARDRAIL = 15
MAX_EXCLUDED_ROWS = 30


def text(value: str) -> str:
    """Plain text safe in Markdown and in GitHub's HTML: no tags, no table breaks, one line."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\s+", " ", value.replace("|", "\\|")).strip()


def code(value: str) -> str:
    """An inline code span that survives backticks and pipes in the value."""
    value = re.sub(r"\s+", " ", value).replace("|", "\\|")
    fence = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _verdict(run: RunResult) -> str:
    failing = len({r.guardrail_id for r in run.results if r.status is Status.FAILED})
    unknown = len({r.guardrail_id for r in run.results if r.status is Status.UNKNOWN})
    also = f", {plural(unknown, 'guardrail')} unknown at plan time" if unknown else ""
    if run.exit_code == 2:
        return "⚠️ error: results are incomplete"
    if run.mode == "observe":
        if failing or unknown:
            return f"👀 {plural(failing, 'guardrail')} would fail{also} (observation, not enforced)"
        return "✅ compliant with the observed guardrails"
    if failing or unknown:
        return f"❌ noncompliant ({plural(failing, 'guardrail')} failing{also})"
    return "✅ compliant"


def _headline(run: RunResult) -> list[str]:
    c = run.counts()
    excluded = sum(len(r.excluded) for r in run.results)
    unknown = f"{ICON[Status.UNKNOWN]} {c['unknown']} unknown · " if c["unknown"] else ""  # counted apart
    counts = (f"{ICON[Status.PASSED]} {c['passed']} passed · {ICON[Status.FAILED]} {c['failed']} failed · {unknown}"
              f"{ICON[Status.NOT_APPLICABLE]} {c['not-applicable']} not applicable · "
              f"{ICON[Status.ERROR]} {plural(c['error'], 'error')} · {EXCLUDED_ICON} {excluded} excluded")
    return [f"### tfguard {run.mode}: {_verdict(run)}", "",
            f"**{plural(len(run.guardrails), 'guardrail')} × {plural(len(run.workloads), 'workload')}** — {counts}",
            ""]


def workload_status(results: list[Result], error: str = "") -> Status:
    """A workload's overall state: error, else failed, else unknown, else passed."""
    if error or any(r.status is Status.ERROR for r in results):
        return Status.ERROR
    if any(r.status is Status.FAILED for r in results):
        return Status.FAILED
    return Status.UNKNOWN if any(r.status is Status.UNKNOWN for r in results) else Status.PASSED


VERDICT = {Status.ERROR: f"{ICON[Status.ERROR]} error", Status.FAILED: f"{ICON[Status.FAILED]} noncompliant",
           Status.UNKNOWN: f"{ICON[Status.UNKNOWN]} unknown at plan time",
           Status.PASSED: f"{ICON[Status.PASSED]} compliant"}


def _workload_table(run: RunResult, by_workload: dict[str, list[Result]]) -> list[str]:
    rows = []
    hidden = 0
    with_unknown = any(r.status is Status.UNKNOWN for r in run.results)  # the column only when there are some
    for w in run.workloads:
        results = by_workload.get(w.workload, [])
        status = workload_status(results, w.error)
        if len(run.workloads) > MAX_WORKLOAD_ROWS and status is Status.PASSED:
            hidden += 1
            continue
        n = {s: sum(1 for r in results if r.status is s) for s in Status}
        excluded = sum(len(r.excluded) for r in results)
        label = text(w.workload) + (" (static plan from source)" if w.static_plan else "")
        unknown = f"{n[Status.UNKNOWN]} | " if with_unknown else ""
        rows.append(f"| {label} | {VERDICT[status]} | {n[Status.PASSED]} | {n[Status.FAILED]} | {unknown}"
                    f"{n[Status.NOT_APPLICABLE]} | {n[Status.ERROR]} | {excluded} |")
    if not rows and not hidden:
        return []
    out = ["| Workload | Result | Passed | Failed | " + ("Unknown | " if with_unknown else "") + "N/A | Errors | Excluded |",
           "| --- | --- | ---: | ---: | " + ("---: | " if with_unknown else "") + "---: | ---: | ---: |", *rows]
    if hidden:
        out.append(f"\n{plural(hidden, 'more workload')} compliant, not listed.")
    return [*out, ""]


def _resources(findings: tuple[Finding, ...]) -> str:
    shown = [code(f.address) if f.address else "(no resource named)" for f in findings[:MAX_RESOURCES]]
    more = len(findings) - MAX_RESOURCES
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _failing_block(g: Guardrail, results: list[Result]) -> list[str]:
    resources = sum(len(r.violations) for r in results)
    summary = (f"<b>{text(g.id)}</b> ({g.severity.value}) {text(g.title)} — "
               f"{plural(resources, 'resource')} in {plural(len(results), 'workload')}")
    lines = ["<details>", f"<summary>{summary}</summary>", ""]
    for r in results[:MAX_WORKLOADS_PER_GUARDRAIL]:
        what = _resources(r.violations) if r.violations else "failed (the engine named no resource)"
        excluded = f" · {EXCLUDED_ICON} {len(r.excluded)} excluded" if r.excluded else ""
        lines.append(f"- **{text(r.workload)}**: {what}{excluded}")
    if len(results) > MAX_WORKLOADS_PER_GUARDRAIL:
        lines.append(f"- and {plural(len(results) - MAX_WORKLOADS_PER_GUARDRAIL, 'more workload')}")
    if g.remediation:
        lines += ["", f"**Fix:** {g.remediation}"]
    if g.controls:
        lines += ["", f"Controls: {', '.join(text(c) for c in g.controls)}"]
    return [*lines, "", "</details>", ""]


def _failures(run: RunResult) -> list[str]:
    failing: dict[str, list[Result]] = defaultdict(list)
    for r in run.results:
        if r.status is Status.FAILED:
            failing[r.guardrail_id].append(r)
    if not failing:
        return []
    order = sorted(failing, key=lambda gid: (-run.guardrail(gid).severity.rank, -len(failing[gid]), gid))
    title = "Guardrails that would fail" if run.mode == "observe" else "Failing guardrails"
    lines = [f"#### {ICON[Status.FAILED]} {title}", ""]
    for gid in order:
        lines += _failing_block(run.guardrail(gid), failing[gid])
    return lines


def _unknowns(run: RunResult) -> list[str]:
    found: dict[str, list[Result]] = defaultdict(list)
    for r in run.results:
        if r.unknowns:
            found[r.guardrail_id].append(r)
    if not found:
        return []
    lines = [f"#### {ICON[Status.UNKNOWN]} Unknown at plan time (values known only after apply: not a pass)", ""]
    for gid in sorted(found, key=lambda gid: (-run.guardrail(gid).severity.rank, gid)):
        g = run.guardrail(gid)
        for r in found[gid][:MAX_WORKLOADS_PER_GUARDRAIL]:
            lines.append(f"- **{text(g.id)}** ({g.severity.value}) {text(g.title)} · **{text(r.workload)}**: "
                         f"{_resources(r.unknowns)}")
        if len(found[gid]) > MAX_WORKLOADS_PER_GUARDRAIL:
            lines.append(f"- and {plural(len(found[gid]) - MAX_WORKLOADS_PER_GUARDRAIL, 'more workload')}")
    return [*lines, ""]


def _errors(run: RunResult) -> list[str]:
    items = [f"- **{text(w.workload)}**: {text(w.error.splitlines()[0])}" for w in run.workloads if w.error]
    seen = {w.workload for w in run.workloads if w.error}
    for r in run.results:
        if r.status is Status.ERROR and r.workload not in seen:
            items.append(f"- **{text(r.workload)}** · {text(r.guardrail_id)}: "
                         f"{text((r.error or 'error').splitlines()[0])}")
    return [f"#### {ICON[Status.ERROR]} Errors", "", *items, ""] if items else []


def _excluded(run: RunResult) -> list[str]:
    found = [f for r in run.results for f in r.findings if f.excluded_by is not None]
    if not found:
        return []
    lines = [f"#### {EXCLUDED_ICON} Excluded findings", "",
             "| Guardrail | Workload | Resource | Exclusion | Expires |", "| --- | --- | --- | --- | --- |"]
    for f in found[:MAX_EXCLUDED_ROWS]:
        ref = f.excluded_by
        assert ref is not None
        ticket = f" ({text(ref.ticket)})" if ref.ticket else ""
        lines.append(f"| {text(f.guardrail_id)} | {text(f.workload)} | {code(f.address) if f.address else '—'} | "
                     f"{text(ref.id)}{ticket} | {ref.expires.isoformat()} |")
    if len(found) > MAX_EXCLUDED_ROWS:
        lines.append(f"\nand {plural(len(found) - MAX_EXCLUDED_ROWS, 'more excluded finding')}.")
    return [*lines, ""]


def _expired(run: RunResult) -> list[str]:
    items = [f"- {text(f.guardrail_id)} · {text(f.workload)} · {code(f.address) if f.address else '—'}: "
             f"{text(f.note)}" for r in run.results for f in r.findings
             if f.expired_exclusion is not None and f.excluded_by is None]
    return ["#### ⏰ Expired exclusions (failing again)", "", *items, ""] if items else []


def _footer(run: RunResult) -> list[str]:
    parts = [f"tfguard {__version__}"]
    if run.created:
        parts.append(run.created)
    if run.rules_source.get("commit"):
        parts.append(f"rules {run.rules_source['commit'][:12]}")
    return [f"<sub>{' · '.join(text(p) for p in parts)} · details: dashboard.html, results.json</sub>"]


def _not_evaluated(run: RunResult) -> list[str]:
    """Configuration a static plan holds no resources for: its guardrail verdicts do not cover it."""
    items = [f"- {text(w.workload)}: {code(gap)}" for w in run.workloads for gap in w.not_evaluated]
    return ["#### Not evaluated (static plans)", "", *items, ""] if items else []


def render_markdown(run: RunResult) -> str:
    by_workload: dict[str, list[Result]] = defaultdict(list)
    for r in run.results:
        by_workload[r.workload].append(r)
    head = _headline(run) + _workload_table(run, by_workload) + _not_evaluated(run)
    body = _failures(run) + _unknowns(run) + _errors(run) + _expired(run) + _excluded(run)
    out = "\n".join(head + body + _footer(run)) + "\n"
    if len(out) <= MAX_CHARS:
        return out
    note = ["**This summary is cut short**: the run is too large for one comment. See dashboard.html.", ""]
    kept: list[str] = []
    budget = MAX_CHARS - len("\n".join(head + note + _footer(run))) - 200
    for line in body:
        if budget - len(line) - 1 < 0:
            break
        kept.append(line)
        budget -= len(line) + 1
    if kept.count("<details>") > kept.count("</details>"):
        kept += ["", "</details>"]
    return "\n".join(head + note + kept + ["", *_footer(run)]) + "\n"


class MarkdownFormatter:
    name = "markdown"
    filename = "summary.md"
    in_report_dir = True

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
        return render_markdown(run)


FORMATTER = MarkdownFormatter()
