"""`tfguard enforce` end to end: an application workspace, a bare compliance remote, the real CLI and engine.

The compliance repository's mainline holds one guardrail and an approved exclusion for
`aws_s3_bucket.logs` of workload `payments` that expires on 2026-03-01; the clock is pinned with
TFGUARD_TODAY. A feature branch exempts every bucket: it must never count."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    REPO_ROOT,
    git,
    make_bare_remote,
    make_repo,
    minimal_plan,
    resource_change,
    tfguard,
    write_plan,
)

FEATURE = """\
Feature: Storage guardrails

  @id:TST-001 @severity:high @control:FSBP-S3.4
  Scenario: S3 buckets encrypt data at rest
    Remediation: Add an aws_s3_bucket_server_side_encryption_configuration resource for the bucket.
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration
"""
CONFIG = "exclusions:\n  approvers: [alice.sec@example.com]\nobservation:\n  mainline: main\n"
WORKLOAD = "name: payments\nowners:\n  - name: Payments Team\n    contact: payments@example.com\nplan: plans/payments.json\n"


def exclusions(resource: str, exc_id: str = "EXC-1") -> str:
    return f"""\
workload: payments
exclusions:
  - id: {exc_id}
    guardrail: TST-001
    resource: {resource}
    reason: legacy log bucket, migration planned this quarter
    requested_by: dev@example.com
    approved_by: alice.sec@example.com
    ticket: SEC-1
    created: 2026-01-01
    expires: 2026-03-01
"""


BEFORE, AFTER = {"TFGUARD_TODAY": "2026-02-01"}, {"TFGUARD_TODAY": "2026-03-01"}


@pytest.fixture
def remote(tmp_path: Path) -> tuple[Path, Path]:
    work = make_repo(tmp_path / "compliance", {"features/storage.feature": FEATURE, "tfguard.yaml": CONFIG,
                                               "exclusions/payments.yaml": exclusions("aws_s3_bucket.logs"),
                                               "pipeline/workloads/payments.yaml": WORKLOAD})
    git(work, "checkout", "-q", "-b", "exempt-everything")
    (work / "exclusions" / "payments.yaml").write_text(exclusions("aws_s3_bucket.*"))
    git(work, "commit", "-q", "-am", "exempt every bucket (never merged)")
    git(work, "checkout", "-q", "main")
    return work, make_bare_remote(tmp_path, work)


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """The application's workspace, with an exclusions registry planted in it that must never be read."""
    ws = tmp_path / "app"
    ws.mkdir()
    write_plan(ws / "logs.json", minimal_plan([bucket("logs")]))
    write_plan(ws / "both.json", minimal_plan([bucket("logs"), bucket("data")]))
    (ws / "exclusions").mkdir()
    (ws / "exclusions" / "payments.yaml").write_text(exclusions("aws_s3_bucket.data", "EXC-99"))
    (ws / "tfguard.yaml").write_text(CONFIG)
    return ws


def bucket(name: str) -> dict:
    return resource_change("aws_s3_bucket", name, {"bucket": f"{name}-bucket", "tags": {"owner": "payments"}})


def enforce(bare: Path | str, app: Path, plan: str, *extra: str, env: dict[str, str] | None = None):
    return tfguard("enforce", "--rules", str(bare), "--workload", "payments", "--plan", plan, *extra,
                   cwd=app, env=env)


