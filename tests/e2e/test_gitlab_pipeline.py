"""pipeline/gitlab/compliance.gitlab-ci.yml run by a real GitLab CI interpreter: gitlab-ci-local (the npm
package, pinned in package.json) with --force-shell-executor, in a compliance repository whose origin is a
local bare remote. Jobs install tfguard as the file says (`python -m pip install "$TFGUARD_INSTALL"`): this
test's venv is first on PATH and already holds tfguard installed from the checkout, so the requirement
`tfguard` is satisfied without any index. Owners' mail goes to a real local SMTP server (aiosmtpd).

A compliant guardrail branch: lint -> self-tests -> observe [1/2] [2/2] -> promote, and main is
fast-forwarded. A noncompliant one: the owners are mailed and main stays; the scheduled daily job then
sends the reminder from a worktree of the branch."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO_ROOT, git
from lifecycle import FEATURE_BRANCH, NEW_GUARDRAIL, OWNERS, TODAY, WORKLOADS, ComplianceRepo, compliance_repo
from receivers import SmtpReceiver

GITLAB_CI_LOCAL = REPO_ROOT / "node_modules" / ".bin" / "gitlab-ci-local"
PIPELINE = "pipeline/gitlab/compliance.gitlab-ci.yml"
DEADLINE = "2026-04-01"


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    server = SmtpReceiver().start()
    yield server
    server.stop()


def gitlab_repo(tmp_path: Path, **kwargs: Any) -> tuple[ComplianceRepo, str]:
    """The GitHub test's compliance repository (fixtures, catalogue, the feature branch pushed) with the
    GitLab pipeline file on mainline, as a compliance project has it."""
    return compliance_repo(tmp_path, main_files={PIPELINE: (REPO_ROOT / PIPELINE).read_text()},
                           ignore="/out/\n/.tfguard/\n/.gitlab-ci-local/\n/self-tests/\n", **kwargs)


def gitlab_ci_local(repo: ComplianceRepo, today: str, *variables: str) -> tuple[int, str, dict[str, str]]:
    """Run the pipeline as gitlab-ci-local does for the checked-out branch: exit code, log, job -> PASS/FAIL."""
    assert GITLAB_CI_LOCAL.exists(), "node_modules/.bin/gitlab-ci-local is missing: run `npm ci` (make system-deps)"
    assert shutil.which("rsync"), "gitlab-ci-local's shell executor needs rsync (make system-deps)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CI_", "GITLAB_"))}
    env.update({"PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", "PIP_NO_INDEX": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1", "TFGUARD_TODAY": today})
    args = [str(GITLAB_CI_LOCAL), "--file", PIPELINE, "--force-shell-executor", "--no-color",
            "--variable", "TFGUARD_INSTALL=tfguard", "--variable", f"TFGUARD_TODAY={today}"]
    for variable in variables:
        args += ["--variable", variable]
    proc = subprocess.run(args, cwd=repo.work, env=env, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL, check=False)
    log = proc.stdout + proc.stderr
    jobs = {m.group(2).strip(): m.group(1) for m in re.finditer(r"^ (PASS|FAIL) +(\S.*?)\s*$", log, re.M)}
    return proc.returncode, log, jobs


def test_a_compliant_branch_goes_through_every_stage_and_main_is_fast_forwarded(tmp_path):
    repo, head = gitlab_repo(tmp_path)
    code, log, jobs = gitlab_ci_local(repo, TODAY)
    assert code == 0, log
    assert jobs == {"lint": "PASS", "self-tests": "PASS", "observe: [1/2]": "PASS", "observe: [2/2]": "PASS",
                    "promote": "PASS"}, log
    assert list(jobs) == ["lint", "self-tests", "observe: [1/2]", "observe: [2/2]", "promote"]  # the stage order
    assert re.search(r"observe: \[1/2\] +> observed .* 2 guardrails x 1 workloads", log)  # each shard a slice
    assert re.search(r"observe: \[2/2\] +> observed .* 2 guardrails x 2 workloads", log)
    assert "merged 2 shards: 3 workloads x 2 guardrails" in log
    assert f"promoted: {NEW_GUARDRAIL} active on main" in log and "(fast-forward)" in log
    assert git(repo.remote, "rev-parse", "main") == head
    assert NEW_GUARDRAIL in repo.remote_file("main", "features/storage.feature")


def test_a_noncompliant_branch_notifies_the_owners_and_the_daily_job_reminds_them(tmp_path, smtp):
    repo, _ = gitlab_repo(tmp_path, compliant={"data-pipeline": False}, notify={w: [smtp.url] for w in WORKLOADS})
    main_before = git(repo.remote, "rev-parse", "main")
    code, log, jobs = gitlab_ci_local(repo, TODAY)
    assert code == 0 and set(jobs.values()) == {"PASS"} and len(jobs) == 5, log
    assert "not promoted: noncompliant: data-pipeline (S3-901)" in log
    assert git(repo.remote, "rev-parse", "main") == main_before
    data_owners = sorted(c for _, c in OWNERS["data-pipeline"])
    assert [sorted(m.recipients) for m in smtp.mails] == [data_owners]
    assert f"Deadline: {DEADLINE} (30 days left)" in smtp.mails[0].body

    repo.git("checkout", "-q", "main")
    repo.git("pull", "-q", "--ff-only", "origin", "main")
    code, log, jobs = gitlab_ci_local(repo, "2026-03-26", "CI_PIPELINE_SOURCE=schedule")
    assert code == 0, log
    assert jobs == {"daily": "PASS"}, log
    assert f"{FEATURE_BRANCH}: done (not promoted" in log
    assert len(smtp.mails) == 2 and "reminder" in smtp.mails[1].subject
    assert sorted(smtp.mails[1].recipients) == data_owners
    assert git(repo.remote, "rev-parse", "main") == main_before
    assert git(repo.work, "rev-parse", "--abbrev-ref", "HEAD") == "main"
