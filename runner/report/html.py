"""dashboard.html: the central view, one self-contained file (inline CSS, JS and SVG; no network fetch).

Sections: summary; guardrail x workload matrix (status as icon and word as well as colour); the most common
noncompliance across workloads; guardrails pending activation with deadlines and days left; excluded
findings with their expiry (and expired exclusions); compliance over time per guardrail from the ledger's
history; the guardrails; per-workload details with resources and remediation. Every table is plain HTML:
JavaScript only adds the filters (workload, guardrail, severity, status).

The formatter renders a RunResult like every other, and takes two optional extras (keyword arguments of
`HtmlFormatter.render`, or `write_reports(..., options={"html": {...}})`):

- `history`: the ledger's history, records `{"date": "YYYY-MM-DD", "guardrail": ID, "workload": NAME,
  "status": "passed" | "failed" | "not-applicable" | "error" | "excluded"}` (mappings or `HistoryPoint`s).
  Per guardrail and date, compliance is the share of evaluated workloads that passed (`excluded` counts as
  passed, `not-applicable` is left out). Without it the chart section says so.
- `pending`: guardrail id -> activation deadline (a date, "YYYY-MM-DD" or None when unknown). Without it,
  the guardrails this run reports as changed (observe mode) and those whose `@deadline` is still ahead
  are pending.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from importlib import resources
from typing import Any, NamedTuple

from runner import __version__
from runner.addresses import parse_address
from runner.clock import today as clock_today
from runner.errors import ConfigError
from runner.model import Finding, Guardrail, Result, RunResult, Status, WorkloadRun

ICON = {"passed": "✔", "failed": "✖", "not-applicable": "–", "error": "⚠", "none": "·"}
WORD = {"passed": "pass", "failed": "fail", "not-applicable": "n/a", "error": "error", "none": "not run"}
STATUS_LABEL = {"passed": "passed", "failed": "failed", "not-applicable": "not applicable", "error": "error",
                "excluded": "has excluded findings", "warning": "has warnings"}
EXPIRY_WARNING_DAYS = 14
MAX_MESSAGE_LINES = 8
MAX_HISTORY_DATES = 180
HISTORY_STATUSES = {s.value for s in Status} | {"excluded"}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def prose(value: str) -> str:
    """Escaped text with `code` spans (remediation is written that way)."""
    parts = re.split(r"(`[^`]+`)", value)
    return "".join(f"<code>{esc(p[1:-1])}</code>" if p.startswith("`") and p.endswith("`") and len(p) > 1
                   else esc(p) for p in parts)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def days_text(days: int, future: str, past: str) -> str:
    if days == 0:
        return "today"
    return future.format(plural(days, "day")) if days > 0 else past.format(plural(-days, "day"))


# --- extras: history and pending ------------------------------------------------------------------------------


class HistoryPoint(NamedTuple):
    day: date
    guardrail: str
    workload: str
    status: str


def _as_date(value: Any, where: str, seen: dict[Any, date]) -> date:
    if value in seen:
        return seen[value]
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError:
            raise ConfigError(f"{value!r} is not a YYYY-MM-DD date", where=where) from None
    seen[value] = day
    return day


def normalise_history(history: Iterable[Mapping[str, Any] | HistoryPoint] | None) -> list[HistoryPoint]:
    out: list[HistoryPoint] = []
    dates: dict[Any, date] = {}
    for i, rec in enumerate(history or ()):
        if isinstance(rec, HistoryPoint):
            out.append(rec)
            continue
        try:
            gid, workload, status = rec["guardrail"], rec["workload"], rec["status"]
            raw_day = rec["date"] if "date" in rec else rec["day"]
        except (KeyError, TypeError):
            raise ConfigError("needs date, guardrail, workload and status", where=f"history record {i + 1}") from None
        if not isinstance(status, str) or status not in HISTORY_STATUSES:
            raise ConfigError(f"unknown status {status!r}", where=f"history record {i + 1}")
        day = _as_date(raw_day, f"history record {i + 1}", dates)
        out.append(HistoryPoint(day, str(gid), str(workload), status))
    return out


def default_pending(run: RunResult, today: date) -> dict[str, date | None]:
    pending: dict[str, date | None] = {}
    for g in run.guardrails:
        if g.id in run.changed_guardrails or (g.deadline is not None and g.deadline >= today):
            pending[g.id] = g.deadline
    return pending


def normalise_pending(pending: Mapping[str, date | str | None]) -> dict[str, date | None]:
    return {str(gid): (None if d is None else _as_date(d, f"pending {gid}", {})) for gid, d in pending.items()}


# --- the view: indexes over one run ---------------------------------------------------------------------------


class _View:
    def __init__(self, run: RunResult, today: date, pending: dict[str, date | None],
                 history: list[HistoryPoint]) -> None:
        self.run = run
        self.today = today
        self.pending = pending
        self.history = history
        self.guardrails = list(run.guardrails)
        names = [w.workload for w in run.workloads]
        names += sorted({r.workload for r in run.results} - set(names))
        known = {w.workload: w for w in run.workloads}
        self.workloads = [known.get(n, WorkloadRun(n)) for n in sorted(names)]
        self.cell: dict[tuple[str, str], Result] = {(r.workload, r.guardrail_id): r for r in run.results}
        self.by_workload: dict[str, list[Result]] = defaultdict(list)
        self.by_guardrail: dict[str, list[Result]] = defaultdict(list)
        for r in run.results:
            self.by_workload[r.workload].append(r)
            self.by_guardrail[r.guardrail_id].append(r)
        self.anchors: dict[tuple[str, str], str] = {}

    def anchor(self, kind: str, key: str) -> str:
        if (kind, key) not in self.anchors:
            base = f"{kind}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "x")
            taken = set(self.anchors.values())
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            self.anchors[(kind, key)] = candidate
        return self.anchors[(kind, key)]

    def workload_status(self, w: WorkloadRun) -> str:
        results = self.by_workload.get(w.workload, [])
        if w.error or any(r.status is Status.ERROR for r in results):
            return "error"
        return "failed" if any(r.status is Status.FAILED for r in results) else "passed"


def result_tags(r: Result) -> list[str]:
    tags = [r.status.value]
    if r.excluded:
        tags.append("excluded")
    if any(f.warning for f in r.findings):
        tags.append("warning")
    return tags


def sev_badge(g: Guardrail) -> str:
    return f'<span class="sev {esc(g.severity.value)}">{esc(g.severity.value)}</span>'


# --- sections -------------------------------------------------------------------------------------------------


def _header(v: _View) -> str:
    run = v.run
    bits = [f"mode <strong>{esc(run.mode)}</strong>"]
    if run.created:
        bits.append(f"run {esc(run.created)}")
    bits.append(f"as of {esc(v.today.isoformat())}")
    if run.rules_source.get("commit"):
        bits.append(f"rules {esc(run.rules_source.get('url', ''))} @ <code>{esc(run.rules_source['commit'][:12])}</code>")
    return (f'<header class="top"><h1>tfguard compliance dashboard</h1><p>{" · ".join(bits)}</p></header>'
            '<nav class="toc" aria-label="Sections"><ul>'
            + "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in (
                ("summary", "Summary"), ("matrix-h", "Matrix"), ("common", "Most common noncompliance"),
                ("pending", "Pending activation"), ("excluded", "Excluded findings"),
                ("history", "Compliance over time"), ("guardrails", "Guardrails"), ("workloads", "Workloads")))
            + "</ul></nav>")


def _verdict(v: _View) -> str:
    code = v.run.exit_code
    failing = sum(1 for w in v.workloads if v.workload_status(w) == "failed")
    if code == 2:
        return '<p class="verdict error"><span aria-hidden="true">⚠</span> Error: results are incomplete</p>'
    if code == 1 and v.run.mode == "observe":
        return (f'<p class="verdict observe"><span aria-hidden="true">👀</span> Observation: '
                f'{plural(failing, "workload")} would fail (not enforced)</p>')
    if code == 1:
        return (f'<p class="verdict failed"><span aria-hidden="true">✖</span> Noncompliant: '
                f'{plural(failing, "workload")} failing</p>')
    return '<p class="verdict passed"><span aria-hidden="true">✔</span> Compliant</p>'


def _summary(v: _View) -> str:
    run = v.run
    statuses = Counter(v.workload_status(w) for w in v.workloads)
    c = run.counts()
    cards = [
        ("Workloads", len(v.workloads), (f"{statuses['passed']} compliant, {statuses['failed']} failing, "
                                          f"{statuses['error']} with errors")),
        ("Guardrails", len(v.guardrails), f"{len(v.pending)} pending activation"),
        ("Failed results", c["failed"], f"of {len(run.results)} guardrail × workload results"),
        ("Noncompliant resources", sum(len(r.violations) for r in run.results), "findings that count"),
        ("Excluded findings", sum(len(r.excluded) for r in run.results), "accepted until their expiry"),
        ("Errors", c["error"], "results the engine could not evaluate"),
    ]
    items = "".join(f'<li><span class="num">{n}</span><strong>{esc(t)}</strong><br><span class="muted">{esc(s)}'
                    f"</span></li>" for t, n, s in cards)
    warnings = "".join(f"<li>{esc(w)}</li>" for w in run.warnings)
    warn_html = f'<h3>Warnings</h3><ul>{warnings}</ul>' if warnings else ""
    return (f'<section aria-labelledby="summary"><h2 id="summary">Summary</h2>{_verdict(v)}'
            f'<ul class="cards">{items}</ul>{warn_html}</section>')


def _filters(v: _View) -> str:
    def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
        opts = "".join(f'<option value="{esc(val)}">{esc(text)}</option>' for val, text in options)
        return f'<label for="f-{name}">{label}<select id="f-{name}" name="{name}"><option value="">All</option>{opts}</select></label>'

    severities = sorted({g.severity for g in v.guardrails}, key=lambda s: -s.rank)
    statuses = [s for s in ("failed", "passed", "excluded", "warning", "not-applicable", "error")]
    return ('<form id="filters" class="filters" hidden aria-label="Filters">'
            + select("w", "Workload", [(w.workload, w.workload) for w in v.workloads])
            + select("g", "Guardrail", [(g.id, f"{g.id} {g.title}") for g in v.guardrails])
            + select("sev", "Severity", [(s.value, s.value) for s in severities])
            + select("s", "Status", [(s, STATUS_LABEL[s]) for s in statuses])
            + '<button type="reset">Clear filters</button>'
            + '<p id="shown" role="status" aria-live="polite"></p></form>'
            + "<noscript><p class=\"hint\">Filters need JavaScript; everything is shown.</p></noscript>")


def _axis_head(v: _View, kind: str, item: Any, scope: str) -> str:
    if kind == "w":
        return (f'<th scope="{scope}" data-w="{esc(item.workload)}"><a href="#{v.anchor("w", item.workload)}">'
                f"{esc(item.workload)}</a></th>")
    g: Guardrail = item
    sep = "<br>" if scope == "col" else " "
    return (f'<th scope="{scope}" data-g="{esc(g.id)}" data-sev="{esc(g.severity.value)}">'
            f'<a href="#{v.anchor("g", g.id)}" title="{esc(g.title)}">{esc(g.id)}</a>{sep}{sev_badge(g)}</th>')


def _cell(r: Result | None) -> str:
    if r is None:
        return f'<td class="c none" data-s="none"><span aria-hidden="true">{ICON["none"]}</span> {WORD["none"]}</td>'
    st = r.status.value
    count = f" <b>{len(r.violations)}</b>" if r.status is Status.FAILED and r.violations else ""
    extra = (f' <span class="x"><span aria-hidden="true">⊘</span>{len(r.excluded)}'
             f'<span class="visually-hidden"> excluded</span></span>') if r.excluded else ""
    return (f'<td class="c {st}" data-s="{" ".join(result_tags(r))}"><span aria-hidden="true">{ICON[st]}</span> '
            f"{WORD[st]}{count}{extra}</td>")


def _matrix(v: _View) -> str:
    rows_are_workloads = len(v.workloads) >= len(v.guardrails)
    rows: list[Any] = v.workloads if rows_are_workloads else v.guardrails
    cols: list[Any] = v.guardrails if rows_are_workloads else v.workloads
    rk, ck = ("w", "g") if rows_are_workloads else ("g", "w")
    names = {"w": "workloads", "g": "guardrails"}
    head = "".join(_axis_head(v, ck, c, "col") for c in cols)
    body = []
    for row in rows:
        cells = []
        for col in cols:
            w, g = (row, col) if rows_are_workloads else (col, row)
            cells.append(_cell(v.cell.get((w.workload, g.id))))
        body.append(f"<tr>{_axis_head(v, rk, row, 'row')}{''.join(cells)}</tr>")
    legend = "".join(f'<li><span class="c {cls}">{sym}</span> {esc(text)}</li>' for cls, sym, text in (
        ("passed", "✔ pass", "compliant"), ("failed", "✖ fail N", "N noncompliant resources"),
        ("not-applicable", "– n/a", "no matching resources"), ("error", "⚠ error", "could not be evaluated"),
        ("passed", "⊘N", "N excluded findings"), ("none", "· not run", "not evaluated in this run")))
    return (f'<section aria-labelledby="matrix-h"><h2 id="matrix-h">Guardrail × workload matrix</h2>'
            f'<p class="hint">Rows: {names[rk]}; columns: {names[ck]}.</p><ul class="legend" aria-label="Legend">'
            f"{legend}</ul>"
            f'<div class="scroll" role="region" aria-label="Matrix (scrollable)" tabindex="0">'
            f'<table class="matrix" id="matrix" data-rows="{names[rk]}" data-cols="{names[ck]}">'
            f'<caption class="visually-hidden">Status of each guardrail on each workload</caption>'
            f'<thead><tr><th scope="col" class="corner">{names[rk].capitalize()}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>'
            f'<p id="nomatch" class="empty" hidden>No results match the filters.</p></section>')


def _common(v: _View) -> str:
    rows = []
    for g in v.guardrails:
        results = v.by_guardrail.get(g.id, [])
        failing = [r for r in results if r.status is Status.FAILED]
        if not failing:
            continue
        evaluated = sum(1 for r in results if r.status in (Status.PASSED, Status.FAILED, Status.ERROR))
        rows.append((len(failing), g, failing, evaluated))
    rows.sort(key=lambda t: (-t[0], -t[1].severity.rank, t[1].id))
    if not rows:
        return ('<section aria-labelledby="common"><h2 id="common">Most common noncompliance</h2>'
                '<p class="empty">No guardrail fails on any workload.</p></section>')
    body = []
    for rank, (n, g, failing, evaluated) in enumerate(rows, 1):
        share = round(100 * n / evaluated) if evaluated else 0
        resources = sum(len(r.violations) for r in failing)
        excluded = sum(len(r.excluded) for r in v.by_guardrail.get(g.id, []))
        names = ", ".join(esc(r.workload) for r in failing[:6]) + (f" and {len(failing) - 6} more" if n > 6 else "")
        body.append(
            f'<tr data-f data-g="{esc(g.id)}" data-sev="{g.severity.value}"><td>{rank}</td>'
            f'<td><a href="#{v.anchor("g", g.id)}"><strong>{esc(g.id)}</strong></a> {esc(g.title)}</td>'
            f"<td>{sev_badge(g)}</td>"
            f'<td><span class="bar" style="width:{max(share, 2) * 0.8:.0f}px" aria-hidden="true"></span>'
            f"{n} of {evaluated} ({share}%)<br><span class=\"muted\">{names}</span></td>"
            f"<td>{resources}</td><td>{excluded}</td><td>{prose(g.remediation) or '—'}</td></tr>")
    return ('<section aria-labelledby="common"><h2 id="common">Most common noncompliance</h2>'
            '<p class="hint">Guardrails ranked by the number of workloads failing them: what app teams most '
            'often get wrong, and the fix to share.</p>'
            '<table class="data"><caption>Failing guardrails across workloads</caption><thead><tr>'
            '<th scope="col">#</th><th scope="col">Guardrail</th><th scope="col">Severity</th>'
            '<th scope="col">Workloads failing</th><th scope="col">Resources</th><th scope="col">Excluded</th>'
            f'<th scope="col">Remediation</th></tr></thead><tbody>{"".join(body)}</tbody></table>'
            + _resource_types(v) + "</section>")


def _resource_types(v: _View) -> str:
    findings = [f for r in v.run.results for f in r.violations if f.address]
    if not findings:
        return ""
    by_type: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        parsed = parse_address(f.address)
        by_type[parsed.type if parsed else f.address].append(f)
    ranked = sorted(by_type.items(), key=lambda kv: (-len({f.workload for f in kv[1]}), -len(kv[1]), kv[0]))[:15]
    body = "".join(
        f"<tr><td><code>{esc(t)}</code></td><td>{len({f.workload for f in fs})}</td><td>{len(fs)}</td>"
        f"<td>{', '.join(esc(g) for g in sorted({f.guardrail_id for f in fs}))}</td></tr>" for t, fs in ranked)
    return ('<h3>Resource types most often noncompliant</h3><table class="data"><thead><tr>'
            '<th scope="col">Resource type</th><th scope="col">Workloads</th><th scope="col">Findings</th>'
            f'<th scope="col">Guardrails</th></tr></thead><tbody>{body}</tbody></table>')


def _pending(v: _View) -> str:
    title = '<section aria-labelledby="pending"><h2 id="pending">Guardrails pending activation</h2>'
    if not v.pending:
        return title + '<p class="empty">No guardrails are pending activation.</p></section>'
    known = {g.id: g for g in v.guardrails}
    order = sorted(v.pending.items(), key=lambda kv: (kv[1] is None, kv[1] or date.max, kv[0]))
    body = []
    for gid, deadline in order:
        g = known.get(gid)
        failing = [r.workload for r in v.by_guardrail.get(gid, []) if r.status is Status.FAILED]
        if deadline is None:
            when, left, cls = "not set", "—", ""
        else:
            days = (deadline - v.today).days
            when = deadline.isoformat()
            left = days_text(days, "{} left", "overdue by {}")
            cls = "overdue" if days < 0 else ("soon" if days <= 7 else "")
        title_html = (f'<a href="#{v.anchor("g", gid)}"><strong>{esc(gid)}</strong></a> {esc(g.title)}'
                      if g else f"<strong>{esc(gid)}</strong>")
        names = ", ".join(esc(n) for n in failing[:8]) + (f" and {len(failing) - 8} more" if len(failing) > 8 else "")
        sev = g.severity.value if g else ""
        body.append(f'<tr data-f data-g="{esc(gid)}" data-sev="{esc(sev)}"><td>{title_html}</td>'
                    f"<td>{sev_badge(g) if g else '—'}</td><td>{when}</td><td class=\"{cls}\">{left}</td>"
                    f"<td>{len(failing)}{': ' + names if names else ''}</td></tr>")
    return (title + '<p class="hint">Observed guardrails become active (failing builds) on their deadline. '
            'The last column lists the workloads that would fail today.</p>'
            '<table class="data"><caption>Guardrails in observation, soonest deadline first</caption><thead><tr>'
            '<th scope="col">Guardrail</th><th scope="col">Severity</th><th scope="col">Deadline</th>'
            '<th scope="col">Days left</th><th scope="col">Workloads that would fail</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></section>')


def _excluded(v: _View) -> str:
    title = '<section aria-labelledby="excluded"><h2 id="excluded">Excluded findings</h2>'
    found = [f for r in v.run.results for f in r.findings if f.excluded_by is not None]
    expired = [f for r in v.run.results for f in r.findings if f.expired_exclusion is not None and not f.excluded]
    if not found and not expired:
        return title + '<p class="empty">No finding is excluded.</p></section>'
    out = [title]
    if found:
        rows = []
        for f in sorted(found, key=lambda f: (f.excluded_by.expires if f.excluded_by else date.max, f.workload)):
            ref = f.excluded_by
            assert ref is not None
            days = (ref.expires - v.today).days
            cls = "overdue" if days < 0 else ("soon" if days <= EXPIRY_WARNING_DAYS else "")
            rows.append(
                f'<tr data-f data-w="{esc(f.workload)}" data-g="{esc(f.guardrail_id)}" data-sev="{f.severity.value}">'
                f"<td>{esc(f.guardrail_id)}</td><td>{esc(f.workload)}</td><td><code>{esc(f.address or '—')}</code></td>"
                f"<td>{esc(ref.id)}</td><td>{esc(ref.ticket) or '—'}</td><td>{esc(ref.reason) or '—'}</td>"
                f'<td>{ref.expires.isoformat()}</td><td class="{cls}">{days_text(days, "in {}", "{} ago")}</td></tr>')
        out.append('<table class="data"><caption>Findings accepted by an exclusion, soonest expiry first</caption>'
                   '<thead><tr><th scope="col">Guardrail</th><th scope="col">Workload</th><th scope="col">Resource</th>'
                   '<th scope="col">Exclusion</th><th scope="col">Ticket</th><th scope="col">Reason</th>'
                   '<th scope="col">Expires</th><th scope="col">Expiry</th></tr></thead>'
                   f'<tbody>{"".join(rows)}</tbody></table>')
    if expired:
        rows = [f'<tr data-f data-w="{esc(f.workload)}" data-g="{esc(f.guardrail_id)}" data-sev="{f.severity.value}">'
                f"<td>{esc(f.guardrail_id)}</td><td>{esc(f.workload)}</td><td><code>{esc(f.address or '—')}</code></td>"
                f"<td>{esc(f.note)}</td></tr>" for f in expired]
        out.append('<h3>Expired exclusions: failing again</h3><table class="data"><thead><tr>'
                   '<th scope="col">Guardrail</th><th scope="col">Workload</th><th scope="col">Resource</th>'
                   f'<th scope="col">Exclusion</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return "".join(out) + "</section>"


# --- compliance over time ---------------------------------------------------------------------------------------


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


def svg_chart(series: list[tuple[date, float | None, int, int]], label: str) -> str:
    w, h, left, right, top, bottom = 300, 112, 36, 10, 8, 22
    pw, ph = w - left - right, h - top - bottom
    days = [d for d, *_ in series]
    span = max((days[-1] - days[0]).days, 1)

    def x(d: date) -> float:
        return left + (pw / 2 if len(days) == 1 else pw * (d - days[0]).days / span)

    def y(pct: float) -> float:
        return top + ph * (1 - pct / 100)

    parts = [f'<line x1="{left}" x2="{w - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#d0d5dc"/>'
             f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{v}%</text>' for v in (0, 50, 100)]
    segments: list[list[str]] = [[]]
    for d, pct, *_ in series:
        if pct is None:
            segments.append([])
        else:
            segments[-1].append(f"{x(d):.1f},{y(pct):.1f}")
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline fill="none" stroke="#0b4fa8" stroke-width="2" points="{" ".join(seg)}"/>')
    dots = [(d, pct) for d, pct, *_ in series if pct is not None]
    for d, pct in (dots if len(dots) <= 60 else dots[-1:]):
        parts.append(f'<circle cx="{x(d):.1f}" cy="{y(pct):.1f}" r="2.6" fill="#0b4fa8"/>')
    parts.append(f'<text x="{left}" y="{h - 6}">{days[0].isoformat()}</text>')
    if len(days) > 1:
        parts.append(f'<text x="{w - right}" y="{h - 6}" text-anchor="end">{days[-1].isoformat()}</text>')
    return (f'<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{esc(label)}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{esc(label)}</title>{"".join(parts)}</svg>')


def _series_label(name: str, series: list[tuple[date, float | None, int, int]]) -> str:
    known = [(d, pct, ok, n) for d, pct, ok, n in series if pct is not None]
    if not known:
        return f"{name}: no evaluated workloads in the history"
    d0, p0, *_ = known[0]
    d1, p1, ok, n = known[-1]
    if len(known) == 1:
        return f"{name}: {p1:.0f}% compliant ({ok} of {n} workloads) on {d1.isoformat()}"
    return (f"{name}: {p0:.0f}% compliant on {d0.isoformat()}, {p1:.0f}% ({ok} of {n} workloads) on "
            f"{d1.isoformat()}, {len(series)} dates")


def _history(v: _View) -> str:
    title = '<section aria-labelledby="history"><h2 id="history">Compliance over time</h2>'
    if not v.history:
        return (title + '<p class="empty">No ledger history was given to this report, so there is nothing to '
                'draw yet. Each observe and enforce run records its results in the ledger; render the '
                'dashboard with that history (<code>tfguard report --history FILE</code>) to see compliance '
                'per guardrail over time.</p></section>')
    by_guardrail: dict[str, list[HistoryPoint]] = defaultdict(list)
    for p in v.history:
        by_guardrail[p.guardrail].append(p)
    known = {g.id: g for g in v.guardrails}
    order = [g.id for g in v.guardrails if g.id in by_guardrail]
    order += sorted(set(by_guardrail) - set(order))
    overall = compliance_series(v.history)
    figures = [_figure("All guardrails", "All guardrails", overall, None)]
    for gid in order:
        g = known.get(gid)
        name = f"{gid} {g.title}" if g else f"{gid} (no longer in the rules)"
        figures.append(_figure(gid, name, compliance_series(by_guardrail[gid]), g, gid))
    return (title + '<p class="hint">Share of evaluated workloads passing each guardrail, per recorded date '
            '(excluded findings count as passing; not-applicable workloads are left out).</p>'
            f'<div class="charts">{"".join(figures)}</div></section>')


def _figure(caption: str, name: str, series: list[tuple[date, float | None, int, int]], g: Guardrail | None,
            gid: str | None = None) -> str:
    label = _series_label(name, series)
    attrs = f' data-f data-g="{esc(gid)}" data-sev="{g.severity.value if g else ""}"' if gid else ""
    return (f'<figure class="chart"{attrs}><figcaption>{esc(caption)}'
            f'{" " + esc(g.title) if g else ""}</figcaption>{svg_chart(series, label)}'
            f'<p class="muted">{esc(label.split(": ", 1)[1])}</p></figure>')


# --- guardrails and workloads -------------------------------------------------------------------------------------


def _guardrails(v: _View) -> str:
    rows = []
    for g in v.guardrails:
        counts = Counter(r.status.value for r in v.by_guardrail.get(g.id, []))
        pills = " ".join(f'<span class="pill {s}"><span aria-hidden="true">{ICON[s]}</span> {counts[s]} '
                         f"{WORD[s]}</span>" for s in ("failed", "passed", "not-applicable", "error") if counts[s])
        pend = ""
        if g.id in v.pending:
            d = v.pending[g.id]
            pend = f' <span class="tag">pending until {d.isoformat()}</span>' if d else ' <span class="tag">pending</span>'
        controls = "".join(f'<span class="tag">{esc(c)}</span>' for c in g.controls) or "—"
        rows.append(
            f'<tr id="{v.anchor("g", g.id)}" data-f data-g="{esc(g.id)}" data-sev="{g.severity.value}">'
            f"<td><strong>{esc(g.id)}</strong>{pend}<br>{esc(g.title)}<br>"
            f'<span class="muted">{esc(g.feature)} · {esc(g.where)}</span></td>'
            f"<td>{sev_badge(g)}</td><td>{controls}</td><td>{pills or '—'}</td>"
            f"<td>{prose(g.remediation) or '—'}</td></tr>")
    return ('<section aria-labelledby="guardrails"><h2 id="guardrails">Guardrails</h2>'
            '<table class="data"><caption>Every guardrail in this run</caption><thead><tr>'
            '<th scope="col">Guardrail</th><th scope="col">Severity</th><th scope="col">Controls</th>'
            '<th scope="col">Workloads</th><th scope="col">Remediation</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def _message(text: str) -> str:
    lines = text.splitlines()
    more = len(lines) - MAX_MESSAGE_LINES
    kept = "\n".join(lines[:MAX_MESSAGE_LINES]) + (f"\n… {more} more lines" if more > 0 else "")
    return f'<pre class="msg">{esc(kept)}</pre>' if kept.strip() else ""


def _note(f: Finding) -> str:
    return f' <span class="muted">{esc(f.note)}</span>' if f.note else ""


def _failing_item(v: _View, r: Result) -> str:
    g = v.run.guardrail(r.guardrail_id)
    found = "".join(f"<li><code>{esc(f.address or '(no resource named)')}</code>{_note(f)}{_message(f.message)}</li>"
                    for f in r.violations)
    found += "".join(f"<li>{_message(m)}</li>" for m in r.messages if not r.violations)
    fix = f'<div class="fix"><strong>Remediation:</strong> {prose(g.remediation)}</div>' if g.remediation else ""
    return (f'<li data-f data-g="{esc(g.id)}" data-sev="{g.severity.value}" data-s="{" ".join(result_tags(r))}">'
            f'<a href="#{v.anchor("g", g.id)}"><strong>{esc(g.id)}</strong></a> {sev_badge(g)} {esc(g.title)}'
            f'<ul class="findings">{found}</ul>{fix}</li>')


def _finding_item(f: Finding, label: str) -> str:
    return (f'<li data-f data-g="{esc(f.guardrail_id)}" data-sev="{f.severity.value}"><strong>{esc(f.guardrail_id)}'
            f"</strong> <code>{esc(f.address or '(no resource named)')}</code> <span class=\"pill {label}\">{label}"
            f"</span> {esc(f.note)}{_message(f.message)}</li>")


def _workload(v: _View, w: WorkloadRun, open_: bool) -> str:
    results = v.by_workload.get(w.workload, [])
    status = v.workload_status(w)
    counts = Counter(r.status.value for r in results)
    tags = sorted({t for r in results for t in result_tags(r)})
    summary_counts = ", ".join(f"{counts[s]} {STATUS_LABEL[s]}" for s in ("failed", "passed", "not-applicable",
                                                                         "error") if counts[s])
    excluded = [f for r in results for f in r.excluded]
    warnings = [f for r in results for f in r.findings if f.warning and not f.excluded]
    label = {"passed": "compliant", "failed": "noncompliant", "error": "error"}[status]
    meta = [f"plan <code>{esc(w.plan_path or '—')}</code>"]
    if w.static_plan:
        meta.append("static plan rendered from source")
    if w.source_dir:
        meta.append(f"source <code>{esc(w.source_dir)}</code>")
    parts = [f'<p class="muted">{" · ".join(meta)}</p>']
    if w.error:
        parts.append(f'<p class="pill error">Error</p><pre class="msg">{esc(w.error)}</pre>')
    failing = [r for r in results if r.status is Status.FAILED]
    if failing:
        parts.append(f'<h3>Failing guardrails ({len(failing)})</h3><ul>'
                     + "".join(_failing_item(v, r) for r in failing) + "</ul>")
    errors = [r for r in results if r.status is Status.ERROR and r.error != w.error]
    if errors:
        parts.append("<h3>Not evaluated</h3><ul>" + "".join(
            f'<li data-f data-g="{esc(r.guardrail_id)}" data-s="error"><strong>{esc(r.guardrail_id)}</strong> '
            f"{_message(r.error)}</li>" for r in errors) + "</ul>")
    if excluded:
        parts.append("<h3>Excluded findings</h3><ul>" + "".join(_finding_item(f, "excluded") for f in excluded)
                     + "</ul>")
    if warnings:
        parts.append("<h3>Warnings</h3><ul>" + "".join(_finding_item(f, "warning") for f in warnings) + "</ul>")
    for s in (Status.PASSED, Status.NOT_APPLICABLE):
        ids = [r.guardrail_id for r in results if r.status is s]
        if ids:
            parts.append(f"<p><strong>{STATUS_LABEL[s.value].capitalize()}:</strong> {esc(', '.join(ids))}</p>")
    return (f'<details class="wl" id="{v.anchor("w", w.workload)}" data-f data-w="{esc(w.workload)}" '
            f'data-s="{" ".join(tags)}"{" open" if open_ else ""}><summary><span class="pill {status}">'
            f'<span aria-hidden="true">{ICON[status]}</span> {label}</span> {esc(w.workload)} '
            f'<span class="muted">— {esc(summary_counts or "no results")}</span></summary>'
            f'<div>{"".join(parts)}</div></details>')


def _workloads(v: _View) -> str:
    order = sorted(v.workloads, key=lambda w: ({"error": 0, "failed": 1, "passed": 2}[v.workload_status(w)],
                                               w.workload))
    single = len(order) == 1
    return ('<section aria-labelledby="workloads"><h2 id="workloads">Workloads</h2>'
            '<p class="hint">Errors and noncompliant workloads first. Open one for its resources and remediation.</p>'
            + "".join(_workload(v, w, single) for w in order) + "</section>")


def _template(name: str) -> str:
    return resources.files("runner.report").joinpath("templates", name).read_text(encoding="utf-8")


def render_html(run: RunResult, history: Iterable[Mapping[str, Any] | HistoryPoint] | None = None,
                pending: Mapping[str, date | str | None] | None = None, today: date | None = None) -> str:
    day = today or clock_today()
    pend = normalise_pending(pending) if pending is not None else default_pending(run, day)
    v = _View(run, day, pend, normalise_history(history))
    body = "".join((_summary(v), _filters(v), _matrix(v), _common(v), _pending(v), _excluded(v), _history(v),
                    _guardrails(v), _workloads(v)))
    script = _template("dashboard.js").replace("</", "<\\/")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">"
            f"<title>tfguard dashboard — {esc(run.mode)} {esc(run.created[:10])}</title>"
            f"<style>{_template('dashboard.css')}</style></head><body>"
            '<a class="skip" href="#main">Skip to the results</a>'
            f'{_header(v)}<main id="main">{body}</main>'
            f'<footer>Generated by tfguard {esc(__version__)} from one run result. This file loads nothing from '
            f"the network.</footer><script>{script}</script></body></html>\n")


class HtmlFormatter:
    name = "html"
    filename = "dashboard.html"

    def render(self, run: RunResult, history: Iterable[Mapping[str, Any] | HistoryPoint] | None = None,
               pending: Mapping[str, date | str | None] | None = None, today: date | None = None) -> str:
        return render_html(run, history=history, pending=pending, today=today)


FORMATTER = HtmlFormatter()
