"""A failing step no longer hides the findings of the steps after it (runner.engine.continuation): the
resources it names leave the stash, the next step judges the rest, in both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import minimal_plan, resource_change, tfguard

from runner.engine.continuation import remaining_after_failure

FEATURE = """Feature: continuation
  @id:T-001 @severity:high
  Scenario: Buckets encrypt with a KMS key
    Remediation: Use aws:kms.
    Given I have aws_s3_bucket defined
    Then it must contain sse_algorithm
    And its value must match the "^aws:kms$" regex

  @id:T-002 @severity:high
  Scenario: Buckets are versioned and logged
    Remediation: Turn both on.
    Given I have aws_s3_bucket defined
    Then versioning must be enabled
    And logging must be enabled
"""


def bucket(name: str, **after: object) -> dict:
    return resource_change("aws_s3_bucket", name, {"bucket": name, **after})


def sse(algorithm: str) -> list[dict]:
    return [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": algorithm}]}]}]


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_the_steps_after_a_failing_step_judge_the_resources_it_did_not_fail(tmp_path: Path, engine: str) -> None:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "t.feature").write_text(FEATURE)
    plan = minimal_plan([
        bucket("none"),  # fails the first step of T-001 (no encryption at all)
        bucket("aes", server_side_encryption_configuration=sse("AES256")),  # hidden by it before: second step
        bucket("kms", server_side_encryption_configuration=sse("aws:kms"), versioning=[{"enabled": True}]),
    ])
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    run = tfguard("check", "--plan", str(tmp_path / "plan.json"), "--features", str(tmp_path / "features"),
                  "--format", "json", "--no-cache", "--no-exclusions", "--engine", engine)
    assert run.code == 1, run.stderr
    results = {r["guardrail"]: r for r in json.loads(run.stdout)["results"]}
    named = {g: sorted(f["address"] for f in r["findings"]) for g, r in results.items()}
    assert named["T-001"] == ["aws_s3_bucket.aes", "aws_s3_bucket.none"]
    # the logging step judges the bucket that passed versioning too; a bucket is named once
    assert named["T-002"] == ["aws_s3_bucket.aes", "aws_s3_bucket.kms", "aws_s3_bucket.none"]
    assert all(r["status"] == "failed" for r in results.values())


def test_what_is_left_after_a_failure() -> None:
    stash = [{"address": "aws_s3_bucket.a"}, {"address": 'aws_s3_bucket.b["x"]'}, {"address": "aws_s3_bucket.ab"}]
    left = remaining_after_failure(stash, ["aws_s3_bucket.a (aws_s3_bucket) does not have sse_algorithm property."])
    assert left == stash[1:]  # aws_s3_bucket.ab is another resource, not a longer spelling of .a
    assert remaining_after_failure(stash, ['aws_s3_bucket.b["x"] is wrong', "aws_s3_bucket.a, aws_s3_bucket.ab"]) is None
    # a stash that is not resources (values of a property), or one the messages cannot be matched against
    assert remaining_after_failure(["AES256"], ["aws_s3_bucket.a"]) is None
    assert remaining_after_failure([], ["aws_s3_bucket.a"]) is None
