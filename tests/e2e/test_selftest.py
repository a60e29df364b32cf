"""`tfguard test`: each kind of mismatch fails with exit 1 and a clear message; the bundled library passes."""

import json
import shutil
from pathlib import Path

import pytest
from helpers import FEATURES, REPO_ROOT, minimal_plan, tfguard
from helpers import resource_change as rc

FEATURE = """Feature: Network
  @id:NET-900 @severity:high
  Scenario: No SSH from the internet
    Remediation: remove the rule.
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 22 for 0.0.0.0/0
"""
BLIND = FEATURE.replace("When it contains ingress", "When it has ingress")


def sg(name: str, cidr: str, port: int = 22, **kw) -> dict:
    rule = {"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": [cidr], "ipv6_cidr_blocks": [],
            "description": "", "prefix_list_ids": [], "security_groups": [], "self": False}
    return rc("aws_security_group", name, {"name": name, "ingress": [rule], "egress": []}, **kw)


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "net.feature").write_text(FEATURE)
    folder = tmp_path / "fixtures" / "NET-900"
    for kind in ("pass", "fail"):
        (folder / kind).mkdir(parents=True)
    (folder / "pass" / "vpn_only.json").write_text(json.dumps(minimal_plan([sg("vpn", "10.0.0.0/8")])))
    (folder / "fail" / "open.json").write_text(json.dumps(minimal_plan([
        sg("web", "0.0.0.0/0"), sg("db", "0.0.0.0/0", index="eu", module="module.data")])))
    (folder / "expected.yaml").write_text("fail:\n  open.json: [aws_security_group.web, "
                                          "'module.data.aws_security_group.db[\"eu\"]']\n")
    return tmp_path


def run_test(repo: Path, *extra: str):
    return tfguard("test", "--features", str(repo / "features"), "--fixtures", str(repo / "fixtures"), *extra)


def test_matching_fixtures_pass(repo):
    report = repo / "selftest.json"
    run = run_test(repo, "--report", str(report))
    assert run.code == 0, run.stdout + run.stderr
    assert "ok   NET-900      1 pass, 1 fail fixtures" in run.stdout
    assert json.loads(report.read_text()) == {"passed": True, "guardrails": {"NET-900": {"ok": True, "problems": []}}}


def test_a_blind_guardrail_is_caught_by_its_fail_fixture(repo):
    (repo / "features" / "net.feature").write_text(BLIND)
    run = run_test(repo)
    assert run.code == 1
    assert "FAIL NET-900" in run.stdout
    assert "fail/open.json: fail fixture passed: the guardrail is blind to it" in run.stdout


def test_a_failing_pass_fixture(repo):
    (repo / "fixtures" / "NET-900" / "pass" / "vpn_only.json").write_text(
        json.dumps(minimal_plan([sg("vpn", "0.0.0.0/0")])))
    run = run_test(repo)
    assert run.code == 1
    assert "pass/vpn_only.json: pass fixture fails on aws_security_group.vpn" in run.stdout


def test_addresses_that_differ_from_expected(repo):
    (repo / "fixtures" / "NET-900" / "expected.yaml").write_text(
        "fail:\n  open.json: [aws_security_group.web, aws_security_group.ghost]\n")
    run = run_test(repo)
    assert run.code == 1
    assert ("fail/open.json: addresses differ: missing aws_security_group.ghost; unexpected "
            'module.data.aws_security_group.db["eu"]') in run.stdout


def test_a_guardrail_without_fixtures_cannot_fail(repo):
    shutil.rmtree(repo / "fixtures" / "NET-900")
    run = run_test(repo)
    assert run.code == 1
    assert "no fixtures in" in run.stdout and "a guardrail that cannot fail" in run.stdout


def test_a_guardrail_with_only_pass_fixtures(repo):
    shutil.rmtree(repo / "fixtures" / "NET-900" / "fail")
    run = run_test(repo)
    assert run.code == 1
    assert "no fail fixture" in run.stdout


def test_a_pass_fixture_without_the_resource_is_not_applicable_and_passes(repo):
    """A "must not exist" guardrail can only be not applicable on a compliant plan."""
    (repo / "fixtures" / "NET-900" / "pass" / "vpn_only.json").write_text(
        json.dumps(minimal_plan([rc("aws_s3_bucket", "b", {"bucket": "b"})])))
    assert run_test(repo).code == 0