def test_violation_exits_1_with_message_remediation_and_request_command(remote, app):
    work, bare = remote
    run = enforce(bare, app, "both.json", env=BEFORE)
    assert run.code == 1, run.stderr
    sha = git(work, "rev-parse", "main")
    assert run.stdout.splitlines()[0] == f"rules: {bare} @ {sha} (refs/heads/main)"
    data = run.stdout[run.stdout.index("aws_s3_bucket.data\n"):]
    assert "FAIL     TST-001 [high] S3 buckets encrypt data at rest" in data
    assert "does not have server_side_encryption_configuration" in data
    assert "fix: Add an aws_s3_bucket_server_side_encryption_configuration resource for the bucket." in data
    assert ("to request an exclusion: tfguard exclusions request --workload payments --guardrail TST-001 "
            f"--resource aws_s3_bucket.data --reason '...' --expires YYYY-MM-DD (in the compliance repo {bare})") in data
    assert "excluded by EXC-1 until 2026-03-01, ticket SEC-1" in run.stdout  # logs stays excluded
    assert "EXC-99" not in run.stdout + run.stderr  # the workspace's planted entry was never read
    assert "NONCOMPLIANT: deploy blocked" in run.stdout


def test_excluded_finding_exits_0_and_stays_visible(remote, app):
    _, bare = remote
    run = enforce(bare, app, "logs.json", env=BEFORE)
    assert run.code == 0, run.stdout + run.stderr
    assert "EXCLUDED TST-001" in run.stdout and "excluded by EXC-1 until 2026-03-01" in run.stdout
    assert "compliant: deploy may proceed" in run.stdout


def test_expired_exclusion_exits_1(remote, app):
    _, bare = remote
    run = enforce(bare, app, "logs.json", env=AFTER)
    assert run.code == 1
    assert "exclusion EXC-1 expired on 2026-03-01" in run.stdout


def test_json_and_reports_record_rules_url_and_commit_file_url(remote, app, tmp_path):
    work, bare = remote
    url = f"file://{bare}"
    run = enforce(url, app, "both.json", "--format", "json", "--report-dir", str(tmp_path / "out"), env=BEFORE)
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    expected = {"url": url, "commit": git(work, "rev-parse", "main"), "ref": "refs/heads/main"}
    assert {k: doc["rules_source"][k] for k in expected} == expected
    assert doc["mode"] == "enforce"
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["rules_source"]["commit"] == expected["commit"]
    statuses = {f["address"]: f["status"] for r in doc["results"] for f in r["findings"]}
    assert statuses == {"aws_s3_bucket.logs": "excluded", "aws_s3_bucket.data": "violation"}


def test_feature_branch_sha_as_pin_is_refused(remote, app):
    work, bare = remote
    run = enforce(bare, app, "both.json", "--pin", git(work, "rev-parse", "exempt-everything"), env=BEFORE)
    assert run.code == 2
    assert "is not on the mainline 'main'" in run.stderr
    assert run.stdout == ""


def test_feature_branch_as_mainline_is_refused(remote, app):
    _, bare = remote
    run = enforce(bare, app, "both.json", "--mainline", "exempt-everything", env=BEFORE)
    assert run.code == 2
    assert "'exempt-everything' is not the mainline" in run.stderr


def test_mainline_pin_is_accepted_and_recorded(remote, app):
    work, bare = remote
    sha = git(work, "rev-parse", "main")
    run = enforce(bare, app, "logs.json", "--pin", sha, "--format", "json", env=BEFORE)
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["rules_source"]["pinned"] == "true"


def test_remote_down_exits_2_then_allow_cached_works_and_warns_age(remote, app):
    _, bare = remote
    assert enforce(bare, app, "logs.json", env=BEFORE).code == 0  # warms the cache
    shutil.move(bare, bare.with_name("gone.git"))
    down = enforce(bare, app, "logs.json", env=BEFORE)
    assert down.code == 2 and down.stdout == ""
    errors = [ln for ln in down.stderr.splitlines() if ln.strip()]
    assert len(errors) == 1 and errors[0].startswith("tfguard: error: ") and "cannot reach" in errors[0]
    cached = enforce(bare, app, "both.json", "--allow-cached", env=BEFORE)
    assert cached.code == 1, cached.stderr
    assert "using the cached mainline" in cached.stderr and " ago (" in cached.stderr
    assert "from cache" in cached.stdout.splitlines()[0]


