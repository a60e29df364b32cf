"""dashboard.html: self-contained, well-formed, and every section shows what the issue asks for.

The browser behaviour (filters, accessibility) is tested in tests/e2e/test_dashboard_browser.py."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest
from report_samples import TODAY, compliant_run, sample_history, sample_run

from runner.errors import ConfigError
from runner.model import RunResult
from runner.report import get_formatter
from runner.report.html import HistoryPoint, compliance_series, render_html

VOID = {"meta", "br", "input", "img", "link", "hr", "circle", "line", "polyline"}


class Tree(HTMLParser):
    """Checks nesting and collects elements as (tag, attrs, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert not tree.errors, tree.errors[:5]
    assert tree.stack == [], tree.stack
    return tree


@pytest.fixture
def page() -> str:
    return render_html(sample_run(), history=sample_history(), today=TODAY)


def test_page_is_well_formed_with_unique_ids(page):
    tree = parse(page)
    ids = [a["id"] for _, a in tree.elements if a.get("id")]
    assert len(ids) == len(set(ids))
    hrefs = {a["href"][1:] for t, a in tree.elements if t == "a" and (a.get("href") or "").startswith("#")}
    assert hrefs <= set(ids), hrefs - set(ids)


def test_page_is_self_contained(page):
    tree = parse(page)
    assert not [a for _, a in tree.elements if "src" in a]
    assert not [t for t, _ in tree.elements if t in ("link", "img", "iframe", "object", "embed")]
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page)
    assert "default-src 'none'" in page  # the browser itself refuses any fetch


def test_matrix_shows_status_as_words_and_icons(page):
    matrix = page[page.index('id="matrix"'):page.index("</table>", page.index('id="matrix"'))]
    assert '<td class="c failed" data-s="failed excluded"><span aria-hidden="true">✖</span> fail <b>2</b>' in matrix
    assert '<td class="c passed" data-s="passed excluded"><span aria-hidden="true">✔</span> pass' in matrix
    assert '<span class="visually-hidden"> excluded</span>' in matrix
    assert "– n/a" in re.sub(r"<[^>]+>", "", matrix)
    assert "⚠ error" in re.sub(r"<[^>]+>", "", matrix)
    assert matrix.count("<tr>") == 4  # header + 3 workloads (workloads are rows when there are as many)


def test_matrix_puts_the_longer_axis_down_the_page():
    run = sample_run()
    one = replace(run, results=tuple(r for r in run.results if r.workload == "payments"),
                  workloads=run.workloads[:1])
    page = render_html(one, today=TODAY)
    assert 'data-rows="guardrails" data-cols="workloads"' in page


def test_most_common_noncompliance_ranks_guardrails_with_remediation(page):
    section = page[page.index('id="common"'):page.index('id="pending"')]
    assert section.index("S3-001") < section.index("IAM-003")
    assert "1 of 3 (33%)" in section  # payments fails; web passes; broken errors
    assert "<code>aws_s3_bucket_server_side_encryption_configuration</code>" in section
    assert "<code>aws_s3_bucket</code>" in section  # resource types table


def test_pending_guardrails_show_deadline_and_days_left(page):
    section = page[page.index('id="pending"'):page.index('id="excluded"')]
    assert "NET-002" in section and "2024-06-20" in section and "19 days left" in section


def test_pending_can_be_given_and_overdue_is_said():
    page = render_html(sample_run(), pending={"S3-001": "2024-05-30", "IAM-003": None}, today=TODAY)
    section = page[page.index('id="pending"'):page.index('id="excluded"')]
    assert "overdue by 2 days" in section and "not set" in section
    assert "NET-002" not in section
    assert "1: payments" in section  # the workloads that would fail S3-001 today


def test_excluded_findings_show_expiry_and_expired_ones(page):
    section = page[page.index('id="excluded"'):page.index('id="history"')]
    assert section.index("EXC-9") < section.index("EXC-7")  # soonest expiry first
    assert '<td class="soon">in 4 days</td>' in section
    assert "in 121 days" in section and "SEC-42" in section and "legacy bucket, migration planned" in section
    assert "Expired exclusions: failing again" in section and "exclusion EXC-2 expired on 2024-05-01" in section


