"""junit.xml: read back with junitparser, the standard Python JUnit reader."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from junitparser import Error, Failure, JUnitXml, Skipped
from report_samples import compliant_run, sample_run

from runner.model import Finding, Result, Severity, Status
from runner.report import get_formatter
from runner.report.junit import render_junit


def parse(text: str, tmp_path) -> JUnitXml:
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def cases(xml: JUnitXml) -> dict[tuple[str, str], object]:
    return {(suite.name, case.name.split(":")[0]): case for suite in xml for case in suite}


def test_one_case_per_guardrail_and_workload_with_standard_counts(tmp_path):
    xml = parse(render_junit(sample_run()), tmp_path)
    assert [s.name for s in xml] == ["payments", "web", "broken"]
    assert len(cases(xml)) == 9
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (9, 2, 3, 1)
    payments = next(s for s in xml if s.name == "payments")
    assert (payments.tests, payments.failures, payments.errors, payments.skipped) == (3, 1, 0, 1)


def test_failures_list_resources_messages_and_remediation(tmp_path):
    case = cases(parse(render_junit(sample_run()), tmp_path))[("payments", "S3-001")]
    [failure] = case.result
    assert isinstance(failure, Failure)
    assert failure.message == "2 noncompliant resources, 1 excluded"
    assert failure.type == "high"
    text = failure.text
    assert "aws_s3_bucket.logs" in text
    assert 'module.data.aws_s3_bucket.raw["eu"]' in text
    assert "does not have server_side_encryption_configuration property" in text
    assert "Remediation:" in text and "aws_s3_bucket_server_side_encryption_configuration" in text
    assert "controls: CIS-2.1.1, FSBP-S3.4" in text
    assert case.classname == "payments"


def test_excluded_findings_are_visible_and_never_fail(tmp_path):
    xml = parse(render_junit(sample_run()), tmp_path)
    failing = cases(xml)[("payments", "S3-001")]
    assert "aws_s3_bucket.legacy (excluded by EXC-7 until 2024-09-30, ticket SEC-42)" in failing.result[0].text
    passing = cases(xml)[("web", "S3-001")]
    assert passing.is_passed
    assert "aws_s3_bucket.assets (excluded by EXC-9 until 2024-06-05, ticket SEC-50)" in passing.system_out


def test_expired_exclusions_and_warnings_are_explained(tmp_path):
    xml = parse(render_junit(sample_run()), tmp_path)
    assert "exclusion EXC-2 expired on 2024-05-01" in cases(xml)[("web", "IAM-003")].result[0].text
    warning_case = cases(xml)[("payments", "NET-002")]
    assert warning_case.is_passed
    assert "Warnings (1)" in warning_case.system_out
    assert "<script>alert(1)</script>" in warning_case.system_out  # escaped in XML, intact when read


def test_not_applicable_is_skipped_and_errors_are_errors(tmp_path):
    text = render_junit(sample_run())
    xml = parse(text, tmp_path)
    [skipped] = cases(xml)[("payments", "IAM-003")].result
    assert isinstance(skipped, Skipped)
    assert skipped.message == "not applicable: no aws_iam_policy resources in the plan"
    [error] = cases(xml)[("broken", "S3-001")].result
    assert isinstance(error, Error)
    assert "truncated JSON" in error.message
    broken = ET.fromstring(text).find("testsuite[@name='broken']/system-err")
    assert broken is not None and "truncated JSON" in broken.text


def test_suite_properties_name_the_plan_and_mode(tmp_path):
    xml = parse(render_junit(sample_run()), tmp_path)
    props = {p.name: p.value for p in next(s for s in xml if s.name == "web").properties()}
    assert props["mode"] == "check"
    assert props["plan"] == "plans/web.json"
    assert props["static_plan"] == "true"


def test_observe_mode_says_failures_are_not_enforced(tmp_path):
    xml = parse(render_junit(sample_run(mode="observe")), tmp_path)
    assert cases(xml)[("payments", "S3-001")].result[0].message.startswith("observed, not enforced: ")


def test_compliant_run_has_only_passing_cases(tmp_path):
    xml = parse(get_formatter("junit").render(compliant_run()), tmp_path)
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (1, 0, 0, 0)


def test_control_characters_are_dropped_so_the_xml_stays_valid(tmp_path):
    run = compliant_run()
    bad = Result("S3-001", "payments", Status.FAILED, (
        Finding("S3-001", "payments", "aws_s3_bucket.x", "bell\x07 and nul\x00 and <&>", Severity.HIGH),))
    xml = parse(render_junit(replace(run, results=(bad,))), tmp_path)
    text = cases(xml)[("payments", "S3-001")].result[0].text
    assert "bell and nul and <&>" in text
