"""Results judged on a static plan (rendered from Terraform source) are labelled as such in every format."""

import pytest

from runner.model import Finding, Guardrail, Result, RunResult, Severity, Status, WorkloadRun
from runner.report import FORMATS, get_formatter

MARKERS = {
    "text": "(static plan from source)",
    "by-resource": "workload: app (static plan from source)",
    "json": '"static_plan": true',
    "junit": 'name="static_plan" value="true"',
    "sarif": '"staticPlan":true',  # SARIF is written compact
    "markdown": "(static plan from source)",
    "html": "static plan rendered from source",
}


def run(static: bool) -> RunResult:
    g = Guardrail(id="S3-001", title="Buckets are encrypted", file="s.feature", line=3, severity=Severity.HIGH,
                  remediation="Add encryption.")
    f = Finding("S3-001", "app", "aws_s3_bucket.b", "aws_s3_bucket.b has no encryption", Severity.HIGH)
    return RunResult((g,), (Result("S3-001", "app", Status.FAILED, (f,)),),
                     (WorkloadRun("app", "plan.json", "d" * 64, static_plan=static),), created="2026-11-26T00:00:00+00:00")


def test_every_format_is_covered():
    assert set(MARKERS) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(MARKERS))
def test_static_plans_are_labelled(fmt):
    formatter = get_formatter(fmt)
    assert MARKERS[fmt] in formatter.render(run(static=True))
    assert MARKERS[fmt] not in formatter.render(run(static=False))


GAP = "module.vendor: remote source git::https://example.com/vendor.git is not installed"


def gap_run(gaps: tuple[str, ...]) -> RunResult:
    base = run(static=True)
    return RunResult(base.guardrails, base.results,
                     (WorkloadRun("app", "plan.json", "d" * 64, static_plan=True, not_evaluated=gaps),),
                     created=base.created)


@pytest.mark.parametrize("fmt", sorted(MARKERS))
def test_not_evaluated_configuration_is_listed_in_every_format(fmt):
    """A module the static plan could not read is reported, never silently missing from the verdict."""
    rendered = get_formatter(fmt).render(gap_run((GAP,)))
    assert "module.vendor" in rendered and "not installed" in rendered
    assert "module.vendor" not in get_formatter(fmt).render(gap_run(()))


def test_not_evaluated_survives_results_json():
    from runner.report.json import from_document, to_document

    doc = to_document(gap_run((GAP,)))
    assert from_document(doc).workloads[0].not_evaluated == (GAP,)


def test_by_resource_lists_not_evaluated_configuration():
    from runner.report.by_resource import render_by_resource

    assert "NOT EVALUATED " + GAP in render_by_resource(gap_run((GAP,)))