def test_rules_without_features_exit_2(tmp_path, app):
    bare = make_bare_remote(tmp_path, make_repo(tmp_path / "not-compliance", {"README.md": "x\n"}), "other.git")
    run = enforce(bare, app, "logs.json")
    assert run.code == 2
    assert "no features/ directory" in run.stderr


def test_two_runs_at_once_on_one_cold_cache(remote, app):
    work, bare = remote
    cmd = [sys.executable, "-m", "runner", "enforce", "--rules", str(bare), "--workload", "payments",
           "--plan", "both.json", "--format", "json"]
    env = {**os.environ, **BEFORE}
    procs = [subprocess.Popen(cmd, cwd=app, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    sha = git(work, "rev-parse", "main")
    for proc, (out, err) in zip(procs, outs):
        assert proc.returncode == 1, err
        doc = json.loads(out)
        assert doc["rules_source"]["commit"] == sha
        assert doc["summary"]["violations"] == 1 and doc["summary"]["excluded_findings"] == 1
    checkouts = list((Path(env["XDG_CACHE_HOME"]) / "tfguard" / "rules").glob("*/checkouts/*"))
    assert [p.name for p in checkouts] == [sha]


def test_cli_lists_enforce():
    run = tfguard("enforce", "--help", cwd=REPO_ROOT)
    assert run.code == 0 and "--allow-cached" in run.stdout


def test_mainline_must_agree_with_the_repository_config(tmp_path, app):
    work = make_repo(tmp_path / "odd", {"features/storage.feature": FEATURE, "pipeline/workloads/payments.yaml": WORKLOAD,
                                        "tfguard.yaml": "observation:\n  mainline: trunk\n"})
    run = enforce(make_bare_remote(tmp_path, work, "odd.git"), app, "logs.json")
    assert run.code == 2
    assert "tfguard.yaml at" in run.stderr and "names 'trunk'" in run.stderr


def test_a_misspelt_workload_is_refused_with_the_close_matches(remote, app):
    """`--workload paymnets` ran with no exclusions and no warning: now exit 2, naming the registered name."""
    _, bare = remote
    run = tfguard("enforce", "--rules", str(bare), "--workload", "paymnets", "--plan", "logs.json", cwd=app,
                  env=BEFORE)
    assert run.code == 2 and run.stdout == ""
    assert "workload 'paymnets' is not registered in pipeline/workloads/; did you mean 'payments'?" in run.stderr
    assert "--workload-unregistered" in run.stderr


def test_an_unregistered_workload_runs_only_when_said_on_purpose(remote, app):
    _, bare = remote
    run = tfguard("enforce", "--rules", str(bare), "--workload", "sandbox", "--plan", "logs.json", cwd=app,
                  env=BEFORE)
    assert run.code == 2 and "registered: payments" in run.stderr
    run = tfguard("enforce", "--rules", str(bare), "--workload", "sandbox", "--workload-unregistered",
                  "--plan", "logs.json", cwd=app, env=BEFORE)
    assert run.code == 1, run.stderr  # runs, and no exclusion of another workload applies
    assert "0 exclusions for sandbox" in run.stderr + run.stdout


def _checkouts(sha: str) -> Path:
    [path] = (Path(os.environ["XDG_CACHE_HOME"]) / "tfguard" / "rules").glob(f"*/checkouts/{sha}")
    return path


PASSING = FEATURE.replace("Then it must contain server_side_encryption_configuration", "Then it must contain bucket")


def test_a_rules_checkout_changed_in_the_cache_is_not_trusted(remote, app):
    """Replace the cached feature file with one every bucket passes: the next run must still judge by the
    mainline commit it reports, and say that the cache was rebuilt."""
    work, bare = remote
    sha = git(work, "rev-parse", "main")
    assert enforce(bare, app, "both.json", env=BEFORE).code == 1
    cached = _checkouts(sha)
    (cached / "features" / "storage.feature").write_text(PASSING)
    (cached / "exclusions" / "payments.yaml").write_text(exclusions("aws_s3_bucket.*"))
    run = enforce(bare, app, "both.json", "--no-cache", env=BEFORE)
    assert run.code == 1, run.stdout + run.stderr
    assert f"rules: {bare} @ {sha} (refs/heads/main)" in run.stdout
    assert f"the cached rules checkout of {sha[:12]} did not match that commit" in run.stderr
    assert (cached / "features" / "storage.feature").read_text() == FEATURE


def test_a_rules_store_with_swapped_objects_is_fetched_again(remote, app):
    """The same attack one level down: the bare store's object for the feature file swapped too."""
    work, bare = remote
    sha = git(work, "rev-parse", "main")
    assert enforce(bare, app, "both.json", env=BEFORE).code == 1
    cached = _checkouts(sha)
    store = cached.parent.parent / "repo.git"
    blob = git(work, "rev-parse", "main:features/storage.feature")
    other = subprocess.run(["git", "--git-dir", str(store), "hash-object", "-w", "--stdin"], input=PASSING,
                           capture_output=True, text=True, check=True).stdout.strip()
    target = store / "objects" / blob[:2] / blob[2:]
    target.parent.mkdir(exist_ok=True)
    shutil.copy(store / "objects" / other[:2] / other[2:], target)
    shutil.rmtree(cached)
    run = enforce(bare, app, "both.json", "--no-cache", env=BEFORE)
    assert run.code == 1, run.stdout + run.stderr
    assert "git store did not match" in run.stderr


KEY = {"TFGUARD_CACHE_KEY": "4f1c0b6a9e2d48c7b3a1f05e6d7c8b9a"}


def _forge_results(cache_dir: Path) -> int:
    """Edit every cached result from failed to passed, keys kept, and recompute an unkeyed seal if there is
    one (an attacker who can write the shared cache and has read the code)."""
    import hashlib

    forged = 0
    for path in cache_dir.rglob("*.json"):
        doc = json.loads(path.read_text())
        if doc.get("status") != "failed":
            continue
        doc.update(status="passed", findings=[])
        if "seal" in doc:
            body = {k: v for k, v in doc.items() if k != "seal"}
            text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
            doc["seal"] = {"kind": "sha256", "value": hashlib.sha256(text).hexdigest()}
        path.write_text(json.dumps(doc))
        forged += 1
    return forged


def test_a_forged_result_cache_never_passes_enforce_without_a_key(remote, app, tmp_path):
    _, bare = remote
    cache = tmp_path / "shared-cache"
    assert enforce(bare, app, "both.json", "--cache-dir", str(cache), env=BEFORE).code == 1
    assert _forge_results(cache) >= 1
    run = enforce(bare, app, "both.json", "--cache-dir", str(cache), env=BEFORE)
    assert run.code == 1, run.stdout + run.stderr  # enforce read no entry it cannot verify
    assert "aws_s3_bucket.data" in run.stdout


def test_a_forged_result_cache_is_caught_by_its_key_and_reported(remote, app, tmp_path):
    _, bare = remote
    cache = tmp_path / "shared-cache"
    env = {**BEFORE, **KEY}
    assert enforce(bare, app, "both.json", "--cache-dir", str(cache), env=env).code == 1
    assert _forge_results(cache) >= 1
    run = enforce(bare, app, "both.json", "--cache-dir", str(cache), env=env)
    assert run.code == 1, run.stdout + run.stderr
    assert "result cache entry failed verification (it is sealed 'sha256', not 'hmac-sha256'; guardrails " \
           "TST-001)" in run.stderr and "discarded and evaluated again" in run.stderr
    assert KEY["TFGUARD_CACHE_KEY"] not in run.stdout + run.stderr
    again = enforce(bare, app, "both.json", "--cache-dir", str(cache), env=env)
    assert again.code == 1 and "failed verification" not in again.stderr  # the real result was written back
