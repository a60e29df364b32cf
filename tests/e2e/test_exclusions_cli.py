"""`tfguard exclusions request|validate|list` through the real CLI, against real git repositories and a bare
remote; the forge's API is a real HTTP server on localhost."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import git, make_bare_remote, make_repo, minimal_plan, resource_change, tfguard

TODAY = "2026-09-01"
CONFIG = """\
exclusions:
  approvers: [alice.sec@example.com, bob.sec@example.com]
  max_lifetime_days: 90
  warning_days: 14
observation:
  mainline: main
"""
FEATURE = """\
Feature: Storage

  @id:S3-001 @severity:high
  Scenario: S3 buckets encrypt data at rest
    Remediation: Add an aws_s3_bucket_server_side_encryption_configuration resource.
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration

  @id:S3-002 @severity:critical
  Scenario: S3 buckets block public access
    Given I have aws_s3_bucket defined
    Then it must contain block_public_acls
"""
REGISTRY = """\
# Exclusions of workload web: one entry per approved exception.
workload: web
exclusions:
  # access-log bucket: cannot log into itself
  - id: EXC-1
    guardrail: S3-002
    resource: aws_s3_bucket.logs   # the ALB log bucket
    reason: Log delivery needs the bucket ACL; reviewed by security in SEC-7.
    requested_by: dana.dev@example.com
    approved_by: alice.sec@example.com
    ticket: SEC-7
    created: 2026-08-01
    expires: 2026-10-15
"""
WORKLOAD = "name: web\nowners: [{name: Web team, contact: web@example.com}]\nplan: plans/web.json\n"


def plan_text() -> str:
    return json.dumps(minimal_plan([
        resource_change("aws_s3_bucket", "logs", {"bucket": "web-logs"}),
        resource_change("aws_s3_bucket", "raw", {"bucket": "raw-0"}, index=0),
        resource_change("aws_s3_bucket", "raw", {"bucket": "raw-1"}, index=1),
    ]), indent=2)


def compliance_files(**extra: str) -> dict[str, str]:
    return {"tfguard.yaml": CONFIG, "features/storage.feature": FEATURE, "exclusions/web.yaml": REGISTRY,
            "pipeline/workloads/web.yaml": WORKLOAD, "plans/web.json": plan_text(), **extra}


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """The compliance repository's bare remote, holding main."""
    source = make_repo(tmp_path / "source", compliance_files())
    return make_bare_remote(tmp_path, source)


@pytest.fixture
def clone(tmp_path: Path, remote: Path) -> Path:
    """A security-minded developer's clone of the compliance repository."""
    subprocess.run(["git", "clone", "-q", str(remote), str(tmp_path / "clone")], check=True)
    return tmp_path / "clone"


