"""Values a plan marks sensitive reach no output, report, cache entry, observation or ledger, however the
engine spells them; and a finding on a resource whose for_each key equals a sensitive value keeps its
address (the key reads (sensitive)), so its exclusion still applies. Real CLI, real engine, real git.

The plan (data/secret_positions.plan.json) holds: a map marked sensitive as a whole
(`after_sensitive: {"labels": true}`), a sensitive number written 2.7182818284590450 (the engine prints
2.718281828459045), and aws_ssm_parameter.by_key["prod-db-master-7f3a"], whose key is another
resource's sensitive value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import REPO_ROOT, make_repo, tfguard

PLAN = REPO_ROOT / "tests" / "e2e" / "data" / "secret_positions.plan.json"
SECRETS = ("rotation-owner-x9q", "team-payments", "2.718281828459045", "2.7182818284590450", "prod-db-master-7f3a",
           "s3cr3t-xyz")
KEYED = 'aws_ssm_parameter.by_key["(sensitive)"]'
FEATURE = """Feature: Secrets
  @id:SEC-001 @severity:high
  Scenario: Parameters carry no labels map
    Given I have aws_ssm_parameter defined
    When it contains labels
    Then its value must be null

  @id:SEC-002 @severity:high
  Scenario: Parameter ratios are at most one
    Given I have aws_ssm_parameter defined
    When it contains ratio
    Then its value must match the "^[01]$" regex

  @id:SEC-003 @severity:high
  Scenario: Parameters are advanced tier
    Remediation: Set tier = "Advanced".
    Given I have aws_ssm_parameter defined
    Then it must contain tier
    And its value must be Advanced
"""
EXCLUSION = """workload: web
exclusions:
  - id: EXC-7
    guardrail: SEC-003
    resource: 'aws_ssm_parameter.by_key["prod-db-master-7f3a"]'
    reason: The standard tier is enough for this parameter.
    requested_by: dev@example.com
    approved_by: alice.sec@example.com
    ticket: SEC-7
    created: 2026-03-01
    expires: 2026-05-01
"""
ENV = {"TFGUARD_TODAY": "2026-03-02"}


def assert_clean(texts: list[str]) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked: …{text[max(0, text.find(secret) - 80):][:200]}…"


@pytest.fixture
def compliance(tmp_path: Path) -> Path:
    """A compliance repository (git, mainline main) with the guardrails, one workload and its exclusion."""
    assert all(s in PLAN.read_text() for s in ("rotation-owner-x9q", "2.7182818284590450", "prod-db-master-7f3a"))
    files = {
        "tfguard.yaml": "exclusions:\n  approvers: [alice.sec@example.com]\n",
        "features/sec.feature": FEATURE,
        "exclusions/web.yaml": EXCLUSION,
        "pipeline/workloads/web.yaml": "name: web\nowners:\n  - {name: Web team, contact: web@example.com}\n"
                                       "plan: plans/web.json\n",
        "plans/web.json": PLAN.read_text(),  # the number as the plan writes it
    }
    return make_repo(tmp_path / "compliance", files)


def test_every_output_and_the_cache_are_clean_and_the_keyed_finding_keeps_its_address(tmp_path, compliance):
    out, cache = tmp_path / "reports", tmp_path / "cache"
    texts = []
    for fmt in ("text", "json", "junit", "sarif", "markdown", "html"):
        run = tfguard("check", "--plan", str(compliance / "plans" / "web.json"), "--workload", "web",
                      "--features", str(compliance / "features"), "--format", fmt, "--report-dir", str(out),
                      "--cache-dir", str(cache), env=ENV)
        assert run.code == 1, run.stderr
        texts += [run.stdout, run.stderr]
        if fmt == "json":
            doc = json.loads(run.stdout)
    files = [p.read_text(errors="replace") for p in [*out.rglob("*"), *cache.rglob("*")] if p.is_file()]
    assert any(cache.rglob("*.json")), "the cache holds entries"
    assert_clean(texts + files)
    sec3 = next(r for r in doc["results"] if r["guardrail"] == "SEC-003")
    by_address = {f["address"]: f for f in sec3["findings"]}
    assert by_address[KEYED]["status"] == "excluded" and by_address[KEYED]["exclusion"]["id"] == "EXC-7"
    assert by_address["aws_ssm_parameter.p"]["status"] == "violation"
    assert "(no resource named" not in "\n".join(texts)
    sec1 = next(r for r in doc["results"] if r["guardrail"] == "SEC-001")
    assert "{'(sensitive)': '(sensitive)'}" in sec1["findings"][0]["message"]  # the map's keys are hidden too
    sec2 = next(r for r in doc["results"] if r["guardrail"] == "SEC-002")
    assert sec2["findings"][0]["message"].endswith("It is set to (sensitive).")


def test_observe_output_reports_and_ledger_are_clean(tmp_path, compliance):
    out = tmp_path / "observed"
    run = tfguard("observe", "--repo", str(compliance), "--no-fetch", "--ledger", "file", "--report-dir", str(out),
                  "--no-cache", env=ENV)
    assert run.code == 0, run.stdout + run.stderr
    written = [p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()]
    ledgers = [p.read_text(errors="replace") for p in compliance.rglob("*ledger*") if p.is_file()]
    assert ledgers, "the observation recorded a ledger"
    assert_clean([run.stdout, run.stderr, *written, *ledgers])
    assert KEYED in "\n".join(written)
