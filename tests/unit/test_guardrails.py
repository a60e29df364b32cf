from pathlib import Path

import pytest

from runner.errors import GuardrailError
from runner.guardrails.load import load_guardrails, write_engine_features
from runner.model import Severity

LIBRARY = """\
@team:security
Feature: Storage
  Storage guardrails.

  Background:
    Given I have aws_s3_bucket defined

  @id:S3-001 @severity:high @control:CIS-2.1.1 @control:FSBP-S3.4 @deadline:2026-12-31
  Scenario: Buckets are encrypted
    Buckets hold customer data.
    Remediation: Add an `aws_s3_bucket_server_side_encryption_configuration`
      for the bucket.
    Then it must contain server_side_encryption_configuration

  @noskip
  Scenario: Buckets are versioned
    Given I have aws_s3_bucket defined
    Then it must have aws_s3_bucket_versioning referenced

  @id:S3-003 @warning
  Scenario Outline: Buckets carry <tag>
    Given I have aws_s3_bucket defined
    Then it must contain <tag>

    Examples:
      | tag  |
      | tags |
"""


def make(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_tags_remediation_and_metadata(tmp_path):
    gset = load_guardrails(make(tmp_path, {"storage.feature": LIBRARY}))
    g = gset.get("S3-001")
    assert g.title == "Buckets are encrypted" and g.file == "storage.feature" and g.line == 9
    assert g.severity is Severity.HIGH
    assert g.controls == ("CIS-2.1.1", "FSBP-S3.4")
    assert g.deadline.isoformat() == "2026-12-31"
    assert g.description == "Buckets hold customer data."
    assert g.remediation == "Add an `aws_s3_bucket_server_side_encryption_configuration` for the bucket."
    assert "team:security" in g.tags  # feature tags are inherited
    assert gset.get("S3-003").severity is Severity.MEDIUM  # default


def test_scenario_without_id_gets_a_stable_derived_id_and_a_warning(tmp_path):
    gset = load_guardrails(make(tmp_path, {"storage.feature": LIBRARY}))
    derived = [g for g in gset.guardrails if g.id_derived]
    assert len(derived) == 1 and derived[0].id.startswith("storage-buckets-are-versioned-")
    assert load_guardrails(tmp_path).guardrails[1].id == derived[0].id  # stable across loads
    assert any("storage.feature:16" in w and "no @id tag" in w for w in gset.warnings)


def test_duplicate_ids_name_both_places(tmp_path):
    make(tmp_path, {"a.feature": "Feature: A\n  @id:X-1\n  Scenario: one\n    Given I have aws_s3_bucket defined\n",
                    "sub/b.feature": "Feature: B\n\n  @id:X-1\n  Scenario: two\n    Given I have aws_vpc defined\n"})
    with pytest.raises(GuardrailError, match=r"duplicate guardrail id X-1 at a.feature:3 and sub/b.feature:4"):
        load_guardrails(tmp_path)


@pytest.mark.parametrize("tag,problem", [("@severity:urgent", "unknown severity"),
                                         ("@deadline:tomorrow", "is not a YYYY-MM-DD date"),
                                         ("@id:A @id:B", "has 2 @id tags")])
def test_bad_tags_are_errors_with_file_and_line(tmp_path, tag, problem):
    make(tmp_path, {"x.feature": f"Feature: X\n  {tag}\n  Scenario: s\n    Given I have aws_vpc defined\n"})
    with pytest.raises(GuardrailError, match=problem) as info:
        load_guardrails(tmp_path)
    assert info.value.where == "x.feature:3"


def test_missing_dir_and_empty_dir(tmp_path):
    with pytest.raises(GuardrailError, match="features directory not found"):
        load_guardrails(tmp_path / "none")
    with pytest.raises(GuardrailError, match="no .feature files"):
        load_guardrails(tmp_path)


def test_cleaned_copy_keeps_line_numbers_and_drops_descriptions(tmp_path):
    src = make(tmp_path / "src", {"storage.feature": LIBRARY})
    gset = load_guardrails(src)
    assert write_engine_features(gset, tmp_path / "out") == 3
    lines = (tmp_path / "out" / "storage.feature").read_text().splitlines()
    original = LIBRARY.splitlines()
    assert len(lines) == len(original)
    assert "Remediation" not in "\n".join(lines) and "customer data" not in "\n".join(lines)
    assert lines[8] == original[8] and lines[12] == original[12]  # Scenario and Then lines in place
    assert "Storage guardrails." in lines[2]  # feature descriptions are fine for the engine


def test_cleaned_copy_with_a_selection_blanks_other_scenarios(tmp_path):
    gset = load_guardrails(make(tmp_path / "src", {"storage.feature": LIBRARY}))
    assert write_engine_features(gset, tmp_path / "out", only=["S3-003"]) == 1
    text = (tmp_path / "out" / "storage.feature").read_text()
    assert "Buckets carry" in text and "Buckets are encrypted" not in text and "versioned" not in text
    assert "@noskip" not in text and "@id:S3-001" not in text
    assert "Background:" in text


def test_digest_changes_with_steps_not_with_remediation(tmp_path):
    a = load_guardrails(make(tmp_path / "a", {"s.feature": LIBRARY})).get("S3-001")
    b = load_guardrails(make(tmp_path / "b", {"s.feature": LIBRARY.replace("for the bucket", "for it")})).get("S3-001")
    c = load_guardrails(make(tmp_path / "c", {"s.feature": LIBRARY.replace(
        "must contain server_side", "must contain   server_side").replace(
        "contain   server_side_encryption_configuration", "contain logging")})).get("S3-001")
    assert a.digest == b.digest
    assert a.digest != c.digest


def test_unknown_id_selection_is_an_error(tmp_path):
    gset = load_guardrails(make(tmp_path, {"storage.feature": LIBRARY}))
    with pytest.raises(GuardrailError, match="unknown guardrail id 'NOPE'"):
        gset.select(["NOPE"])
