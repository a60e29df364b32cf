"""dashboard.html: the central view, one self-contained file (inline CSS, JS and SVG; no network fetch).

Sections: summary; guardrail x workload matrix (status as icon and word as well as colour); the most common
noncompliance across workloads; guardrails pending activation with deadlines and days left; excluded
findings with their expiry (and expired exclusions); compliance over time per guardrail from the ledger's
history; the guardrails; per-workload details with resources and remediation. Every table is plain HTML:
JavaScript only adds the filters (workload, guardrail, severity, status).

The page is the Jinja template templates/dashboard.html.j2, rendered with autoescape on from the records of
runner/report/dashboard.py; it reads `ReportOptions.history`, `.pending` and `.today`.
"""

from __future__ import annotations

from functools import cache

import jinja2

from runner import __version__
from runner.clock import today as clock_today
from runner.model import RunResult
from runner.report.dashboard import ICON, WORD, View, default_pending, message, prose
from runner.report.options import NO_OPTIONS, ReportOptions

TEMPLATE = "dashboard.html.j2"


@cache
def environment() -> jinja2.Environment:
    """Built on first use (no import-time work); autoescape is on for every template, whatever its name."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("runner.report", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.globals.update(icon=ICON, word=WORD, to_prose=prose, to_message=message, version=__version__)
    return env


def render_html(run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
    day = options.today or clock_today()
    pending = dict(options.pending) if options.pending is not None else default_pending(run, day)
    view = View(run, day, pending, options.history)
    return environment().get_template(TEMPLATE).render(run=run, v=view)


class HtmlFormatter:
    name = "html"
    filename = "dashboard.html"
    in_report_dir = True

    def render(self, run: RunResult, options: ReportOptions = NO_OPTIONS) -> str:
        return render_html(run, options)


FORMATTER = HtmlFormatter()
