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
