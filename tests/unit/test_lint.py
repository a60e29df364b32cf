"""`tfguard lint` reports each kind of problem on purpose-made bad features."""

from pathlib import Path

import pytest

from runner.errors import GuardrailError
from runner.guardrails.controls import benchmark
from runner.guardrails.lint import PLACEHOLDER_ATTRIBUTE, PLACEHOLDER_REMEDIATION, lint, lint_line

GOOD = """Feature: Good
  @id:G-001 @severity:high @control:FSBP-S3.4
  Scenario: buckets encrypted
    Remediation: add encryption.
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration
"""

LEGACY = """Feature: Written for plain terraform-compliance
  Scenario: Ensure all resources have tags
    Given I have resource that supports tags defined
    Then it must contain tags
    And its value must not be null

  @noskip @exclude_aws_s3_bucket.legacy
  Scenario Outline: Ensure that specific tags are defined
    Given I have resource that supports tags defined
    When it has tags
    Then it must contain <tags>
    And its value must match the "<value>" regex

    Examples:
      | tags        | value   |
      | Name        | .+      |
      | application | .+      |
"""


def write(tmp_path: Path, text: str, name: str = "x.feature") -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


def by_level(problems, level):
    return [lint_line(p) for p in problems if p.level == level]


def test_clean_library_has_no_problems(tmp_path):
    assert lint(write(tmp_path, GOOD)) == []


def test_feature_library_without_our_tags_lints_with_warnings_only(tmp_path):
    problems = lint(write(tmp_path, LEGACY))
    assert by_level(problems, "error") == []
    warnings = by_level(problems, "warning")
    assert any("x.feature:2" in w and "no @id tag" in w for w in warnings)
    assert any("no @severity tag" in w for w in warnings)
    assert any("no Remediation" in w for w in warnings)


@pytest.mark.parametrize("edit,where,message,level", [
    (lambda t: t.replace("must contain server_side", "must be shiny and server_side"), "x.feature:6",
     "no terraform-compliance step matches 'Then it must be shiny and", "error"),
    (lambda t: t.replace(" @severity:high", ""), "x.feature:3", "no @severity tag", "warning"),
    (lambda t: t.replace("@id:G-001 ", ""), "x.feature:3", "has no @id tag", "warning"),
    (lambda t: t.replace("FSBP-S3.4", "ACME-7"), "x.feature:3", "@control:ACME-7 names no known framework", "error"),
    (lambda t: t.replace("FSBP-S3.4", "CIS-two"), "x.feature:3", "@control:CIS-two is not a valid CIS control id",
     "error"),
    # well-formed ids that the benchmark does not have: a typo, or CIS v1.4.0 numbering (2.1.5 is 2.1.4 in v3.0.0)
    (lambda t: t.replace("FSBP-S3.4", "FSBP-S3.99"), "x.feature:3",
     "@control:FSBP-S3.99 is not a control of AWS Foundational Security Best Practices v1.0.0", "error"),
    (lambda t: t.replace("FSBP-S3.4", "FSBP-RSD.3"), "x.feature:3", "(did you mean FSBP-RDS.3", "error"),
    (lambda t: t.replace("FSBP-S3.4", "CIS-2.1.5"), "x.feature:3",
     "@control:CIS-2.1.5 is not a control of CIS Amazon Web Services Foundations Benchmark v3.0.0", "error"),
    (lambda t: t.replace("Remediation: add encryption.", f"Remediation: {PLACEHOLDER_REMEDIATION}"), "x.feature:3",
     "the remediation is still the placeholder", "error"),
    (lambda t: t.replace("server_side_encryption_configuration", PLACEHOLDER_ATTRIBUTE), "x.feature:3",
     "a step still checks the placeholder CHANGE_ME", "error"),
    (lambda t: t.replace("@severity:high", "@severity:urgent"), "x.feature:3", "@severity:urgent is not one of",
     "error"),
    (lambda t: t.replace("@severity:high", "@severity:high @owner:me"), "x.feature:3", "unknown tag key @owner:",
     "warning"),
    (lambda t: t.replace("@severity:high", "@severity:high @shiny"), "x.feature:3", "unknown tag @shiny", "warning"),
    (lambda t: t.replace("    Remediation: add encryption.\n", ""), "x.feature:3", "no Remediation", "warning"),
    (lambda t: "  " + t.replace("Feature: Good", "Scenario: stray\n  Feature: Good", 1), "x.feature:1",
     "Gherkin syntax error", "error"),
])
def test_each_kind_of_problem(tmp_path, edit, where, message, level):
    problems = lint(write(tmp_path, edit(GOOD)))
    assert any(p.where == where and message in p.message and p.level == level for p in problems), \
        [lint_line(p) for p in problems]


def test_duplicate_ids_are_reported_with_both_places(tmp_path):
    write(tmp_path, GOOD, "a.feature")
    write(tmp_path, "Feature: B\n\n" + GOOD.split("\n", 1)[1], "b.feature")
    problems = lint(tmp_path)
    assert any(p.where == "b.feature:4" and "duplicate guardrail id G-001 (also at a.feature:3)" in p.message
               for p in problems)


def test_missing_features_directory_is_a_tool_error(tmp_path):
    with pytest.raises(GuardrailError, match="features directory not found"):
        lint(tmp_path / "nope")


def test_real_controls_of_both_benchmarks_lint_clean(tmp_path):
    text = GOOD.replace("@control:FSBP-S3.4", "@control:FSBP-RDS.35 @control:FSBP-EC2.180 @control:CIS-2.1.4 @control:CIS-5.6")
    assert lint(write(tmp_path, text)) == []


def test_the_skeleton_of_tfguard_new_does_not_lint_until_it_is_written(tmp_path):
    """What `tfguard new` appends must fail lint: its placeholders must never reach an app team."""
    from argparse import Namespace

    from runner.commands import new
    from runner.console import Output

    args = Namespace(id="S3-010", title="t", severity="high", control=["FSBP-S3.13"], resource_type="aws_s3_bucket",
                     attribute=PLACEHOLDER_ATTRIBUTE, feature=None, features=str(tmp_path / "f"),
                     fixtures=str(tmp_path / "fx"))
    new.run(args, Output())
    errors = [p.message for p in lint(tmp_path / "f") if p.level == "error"]
    assert any("placeholder that `tfguard new` wrote" in m for m in errors), errors
    assert any("placeholder CHANGE_ME" in m for m in errors), errors


def test_the_control_lists_name_their_benchmark_and_hold_the_library_s_controls():
    fsbp, cis = benchmark("FSBP"), benchmark("CIS")
    assert fsbp.standard == "AWS Foundational Security Best Practices v1.0.0"
    assert cis.standard == "CIS Amazon Web Services Foundations Benchmark v3.0.0"
    assert fsbp.get("S3.4").retired and fsbp.get("IAM.4").not_checkable
    assert "aws_db_instance" in fsbp.get("RDS.6").resources
    assert cis.get("2.1.4").title.startswith("S3 buckets") and cis.get("2.1.5") is None