def test_history_is_drawn_per_guardrail_as_inline_svg(page):
    section = page[page.index('id="history"'):page.index('id="guardrails"')]
    assert section.count("<svg") == 3  # all guardrails + S3-001 + NET-002 (IAM-003 has no history)
    assert "S3-001 S3 buckets encrypt data at rest: 0% compliant on 2024-05-01, 50% (1 of 2 workloads) on " \
           "2024-06-01, 3 dates" in section
    assert 'role="img"' in section and "<polyline" in section


def test_without_history_the_chart_section_says_so():
    page = render_html(sample_run(), today=TODAY)
    section = page[page.index('id="history"'):page.index('id="guardrails"')]
    assert "<svg" not in section and "No ledger history was given" in section


def test_compliance_series_counts_excluded_as_passing_and_skips_not_applicable():
    day1, day2 = date(2024, 1, 1), date(2024, 1, 2)
    points = [HistoryPoint(day1, "G", "a", "failed"), HistoryPoint(day1, "G", "a", "passed"),  # last wins
              HistoryPoint(day1, "G", "b", "not-applicable"), HistoryPoint(day2, "G", "a", "excluded"),
              HistoryPoint(day2, "G", "b", "error")]
    assert compliance_series(points) == [(day1, 100.0, 1, 1), (day2, 50.0, 1, 2)]


def test_bad_history_records_are_refused():
    with pytest.raises(ConfigError, match="needs date, guardrail, workload and status") as exc:
        render_html(compliant_run(), history=[{"date": "2024-01-01", "guardrail": "S3-001"}])
    assert exc.value.where == "history record 1"
    with pytest.raises(ConfigError, match="unknown status 'green'"):
        render_html(compliant_run(), history=[{"date": "2024-01-01", "guardrail": "S3-001", "workload": "w",
                                               "status": "green"}])
    with pytest.raises(ConfigError, match="not a YYYY-MM-DD date"):
        render_html(compliant_run(), history=[{"date": "soon", "guardrail": "S3-001", "workload": "w",
                                               "status": "passed"}])


def test_workload_details_list_resources_messages_and_remediation(page):
    section = page[page.index('id="workloads"'):]
    assert section.index('id="w-broken"') < section.index('id="w-payments"') < section.index('id="w-web"')
    payments = section[section.index('id="w-payments"'):section.index('id="w-web"')]
    assert "<code>module.data.aws_s3_bucket.raw[&quot;eu&quot;]</code>" in payments
    assert "does not have server_side_encryption_configuration property." in payments
    assert "Remediation:</strong> Add an <code>aws_s3_bucket_server_side_encryption_configuration</code>" in payments
    assert '<span class="pill excluded">excluded</span> excluded by EXC-7 until 2024-09-30' in payments
    assert "Not applicable:</strong> IAM-003" in payments


def test_untrusted_text_is_escaped(page):
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    script = page[page.rindex("<script>") + len("<script>"):page.rindex("</script>")]
    assert "</" not in script


def test_filters_offer_every_workload_guardrail_severity_and_status(page):
    tree = parse(page)
    options: dict[str, list[str]] = {}
    current = ""
    for tag, attrs in tree.elements:
        if tag == "select":
            current = attrs["name"] or ""
        elif tag == "option":
            options.setdefault(current, []).append(attrs["value"] or "")
    assert options["w"] == ["", "broken", "payments", "web"]
    assert options["g"] == ["", "S3-001", "NET-002", "IAM-003"]
    assert options["sev"] == ["", "critical", "high", "low"]
    assert options["s"] == ["", "failed", "passed", "excluded", "warning", "not-applicable", "error"]
    assert '<form id="filters" class="filters" hidden' in page  # shown by the script only


def test_empty_run_renders():
    page = get_formatter("html").render(RunResult(guardrails=(), results=()), today=TODAY)
    parse(page)
    assert "No guardrail fails on any workload." in page


def test_single_workload_details_are_open():
    page = render_html(compliant_run(), today=TODAY)
    assert re.search(r'<details class="wl" id="w-payments"[^>]*\bopen>', page)
    assert '<p class="verdict passed">' in page
