"""dashboard.html: self-contained, well-formed, and every section shows what the issue asks for.

The page is checked as a parsed tree (elements, attributes, text), not as exact markup. The browser
behaviour (filters, accessibility) is tested in tests/e2e/test_dashboard_browser.py; escaping of hostile
values in tests/unit/test_report_html_escaping.py."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from html_tree import Node, parse
from report_samples import TODAY, compliant_run, sample_history, sample_run

from runner.errors import ConfigError
from runner.model import Mode, RunResult
from runner.report import ReportOptions, get_formatter
from runner.report.dashboard import compliance_series
from runner.report.html import render_html
from runner.report.options import HistoryPoint


def render(run: RunResult, **options) -> Node:
    return parse(render_html(run, ReportOptions.build(today=TODAY, **options)))


@pytest.fixture
def page() -> str:
    return render_html(sample_run(), ReportOptions.build(history=sample_history(), today=TODAY))


@pytest.fixture
def tree(page: str) -> Node:
    return parse(page)


def test_page_is_well_formed_with_unique_ids(tree):
    ids = [n.get("id") for n in tree.iter(id=True)]
    assert len(ids) == len(set(ids))
    hrefs = {n.get("href")[1:] for n in tree.iter("a") if (n.get("href") or "").startswith("#")}
    assert hrefs <= set(ids), hrefs - set(ids)


def test_page_is_self_contained(page, tree):
    assert not [n for n in tree.iter() if "src" in n.attrs or "href" in n.attrs and not n.get("href").startswith("#")]
    assert not [n for n in tree.iter() if n.tag in ("link", "img", "iframe", "object", "embed")]
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", page)
    csp = tree.one("meta", http_equiv="Content-Security-Policy").get("content")
    assert "default-src 'none'" in csp  # the browser itself refuses any fetch
    assert tree.one("style").text() and tree.one("script").text()  # CSS and JS are inline


def test_no_glyph_needs_an_emoji_font(page, tree):
    """Headless Chromium has no emoji font: the banner's icon is inline SVG, and no character on the page
    lies outside the Basic Multilingual Plane (where emoji live)."""
    verdict = tree.section("summary").one("p", cls="verdict")
    icon = verdict.one("svg")
    assert icon.get("aria-hidden") == "true" and icon.all("path")
    assert verdict.text() == "Error: results are incomplete"
    assert not [ch for ch in page if ord(ch) > 0xFFFF]
    observe = render(replace(compliant_run(), mode=Mode.OBSERVE, results=sample_run().results[:1]))
    banner = observe.section("summary").one("p", cls="verdict")
    assert banner.classes == {"verdict", "observe"} and banner.one("svg").all("circle")
    assert banner.text() == "Observation: 1 workload would fail (not enforced)"


def test_matrix_shows_status_as_words_and_icons(tree):
    matrix = tree.by_id("matrix")
    failed = matrix.one("td", cls="failed", data_s="failed excluded")
    assert failed.text() == "✖ fail 2 ⊘1 excluded"
    assert failed.one("span", cls="visually-hidden").raw_text() == " excluded"
    assert [s.text() for s in failed.all("span", aria_hidden="true")] == ["✖", "⊘"]  # words for screen readers
    assert matrix.one("td", cls="passed", data_s="passed excluded").text().startswith("✔ pass")
    assert any(td.text() == "– n/a" for td in matrix.all("td"))
    assert any(td.text() == "⚠ error" for td in matrix.all("td"))
    assert len(matrix.all("tr")) == 4  # header + 3 workloads (workloads are rows when there are as many)
    assert [th.text() for th in matrix.one("tbody").all("th", scope="row")] == ["broken", "payments", "web"]
    assert [a.text() for a in matrix.one("thead").all("a")] == ["S3-001", "NET-002", "IAM-003"]


def test_matrix_puts_the_longer_axis_down_the_page():
    run = sample_run()
    one = replace(run, results=tuple(r for r in run.results if r.workload == "payments"),
                  workloads=run.workloads[:1])
    matrix = render(one).by_id("matrix")
    assert (matrix.get("data-rows"), matrix.get("data-cols")) == ("guardrails", "workloads")
    assert [th.get("data-g") for th in matrix.one("tbody").all("th", scope="row")] == ["S3-001", "NET-002", "IAM-003"]


def test_most_common_noncompliance_ranks_guardrails_with_remediation(tree):
    section = tree.section("common")
    ranked = section.all("table")[0].one("tbody").all("tr")
    assert [r.get("data-g") for r in ranked] == ["S3-001", "IAM-003"]
    cells = ranked[0].all("td")
    assert "1 of 3 (33%)" in cells[3].text()  # payments fails; web passes; broken errors
    assert [c.text() for c in cells[4:6]] == ["2", "2"]  # resources failing; excluded on payments and web
    assert cells[6].one("code").text() == "aws_s3_bucket_server_side_encryption_configuration"
    types = section.all("table")[1].one("tbody").all("tr")
    assert types[0].one("code").text() == "aws_s3_bucket"  # resource types table


def test_pending_guardrails_show_deadline_and_days_left(tree):
    rows = tree.section("pending").one("tbody").all("tr")
    assert [r.get("data-g") for r in rows] == ["NET-002"]
    assert [td.text() for td in rows[0].all("td")][2:4] == ["2024-06-20", "19 days left"]


def test_pending_can_be_given_and_overdue_is_said():
    rows = render(sample_run(), pending={"S3-001": "2024-05-30", "IAM-003": None}).section("pending").one("tbody").all("tr")
    assert [r.get("data-g") for r in rows] == ["S3-001", "IAM-003"]
    assert [td.text() for td in rows[0].all("td")][2:] == ["2024-05-30", "overdue by 2 days", "1: payments"]
    assert rows[0].one("td", cls="overdue")
    assert [td.text() for td in rows[1].all("td")][2:4] == ["not set", "—"]


def test_excluded_findings_show_expiry_and_expired_ones(tree):
    section = tree.section("excluded")
    accepted, expired = section.all("table")
    rows = accepted.one("tbody").all("tr")
    assert [r.all("td")[3].text() for r in rows] == ["EXC-9", "EXC-7"]  # soonest expiry first
    assert rows[0].one("td", cls="soon").text() == "in 4 days"
    assert [td.text() for td in rows[1].all("td")][4:] == ["SEC-42", "legacy bucket, migration planned", "2024-09-30",
                                                          "in 121 days"]
    assert section.one("h3").text() == "Expired exclusions: failing again"
    assert expired.one("tbody").one("tr").all("td")[3].text() == "exclusion EXC-2 expired on 2024-05-01"


def test_history_is_drawn_per_guardrail_as_inline_svg(tree):
    figures = tree.section("history").all("figure", cls="chart")
    assert [f.get("data-g") for f in figures] == [None, "S3-001", "NET-002"]  # IAM-003 has no history
    s3 = figures[1].one("svg")
    assert s3.get("role") == "img" and s3.all("polyline") and len(s3.all("circle")) == 3
    assert s3.get("aria-label") == s3.one("title").text() == (
        "S3-001 S3 buckets encrypt data at rest: 0% compliant on 2024-05-01, 50% (1 of 2 workloads) on 2024-06-01, "
        "3 dates")
    assert figures[1].one("figcaption").text() == "S3-001 S3 buckets encrypt data at rest"


def test_without_history_the_chart_section_says_so():
    section = render(sample_run()).section("history")
    assert not section.all("svg") and "No ledger history was given" in section.text()


def test_compliance_series_counts_excluded_as_passing_and_skips_not_applicable():
    day1, day2 = date(2024, 1, 1), date(2024, 1, 2)
    points = [HistoryPoint(day1, "G", "a", "failed"), HistoryPoint(day1, "G", "a", "passed"),  # last wins
              HistoryPoint(day1, "G", "b", "not-applicable"), HistoryPoint(day2, "G", "a", "excluded"),
              HistoryPoint(day2, "G", "b", "error")]
    assert compliance_series(points) == [(day1, 100.0, 1, 1), (day2, 50.0, 1, 2)]


def test_bad_history_records_are_refused():
    with pytest.raises(ConfigError, match="needs date, guardrail, workload and status") as exc:
        ReportOptions.build(history=[{"date": "2024-01-01", "guardrail": "S3-001"}])
    assert exc.value.where == "history record 1"
    with pytest.raises(ConfigError, match="unknown status 'green'"):
        ReportOptions.build(history=[{"date": "2024-01-01", "guardrail": "S3-001", "workload": "w", "status": "green"}])
    with pytest.raises(ConfigError, match="not a YYYY-MM-DD date"):
        ReportOptions.build(history=[{"date": "soon", "guardrail": "S3-001", "workload": "w", "status": "passed"}])


def test_workload_details_list_resources_messages_and_remediation(tree):
    section = tree.section("workloads")
    assert [d.get("id") for d in section.all("details")] == ["w-broken", "w-payments", "w-web"]
    payments = section.one("details", id="w-payments")
    failing = payments.one("li", data_g="S3-001", data_s="failed excluded")
    findings = failing.one("ul", cls="findings").all("li")
    assert [f.one("code").text() for f in findings] == ["aws_s3_bucket.logs", 'module.data.aws_s3_bucket.raw["eu"]']
    assert findings[1].one("pre").text() == ('module.data.aws_s3_bucket.raw["eu"] does not have '
                                             "server_side_encryption_configuration property.")
    fix = failing.one("div", cls="fix")
    assert fix.text().startswith("Remediation: Add an aws_s3_bucket_server_side_encryption_configuration resource")
    assert fix.one("code").text() == "aws_s3_bucket_server_side_encryption_configuration"
    assert payments.one("summary").text() == "✖ noncompliant payments — 1 failed, 1 passed, 1 not applicable"
    item = [li for li in payments.all("li") if li.all("span", cls="excluded")][0]
    assert item.text().startswith("S3-001 aws_s3_bucket.legacy excluded excluded by EXC-7 until 2024-09-30")
    assert "Not applicable: IAM-003" in [p.text() for p in payments.all("p")]


def test_untrusted_text_is_escaped(page, tree):
    assert "<script>alert(1)</script>" not in page
    warning = tree.one("details", id="w-payments").one("li", data_g="NET-002")
    assert warning.one("pre").text().endswith("<script>alert(1)</script>")  # shown as text
    assert len(tree.all("script")) == 1
    assert "</" not in tree.one("script").raw_text()


def test_filters_offer_every_workload_guardrail_severity_and_status(tree):
    form = tree.by_id("filters")
    assert "hidden" in form.attrs  # shown by the script only
    options = {s.get("name"): [o.get("value") for o in s.all("option")] for s in form.all("select")}
    assert options["w"] == ["", "broken", "payments", "web"]
    assert options["g"] == ["", "S3-001", "NET-002", "IAM-003"]
    assert options["sev"] == ["", "critical", "high", "low"]
    assert options["s"] == ["", "failed", "passed", "excluded", "warning", "not-applicable", "error"]
    labels = {lab.get("for") for lab in form.all("label")}
    assert labels == {f"f-{name}" for name in options}


def test_every_section_is_in_the_table_of_contents(tree):
    targets = [a.get("href")[1:] for a in tree.one("nav").all("a")]
    assert targets == ["summary", "matrix-h", "common", "pending", "excluded", "history", "guardrails", "workloads"]
    assert all(tree.section(t) for t in targets)


def test_guardrails_table_lists_severity_controls_counts_and_pending(tree):
    rows = {r.get("data-g"): r for r in tree.section("guardrails").one("tbody").all("tr")}
    s3 = [td.text() for td in rows["S3-001"].all("td")]
    assert s3[0] == "S3-001 S3 buckets encrypt data at rest Storage guardrails · storage.feature:4"
    assert [s3[1], s3[3]] == ["high", "✖ 1 fail ✔ 1 pass ⚠ 1 error"]
    assert [t.text() for t in rows["S3-001"].all("td")[2].all("span", cls="tag")] == ["CIS-2.1.1", "FSBP-S3.4"]
    assert rows["NET-002"].all("td")[0].one("span", cls="tag").text() == "pending until 2024-06-20"


def test_empty_run_renders():
    tree = parse(get_formatter("html").render(RunResult(guardrails=(), results=()), ReportOptions(today=TODAY)))
    assert tree.section("common").text().endswith("No guardrail fails on any workload.")


def test_single_workload_details_are_open():
    tree = render(compliant_run())
    assert "open" in tree.one("details", id="w-payments").attrs
    verdict = tree.section("summary").one("p", cls="verdict")
    assert verdict.classes == {"verdict", "passed"} and verdict.text() == "Compliant"