def request(clone: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    base = ["exclusions", "request", "--repo", str(clone), "--workload", "web", "--guardrail", "S3-001",
            "--resource", "aws_s3_bucket.raw[*]", "--reason", "Legacy buckets move to SSE-KMS with PLAT-12.",
            "--expires", "2026-10-20", "--ticket", "PLAT-12"]
    return tfguard(*base, *args, env={"TFGUARD_TODAY": TODAY, **(env or {})})


def show(remote: Path, ref: str) -> str:
    return git(remote, "show", ref)


# --- request ---------------------------------------------------------------------------------------------


def test_request_pushes_a_branch_with_the_entry_and_keeps_the_files_comments(clone: Path, remote: Path) -> None:
    (clone / "notes.txt").write_text("work in progress\n")  # the requester's own uncommitted work
    run = request(clone)
    assert run.code == 0, run.stderr
    branch = "exclusion/web/EXC-2"
    assert f"Pushed branch {branch} to origin" in run.stdout
    assert "open a pull request from exclusion/web/EXC-2 into main" in run.stdout
    assert "alice.sec@example.com, bob.sec@example.com" in run.stdout
    text = show(remote, f"{branch}:exclusions/web.yaml")
    assert text.startswith(REGISTRY)  # comments, order and quoting of the existing entry untouched
    new = yaml.safe_load(text)["exclusions"][-1]
    assert new == {"id": "EXC-2", "guardrail": "S3-001", "resource": "aws_s3_bucket.raw[*]",
                   "reason": "Legacy buckets move to SSE-KMS with PLAT-12.", "requested_by": "tests@example.com",
                   "approved_by": "", "ticket": "PLAT-12", "created": date(2026, 9, 1), "expires": date(2026, 10, 20)}
    message = git(remote, "log", "-1", "--format=%B", branch)
    assert message.splitlines()[0] == "exclusions(web): request EXC-2 for S3-001"
    assert "Resource:     aws_s3_bucket.raw[*]" in message and "Ticket:       PLAT-12" in message
    assert git(remote, "rev-parse", f"{branch}^") == git(remote, "rev-parse", "main")
    assert git(remote, "diff", "--name-only", "main", branch) == "exclusions/web.yaml"
    # the requester's checkout is left as it was
    assert git(clone, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(clone, "status", "--porcelain") == "?? notes.txt"
    assert (clone / "exclusions/web.yaml").read_text() == REGISTRY


def test_the_requested_entry_is_valid_except_for_the_pending_approval(clone: Path) -> None:
    assert request(clone).code == 0
    git(clone, "checkout", "-q", "exclusion/web/EXC-2")
    run = tfguard("exclusions", "validate", "--repo", str(clone), env={"TFGUARD_TODAY": TODAY})
    assert run.code == 1
    problems = [line for line in run.stdout.splitlines() if line.startswith(("error", "warning"))]
    assert problems == [(
        "error: exclusions/web.yaml, entry 2 (EXC-2), key `approved_by`: pending approval: a security approver "
        "(alice.sec@example.com, bob.sec@example.com) must review this request and write their name in "
        "`approved_by`")]
    registry = clone / "exclusions/web.yaml"
    registry.write_text(registry.read_text().replace("approved_by: ''", "approved_by: bob.sec@example.com"))
    approved = tfguard("exclusions", "validate", "--repo", str(clone), env={"TFGUARD_TODAY": TODAY})
    assert approved.code == 0, approved.stdout
    assert "2 exclusions checked: 0 errors, 0 warnings -> valid" in approved.stdout


def test_ids_of_pending_request_branches_are_not_reused(clone: Path, remote: Path) -> None:
    assert request(clone).code == 0
    second = request(clone, "--resource", "aws_s3_bucket.logs")
    assert second.code == 0, second.stderr
    assert "exclusion/web/EXC-3" in second.stdout
    assert "EXC-3" in show(remote, "exclusion/web/EXC-3:exclusions/web.yaml")


def test_a_request_for_a_new_workload_creates_its_file(clone: Path, remote: Path) -> None:
    (clone / "pipeline/workloads/api.yaml").write_text("name: api\nowners: [{name: a, contact: a@example.com}]\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "api workload")
    git(clone, "push", "-q", "origin", "main")
    run = request(clone, "--workload", "api", "--resource", "aws_s3_bucket.uploads")
    assert run.code == 0, run.stderr
    text = show(remote, "exclusion/api/EXC-2:exclusions/api.yaml")
    assert "# Exclusions of workload api" in text.splitlines()[1]
    assert yaml.safe_load(text)["workload"] == "api"


@pytest.mark.parametrize(("args", "message"), [
    (("--guardrail", "S3-0001"), "unknown guardrail `S3-0001` (did you mean `S3-001`?)"),
    (("--workload", "webb"), "unknown workload `webb` (did you mean `web`?)"),
    (("--expires", "2027-01-01"), "lifetime of 122 days exceeds the maximum of 90"),
    (("--expires", "2026-08-31"), "--expires 2026-08-31 is not in the future"),
    (("--resource", "aws_s3_bucket.raw["), "--resource `aws_s3_bucket.raw[` has an unclosed `[`"),
    (("--id", "EXC-1"), "--id EXC-1 is already used"),
])
def test_a_bad_request_is_one_line_exit_2_and_leaves_nothing_behind(clone: Path, remote: Path, args: tuple,
                                                                      message: str) -> None:
    run = request(clone, *args)
    assert run.code == 2
    assert run.stderr.strip().startswith("tfguard: error: ") and len(run.stderr.strip().splitlines()) == 1
    assert message in run.stderr
    assert git(remote, "branch", "--list", "exclusion/*") == ""
    assert git(clone, "branch", "--list", "exclusion/*") == ""
    assert git(clone, "worktree", "list").count("\n") == 0


def test_a_broad_pattern_may_be_requested_with_a_warning(clone: Path) -> None:
    run = request(clone, "--resource", "aws_s3_bucket.*")
    assert run.code == 0, run.stderr
    assert "broad pattern: security must also mark the entry `allow_broad: true`" in run.stderr


def test_a_missing_remote_is_one_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "lonely", compliance_files())
    run = request(repo)
    assert run.code == 2 and "no remote named `origin`" in run.stderr


def test_dry_run_shows_the_change_and_pushes_nothing(clone: Path, remote: Path) -> None:
    run = request(clone, "--dry-run")
    assert run.code == 0, run.stderr
    assert "+  - id: EXC-2" in run.stdout and "Dry run: nothing committed or pushed" in run.stdout
    assert git(remote, "branch", "--list", "exclusion/*") == ""
    assert git(clone, "branch", "--list", "exclusion/*") == ""


@pytest.fixture
def github_api() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "body": body, "auth": self.headers["Authorization"]})
            data = json.dumps({"number": 17, "html_url": "https://github.example/acme/compliance/pull/17"}).encode()
            self.send_response(201)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def test_with_a_forge_token_the_pull_request_is_opened(tmp_path: Path, github_api: tuple) -> None:
    url, received = github_api
    forge = (f"forge:\n  github:\n    repository: acme/compliance\n    token_env: TFGUARD_TEST_TOKEN\n"
             f"    api_url: {url}\n")
    source = make_repo(tmp_path / "source", compliance_files(**{"tfguard.yaml": CONFIG + forge}))
    make_bare_remote(tmp_path, source)
    run = request(source, env={"TFGUARD_TEST_TOKEN": "s3cret"})
    assert run.code == 0, run.stderr
    assert "Opened pull request #17: https://github.example/acme/compliance/pull/17" in run.stdout
    (pr,) = received
    assert pr["path"] == "/repos/acme/compliance/pulls" and pr["auth"] == "Bearer s3cret"
    assert pr["body"]["head"] == "exclusion/web/EXC-2" and pr["body"]["base"] == "main"
    assert pr["body"]["title"] == "Exclusion request EXC-2: S3-001 on web"
    assert "| Resource | `aws_s3_bucket.raw[*]` |" in pr["body"]["body"]


