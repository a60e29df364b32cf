"""`tfguard check` end to end through the real CLI and the real engine."""

import json
from pathlib import Path

import pytest
from helpers import minimal_plan, tfguard, write_plan
from helpers import resource_change as rc

FEATURE = """\
Feature: Demo guardrails
  @id:S3-001 @severity:high @control:FSBP-S3.4
  Scenario: S3 buckets are encrypted
    Remediation: Add an aws_s3_bucket_server_side_encryption_configuration resource.
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration

  @id:KMS-001
  Scenario: KMS keys rotate
    Given I have aws_kms_key defined
    Then it must contain enable_key_rotation
    And its value must be true
"""


@pytest.fixture
def features(tmp_path) -> Path:
    d = tmp_path / "features"
    d.mkdir()
    (d / "demo.feature").write_text(FEATURE)
    return d


def bucket(name: str, encrypted: bool, **kw) -> dict:
    after = {"bucket": name, "tags": {"owner": "t"}}
    if encrypted:
        after["server_side_encryption_configuration"] = [{"rule": [{"apply_server_side_encryption_by_default": [
            {"sse_algorithm": "aws:kms", "kms_master_key_id": ""}], "bucket_key_enabled": True}]}]
    return rc("aws_s3_bucket", name, after, **kw)


def test_compliant_plan_exits_0_and_not_applicable_is_shown(tmp_path, features):
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("ok", True)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features))
    assert run.code == 0, run.stderr
    assert "PASS  S3-001" in run.stdout
    assert "N/A   KMS-001" in run.stdout
    assert "-> compliant" in run.stdout


def test_violations_exit_1_with_addresses_message_and_remediation(tmp_path, features):
    plan = write_plan(tmp_path / "plan.json", minimal_plan([
        bucket("ok", True), bucket("raw", False, index="eu", module="module.data"), bucket("logs", False, index=0)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--workload", "pipeline")
    assert run.code == 1, run.stderr
    assert "workload pipeline" in run.stdout
    assert 'module.data.aws_s3_bucket.raw["eu"]' in run.stdout
    assert "aws_s3_bucket.logs[0]" in run.stdout
    assert "does not have server_side_encryption_configuration property" in run.stdout
    assert "fix: Add an aws_s3_bucket_server_side_encryption_configuration resource." in run.stdout
    assert "aws_s3_bucket.ok" not in run.stdout


def test_json_output_follows_the_result_schema(tmp_path, features):
    import jsonschema

    from runner.schemas import load_schema

    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("raw", False)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--format", "json")
    doc = json.loads(run.stdout)
    jsonschema.validate(doc, load_schema("results"))
    assert doc["summary"]["exit_code"] == 1 and doc["summary"]["failed"] == 1
    [s3] = [r for r in doc["results"] if r["guardrail"] == "S3-001"]
    assert s3["findings"][0]["address"] == "aws_s3_bucket.raw"
    assert doc["guardrails"][0]["remediation"].startswith("Add an")


@pytest.mark.parametrize("content,problem", [
    ("", "plan file is empty"),
    ('{"format_version": "1.2", "planned', "truncated JSON"),
    ("not json at all", "invalid JSON"),
    ('{"some": "json"}', "is JSON but not a Terraform plan"),
])
def test_bad_plans_exit_2_with_one_line(tmp_path, features, content, problem):
    plan = tmp_path / "bad.json"
    plan.write_text(content)
    run = tfguard("check", "--plan", str(plan), "--features", str(features))
    assert run.code == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(plan) in lines[0] and problem in lines[0]
    assert "Traceback" not in run.stderr


def test_usage_errors_exit_2(tmp_path, features):
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("ok", True)]))
    assert tfguard("check", "--features", str(features)).code == 2  # no --plan
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--only", "NOPE-9")
    assert run.code == 2 and "unknown guardrail id 'NOPE-9'" in run.stderr
    run = tfguard("check", "--plan", str(plan), "--features", str(tmp_path / "missing"))
    assert run.code == 2 and "features directory not found" in run.stderr
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--format", "yaml")
    assert run.code == 2 and "invalid choice" in run.stderr


def test_an_engine_error_never_reads_as_compliant(tmp_path, features):
    (features / "broken.feature").write_text(
        "Feature: Broken\n  @id:BAD-1\n  Scenario: typo\n    Given I have aws_s3_bucket defined\n"
        "    Then it must be shiny\n")
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("ok", True)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--format", "json")
    assert run.code == 2
    doc = json.loads(run.stdout)
    assert doc["summary"]["compliant"] is False
    statuses = {r["guardrail"]: r["status"] for r in doc["results"]}
    assert statuses["BAD-1"] == "error"
    assert "it must be shiny" in next(r["error"] for r in doc["results"] if r["guardrail"] == "BAD-1")


