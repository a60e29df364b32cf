"""A guardrail is never lost without a word: a feature file that does not parse stops check, observe and
enforce (exit 2, file and line) and fails lint; one unknown step errors only its own guardrail.

Through the real CLI and engine, on feature files a hurried edit produces."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import git, make_bare_remote, make_repo, minimal_plan, resource_change, tfguard, write_plan
from lifecycle import build

GOOD = """\
Feature: Storage guardrails

  @id:S3-001 @severity:high
  Scenario: S3 buckets are encrypted
    Remediation: Add an aws_s3_bucket_server_side_encryption_configuration resource.
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration
"""
SECOND = """
  @id:S3-002 @severity:low
  Scenario: S3 buckets are named
    Remediation: Name the bucket.
    Given I have aws_s3_bucket defined
    Then it must contain bucket
"""
UNTAGGED = """
  Scenario: S3 buckets are named
    Given I have aws_s3_bucket defined
    Then it must contain bucket
"""
# (file text, line the error names)
BROKEN = {
    "misspelt-last-scenario": (GOOD + SECOND.replace("Scenario:", "Scenari:"), 10),
    "misspelt-untagged-scenario": (GOOD + UNTAGGED.replace("Scenario:", "Scenari:"), 9),
    "step-keyword-typo": (GOOD.replace("    Then it must", "    Thne it must"), 7),
    "outline-without-examples": (GOOD + SECOND.replace("Scenario:", "Scenario Outline:"), 10),
    "binary": ("Feature: x\n\0\0\0", 2),
    "examples-row-too-wide": (GOOD + SECOND.replace("Scenario:", "Scenario Outline:").replace("contain bucket", "contain <k>")
                              + "\n    Examples:\n      | k |\n      | bucket | extra |\n", 17),
}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan.json", minimal_plan([resource_change("aws_s3_bucket", "raw", {"bucket": "raw"})]))


def features(tmp_path: Path, text: str, name: str = "storage.feature") -> Path:
    d = tmp_path / "features"
    d.mkdir(exist_ok=True)
    (d / "other.feature").write_text(GOOD.replace("S3-001", "S3-100").replace("Storage", "Other"))
    (d / name).write_bytes(text.encode())
    return d


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_stops_at_a_file_that_does_not_parse(tmp_path, plan, case):
    text, line = BROKEN[case]
    run = tfguard("check", "--plan", str(plan), "--features", str(features(tmp_path, text)), "--no-cache")
    assert run.code == 2, run.stdout
    assert run.stdout == ""
    assert f"tfguard: error: storage.feature:{line}: " in run.stderr


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_lint_fails_on_a_file_that_does_not_parse(tmp_path, case):
    text, line = BROKEN[case]
    run = tfguard("lint", "--features", str(features(tmp_path, text)))
    assert run.code == 1, run.stdout + run.stderr
    assert f"storage.feature:{line}: error: " in run.stdout


def test_a_feature_file_that_is_not_a_file_is_refused(tmp_path, plan):
    d = features(tmp_path, GOOD)
    (d / "moved.feature").symlink_to(tmp_path / "gone.feature")
    run = tfguard("check", "--plan", str(plan), "--features", str(d), "--no-cache")
    assert run.code == 2 and "moved.feature: a broken symbolic link named *.feature" in run.stderr
    os.mkfifo(d / "pipe.feature")
    (d / "moved.feature").unlink()
    run = tfguard("lint", "--features", str(d))
    assert run.code == 1 and "pipe.feature: error: not a regular file named *.feature" in run.stdout


def test_observe_stops_at_a_file_that_does_not_parse(tmp_path):
    repo = build(tmp_path)
    (repo.work / "features" / "storage.feature").write_text(BROKEN["misspelt-last-scenario"][0])
    run = tfguard("observe", "--ledger", "none", "--no-fetch", "--report-dir", str(tmp_path / "out"),
                  cwd=repo.work, env={"TFGUARD_TODAY": "2026-03-02"})
    assert run.code == 2, run.stdout + run.stderr
    assert "storage.feature:10: Gherkin syntax error" in run.stderr


def test_enforce_stops_at_a_mainline_file_that_does_not_parse(tmp_path, plan):
    work = make_repo(tmp_path / "compliance", {
        "features/storage.feature": BROKEN["misspelt-last-scenario"][0],
        "pipeline/workloads/payments.yaml": "name: payments\n"})
    bare = make_bare_remote(tmp_path, work)
    run = tfguard("enforce", "--rules", str(bare), "--workload", "payments", "--plan", str(plan), "--no-cache")
    assert run.code == 2, run.stdout + run.stderr
    assert "storage.feature:10: Gherkin syntax error" in run.stderr and git(work, "rev-parse", "main")


def test_one_unknown_step_errors_its_guardrail_only(tmp_path, plan):
    """radish refuses a whole run for one step it cannot match: every guardrail was an error. Now the
    guardrail with the step is the error, naming it, and the others have their real verdicts."""
    text = GOOD + SECOND + """
  @id:S3-003 @severity:low
  Scenario: S3 buckets shine
    Remediation: Polish.
    Given I have aws_s3_bucket defined
    Then it must be shiny
"""
    run = tfguard("check", "--plan", str(plan), "--features", str(features(tmp_path, text)), "--no-cache",
                  "--format", "json")
    assert run.code == 2, run.stderr
    results = {r["guardrail"]: r for r in json.loads(run.stdout)["results"]}
    assert {gid: r["status"] for gid, r in results.items()} == {
        "S3-001": "failed", "S3-002": "passed", "S3-003": "error", "S3-100": "failed"}
    assert results["S3-003"]["error"] == "no terraform-compliance step matches 'Then it must be shiny' " \
                                         "(storage.feature:19)"
    lint = tfguard("lint", "--features", str(tmp_path / "features"))
    assert lint.code == 1 and "storage.feature:19: error: no terraform-compliance step matches" in lint.stdout