def test_without_a_token_nothing_fails(tmp_path: Path) -> None:
    forge = "forge:\n  github:\n    repository: acme/compliance\n    token_env: TFGUARD_TEST_TOKEN\n"
    source = make_repo(tmp_path / "source", compliance_files(**{"tfguard.yaml": CONFIG + forge}))
    make_bare_remote(tmp_path, source)
    run = request(source)
    assert run.code == 0, run.stderr
    assert ("https://github.com/acme/compliance/compare/main...exclusion/web/EXC-2"
            "?expand=1&template=exclusion-request.md") in run.stdout


# --- validate ------------------------------------------------------------------------------------------


def test_validate_a_good_registry(clone: Path) -> None:
    run = tfguard("exclusions", "validate", "--repo", str(clone), env={"TFGUARD_TODAY": TODAY})
    assert run.code == 0
    assert "1 exclusion checked: 0 errors, 0 warnings -> valid" in run.stdout


def test_validate_reports_stale_patterns_against_the_workloads_plan(tmp_path: Path) -> None:
    text = REGISTRY.replace("resource: aws_s3_bucket.logs", "resource: aws_s3_bucket.raw")
    repo = make_repo(tmp_path / "c", compliance_files(**{"exclusions/web.yaml": text}))
    run = tfguard("exclusions", "validate", "--repo", str(repo), env={"TFGUARD_TODAY": TODAY})
    assert run.code == 0  # a warning does not fail the pull request
    assert ("warning: exclusions/web.yaml, entry 1 (EXC-1), key `resource`: `aws_s3_bucket.raw` matches no "
            "resource in the current plan of web (stale?); its instances are aws_s3_bucket.raw[0], "
            "aws_s3_bucket.raw[1]: use `aws_s3_bucket.raw[*]` for all of them") in run.stdout
    strict = tfguard("exclusions", "validate", "--repo", str(repo), "--strict", env={"TFGUARD_TODAY": TODAY})
    assert strict.code == 1


