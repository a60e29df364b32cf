"""What the dashboard shows, computed from one run: plain records the template (templates/dashboard.html.j2)
lays out. Nothing here writes markup, so nothing here can forget to escape: the template is rendered with
autoescape on, and every value from a plan, a feature file or an exclusion reaches it as text.

Compliance over time: per guardrail and date, the share of evaluated workloads that passed (`excluded`
counts as passed, `not-applicable` is left out). Pending: `ReportOptions.pending` when given, otherwise the
guardrails this run reports as changed (observe mode) and those whose `@deadline` is still ahead.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from runner.addresses import parse_address
from runner.model import Finding, Guardrail, Result, RunResult, Status, WorkloadRun
from runner.report.options import HistoryPoint

ICON = {"passed": "✔", "failed": "✖", "not-applicable": "–", "error": "⚠", "none": "·", "unknown": "?"}
WORD = {"passed": "pass", "failed": "fail", "not-applicable": "n/a", "error": "error", "none": "not run",
        "unknown": "unknown"}
STATUS_LABEL = {"passed": "passed", "failed": "failed", "not-applicable": "not applicable", "error": "error",
                "excluded": "has excluded findings", "warning": "has warnings", "unknown": "unknown at plan time"}
FILTER_STATUSES = ("failed", "passed", "excluded", "warning", "not-applicable", "error")
EXPIRY_WARNING_DAYS = 14
MAX_MESSAGE_LINES = 8
MAX_HISTORY_DATES = 180
RESULT_STATUSES = ("failed", "unknown", "passed", "not-applicable", "error")  # shown when counted


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def days_text(days: int, future: str, past: str) -> str:
    if days == 0:
        return "today"
    return future.format(plural(days, "day")) if days > 0 else past.format(plural(-days, "day"))


def prose(value: str) -> list[tuple[bool, str]]:
    """Remediation text as (is_code, text) parts: `code` spans become <code> in the template."""
    parts = re.split(r"(`[^`]+`)", value)
    return [(True, p[1:-1]) if len(p) > 1 and p.startswith("`") and p.endswith("`") else (False, p)
            for p in parts if p]


def message(text: str) -> str:
    """An engine message cut to MAX_MESSAGE_LINES lines; "" when there is nothing to show."""
    lines = text.splitlines()
    more = len(lines) - MAX_MESSAGE_LINES
    kept = "\n".join(lines[:MAX_MESSAGE_LINES]) + (f"\n… {more} more lines" if more > 0 else "")
    return kept if kept.strip() else ""


def names_text(names: list[str], limit: int) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def result_tags(r: Result) -> str:
    tags = [r.status.value]
    if r.excluded:
        tags.append("excluded")
    if any(f.warning for f in r.findings):
        tags.append("warning")
    return " ".join(tags)


def default_pending(run: RunResult, today: date) -> dict[str, date | None]:
    return {g.id: g.deadline for g in run.guardrails
            if g.id in run.changed_guardrails or (g.deadline is not None and g.deadline >= today)}


# --- records the template reads -----------------------------------------------------------------------------


class Axis(NamedTuple):
    """A matrix header: a workload (kind "w") or a guardrail (kind "g")."""

    kind: str
    key: str
    anchor: str
    guardrail: Guardrail | None = None


class Cell(NamedTuple):
    status: str  # a Status value, or "none" when not run
    tags: str
    violations: int = 0
    excluded: int = 0


class Shown(NamedTuple):
    """A finding as a workload's panel lists it; the message is already cut to MAX_MESSAGE_LINES."""

    guardrail_id: str
    severity: str
    address: str
    note: str
    message: str


def shown(f: Finding) -> Shown:
    return Shown(f.guardrail_id, f.severity.value, f.address or "(no resource named)", f.note, message(f.message))


class Chart(NamedTuple):
    """An inline SVG line chart; coordinates are already formatted."""

    label: str
    width: int
    height: int
    left: int  # the plot's left and right edges
    right: int
    grid: list[tuple[str, str, str]]  # (y, label y, label) of the 0, 50 and 100 % lines
    lines: list[str]  # polyline points
    dots: list[tuple[str, str]]
    first: tuple[int, int, str]  # (x, y, date)
    last: tuple[int, int, str] | None