def test_unknown_fixtures_must_come_out_unknown_and_a_pass_fixture_must_not(repo):
    """A security group whose ingress is known only after apply cannot be judged at plan time."""
    later = sg("later", "0.0.0.0/0")
    later["change"]["after"].pop("ingress")
    later["change"]["after_unknown"]["ingress"] = True
    plan = minimal_plan([later])
    plan["configuration"]["root_module"]["resources"][0]["expressions"] = {
        "ingress": {"references": ["local.rules"]}}
    folder = repo / "fixtures" / "NET-900"
    (folder / "unknown").mkdir()
    (folder / "unknown" / "rules_after_apply.json").write_text(json.dumps(plan))
    (folder / "expected.yaml").write_text((folder / "expected.yaml").read_text()
                                          + "unknown:\n  rules_after_apply.json: [aws_security_group.later]\n")
    run = run_test(repo)
    assert run.code == 0, run.stdout
    assert "ok   NET-900      1 pass, 1 fail, 1 unknown fixtures" in run.stdout
    (folder / "pass" / "rules_after_apply.json").write_text(json.dumps(plan))
    run = run_test(repo)
    assert run.code == 1
    assert "pass/rules_after_apply.json: pass fixture is unknown on aws_security_group.later" in run.stdout


def test_unknown_only_id_is_a_usage_error(repo):
    run = run_test(repo, "--only", "NOPE-1")
    assert run.code == 2 and "unknown guardrail id 'NOPE-1'" in run.stderr


def test_the_bundled_library_passes_its_self_tests():
    run = tfguard("test", "--features", str(FEATURES), "--fixtures", str(REPO_ROOT / "tests" / "guardrails"))
    assert run.code == 0, run.stdout[-3000:]
    assert "failing" in run.stdout and ", 0 failing" in run.stdout


def test_the_bundled_library_lints_strict():
    run = tfguard("lint", "--strict", "--features", str(FEATURES))
    assert run.code == 0, run.stdout[-3000:]


def test_the_catalogue_is_up_to_date():
    run = tfguard("catalog", "--features", str(FEATURES), "-o", str(REPO_ROOT / "docs" / "guardrails.md"), "--check")
    assert run.code == 0, run.stdout + " (run `tfguard catalog` to regenerate docs/guardrails.md)"


def test_the_catalogue_s_coverage_table_is_generated_and_names_real_guardrails():
    """The coverage rows of docs/guardrails.md come from `tfguard catalog`, and every guardrail id they
    credit with a control really has that @control tag."""
    import re

    from runner.guardrails.load import load_guardrails

    doc = (REPO_ROOT / "docs" / "guardrails.md").read_text()
    generated = tfguard("catalog", "--features", str(FEATURES), "-o", "-").stdout
    section = generated.split("## AWS Foundational Security Best Practices v1.0.0: coverage", 1)[1]
    assert section in doc
    controls = {g.id: set(g.controls) for g in load_guardrails(FEATURES).guardrails}
    rows = re.findall(r"^\| `(FSBP-[\w.]+)` \| [^|]+ \| (covered|not plan-checkable|not yet|retired) \| ([^|]*) \|",
                      section, flags=re.M)
    assert len(rows) > 200
    for control, status, detail in rows:
        credited = re.findall(r"`([A-Z0-9]+-\d+)`", detail)
        assert (status == "covered") == bool(credited) or status == "retired", (control, status, detail)
        for gid in credited:
            assert control in controls[gid], (control, gid)


def test_new_scaffolds_a_guardrail_that_fails_self_tests_until_it_has_fixtures(tmp_path):
    run = tfguard("new", "S3-010", "--title", "Buckets expire old objects", "--control", "FSBP-S3.13",
                  "--features", str(tmp_path / "features"), "--fixtures", str(tmp_path / "fixtures"))
    assert run.code == 0, run.stderr
    assert "@id:S3-010 @severity:medium @control:FSBP-S3.13" in (tmp_path / "features" / "s3.feature").read_text()
    assert (tmp_path / "fixtures" / "S3-010" / "expected.yaml").exists()
    run = tfguard("test", "--features", str(tmp_path / "features"), "--fixtures", str(tmp_path / "fixtures"))
    assert run.code == 1 and "a guardrail that cannot fail" in run.stdout
    again = tfguard("new", "S3-010", "--title", "dup", "--features", str(tmp_path / "features"),
                    "--fixtures", str(tmp_path / "fixtures"))
    assert again.code == 2 and "already exists" in again.stderr
