"""`tfguard check` applies the compliance repository's exclusions, through the real engine, for every address
form; and never reads exclusions from the application's workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import minimal_plan, resource_change, tfguard, write_plan

FEATURE = """\
Feature: Storage

  @id:S3-001 @severity:high
  Scenario: S3 buckets encrypt data at rest
    Remediation: Add an aws_s3_bucket_server_side_encryption_configuration resource.
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration
"""
CONFIG = "exclusions:\n  approvers: [alice.sec@example.com]\n"
QUOTE_KEY = 'aws_s3_bucket.site["we\\"ird"]'
# address in the plan -> the exclusion that must cover it (None: stays a violation)
EXPECTED = {
    "aws_s3_bucket.logs": "EXC-1",                                  # root resource, exact
    "aws_s3_bucket.raw[0]": "EXC-2",                                # count, all instances
    "aws_s3_bucket.raw[1]": "EXC-2",
    'aws_s3_bucket.site["eu.west/1"]': "EXC-3",                     # for_each key with dot and slash
    QUOTE_KEY: "EXC-4",                                             # for_each key with an escaped quote
    "module.lake.aws_s3_bucket.data": "EXC-5",                      # module
    'module.lake["eu"].module.inner.aws_s3_bucket.data': "EXC-6",   # nested module instance, via **
    "aws_s3_bucket.open": None,                                     # not excluded
}
ENTRIES = [
    ("EXC-1", "aws_s3_bucket.logs"),
    ("EXC-2", "aws_s3_bucket.raw[*]"),
    ("EXC-3", 'aws_s3_bucket.site["eu.west/1"]'),
    ("EXC-4", QUOTE_KEY),
    ("EXC-5", "module.lake.aws_s3_bucket.data"),
    ("EXC-6", "module.lake[*].**.aws_s3_bucket.data"),
]


def registry(workload: str, entries: list[tuple[str, str]], expires: str = "2026-10-01",
             approver: str = "alice.sec@example.com", extra: str = "") -> str:
    lines = [f"workload: {workload}", "exclusions:"]
    for exc_id, resource in entries:
        quoted = resource.replace("'", "''")
        lines += [f"  - id: {exc_id}", "    guardrail: S3-001", f"    resource: '{quoted}'",
                  "    reason: Covered by a compensating control, see ticket.", "    requested_by: dev@example.com",
                  f"    approved_by: {approver}", "    ticket: SEC-1", "    created: 2026-08-01",
                  f"    expires: {expires}", extra]
    return "\n".join(line for line in lines if line) + "\n"


def plan() -> dict:
    changes = []
    for address in EXPECTED:
        module, _, rest = address.rpartition(".aws_s3_bucket.")
        name = rest.split("[")[0]
        rc = resource_change("aws_s3_bucket", name, {"bucket": name}, module=module or None)
        rc["address"] = address
        if "[" in rest:
            raw = rest[rest.index("[") + 1:-1]
            rc["index"] = int(raw) if raw.isdigit() else json.loads(raw)
        changes.append(rc)
    return minimal_plan(changes)


@pytest.fixture
def compliance(tmp_path: Path) -> Path:
    root = tmp_path / "compliance"
    (root / "features").mkdir(parents=True)
    (root / "features" / "storage.feature").write_text(FEATURE)
    (root / "tfguard.yaml").write_text(CONFIG)
    (root / "exclusions").mkdir()
    (root / "exclusions" / "web.yaml").write_text(registry("web", ENTRIES))
    return root


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """An application's workspace: its plan, and an exclusion it planted to exempt itself."""
    root = tmp_path / "app"
    write_plan(root / "plan.json", plan())
    (root / "exclusions").mkdir()
    (root / "exclusions" / "web.yaml").write_text(
        registry("web", [("EXC-99", "**")], approver="app.lead@example.com", extra="    allow_broad: true"))
    (root / "tfguard.yaml").write_text("exclusions:\n  approvers: [app.lead@example.com]\n")
    return root