def test_only_evaluates_the_selected_guardrails(tmp_path, features):
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("raw", False)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--only", "KMS-001", "--format", "json")
    assert run.code == 0
    assert [r["guardrail"] for r in json.loads(run.stdout)["results"]] == ["KMS-001"]


def test_feature_library_without_our_tags_runs_unchanged_with_warnings(tmp_path):
    d = tmp_path / "legacy"
    d.mkdir()
    (d / "s3.feature").write_text("Feature: legacy\n  Scenario: Ensure encryption\n    Given I have aws_s3_bucket "
                                  "defined\n    Then it must contain server_side_encryption_configuration\n")
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("raw", False)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(d))
    assert run.code == 1
    assert "has no @id tag; using derived id s3-ensure-encryption-" in run.stderr


def test_engine_tags_warning_and_exclude_keep_working(tmp_path):
    """terraform-compliance's own @warning and @exclude_<address> tags behave as in the engine: a @warning
    guardrail reports its findings as warnings without failing; @exclude_ drops a resource from the check."""
    d = tmp_path / "features"
    d.mkdir()
    (d / "tags.feature").write_text(
        "Feature: engine tags\n"
        "  @id:W-1 @warning\n  Scenario: warn only\n    Given I have aws_s3_bucket defined\n"
        "    Then it must contain server_side_encryption_configuration\n\n"
        "  @id:X-1 @exclude_aws_s3_bucket.legacy\n  Scenario: all but legacy\n"
        "    Given I have aws_s3_bucket defined\n    Then it must contain server_side_encryption_configuration\n")
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("legacy", False)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(d), "--format", "json", "--no-cache")
    assert run.code == 0, run.stdout + run.stderr
    results = {r["guardrail"]: r for r in json.loads(run.stdout)["results"]}
    assert results["W-1"]["status"] == "passed"
    assert [(f["address"], f["status"]) for f in results["W-1"]["findings"]] == [("aws_s3_bucket.legacy", "warning")]
    assert results["X-1"]["status"] == "not-applicable" and results["X-1"]["findings"] == []


EXCLUSION = """\
workload: web
exclusions:
  - id: EXC-1
    guardrail: S3-001
    resource: aws_s3_bucket.raw
    reason: legacy bucket, migration planned this quarter
    requested_by: dev@example.com
    approved_by: e
    ticket: SEC-1
    created: 2026-01-01
    expires: 2026-03-01
"""


def test_approvers_written_as_a_string_stop_the_run_instead_of_approving_by_letter(tmp_path, features):
    """`approvers: alice.sec@example.com` (a string) was read one character at a time, so an exclusion
    `approved_by: e` applied and hid the violation (exit 0). The file is refused before anything reads it."""
    (tmp_path / "tfguard.yaml").write_text("exclusions:\n  approvers: alice.sec@example.com\n")
    (tmp_path / "exclusions").mkdir()
    (tmp_path / "exclusions" / "web.yaml").write_text(EXCLUSION)
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("raw", False)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--workload", "web",
                  env={"TFGUARD_TODAY": "2026-02-01"})
    assert run.code == 2, run.stdout
    assert f"{tmp_path / 'tfguard.yaml'}:2: key `exclusions.approvers`: must be a list" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("setting", ["exclusions:\n  warning_days: -5\n", "observation:\n  deadline_days: soon\n"])
def test_out_of_range_settings_stop_the_run(tmp_path, features, setting):
    (tmp_path / "tfguard.yaml").write_text(setting)
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("ok", True)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features))
    assert run.code == 2 and f"{tmp_path / 'tfguard.yaml'}:2: key `" in run.stderr


@pytest.mark.parametrize("workers", ["-3", "0", "many"])
def test_workers_must_be_a_positive_number(tmp_path, features, workers):
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("ok", True)]))
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--workers", workers)
    assert run.code == 2 and "argument --workers:" in run.stderr and run.stdout == ""


def test_a_cached_result_edited_from_failed_to_passed_is_evaluated_again(tmp_path, features):
    cache = tmp_path / "cache"
    plan = write_plan(tmp_path / "plan.json", minimal_plan([bucket("raw", False)]))
    args = ("check", "--plan", str(plan), "--features", str(features), "--cache-dir", str(cache))
    assert tfguard(*args).code == 1
    [entry] = [p for p in cache.rglob("*.json") if json.loads(p.read_text())["status"] == "failed"]
    doc = json.loads(entry.read_text())
    doc.update(status="passed", findings=[])
    entry.write_text(json.dumps(doc))
    run = tfguard(*args)
    assert run.code == 1, run.stdout
    assert "1 result cache entry failed verification (its seal does not match its content; guardrails " \
           "S3-001)" in run.stderr
