"""runner.report.by_resource: what an application team reads in its pipeline log."""

from __future__ import annotations

from datetime import date

from runner.cli import build_parser
from runner.model import ExclusionRef, Finding, Guardrail, Result, RunResult, Severity, Status, WorkloadRun
from runner.report import get_formatter
from runner.report.by_resource import render_by_resource

S3 = Guardrail("S3-001", "S3 buckets encrypt data at rest", "storage.feature", 4, Severity.HIGH,
               remediation="Add an aws_s3_bucket_server_side_encryption_configuration resource.")
LOG = Guardrail("LOG-001", "Buckets log access", "logging.feature", 9, Severity.LOW)
SOURCE = {"url": "https://git.example.com/sec/compliance.git", "commit": "a" * 40, "ref": "refs/heads/main",
          "pinned": "false", "cached": "false"}


def run(results: tuple[Result, ...], **kw) -> RunResult:
    return RunResult((S3, LOG), results, (WorkloadRun("payments", "plan.json"),), mode="enforce",
                     rules_source=kw.pop("rules_source", SOURCE), **kw)


def test_grouped_by_resource_violations_first_with_fix_and_request_command() -> None:
    data = 'module.store.aws_s3_bucket.data["eu"]'
    text = render_by_resource(run((
        Result("S3-001", "payments", Status.FAILED, (
            Finding("S3-001", "payments", "aws_s3_bucket.logs", "logs has no encryption", Severity.HIGH,
                    excluded_by=ExclusionRef("EXC-1", date(2026, 3, 1), "SEC-1")),
            Finding("S3-001", "payments", data, f"{data} has no encryption", Severity.HIGH),
        )),
        Result("LOG-001", "payments", Status.PASSED, (
            Finding("LOG-001", "payments", data, "no access logging", Severity.LOW, warning=True),)),
    )))
    lines = text.splitlines()
    assert lines[0] == f"rules: {SOURCE['url']} @ {'a' * 40} (refs/heads/main)"
    assert lines[-1] == lines[0]
    assert lines.index(data) < lines.index("aws_s3_bucket.logs")  # the resource with a violation comes first
    block = text[text.index(data):text.index("aws_s3_bucket.logs")]
    assert "FAIL     S3-001 [high] S3 buckets encrypt data at rest" in block
    assert "| " + f"{data} has no encryption" in block
    assert "fix: Add an aws_s3_bucket_server_side_encryption_configuration resource." in block
    assert ("to request an exclusion: tfguard exclusions request --workload payments --guardrail S3-001 "
            f"--resource '{data}' --reason '...' --expires YYYY-MM-DD (in the compliance repo {SOURCE['url']})"
            ) in block
    assert "WARNING  LOG-001" in block and block.count("to request an exclusion") == 1
    assert "excluded by EXC-1 until 2026-03-01, ticket SEC-1" in text
    assert "1 violation on 1 resource, 1 excluded -> NONCOMPLIANT: deploy blocked" in text


def test_errors_and_unattributed_failures_are_listed() -> None:
    text = render_by_resource(run((
        Result("S3-001", "payments", Status.ERROR, error="engine crashed"),
        Result("LOG-001", "payments", Status.FAILED, messages=("the engine failed this guardrail",)),
    ), rules_source={**SOURCE, "pinned": "true", "cached": "true"}))
    assert "(refs/heads/main, pinned, from cache)" in text.splitlines()[0]
    assert "ERROR    S3-001: engine crashed" in text
    assert "FAIL     LOG-001: the engine failed this guardrail" in text
    assert "ERROR: results incomplete, deploy blocked" in text


def test_compliant() -> None:
    text = render_by_resource(run((Result("S3-001", "payments", Status.PASSED),
                                   Result("LOG-001", "payments", Status.NOT_APPLICABLE))))
    assert "2 guardrails: 1 passed, 0 failed, 1 not applicable, 0 errors; 0 violations" in text
    assert text.rstrip().splitlines()[-2].endswith("compliant: deploy may proceed")


def test_a_registered_format_that_enforce_prints_by_default() -> None:
    result = run((Result("S3-001", "payments", Status.PASSED),))
    assert get_formatter("by-resource").render(result) == render_by_resource(result)
    argv = ["enforce", "--rules", "rules.git", "--workload", "payments", "--plan", "plan.json"]
    assert build_parser(argv).parse_args(argv).format == "by-resource"
    assert build_parser(argv).parse_args([*argv, "--format", "text"]).format == "text"  # the plain summary
    assert build_parser(["check"]).parse_args(["check", "--plan", "p.json", "--format", "by-resource"])
