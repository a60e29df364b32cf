"""results.sarif: valid against the official SARIF 2.1.0 schema (vendored, no network), located, suppressed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from report_samples import compliant_run, sample_run

from runner.model import Result, RunResult, Status
from runner.report import get_formatter
from runner.report.sarif import artifact_uri, to_sarif

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_text())


def validate(doc: dict) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "payments"
    (root / "modules" / "data").mkdir(parents=True)
    (root / "main.tf").write_text('module "data" {\n  source = "./modules/data"\n}\n\n'
                                  'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n')
    (root / "modules" / "data" / "buckets.tf").write_text(
        'resource "aws_s3_bucket" "raw" {\n  for_each = toset(["eu"])\n  bucket   = each.key\n}\n')
    return root


def results_for(doc: dict, address: str) -> list[dict]:
    return [r for r in doc["runs"][0]["results"] if r["properties"]["address"] == address]


@pytest.mark.parametrize("run", [sample_run(), sample_run(mode="observe"), compliant_run(),
                                 RunResult(guardrails=(), results=())], ids=["sample", "observe", "ok", "empty"])
def test_every_document_validates_against_the_sarif_schema(run):
    doc = json.loads(get_formatter("sarif").render(run))
    assert doc["version"] == "2.1.0"
    validate(doc)


def test_document_with_source_locations_validates(source):
    validate(to_sarif(sample_run(str(source))))


def test_rules_are_the_guardrails_with_help_and_levels():
    rules = to_sarif(sample_run())["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    assert list(by_id) == ["S3-001", "NET-002", "IAM-003"]
    s3 = by_id["S3-001"]
    assert s3["shortDescription"]["text"] == "S3 buckets encrypt data at rest"
    assert "aws_s3_bucket_server_side_encryption_configuration" in s3["help"]["text"]
    assert s3["help"]["markdown"].startswith("**Remediation**")
    assert s3["defaultConfiguration"]["level"] == "error"
    assert s3["properties"]["security-severity"] == "8.0"
    assert {"CIS-2.1.1", "FSBP-S3.4", "security"} <= set(s3["properties"]["tags"])
    assert by_id["NET-002"]["properties"]["security-severity"] == "9.5"
    assert by_id["IAM-003"]["defaultConfiguration"]["level"] == "note"


def test_results_are_located_at_the_resource_block_in_source(source):
    doc = to_sarif(sample_run(str(source)))
    [logs] = results_for(doc, "aws_s3_bucket.logs")
    loc = logs["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == artifact_uri(str(source / "main.tf"))
    assert loc["physicalLocation"]["region"] == {"startLine": 5, "endLine": 7}
    assert loc["logicalLocations"] == [{"fullyQualifiedName": "aws_s3_bucket.logs", "kind": "resource"}]
    assert logs["ruleId"] == "S3-001" and logs["level"] == "error"
    [raw] = results_for(doc, 'module.data.aws_s3_bucket.raw["eu"]')
    where = raw["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("payments/modules/data/buckets.tf")
    assert where["region"]["startLine"] == 1


def test_relative_source_paths_stay_relative(source, monkeypatch):
    monkeypatch.chdir(source.parent)
    doc = to_sarif(sample_run("payments"))
    [logs] = results_for(doc, "aws_s3_bucket.logs")
    assert logs["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "payments/main.tf"


def test_without_source_results_point_at_the_plan_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = Path("plans/payments.json")
    plan.parent.mkdir()
    plan.write_text(json.dumps({"resource_changes": [{"address": "aws_s3_bucket.other"},
                                                     {"address": "aws_s3_bucket.logs"}]}, indent=2))
    doc = to_sarif(sample_run(None, str(plan)))
    [logs] = results_for(doc, "aws_s3_bucket.logs")
    where = logs["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "plans/payments.json"
    assert plan.read_text().splitlines()[where["region"]["startLine"] - 1].strip() == '"address": "aws_s3_bucket.logs"'
    [raw] = results_for(doc, 'module.data.aws_s3_bucket.raw["eu"]')  # not in this plan file: the file only
    assert raw["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "plans/payments.json"}}


def test_excluded_findings_are_suppressed_with_the_exclusion():
    doc = to_sarif(sample_run())
    [legacy] = results_for(doc, "aws_s3_bucket.legacy")
    [suppression] = legacy["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert suppression["justification"] == ("excluded by EXC-7 until 2024-09-30: legacy bucket, migration planned; "
                                             "ticket SEC-42")
    assert legacy["properties"]["status"] == "excluded"
    unsuppressed = [r for r in doc["runs"][0]["results"] if "suppressions" not in r]
    assert {r["properties"]["address"] for r in unsuppressed} == {
        "aws_s3_bucket.logs", 'module.data.aws_s3_bucket.raw["eu"]', "aws_security_group.admin",
        "aws_iam_policy.deploy"}


def test_warnings_are_notes_and_errors_make_the_run_unsuccessful():
    doc = to_sarif(sample_run())
    [admin] = results_for(doc, "aws_security_group.admin")
    assert admin["level"] == "note"
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts[0].startswith("workload broken: plans/broken.json: truncated JSON")
    assert not any(t.startswith("S3-001 on broken") for t in texts)  # the workload error is said once
    assert to_sarif(compliant_run())["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_a_failure_without_findings_is_still_a_result_at_the_plan():
    run = compliant_run()
    failed = Result("S3-001", "payments", Status.FAILED,
                    messages=("the engine failed this guardrail without a message",))
    doc = to_sarif(replace(run, results=(failed,)))
    [result] = doc["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plans/payments.json"
    assert "without a message" in result["message"]["text"]
    validate(doc)


def test_fingerprints_are_stable_and_distinct():
    first = to_sarif(sample_run())["runs"][0]["results"]
    again = to_sarif(sample_run())["runs"][0]["results"]
    prints = [r["partialFingerprints"]["tfguard/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["tfguard/v1"] for r in again]
    assert len(set(prints)) == len(prints)


def test_observe_mode_is_its_own_category():
    doc = to_sarif(sample_run(mode="observe"))
    assert doc["runs"][0]["automationDetails"]["id"] == "tfguard/observe/"
    assert "not yet enforced" in doc["runs"][0]["results"][0]["message"]["text"]
