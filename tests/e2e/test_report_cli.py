"""Reports end to end: `tfguard check --report-dir` through the real engine, and `tfguard report --from`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from helpers import minimal_plan, tfguard, write_plan
from helpers import resource_change as rc
from html_tree import parse
from junitparser import JUnitXml
from report_samples import TODAY, sample_history, sample_run

from runner.report import get_formatter

PLANTED = "Planted-S3cret-Value-42"
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_text())

FEATURE = """\
Feature: Database guardrails
  @id:RDS-001 @severity:high @control:FSBP-RDS.3
  Scenario: RDS instances encrypt storage
    Remediation: Set `storage_encrypted = true` on the `aws_db_instance`.
    Given I have aws_db_instance defined
    Then it must contain storage_encrypted
    And its value must be true

  @id:RDS-002 @severity:medium
  Scenario: RDS passwords are references, not literals
    Remediation: Set `manage_master_user_password = true` instead of a `password`.
    Given I have aws_db_instance defined
    When it has password
    Then its value must match the "^\\$\\{.*\\}$" regex
"""

MAIN_TF = """\
terraform {
  required_version = ">= 1.5"
}

resource "aws_db_instance" "main" {
  identifier        = "main"
  engine            = "postgres"
  password          = var.db_password
  storage_encrypted = false
}

variable "db_password" {
  type      = string
  sensitive = true
}
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """One real `tfguard check --source --report-dir` run (engine included), shared by the tests below."""
    tmp = tmp_path_factory.mktemp("check")
    features = tmp / "features"
    features.mkdir()
    (features / "rds.feature").write_text(FEATURE)
    source = tmp / "infra"
    source.mkdir()
    (source / "main.tf").write_text(MAIN_TF)
    db = rc("aws_db_instance", "main", {"identifier": "main", "engine": "postgres", "password": PLANTED,
                                        "storage_encrypted": False}, after_sensitive={"password": True})
    plan = write_plan(tmp / "plan.json", minimal_plan(
        [db], variables={"db_password": {"value": PLANTED}},
        config_variables={"db_password": {"sensitive": True}}))
    out = tmp / "reports"
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--source", str(source),
                  "--workload", "payments", "--report-dir", str(out), "--format", "markdown")
    return out, run


def test_check_writes_every_report_with_no_sensitive_value(checked):
    out, run = checked
    assert run.code == 1, run.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["dashboard.html", "junit.xml", "results.json", "results.sarif", "summary.md"]
    results = json.loads((out / "results.json").read_text())
    messages = [f["message"] for r in results["results"] for f in r["findings"]]
    assert any("It is set to (sensitive)" in m for m in messages), messages  # the engine did print the value
    for path in out.iterdir():
        assert PLANTED not in path.read_text(encoding="utf-8"), path.name
    assert PLANTED not in run.stdout + run.stderr


def test_check_reports_are_valid_and_located_in_source(checked):
    out, run = checked
    sarif = json.loads((out / "results.sarif").read_text())
    assert not list(jsonschema.Draft4Validator(SCHEMA).iter_errors(sarif))
    located = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in sarif["runs"][0]["results"]}
    assert located["RDS-001"]["artifactLocation"]["uri"].endswith("infra/main.tf")
    assert located["RDS-001"]["region"] == {"startLine": 5, "endLine": 10}
    junit = JUnitXml.fromfile(str(out / "junit.xml"))
    assert (junit.tests, junit.failures) == (2, 2)
    assert "Set `storage_encrypted = true`" in (out / "summary.md").read_text()
    assert "Set `storage_encrypted = true`" in run.stdout  # --format markdown on stdout
    assert "payments" in (out / "dashboard.html").read_text()


@pytest.fixture
def results_file(tmp_path: Path) -> Path:
    path = tmp_path / "results.json"
    path.write_text(get_formatter("json").render(sample_run()))
    return path


def test_report_rerenders_each_format_from_a_results_file(tmp_path, results_file, monkeypatch):
    monkeypatch.setenv("TFGUARD_TODAY", TODAY.isoformat())
    for fmt in ("junit", "sarif", "markdown", "html", "by-resource"):
        out = tmp_path / "nested" / f"report.{fmt}"
        run = tfguard("report", "--from", str(results_file), "--format", fmt, "-o", str(out))
        assert run.code == 0, run.stderr
        assert out.read_text() == get_formatter(fmt).render(sample_run()), fmt


def test_report_prints_text_by_default(results_file):
    run = tfguard("report", "--from", str(results_file))
    assert run.code == 0, run.stderr
    assert run.stdout == get_formatter("text").render(sample_run())


def test_report_dir_with_history_draws_the_chart(tmp_path, results_file):
    history = tmp_path / "history.jsonl"
    history.write_text("\n".join(json.dumps(r) for r in sample_history()) + "\n")
    pending = tmp_path / "pending.json"
    pending.write_text(json.dumps({"IAM-003": "2024-07-01"}))
    out = tmp_path / "site"
    run = tfguard("report", "--from", str(results_file), "--report-dir", str(out), "--format", "html",
                  "--format", "markdown", "--history", str(history), "--pending", str(pending),
                  env={"TFGUARD_TODAY": TODAY.isoformat()})
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["dashboard.html", "summary.md"]
    page = (out / "dashboard.html").read_text()
    tree = parse(page)
    assert len(tree.section("history").all("svg")) == 3  # all guardrails, S3-001, NET-002
    assert "30 days left" in tree.section("pending").text()


@pytest.mark.parametrize("args, message", [
    (["--from", "missing.json"], "missing.json: no such results file"),
    (["--format", "json", "--format", "html"], "give one --format"),
    (["--history", "nope.jsonl", "--format", "html"], "nope.jsonl: no such file"),
])
def test_report_errors_are_one_line_and_exit_2(tmp_path, results_file, args, message):
    full = args if args[0] == "--from" else ["--from", str(results_file), *args]
    run = tfguard("report", *full, cwd=tmp_path)
    assert run.code == 2
    assert message in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("tfguard: error: ")