def test_validate_github_annotations_point_at_the_line(tmp_path: Path) -> None:
    text = REGISTRY.replace("guardrail: S3-002", "guardrail: S3-0002")
    repo = make_repo(tmp_path / "c", compliance_files(**{"exclusions/web.yaml": text}))
    run = tfguard("exclusions", "validate", "--repo", str(repo), "--format", "github",
                  env={"TFGUARD_TODAY": TODAY})
    assert run.code == 1
    assert run.stdout.splitlines()[0] == (
        "::error file=exclusions/web.yaml,line=5,title=exclusions unknown-guardrail::exclusions/web.yaml, "
        "entry 1 (EXC-1), key `guardrail`: unknown guardrail `S3-0002` (did you mean `S3-002`?)")


def test_validate_json(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "c", compliance_files())
    run = tfguard("exclusions", "validate", "--repo", str(repo), "--format", "json",
                  env={"TFGUARD_TODAY": "2026-10-15"})
    doc = json.loads(run.stdout)
    assert run.code == 1
    assert doc["errors"] == 1 and doc["problems"][0]["code"] == "expired"
    assert doc["problems"][0]["where"] == "exclusions/web.yaml, entry 1 (EXC-1), key `expires`"


@pytest.mark.parametrize(("files", "args", "message"), [
    ({"tfguard.yaml": "exclusions: [1, 2]\n"}, (), "tfguard.yaml:1: key `exclusions`: must be a mapping"),
    ({}, ("--features", "nowhere"), "nowhere"),
    ({}, ("--plan", "web"), "--plan 'web' must be WORKLOAD=PATH"),
])
def test_validate_cannot_run_exit_2(tmp_path: Path, files: dict, args: tuple, message: str) -> None:
    repo = make_repo(tmp_path / "c", compliance_files(**files))
    run = tfguard("exclusions", "validate", "--repo", str(repo), *args, env={"TFGUARD_TODAY": TODAY})
    assert run.code == 2
    assert run.stderr.startswith("tfguard: error: ") and message in run.stderr


def test_a_malformed_file_is_exit_1_with_file_entry_and_key(tmp_path: Path) -> None:
    text = REGISTRY.replace("expires: 2026-10-15", "expires: mid-october")
    repo = make_repo(tmp_path / "c", compliance_files(**{"exclusions/web.yaml": text}))
    run = tfguard("exclusions", "validate", "--repo", str(repo), env={"TFGUARD_TODAY": TODAY})
    assert run.code == 1
    assert ("error: exclusions/web.yaml, entry 1 (EXC-1), key `expires`: must be a date written YYYY-MM-DD, "
            "got \"mid-october\"") in run.stdout


def test_validate_only_the_files_a_pull_request_changes(tmp_path: Path) -> None:
    api = REGISTRY.replace("workload: web", "workload: api").replace("EXC-1", "EXC-5")
    repo = make_repo(tmp_path / "c", compliance_files(**{
        "exclusions/api.yaml": api, "pipeline/workloads/api.yaml": WORKLOAD.replace("name: web", "name: api")}))
    late = {"TFGUARD_TODAY": "2026-10-20"}  # both entries have expired by now
    everything = tfguard("exclusions", "validate", "--repo", str(repo), env=late)
    assert everything.code == 1 and everything.stdout.count("expired on 2026-10-15") == 2
    one = tfguard("exclusions", "validate", "--repo", str(repo), "exclusions/api.yaml", env=late)
    assert one.code == 1 and one.stdout.count("expired on") == 1 and "exclusions/api.yaml" in one.stdout
    outside = tfguard("exclusions", "validate", "--repo", str(repo), str(tmp_path), env=late)
    assert outside.code == 2 and "is not inside the compliance repository" in outside.stderr


# --- list ----------------------------------------------------------------------------------------------