class Figure(NamedTuple):
    caption: str
    guardrail: Guardrail | None
    gid: str | None
    chart: Chart
    summary: str


class View:
    """Indexes over one run, and each section's rows, for the template."""

    def __init__(self, run: RunResult, today: date, pending: dict[str, date | None],
                 history: tuple[HistoryPoint, ...]) -> None:
        self.run = run
        self.today = today
        self.pending = pending
        self.history = history
        self.guardrails = list(run.guardrails)
        self.known = {g.id: g for g in run.guardrails}
        names = [w.workload for w in run.workloads]
        names += sorted({r.workload for r in run.results} - set(names))
        given = {w.workload: w for w in run.workloads}
        self.workloads = [given.get(n, WorkloadRun(n)) for n in sorted(names)]
        self.cell: dict[tuple[str, str], Result] = {(r.workload, r.guardrail_id): r for r in run.results}
        self.by_workload: dict[str, list[Result]] = defaultdict(list)
        self.by_guardrail: dict[str, list[Result]] = defaultdict(list)
        for r in run.results:
            self.by_workload[r.workload].append(r)
            self.by_guardrail[r.guardrail_id].append(r)
        self._anchors: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()
        self._status = {w.workload: self._workload_status(w) for w in self.workloads}

    def anchor(self, kind: str, key: str) -> str:
        if (kind, key) not in self._anchors:
            base = f"{kind}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "x")
            candidate, n = base, 2
            while candidate in self._taken:
                candidate, n = f"{base}-{n}", n + 1
            self._anchors[(kind, key)] = candidate
            self._taken.add(candidate)
        return self._anchors[(kind, key)]

    def _workload_status(self, w: WorkloadRun) -> str:
        results = self.by_workload.get(w.workload, [])
        if w.error or any(r.status is Status.ERROR for r in results):
            return "error"
        if any(r.status is Status.FAILED for r in results):
            return "failed"
        return "unknown" if any(r.status is Status.UNKNOWN for r in results) else "passed"

    def workload_status(self, w: WorkloadRun) -> str:
        return self._status[w.workload]

    # --- summary --------------------------------------------------------------------------------------------

    def verdict(self) -> tuple[str, str]:
        """(kind, text); kind is error, observe, failed or passed (the banner's class and icon)."""
        code = self.run.exit_code
        failing = sum(1 for s in self._status.values() if s in ("failed", "unknown"))
        if code == 2:
            return "error", "Error: results are incomplete"
        if code == 1 and self.run.mode == "observe":
            return "observe", f"Observation: {plural(failing, 'workload')} would fail (not enforced)"
        if code == 1:
            return "failed", f"Noncompliant: {plural(failing, 'workload')} failing"
        return "passed", "Compliant"

    def cards(self) -> list[tuple[str, int, str]]:
        run = self.run
        statuses = Counter(self._status.values())
        c = run.counts()
        unknown = f"{statuses['unknown']} unknown, " if statuses["unknown"] else ""
        cards = [
            ("Workloads", len(self.workloads), (f"{statuses['passed']} compliant, {statuses['failed']} failing, "
                                                 f"{unknown}{statuses['error']} with errors")),
            ("Guardrails", len(self.guardrails), f"{len(self.pending)} pending activation"),
            ("Failed results", c["failed"], f"of {len(run.results)} guardrail × workload results"),
            ("Noncompliant resources", sum(len(r.violations) for r in run.results), "findings that count"),
            ("Excluded findings", sum(len(r.excluded) for r in run.results), "accepted until their expiry"),
            ("Errors", c["error"], "results the engine could not evaluate"),
        ]
        if c["unknown"]:  # counted apart, never among the passed
            cards.insert(3, ("Unknown results", c["unknown"], f"{sum(len(r.unknowns) for r in run.results)} "
                             "resources with values known only after apply: not a pass"))
        return cards

    def filters(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(name, label, [(value, text)]) per filter select."""
        severities = sorted({g.severity for g in self.guardrails}, key=lambda s: -s.rank)
        return [
            ("w", "Workload", [(w.workload, w.workload) for w in self.workloads]),
            ("g", "Guardrail", [(g.id, f"{g.id} {g.title}") for g in self.guardrails]),
            ("sev", "Severity", [(s.value, s.value) for s in severities]),
            ("s", "Status", [(s, STATUS_LABEL[s]) for s in FILTER_STATUSES
                             + (("unknown",) if any(r.status is Status.UNKNOWN for r in self.run.results) else ())]),
        ]

    # --- matrix ---------------------------------------------------------------------------------------------

    def matrix(self) -> dict[str, Any]:
        """The longer axis goes down the page."""
        by_rows = len(self.workloads) >= len(self.guardrails)
        ws = [Axis("w", w.workload, self.anchor("w", w.workload)) for w in self.workloads]
        gs = [Axis("g", g.id, self.anchor("g", g.id), g) for g in self.guardrails]
        rows, cols = (ws, gs) if by_rows else (gs, ws)
        body = []
        for row in rows:
            cells = []
            for col in cols:
                w, g = (row.key, col.key) if by_rows else (col.key, row.key)
                cells.append(_cell(self.cell.get((w, g))))
            body.append((row, cells))
        return {"rows": "workloads" if by_rows else "guardrails", "cols": "guardrails" if by_rows else "workloads",
                "head": cols, "body": body}

    # --- most common noncompliance ------------------------------------------------------------------------

    def common(self) -> list[dict[str, Any]]:
        ranked = []
        for g in self.guardrails:
            results = self.by_guardrail.get(g.id, [])
            failing = [r for r in results if r.status is Status.FAILED]
            if failing:
                evaluated = sum(1 for r in results if r.status in (Status.PASSED, Status.FAILED, Status.ERROR))
                ranked.append((len(failing), g, failing, evaluated, results))
        ranked.sort(key=lambda t: (-t[0], -t[1].severity.rank, t[1].id))
        rows = []
        for rank, (n, g, failing, evaluated, results) in enumerate(ranked, 1):
            share = round(100 * n / evaluated) if evaluated else 0
            rows.append({"rank": rank, "g": g, "anchor": self.anchor("g", g.id), "failing": n, "evaluated": evaluated,
                         "share": share, "bar": f"{max(share, 2) * 0.8:.0f}",
                         "names": names_text([r.workload for r in failing], 6),
                         "resources": sum(len(r.violations) for r in failing),
                         "excluded": sum(len(r.excluded) for r in results)})
        return rows

    def resource_types(self) -> list[tuple[str, int, int, str]]:
        """(resource type, workloads, findings, guardrails) for the 15 types most often noncompliant."""
        by_type: dict[str, list[Finding]] = defaultdict(list)
        for r in self.run.results:
            for f in r.violations:
                if f.address:
                    parsed = parse_address(f.address)
                    by_type[parsed.type if parsed else f.address].append(f)
        ranked = sorted(by_type.items(), key=lambda kv: (-len({f.workload for f in kv[1]}), -len(kv[1]), kv[0]))
        return [(t, len({f.workload for f in fs}), len(fs), ", ".join(sorted({f.guardrail_id for f in fs})))
                for t, fs in ranked[:15]]

    # --- pending and excluded -----------------------------------------------------------------------------

    def pending_rows(self) -> list[dict[str, Any]]:
        rows = []
        for gid, deadline in sorted(self.pending.items(), key=lambda kv: (kv[1] is None, kv[1] or date.max, kv[0])):
            failing = [r.workload for r in self.by_guardrail.get(gid, [])
                       if r.status in (Status.FAILED, Status.UNKNOWN)]  # unknown: not shown compliant
            when, left, cls = "not set", "—", ""
            if deadline is not None:
                days = (deadline - self.today).days
                when = deadline.isoformat()
                left = days_text(days, "{} left", "overdue by {}")
                cls = "overdue" if days < 0 else ("soon" if days <= 7 else "")
            g = self.known.get(gid)
            rows.append({"gid": gid, "g": g, "anchor": self.anchor("g", gid) if g else "", "when": when,
                         "left": left, "cls": cls, "failing": len(failing), "names": names_text(failing, 8)})
        return rows

    def excluded_rows(self) -> list[dict[str, Any]]:
        found = [f for r in self.run.results for f in r.findings if f.excluded_by is not None]
        rows = []
        for f in sorted(found, key=lambda f: (f.excluded_by.expires if f.excluded_by else date.max, f.workload)):
            ref = f.excluded_by
            assert ref is not None
            days = (ref.expires - self.today).days
            rows.append({"f": f, "ref": ref, "days": days_text(days, "in {}", "{} ago"),
                         "cls": "overdue" if days < 0 else ("soon" if days <= EXPIRY_WARNING_DAYS else "")})
        return rows

    def expired(self) -> list[Finding]:
        return [f for r in self.run.results for f in r.findings if f.expired_exclusion is not None and not f.excluded]

    # --- compliance over time -----------------------------------------------------------------------------

    def figures(self) -> list[Figure]:
        by_guardrail: dict[str, list[HistoryPoint]] = defaultdict(list)
        for p in self.history:
            by_guardrail[p.guardrail].append(p)
        order = [g.id for g in self.guardrails if g.id in by_guardrail]
        order += sorted(set(by_guardrail) - set(order))
        figures = [_figure("All guardrails", "All guardrails", compliance_series(self.history), None, None)]
        for gid in order:
            g = self.known.get(gid)
            name = f"{gid} {g.title}" if g else f"{gid} (no longer in the rules)"
            figures.append(_figure(gid, name, compliance_series(by_guardrail[gid]), g, gid))
        return figures

    # --- guardrails and workloads -------------------------------------------------------------------------

    def guardrail_rows(self) -> list[dict[str, Any]]:
        rows = []
        for g in self.guardrails:
            counts = Counter(r.status.value for r in self.by_guardrail.get(g.id, []))
            rows.append({"g": g, "anchor": self.anchor("g", g.id), "pills": [(s, counts[s]) for s in RESULT_STATUSES
                                                                              if counts[s]],
                         "pending": g.id in self.pending, "deadline": self.pending.get(g.id)})
        return rows

    def workload_panels(self) -> list[dict[str, Any]]:
        rank = {"error": 0, "failed": 1, "unknown": 2, "passed": 3}
        order = sorted(self.workloads, key=lambda w: (rank[self._status[w.workload]],
                                                      w.workload))
        return [self._panel(w, open_=len(order) == 1) for w in order]

    def _panel(self, w: WorkloadRun, open_: bool) -> dict[str, Any]:
        results = self.by_workload.get(w.workload, [])
        status = self._status[w.workload]
        counts = Counter(r.status.value for r in results)
        failing = [r for r in results if r.status is Status.FAILED]
        return {
            "w": w, "anchor": self.anchor("w", w.workload), "status": status, "open": open_,
            "label": {"passed": "compliant", "failed": "noncompliant", "error": "error",
                      "unknown": "unknown at plan time"}[status],
            "tags": " ".join(sorted({t for r in results for t in result_tags(r).split()})),
            "counts": ", ".join(f"{counts[s]} {STATUS_LABEL[s]}" for s in RESULT_STATUSES if counts[s]) or "no results",
            "failing": [self._failing(r) for r in failing],
            "unknown": [self._failing(r) for r in results if r.status is Status.UNKNOWN],
            "errors": [r for r in results if r.status is Status.ERROR and r.error != w.error],
            "excluded": [shown(f) for r in results for f in r.excluded],
            "warnings": [shown(f) for r in results for f in r.findings if f.warning and not f.excluded],
            "lists": [(STATUS_LABEL[s.value].capitalize(), ", ".join(ids)) for s in (Status.PASSED, Status.NOT_APPLICABLE)
                      if (ids := [r.guardrail_id for r in results if r.status is s])],
        }

    def _failing(self, r: Result) -> dict[str, Any]:
        g = self.known[r.guardrail_id]
        return {"g": g, "anchor": self.anchor("g", g.id), "tags": result_tags(r),
                "violations": [shown(f) for f in r.violations],
                "unknowns": [shown(f) for f in r.unknowns],
                "messages": [] if r.violations else [message(m) for m in r.messages]}


def _cell(r: Result | None) -> Cell:
    if r is None:
        return Cell("none", "none")
    violations = len(r.violations) if r.status is Status.FAILED else 0
    if r.status is Status.UNKNOWN:
        violations = len(r.unknowns)
    return Cell(r.status.value, result_tags(r), violations, len(r.excluded))


# --- compliance over time -------------------------------------------------------------------------------------


def compliance_series(points: Iterable[HistoryPoint]) -> list[tuple[date, float | None, int, int]]:
    """Per date: (date, percent compliant or None, compliant count, evaluated count); the last record of a
    guardrail and workload on one date wins."""
    latest: dict[tuple[date, str, str], str] = {}
    for p in points:
        latest[(p.day, p.guardrail, p.workload)] = p.status
    per_day: dict[date, list[str]] = defaultdict(list)
    for (day, _, _), status in latest.items():
        per_day[day].append(status)
    out = []
    for day in sorted(per_day)[-MAX_HISTORY_DATES:]:
        statuses = per_day[day]
        ok = sum(1 for s in statuses if s in ("passed", "excluded"))
        evaluated = sum(1 for s in statuses if s != "not-applicable")
        out.append((day, 100 * ok / evaluated if evaluated else None, ok, evaluated))
    return out


def chart(series: list[tuple[date, float | None, int, int]], label: str) -> Chart:
    w, h, left, right, top, bottom = 300, 112, 36, 10, 8, 22
    pw, ph = w - left - right, h - top - bottom
    days = [d for d, *_ in series]
    span = max((days[-1] - days[0]).days, 1)

    def x(d: date) -> str:
        return f"{left + (pw / 2 if len(days) == 1 else pw * (d - days[0]).days / span):.1f}"

    def y(pct: float) -> float:
        return top + ph * (1 - pct / 100)

    segments: list[list[str]] = [[]]
    for d, pct, *_ in series:
        if pct is None:
            segments.append([])
        else:
            segments[-1].append(f"{x(d)},{y(pct):.1f}")
    dots = [(x(d), f"{y(pct):.1f}") for d, pct, *_ in series if pct is not None]
    return Chart(
        label=label, width=w, height=h, left=left, right=w - right,
        grid=[(f"{y(v):.1f}", f"{y(v) + 4:.1f}", f"{v}%") for v in (0, 50, 100)],
        lines=[" ".join(seg) for seg in segments if len(seg) > 1],
        dots=dots if len(dots) <= 60 else dots[-1:],
        first=(left, h - 6, days[0].isoformat()),
        last=(w - right, h - 6, days[-1].isoformat()) if len(days) > 1 else None,
    )


def series_label(name: str, series: list[tuple[date, float | None, int, int]]) -> str:
    known = [(d, pct, ok, n) for d, pct, ok, n in series if pct is not None]
    if not known:
        return f"{name}: no evaluated workloads in the history"
    d0, p0, *_ = known[0]
    d1, p1, ok, n = known[-1]
    if len(known) == 1:
        return f"{name}: {p1:.0f}% compliant ({ok} of {n} workloads) on {d1.isoformat()}"
    return (f"{name}: {p0:.0f}% compliant on {d0.isoformat()}, {p1:.0f}% ({ok} of {n} workloads) on "
            f"{d1.isoformat()}, {len(series)} dates")


def _figure(caption: str, name: str, series: list[tuple[date, float | None, int, int]], g: Guardrail | None,
            gid: str | None) -> Figure:
    label = series_label(name, series)
    return Figure(caption, g, gid, chart(series, label), label.split(": ", 1)[1])
