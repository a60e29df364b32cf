"""`tfguard daily` on a real compliance repository with a bare remote: the sweep of the ledger's pending
branches (each in a temporary worktree; the job's checkout never moves), a branch gone from the remote,
expiring exclusions as GitHub annotations, and the usage rules of --after-deadline and --task."""

from __future__ import annotations

import json

from helpers import git, tfguard
from lifecycle import FEATURE_BRANCH, NEW_GUARDRAIL, TODAY, build

LEDGER = ["--ledger", "git"]


def test_expiring_exclusions_are_annotations_and_no_pending_branch_is_fine(tmp_path):
    repo = build(tmp_path)
    repo.git("checkout", "-q", "main")
    (repo.work / "features" / "storage.feature").write_text((repo.work / "features" / "naming.feature").read_text()
                                                            .replace("NAM-901", NEW_GUARDRAIL))
    repo.add_exclusion("data-pipeline", "aws_s3_bucket.logs", expires="2026-03-10")
    run = tfguard("daily", *LEDGER, "--format", "github", cwd=repo.work, env={"TFGUARD_TODAY": TODAY})
    assert run.code == 0, run.stderr
    assert ("::warning file=exclusions/data-pipeline.yaml,title=Exclusion EXC-1 expiring::data-pipeline: "
            f"{NEW_GUARDRAIL} on aws_s3_bucket.logs expires 2026-03-10 (8 days left), ticket PLAT-7") in run.stdout
    assert "no branch has guardrails pending activation" in run.stdout
    assert run.stdout.strip().endswith("-> exit 0")


def test_each_pending_branch_in_a_worktree_and_a_gone_branch_is_a_warning(tmp_path):
    repo = build(tmp_path, compliant={"data-pipeline": False})
    repo.add_guardrail_branch()
    assert tfguard("observe", *LEDGER, cwd=repo.work, env={"TFGUARD_TODAY": TODAY}).code == 0
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-c", FEATURE_BRANCH, "feature/other")
    repo.git("push", "-q", "origin", "feature/other")
    repo.git("checkout", "-q", "feature/other")
    assert tfguard("observe", *LEDGER, cwd=repo.work, env={"TFGUARD_TODAY": TODAY}).code == 0  # now pending here
    repo.git("checkout", "-q", "main")
    git(repo.remote, "branch", "-q", "-D", "feature/other")  # merged elsewhere and deleted
    before = repo.git("rev-parse", "HEAD")

    run = tfguard("daily", *LEDGER, "--format", "json", "--report-dir", str(tmp_path / "out"), cwd=repo.work,
                  env={"TFGUARD_TODAY": "2026-03-26"})
    assert run.code == 0, run.stderr  # a gone branch is a warning, not a failure
    doc = json.loads(run.stdout)
    assert doc["ledger"] == "branch tfguard-ledger of origin"
    states = {b["branch"]: b["state"] for b in doc["branches"]}
    assert states == {"feature/other": "gone"}  # the ledger now names the later branch for S3-901
    assert "pending guardrails were observed on feature/other, which is gone from origin" in run.stderr
    assert repo.git("rev-parse", "--abbrev-ref", "HEAD") == "main" and repo.git("rev-parse", "HEAD") == before
    assert repo.git("worktree", "list").count("\n") == 0


def test_the_after_deadline_usage(tmp_path):
    repo = build(tmp_path)
    no_reason = tfguard("daily", *LEDGER, "--after-deadline", "--branch", FEATURE_BRANCH, cwd=repo.work)
    assert no_reason.code == 2 and "--after-deadline needs --branch BRANCH and --reason TEXT" in no_reason.stderr
    stray = tfguard("daily", *LEDGER, "--branch", FEATURE_BRANCH, cwd=repo.work)
    assert stray.code == 2 and "--branch goes with --after-deadline" in stray.stderr
    placeholders = tfguard("daily", *LEDGER, "--task", "daily", "--branch", "-", "--reason", "-", cwd=repo.work,
                           env={"TFGUARD_TODAY": TODAY})
    assert placeholders.code == 0, placeholders.stderr
    task = tfguard("daily", *LEDGER, "--task", "after-deadline", "--branch", "-", "--reason", "why", cwd=repo.work)
    assert task.code == 2 and "needs --branch" in task.stderr


def test_validate_checks_the_files_changed_since_the_base_and_writes_a_summary(tmp_path):
    repo = build(tmp_path)
    repo.git("checkout", "-q", "main")
    (repo.work / "features" / "storage.feature").write_text((repo.work / "features" / "naming.feature").read_text()
                                                            .replace("NAM-901", NEW_GUARDRAIL))
    repo.add_exclusion("web-service", "aws_s3_bucket.logs")  # approved, on main
    repo.git("checkout", "-q", "-b", "exclusion/data-pipeline/EXC-2")
    repo.add_exclusion("data-pipeline", "aws_s3_bucket.logs")
    text = (repo.work / "exclusions" / "data-pipeline.yaml").read_text()
    (repo.work / "exclusions" / "data-pipeline.yaml").write_text(
        text.replace("EXC-1", "EXC-2").replace("approved_by: alice.sec@example.com", "approved_by: ''"))
    repo.commit_all("Request EXC-2")
    git(repo.work, "update-ref", "-d", "refs/heads/main")  # a CI checkout has the base only on the remote
    git(repo.work, "update-ref", "-d", "refs/remotes/origin/main")

    run = tfguard("exclusions", "validate", "--changed-since", "main", "--summary", "validate.md", cwd=repo.work,
                  env={"TFGUARD_TODAY": TODAY})
    assert run.code == 1  # EXC-2 waits for an approver
    assert "registry files changed since main: exclusions/data-pipeline.yaml" in run.stderr
    assert "exclusions/data-pipeline.yaml" in run.stdout and "web-service" not in run.stdout
    summary = (repo.work / "validate.md").read_text()
    assert summary.startswith("#### ❌ tfguard exclusions validate\n")
    assert "Changed registry files since `main`: `exclusions/data-pipeline.yaml`." in summary
    assert "| error | `exclusions/data-pipeline.yaml" in summary and "pending approval" in summary
    unchanged = tfguard("exclusions", "validate", "--changed-since", "HEAD", "--summary", "none.md", cwd=repo.work,
                        env={"TFGUARD_TODAY": TODAY})
    assert unchanged.code == 0 and "Changed registry files since `HEAD`: none." in (repo.work / "none.md").read_text()
    missing = tfguard("exclusions", "validate", "--changed-since", "no-such-branch", cwd=repo.work)
    assert missing.code == 2 and "--changed-since no-such-branch: no such branch or commit here" in missing.stderr