def check(app: Path, compliance: Path, today: str, *args: str) -> tuple[int, dict]:
    run = tfguard("check", "--plan", "plan.json", "--workload", "web", "--features", str(compliance / "features"),
                  "--format", "json", *args, cwd=app, env={"TFGUARD_TODAY": today})
    assert run.code in (0, 1), run.stderr
    return run.code, json.loads(run.stdout)


def findings(doc: dict) -> dict[str, dict]:
    (result,) = doc["results"]
    return {f["address"]: f for f in result["findings"]}


def test_every_address_form_is_excluded_and_stays_visible(app: Path, compliance: Path) -> None:
    code, doc = check(app, compliance, "2026-09-30")
    found = findings(doc)
    assert set(found) == set(EXPECTED)
    for address, exc_id in EXPECTED.items():
        f = found[address]
        if exc_id is None:
            assert f["status"] == "violation" and f["exclusion"] is None, address
        else:
            assert f["status"] == "excluded", address
            assert f["exclusion"] == {"id": exc_id, "expires": "2026-10-01", "ticket": "SEC-1",
                                      "reason": "Covered by a compensating control, see ticket."}
            assert f["note"] == f"excluded by {exc_id} until 2026-10-01, ticket SEC-1"
    assert code == 1  # aws_s3_bucket.open is still a violation
    assert doc["summary"]["excluded_findings"] == 7 and doc["summary"]["violations"] == 1


def test_a_guardrail_whose_failures_are_all_excluded_passes(app: Path, compliance: Path) -> None:
    entries = [*ENTRIES, ("EXC-7", "aws_s3_bucket.open")]
    (compliance / "exclusions" / "web.yaml").write_text(registry("web", entries))
    code, doc = check(app, compliance, "2026-09-30", "--rules-root", str(compliance))
    (result,) = doc["results"]
    assert (code, result["status"], result["engine_status"]) == (0, "passed", "failed")
    assert all(f["status"] == "excluded" for f in result["findings"])


def test_on_the_expiry_date_the_findings_are_violations_again(app: Path, compliance: Path) -> None:
    code, doc = check(app, compliance, "2026-10-01")
    assert code == 1
    logs = findings(doc)["aws_s3_bucket.logs"]
    assert logs["status"] == "violation"
    assert logs["note"] == "exclusion EXC-1 expired on 2026-10-01"
    assert logs["expired_exclusion"]["id"] == "EXC-1"


def test_exclusions_planted_in_the_app_workspace_are_never_read(app: Path, compliance: Path) -> None:
    """The app's cwd holds exclusions/web.yaml (`**`, allow_broad, approved by its own lead, who its own
    tfguard.yaml names as approver). Neither the default (the parent of --features) nor anything else reads
    it: only the compliance repository's exclusions apply."""
    (compliance / "exclusions" / "web.yaml").unlink()
    code, doc = check(app, compliance, "2026-09-30")
    assert code == 1
    assert all(f["status"] == "violation" for f in findings(doc).values())
    assert "EXC-99" not in json.dumps(doc)


def test_check_with_a_broken_registry_is_one_line_exit_2(app: Path, compliance: Path) -> None:
    (compliance / "exclusions" / "web.yaml").write_text("workload: web\nexclusions:\n  - id: EXC-1\n")
    run = tfguard("check", "--plan", "plan.json", "--workload", "web", "--features", str(compliance / "features"),
                  cwd=app)
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [(
        "tfguard: error: exclusions/web.yaml, entry 1 (EXC-1), key `guardrail`: missing required key "
        "`guardrail` (run `tfguard exclusions validate`)")]


def test_another_workloads_broken_file_does_not_block_the_check(app: Path, compliance: Path) -> None:
    (compliance / "exclusions" / "api.yaml").write_text("workload: api\nexclusions: [oops]\n")
    code, doc = check(app, compliance, "2026-09-30")
    assert code == 1 and doc["summary"]["excluded_findings"] == 7


def test_a_missing_rules_root_is_refused(app: Path, compliance: Path) -> None:
    run = tfguard("check", "--plan", "plan.json", "--features", str(compliance / "features"),
                  "--rules-root", "nowhere", cwd=app)
    assert run.code == 2 and "--rules-root 'nowhere' is not a directory" in run.stderr
