"""The catalogue's FSBP coverage table is computed from the guardrails' @control tags and the control list."""

from pathlib import Path

from runner.guardrails.catalog import COVERED, NOT_CHECKABLE, NOT_YET, RETIRED, coverage, render_catalog
from runner.guardrails.controls import benchmark
from runner.guardrails.load import load_guardrails

FEATURE = """Feature: Storage
  @id:S3-001 @severity:high @control:FSBP-S3.4 @control:FSBP-S3.17
  Scenario: buckets encrypt with KMS
    Remediation: add a KMS default encryption rule.
    Given I have aws_s3_bucket defined
    Then it must contain sse_algorithm

  @id:S3-002 @severity:low @control:FSBP-S3.17 @control:CIS-2.1.4 @control:FSBP-Macie.1
  Scenario: again
    Remediation: add a KMS default encryption rule.
    Given I have aws_s3_bucket defined
    Then it must contain sse_algorithm
"""


def library(tmp_path: Path):
    (tmp_path / "s3.feature").write_text(FEATURE)
    return load_guardrails(tmp_path)


def test_each_in_scope_control_gets_one_status(tmp_path):
    rows = {r.control.id: r for r in coverage(library(tmp_path))}
    assert rows["S3.17"].status == COVERED and rows["S3.17"].guardrails == ("S3-001", "S3-002")
    assert rows["S3.4"].status == RETIRED
    assert rows["IAM.4"].status == NOT_CHECKABLE and "root user" in rows["IAM.4"].detail
    assert rows["S3.13"].status == NOT_YET and rows["S3.13"].detail == ""
    # only the services in scope get a row; their list is the benchmark's
    assert "Macie.1" not in rows
    assert set(rows) == {c.id for c in benchmark("FSBP").controls.values() if c.service in benchmark("FSBP").scope}


def test_the_rendered_table_counts_and_names_what_it_reports(tmp_path):
    text = render_catalog(library(tmp_path))
    assert "## AWS Foundational Security Best Practices v1.0.0: coverage" in text
    assert "| `FSBP-S3.17` | S3 general purpose buckets are encrypted at rest with KMS keys | covered | `S3-001`, `S3-002` |" in text
    assert "| `FSBP-S3.13` |" in text and "| not yet | — |" in text
    assert "| `FSBP-EC2.4` | Stopped EC2 instances are removed after a period | not plan-checkable | how long an instance" in text
    assert "1 of " in text and " plan-checkable controls are covered" in text
    assert "services outside the scope: `FSBP-Macie.1`." in text
    assert "| `CIS-2.1.4` | S3 buckets are configured with Block public access (bucket settings) | `S3-002` |" in text
