"""dashboard.html in real headless Chromium: no network, no serious accessibility violation, working filters.

Needs Debian's `chromium` (/usr/bin/chromium, or TFGUARD_CHROMIUM) and the npm package axe-core in the
repository's node_modules (both installed by `make system-deps`). Playwright for Python drives the
browser; its own browser downloads are never used. Screenshots go to test-artifacts/ (or
TFGUARD_TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import REPO_ROOT
from playwright.sync_api import Browser, Page, expect, sync_playwright
from report_samples import TODAY, sample_history, sample_run, synthetic_history, synthetic_run

from runner.report import ReportOptions
from runner.report.html import render_html

CHROMIUM = os.environ.get("TFGUARD_CHROMIUM", "/usr/bin/chromium")
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("TFGUARD_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: make system-deps (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser: Browser, path: Path, javascript: bool = True) -> tuple[Page, list[str], list[str]]:
    """The page, the URLs it requested, and its console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, requests, errors


@pytest.fixture(scope="module")
def dashboards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("dashboard")
    sample = tmp / "sample.html"
    sample.write_text(render_html(sample_run(), ReportOptions.build(history=sample_history(), today=TODAY)), encoding="utf-8")
    estate_run = synthetic_run(24, 12)
    estate = tmp / "estate.html"
    estate.write_text(render_html(estate_run, ReportOptions.build(history=synthetic_history(estate_run), today=TODAY)), encoding="utf-8")
    run = sample_run(mode="observe")
    observing = replace(run, results=tuple(r for r in run.results if r.workload != "broken"), workloads=run.workloads[:2])
    observe = tmp / "observe.html"
    observe.write_text(render_html(observing, ReportOptions(today=TODAY)), encoding="utf-8")
    return {"sample": sample, "estate": estate, "observe": observe}


def visible_rows(page: Page) -> list[str]:
    return page.eval_on_selector_all("#matrix tbody tr:not([hidden]) th", "els => els.map(e => e.textContent.trim())")


def visible_columns(page: Page) -> list[str]:
    return page.eval_on_selector_all("#matrix thead th:not([hidden]):not(.corner) a",
                                     "els => els.map(e => e.textContent.trim())")


@pytest.mark.parametrize("name", ["sample", "estate", "observe"])
def test_no_serious_accessibility_violations_and_no_network(browser, dashboards, name):
    assert AXE.exists(), f"{AXE} is missing: make system-deps (npm ci)"
    page, requests, errors = open_page(browser, dashboards[name])
    page.eval_on_selector_all("details", "els => els.forEach(d => d.open = true)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert [u for u in requests if not u.startswith("file://")] == []
    assert errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)
    page.context.close()


def test_the_banner_icon_is_drawn_without_any_emoji_font(browser, dashboards):
    """Headless Chromium has no emoji font (a glyph from one would be a box): the icon is inline SVG."""
    page, _, errors = open_page(browser, dashboards["observe"])
    banner = page.locator("p.verdict")
    assert banner.inner_text().strip() == "Observation: 2 workloads would fail (not enforced)"
    icon = banner.locator("svg.icon").bounding_box()
    text = page.evaluate("getComputedStyle(document.querySelector('p.verdict')).fontSize")
    assert icon and 10 <= icon["width"] == icon["height"] <= float(text.removesuffix("px")) + 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    banner.screenshot(path=str(ARTIFACTS / "dashboard-banner-observe.png"))
    assert errors == []
    page.context.close()


def test_filters_narrow_the_matrix_and_every_section(browser, dashboards):
    page, _, errors = open_page(browser, dashboards["sample"])
    assert page.is_visible("#filters")
    assert visible_rows(page) == ["broken", "payments", "web"]
    assert page.text_content("#shown") == "Matrix: 3 of 3 workloads, 3 of 3 guardrails shown"

    page.select_option("#f-w", "payments")
    assert visible_rows(page) == ["payments"]
    assert page.is_visible("#w-payments") and page.get_attribute("#w-payments", "open") is not None
    assert page.is_hidden("#w-web") and page.is_hidden("#w-broken")
    excluded_rows = page.eval_on_selector_all("#excluded ~ table tbody tr:not([hidden])", "els => els.length")
    assert excluded_rows == 1  # EXC-7 on payments; EXC-9 on web is hidden

    page.select_option("#f-s", "failed")
    assert visible_columns(page) == ["S3-001"]
    page.select_option("#f-sev", "critical")
    assert visible_rows(page) == []
    assert page.is_visible("#nomatch")

    page.click("button[type=reset]")
    expect(page.locator("#matrix tbody tr:not([hidden])")).to_have_count(3)  # the reset applies after a tick
    assert page.is_hidden("#nomatch")

    page.select_option("#f-g", "IAM-003")
    assert visible_columns(page) == ["IAM-003"]
    charts = page.eval_on_selector_all("figure.chart:not([hidden]) figcaption", "els => els.map(e => e.textContent)")
    assert charts == ["All guardrails"]  # IAM-003 has no history; the per-guardrail charts are filtered out
    page.select_option("#f-g", "")
    page.select_option("#f-s", "excluded")
    assert visible_rows(page) == ["payments", "web"]
    assert visible_columns(page) == ["S3-001"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-filtered.png"), full_page=True)
    assert errors == []
    page.context.close()


def test_filters_on_a_larger_estate(browser, dashboards):
    page, _, errors = open_page(browser, dashboards["estate"])
    rows = visible_rows(page)
    assert len(rows) == 24
    page.select_option("#f-s", "error")
    assert len(visible_rows(page)) == 1  # one workload's plan did not load
    page.select_option("#f-s", "")
    page.select_option("#f-sev", "critical")
    columns = visible_columns(page)
    assert columns and len(columns) < 12
    assert errors == []
    page.context.close()


def test_filters_are_kept_in_the_query_string(browser, dashboards):
    page, _, errors = open_page(browser, dashboards["sample"])
    page.select_option("#f-s", "failed")
    assert page.url.endswith("?s=failed")
    page.goto(dashboards["sample"].as_uri() + "?w=web&s=excluded")
    assert page.input_value("#f-w") == "web" and page.input_value("#f-s") == "excluded"
    assert visible_rows(page) == ["web"] and visible_columns(page) == ["S3-001"]
    assert errors == []
    page.context.close()


def test_core_table_is_readable_without_javascript(browser, dashboards):
    page, _, _ = open_page(browser, dashboards["sample"], javascript=False)
    assert page.is_hidden("#filters")
    assert visible_rows(page) == ["broken", "payments", "web"]
    assert "✖ fail 2" in page.inner_text("#matrix")
    assert page.is_visible("#w-payments") and page.is_visible("#excluded")
    page.context.close()
