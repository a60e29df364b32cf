"""dashboard.html escapes every value it did not write itself.

Guardrail titles come from feature files, addresses and messages from plans and the engine, workload names
and exclusions from registries, and `tfguard report --from` renders whatever a results.json holds. Each
such field here carries markup and attribute-breaking payloads; the page must show them as text and
contain no element, attribute or script that the dashboard did not put there itself."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
from html_tree import Node, parse

from runner.model import ExclusionRef, Finding, Guardrail, Mode, Result, RunResult, Severity, Status, WorkloadRun
from runner.report import ReportOptions, get_formatter
from runner.report.html import environment

TODAY = date(2024, 6, 1)
SCRIPT = "<script>alert(1)</script>"
ATTR = '"onmouseover="alert(1)'
QUOTE = "'onmouseover='alert(1)"
BREAK = "</textarea></pre></code>--><img src=x onerror=alert(1)>"


def evil(label: str) -> str:
    return f"{label} {SCRIPT} {ATTR} {QUOTE} {BREAK}"


GID = evil("G-1")
WORKLOAD = evil("app")
ADDRESS = evil("aws_s3_bucket.b")
OTHER = evil("aws_s3_bucket.x")


def hostile_run(mode: str = "check") -> RunResult:
    g = Guardrail(id=GID, title=evil("title"), file=evil("file.feature"), line=3, severity=Severity.HIGH,
                  controls=(evil("CIS"),), remediation=f"use `{evil('code')}` and {evil('prose')}",
                  feature=evil("feature"), deadline=date(2024, 7, 1))
    ref = ExclusionRef(evil("EXC"), date(2024, 6, 10), evil("ticket"), evil("reason"))
    findings = (
        Finding(GID, WORKLOAD, ADDRESS, evil("message"), Severity.HIGH),
        Finding(GID, WORKLOAD, OTHER, evil("excluded message"), Severity.HIGH, excluded_by=ref),
        Finding(GID, WORKLOAD, evil("aws_iam_policy.p"), evil("expired"), Severity.HIGH, expired_exclusion=ref),
        Finding(GID, WORKLOAD, evil("aws_sqs_queue.q"), evil("warning"), Severity.HIGH, warning=True),
    )
    broken = evil("broken")
    return RunResult(
        guardrails=(g,),
        results=(Result(GID, WORKLOAD, Status.FAILED, findings, messages=(evil("raw"),)),
                  Result(GID, broken, Status.ERROR, error=evil("error"))),
        workloads=(WorkloadRun(WORKLOAD, evil("plan.json"), "ab" * 32, static_plan=True, source_dir=evil("src")),
                   WorkloadRun(broken, evil("broken.json"), error=evil("plan error"))),
        mode=Mode(mode), created=evil("2024-06-01"), rules_source={"url": evil("https://rules"), "commit": evil("c0ffee")},
        warnings=(evil("warning"),), changed_guardrails=(GID,))


@pytest.fixture(params=["check", "observe"])
def page(request) -> str:
    history = [{"date": "2024-05-01", "guardrail": gid, "workload": WORKLOAD, "status": "failed"}
               for gid in (GID, evil("gone"))]
    options = ReportOptions.build(history=history, pending={GID: "2024-07-01", evil("unknown"): None}, today=TODAY)
    return get_formatter("html").render(hostile_run(request.param), options)


def test_no_markup_from_the_run_reaches_the_page(page):
    tree = parse(page)
    assert len(tree.all("script")) == 1
    ours = resources.files("runner.report").joinpath("templates", "dashboard.js").read_text(encoding="utf-8")
    assert tree.one("script").raw_text().strip() == ours.strip()
    assert not tree.all("img") and not tree.all("textarea")
    handlers = [(n.tag, name) for n in tree.iter() for name in n.attrs if name.startswith("on")]
    assert handlers == []
    assert page.count("<script") == 1 and "<img" not in page
    for payload in (ATTR, QUOTE):
        assert payload not in page  # its quote is always escaped


def attribute_values(tree: Node) -> list[str]:
    return [value for n in tree.iter() for value in n.attrs.values() if value]


def test_hostile_values_are_shown_as_they_are(page):
    tree = parse(page)
    text = tree.raw_text()
    for value in (GID, WORKLOAD, ADDRESS, evil("title"), evil("message"), evil("EXC"), evil("ticket"),
                  evil("reason"), evil("feature"), evil("plan error"), evil("warning"), evil("https://rules"),
                  evil("code"), evil("unknown"), evil("gone")):
        assert value in text, value
    matrix = tree.by_id("matrix")
    assert [th.get("data-w") for th in matrix.all("th", data_w=True)] == [WORKLOAD, evil("broken")]
    assert matrix.one("a", title=True).get("title") == evil("title")
    assert {s.get("value") for s in tree.by_id("f-w").all("option")} == {"", WORKLOAD, evil("broken")}
    details = tree.section("workloads").one("details", data_w=WORKLOAD)
    assert details.get("id").startswith("w-app-script-alert-1-script-onmouseover")  # anchors are made safe
    assert [c.text() for c in details.one("ul", cls="findings").all("code")] == [ADDRESS, evil("aws_iam_policy.p")]
    assert details.one("div", cls="fix").one("code").text() == evil("code")
    labels = [n.get("aria-label") for n in tree.section("history").all("svg")]
    assert any(GID in (label or "") for label in labels)
    assert GID in attribute_values(tree)


def test_autoescape_is_on_and_nothing_is_marked_safe():
    env = environment()
    template = env.loader.get_source(env, "dashboard.html.j2")[0]
    assert env.autoescape is True
    assert "|safe" not in template.replace(" ", "") and "autoescape false" not in template
    python = resources.files("runner.report")
    for module in ("html.py", "dashboard.py"):
        assert "Markup" not in python.joinpath(module).read_text(encoding="utf-8"), module
