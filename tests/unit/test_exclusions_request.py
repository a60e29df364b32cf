"""The parts of `tfguard exclusions request` that need no git: dates, ids, the YAML round trip, PR text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from runner.errors import UsageError
from runner.exclusions.registry import read_registry
from runner.exclusions.request import (
    ExclusionRequest,
    add_entry,
    check_request,
    entry_mapping,
    next_id,
    parse_expires,
    pull_request_text,
)

TODAY = date(2026, 9, 1)
REQ = ExclusionRequest(workload="web", guardrail="S3-002", resource='module.site.aws_s3_bucket.www["example.com"]',
                       reason="Static website: public by design, content reviewed before publishing.",
                       expires=date(2026, 11, 1), requested_by="dana.dev@example.com", ticket="SEC-42")

COMMENTED = """\
# Exclusions of workload web.
# Keep entries in request order.
workload: web   # must equal the file name
exclusions:
  # access-log bucket
  - id: EXC-1
    guardrail: S3-005   # server access logging
    resource: 'aws_s3_bucket.logs'
    reason: >-
      The access-log bucket cannot log into itself.
    requested_by: dana.dev@example.com
    approved_by: alice.sec@example.com
    ticket: PLAT-1
    created: 2026-08-01
    expires: 2026-10-01

  - id: EXC-2
    guardrail: S3-001
    resource: "aws_s3_bucket.raw[*]"
    reason: Legacy buckets migrate to SSE-KMS in PLAT-2.
    requested_by: dana.dev@example.com
    approved_by: bob.sec@example.com
    ticket: PLAT-2
    created: 2026-08-01
    expires: 2026-10-01
"""


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-10-01", date(2026, 10, 1)),
    ("30d", date(2026, 10, 1)),
    ("2w", date(2026, 9, 15)),
])
def test_parse_expires(text: str, expected: date) -> None:
    assert parse_expires(text, TODAY) == expected


@pytest.mark.parametrize("text", ["next month", "2026-13-01", "30", "-3d"])
def test_parse_expires_refuses_other_text(text: str) -> None:
    with pytest.raises(UsageError, match="--expires"):
        parse_expires(text, TODAY)


def test_next_id_follows_the_highest_number() -> None:
    assert next_id([]) == "EXC-1"
    assert next_id(["EXC-2", "EXC-10", "EXC-9", "OTHER-50", "junk"]) == "EXC-11"


@pytest.mark.parametrize(("change", "message"), [
    ({"workload": "../web"}, "--workload"),
    ({"resource": "aws_s3_bucket."}, "--resource"),
    ({"reason": "because"}, "--reason"),
    ({"expires": TODAY}, "--expires 2026-09-01 is not in the future"),
    ({"exclusion_id": "12"}, "--id"),
])
def test_impossible_requests_are_refused_before_git(change: dict, message: str) -> None:
    from dataclasses import replace

    with pytest.raises(UsageError, match=message.replace("[", r"\[")):
        check_request(replace(REQ, **change), TODAY)


def test_add_entry_keeps_comments_order_quotes_and_spacing(tmp_path: Path) -> None:
    path = tmp_path / "exclusions" / "web.yaml"
    path.parent.mkdir()
    path.write_text(COMMENTED)
    add_entry(path, "web", entry_mapping(REQ, "EXC-3", TODAY))
    text = path.read_text()
    assert text.startswith(COMMENTED)  # everything before is byte for byte the same
    added = text[len(COMMENTED):]
    assert added.startswith("\n  - id: EXC-3\n    guardrail: S3-002\n")  # blank line and indentation kept
    data = yaml.safe_load(text)
    new = data["exclusions"][-1]
    assert list(new) == ["id", "guardrail", "resource", "reason", "requested_by", "approved_by", "ticket",
                         "created", "expires"]
    assert new["resource"] == 'module.site.aws_s3_bucket.www["example.com"]'
    assert new["approved_by"] == ""
    assert str(new["created"]) == "2026-09-01" and str(new["expires"]) == "2026-11-01"
    registry, problems = read_registry(tmp_path)
    assert not problems
    assert [e.id for e in registry.all] == ["EXC-1", "EXC-2", "EXC-3"]


def test_add_entry_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "exclusions" / "web.yaml"
    path.parent.mkdir()
    add_entry(path, "web", entry_mapping(REQ, "EXC-1", TODAY))
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../runner/schemas/exclusions.schema.json\n# Exclusions of workload web")
    assert "exclusions:\n  - id: EXC-1\n" in text
    registry, problems = read_registry(tmp_path)
    assert not problems and registry.all[0].workload == "web"


def test_add_entry_to_an_empty_flow_list_writes_block_style(tmp_path: Path) -> None:
    path = tmp_path / "exclusions" / "web.yaml"
    path.parent.mkdir()
    path.write_text("workload: web\nexclusions: []\n")
    add_entry(path, "web", entry_mapping(REQ, "EXC-1", TODAY))
    assert "[{" not in path.read_text()
    assert read_registry(tmp_path)[0].all[0].id == "EXC-1"


def test_a_multi_line_reason_is_a_literal_block(tmp_path: Path) -> None:
    from dataclasses import replace

    path = tmp_path / "exclusions" / "web.yaml"
    path.parent.mkdir()
    add_entry(path, "web", entry_mapping(replace(REQ, reason="Line one of the reason.\nLine two."), "EXC-1", TODAY))
    assert "reason: |\n" in path.read_text()
    assert read_registry(tmp_path)[0].all[0].reason == "Line one of the reason.\nLine two."


def test_pull_request_text_names_every_field_and_the_approvers(tmp_path: Path) -> None:
    path = tmp_path / "exclusions" / "web.yaml"
    path.parent.mkdir()
    add_entry(path, "web", entry_mapping(REQ, "EXC-7", TODAY))
    (e,) = read_registry(tmp_path)[0].all
    title, body = pull_request_text(e, ["alice.sec@example.com"])
    assert title == "Exclusion request EXC-7: S3-002 on web"
    for text in ("| Workload | web |", "| Guardrail | S3-002 |", "SEC-42", "2026-11-01", "dana.dev@example.com",
                 "Static website", "alice.sec@example.com", "exclusions/web.yaml"):
        assert text in body


def test_add_entry_to_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "web.yaml"
    path.write_text("workload: web\nexclusions:\n  - id: EXC-1\n   guardrail: x\n")
    with pytest.raises(UsageError) as err:
        add_entry(path, "web", entry_mapping(REQ, "EXC-2", TODAY))
    assert err.value.where == f"{path}:4" and "not valid on the mainline: invalid YAML" in err.value.message
    assert "\n" not in err.value.line()