def test_list_table_and_json(tmp_path: Path) -> None:
    pending = REGISTRY + """\
  - id: EXC-2
    guardrail: S3-001
    resource: aws_s3_bucket.raw[*]
    reason: Legacy buckets move to SSE-KMS with PLAT-12.
    requested_by: dana.dev@example.com
    approved_by: ''
    created: 2026-08-20
    expires: 2026-11-01
"""
    repo = make_repo(tmp_path / "c", compliance_files(**{"exclusions/web.yaml": pending}))
    table = tfguard("exclusions", "list", "--repo", str(repo), env={"TFGUARD_TODAY": "2026-10-05"})
    assert table.code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "WORKLOAD", "GUARDRAIL", "RESOURCE", "EXPIRES", "STATE", "TICKET",
                                "APPROVED", "BY"]
    assert "EXC-1" in lines[1] and "expiring (10d left)" in lines[1] and "SEC-7" in lines[1]
    assert "EXC-2" in lines[2] and "pending approval" in lines[2]
    listed = tfguard("exclusions", "list", "--repo", str(repo), "--format", "json", "--expiring-within", "14d",
                     env={"TFGUARD_TODAY": "2026-10-05"})
    doc = json.loads(listed.stdout)
    assert [(d["id"], d["state"], d["days_left"]) for d in doc] == [("EXC-1", "expiring", 10)]
    later = tfguard("exclusions", "list", "--repo", str(repo), "--workload", "web", "--state", "expired",
                    "--format", "json", env={"TFGUARD_TODAY": "2026-10-20"})
    assert [d["id"] for d in json.loads(later.stdout)] == ["EXC-1"]


def test_list_refuses_a_bad_window_and_a_missing_repository(clone: Path) -> None:
    run = tfguard("exclusions", "list", "--repo", str(clone), "--expiring-within", "soon")
    assert run.code == 2 and "--expiring-within 'soon' must be a number of days" in run.stderr
    missing = tfguard("exclusions", "list", "--repo", str(clone / "nowhere"))
    assert missing.code == 2 and "is not a directory" in missing.stderr


RACE_HOOK = """#!/bin/sh
# pre-receive: hold the first two pushes until both have arrived, so that both requests read the registry
# before either id is taken; later pushes pass at once
race="$(dirname "$0")/../race"
mkdir -p "$race"
: > "$race/push-$$"
n=0
while [ "$(ls "$race" | wc -l)" -lt 2 ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
cat > /dev/null
"""


def test_two_requests_at_the_same_moment_get_different_ids(tmp_path: Path, remote: Path) -> None:
    """Two developers' clones request exclusions for different workloads at once. The remote holds both
    pushes until both are in flight, so both allocate the same next id; one atomic push wins, the other is
    refused, reads the reservations again and takes the next id."""
    source = tmp_path / "source"
    (source / "pipeline" / "workloads" / "api.yaml").write_text(WORKLOAD.replace("web", "api"))
    (source / "plans" / "api.json").write_text(plan_text())
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "workload api")
    git(source, "push", "-q", "origin", "main")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(RACE_HOOK)
    hook.chmod(0o755)
    clones = []
    for name in ("dana", "sam"):
        subprocess.run(["git", "clone", "-q", str(remote), str(tmp_path / name)], check=True)
        clones.append(tmp_path / name)
    results: dict[str, Any] = {}

    def run(clone: Path, workload: str) -> None:
        results[workload] = tfguard("exclusions", "request", "--repo", str(clone), "--workload", workload,
                                    "--guardrail", "S3-001", "--resource", "aws_s3_bucket.logs", "--reason",
                                    "Log delivery needs the bucket ACL (SEC-7).", "--expires", "2026-10-20",
                                    "--requested-by", f"{workload}@example.com", env={"TFGUARD_TODAY": TODAY})

    threads = [threading.Thread(target=run, args=(clone, workload)) for clone, workload in zip(clones, ("web", "api"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r.code == 0 for r in results.values()), {w: r.stderr for w, r in results.items()}
    assert len(list((remote / "race").iterdir())) == 3  # two pushes held together, one retry
    branches = git(remote, "for-each-ref", "--format=%(refname:short)", "refs/heads/exclusion").split()
    ids = sorted(b.rsplit("/", 1)[1] for b in branches)
    assert ids == ["EXC-2", "EXC-3"], branches
    for branch in branches:
        text = show(remote, f"{branch}:exclusions/{branch.split('/')[1]}.yaml")
        assert f"id: {branch.rsplit('/', 1)[1]}" in text
    reserved = git(remote, "for-each-ref", "--format=%(refname)", "refs/tfguard/exclusion-ids").split()
    assert sorted(r.rsplit("/", 1)[1] for r in reserved) == ["EXC-2", "EXC-3"]
