"""The GitHub compliance workflows of .github/workflows/, run for real: each job's steps in order with the
event's environment (tests/gha.py stands in for the GitHub runner and its checkout/artifact actions),
the real `tfguard` CLI, a bare git remote as the GitHub repository, a local SMTP server for the owners'
mail and a local HTTP server for the GitHub REST API.

Lifecycle: a guardrail branch is pushed -> lint -> self-tests -> observe in two shards -> merge-results ->
promote merges it into main; a noncompliant workload blocks it, its owners are told, the daily run sends
the reminder and activates it after the deadline; an exclusion pull request is validated and summarised."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from gha import Event, LocalRunner, WorkflowRun
from helpers import REPO_ROOT, git
from lifecycle import (
    CONFIG,
    FEATURE_BRANCH,
    NEW_FEATURE,
    NEW_GUARDRAIL,
    OWNERS,
    TODAY,
    WORKLOADS,
    ComplianceRepo,
    build,
    compliance_repo,
)
from receivers import SmtpReceiver, free_port

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
# This compliance repository is not a copy of tfguard's own, so it sets TFGUARD_INSTALL as docs/ci-github.md
# says; the tfguard installed for the tests satisfies the requirement without any index.
INSTALLED = {"TFGUARD_INSTALL": "tfguard"}
RUNNER_ENV = {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "TFGUARD_TODAY": TODAY}
DEADLINE = "2026-04-01"  # TODAY + deadline_days (30)
PROMOTE_STEP = "Promote, or notify the owners of noncompliant workloads"


def runner(tmp_path: Path, repo: ComplianceRepo, workflow: str, **kwargs: Any) -> LocalRunner:
    return LocalRunner(WORKFLOWS / workflow, repo.remote, tmp_path / "runner" / Path(workflow).stem,
                       env=dict(RUNNER_ENV), workflow_env=INSTALLED, **kwargs)


def assert_jobs(run: WorkflowRun, expected: dict[str, str]) -> None:
    assert run.triggered
    assert {job: run.result(job) for job in expected} == expected, run.log()


def mainline_message(repo: ComplianceRepo) -> str:
    return git(repo.remote, "log", "-1", "--format=%B", "main")


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    server = SmtpReceiver().start()
    yield server
    server.stop()


def test_a_compliant_guardrail_branch_is_observed_in_shards_and_merged(tmp_path):
    repo, head = compliance_repo(tmp_path)
    observe_workflow = runner(tmp_path, repo, "tfguard-observe.yml")
    assert not observe_workflow.run(Event("push", "main", git(repo.remote, "rev-parse", "main"))).triggered
    assert not observe_workflow.run(Event("push", "tfguard-ledger", head)).triggered

    run = observe_workflow.run(Event("push", FEATURE_BRANCH, head))
    assert_jobs(run, {"lint": "success", "self-tests": "success", "observe": "success", "promote": "success"})

    assert len(run.jobs["observe"]) == 2  # the matrix: one job per shard
    shards = [json.loads((run.artifacts / f"tfguard-shard-{k}" / "results.json").read_text()) for k in (1, 2)]
    names = [{w["name"] for w in doc["workloads"]} for doc in shards]
    assert names[0].isdisjoint(names[1]) and names[0] | names[1] == set(WORKLOADS)
    merged = json.loads((run.artifacts / "tfguard-observation" / "results.json").read_text())
    assert {w["name"] for w in merged["workloads"]} == set(WORKLOADS)

    promote = run.job("promote")
    decided = promote.step(PROMOTE_STEP).stdout
    assert f"promoted: {NEW_GUARDRAIL} active on main" in decided
    assert "self-tests: passed" in decided
    assert NEW_GUARDRAIL in promote.summary and "#### tfguard promote" in promote.summary
    assert "(fast-forward" in decided and git(repo.remote, "rev-parse", "main") == head  # main had not moved
    assert NEW_GUARDRAIL in repo.remote_file("main", "features/storage.feature")
    ledger = json.loads(git(repo.remote, "show", "tfguard-ledger:ledger.json"))
    assert ledger["promotions"][-1]["activated"] == [NEW_GUARDRAIL]
    assert ledger["guardrails"][NEW_GUARDRAIL]["state"] == "active"


def test_a_noncompliant_workload_blocks_until_the_daily_run_after_the_deadline(tmp_path, smtp):
    config = CONFIG.replace("auto_activate_after_deadline: false", "auto_activate_after_deadline: true")
    repo, head = compliance_repo(tmp_path, compliant={"data-pipeline": False}, config=config,
                                 notify={w: [smtp.url] for w in WORKLOADS})
    main_before = git(repo.remote, "rev-parse", "main")
    observe_workflow = runner(tmp_path, repo, "tfguard-observe.yml")

    run = observe_workflow.run(Event("push", FEATURE_BRANCH, head))
    assert_jobs(run, {"lint": "success", "self-tests": "success", "observe": "success", "promote": "success"})
    promote = run.job("promote")
    decided = promote.step(PROMOTE_STEP).stdout
    assert "not promoted: noncompliant: data-pipeline (S3-901)" in decided
    assert "data-pipeline" in promote.summary and "aws_s3_bucket.logs" in promote.summary
    assert git(repo.remote, "rev-parse", "main") == main_before
    data_owners = sorted(c for _, c in OWNERS["data-pipeline"])
    assert [sorted(m.recipients) for m in smtp.mails] == [data_owners]
    assert f"Deadline: {DEADLINE} (30 days left)" in smtp.mails[0].body

    daily = runner(tmp_path, repo, "tfguard-daily.yml")
    daily.extra_env["TFGUARD_TODAY"] = "2026-03-26"  # 6 days left: the 7-day reminder is due
    run = daily.run(Event("schedule", "main", main_before))
    assert_jobs(run, {"daily": "success", "after-deadline": "skipped"})
    job = run.job("daily")
    assert "### tfguard daily 2026-03-26" in job.summary and NEW_GUARDRAIL in job.summary
    assert f"deadline {DEADLINE}" in job.step("Daily run").stdout
    assert f"- **{FEATURE_BRANCH}**: done, not promoted" in job.summary
    assert job.workspace is not None and git(job.workspace, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(job.workspace, "worktree", "list").count("\n") == 0  # the branch's worktree is gone again
    assert len(smtp.mails) == 2 and "reminder" in smtp.mails[1].subject
    assert sorted(smtp.mails[1].recipients) == data_owners
    assert git(repo.remote, "rev-parse", "main") == main_before

    daily.extra_env["TFGUARD_TODAY"] = "2026-04-02"  # the deadline has passed: auto-activation
    run = daily.run(Event("schedule", "main", main_before))
    assert_jobs(run, {"daily": "success"})
    assert NEW_GUARDRAIL in repo.remote_file("main", "features/storage.feature")
    message = mainline_message(repo)
    assert "Activated after the deadline (automatic)." in message
    assert "Noncompliant: data-pipeline S3-901 failed" in message


def test_after_the_deadline_an_activation_by_hand_records_the_reason(tmp_path, smtp):
    repo, head = compliance_repo(tmp_path, compliant={"data-pipeline": False},
                                 notify={w: [smtp.url] for w in WORKLOADS})
    main_before = git(repo.remote, "rev-parse", "main")
    run = runner(tmp_path, repo, "tfguard-observe.yml").run(Event("push", FEATURE_BRANCH, head))
    assert_jobs(run, {"promote": "success"})
    assert git(repo.remote, "rev-parse", "main") == main_before  # blocked by data-pipeline

    daily = runner(tmp_path, repo, "tfguard-daily.yml")
    reason = "Deadline passed; data team informed (SEC-88)"
    daily.extra_env["TFGUARD_TODAY"] = "2026-03-20"  # before the deadline: refused
    early = daily.run(Event("workflow_dispatch", FEATURE_BRANCH, head, inputs={"task": "after-deadline", "reason": reason}))
    assert_jobs(early, {"daily": "skipped", "after-deadline": "failure"})
    assert git(repo.remote, "rev-parse", "main") == main_before
    daily.extra_env["TFGUARD_TODAY"] = "2026-04-02"
    run = daily.run(Event("workflow_dispatch", FEATURE_BRANCH, head, inputs={"task": "after-deadline", "reason": reason}))
    assert_jobs(run, {"daily": "skipped", "after-deadline": "success"})
    assert NEW_GUARDRAIL in repo.remote_file("main", "features/storage.feature")
    assert reason in mainline_message(repo)
    assert f"- **{FEATURE_BRANCH}**: done, promoted: {NEW_GUARDRAIL}" in run.job("after-deadline").summary
    assert "now active for data-pipeline" in smtp.mails[-1].subject  # the owners hear of the activation


# --- exclusion pull requests against a local GitHub REST API -----------------------------------------------


class FakeGitHubApi:
    """The issue comments API of one repository: list, create, update; records every request."""

    def __init__(self, token: str) -> None:
        self.port, self.token = free_port(), token
        self.comments: dict[int, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self._server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _handle(self, method: str, path: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        self.requests.append((method, path.split("?")[0]))
        parts = path.split("?")[0].strip("/").split("/")  # repos/o/r/issues/N/comments | .../issues/comments/ID
        if parts[:3] != ["repos", "acme", "compliance"] or parts[3] != "issues":
            return 404, {"message": "Not Found"}
        if parts[4] == "comments" and method == "PATCH":
            comment = self.comments[int(parts[5])]
            comment["body"] = (body or {})["body"]
            return 200, comment
        number = int(parts[4])
        if method == "GET":
            return 200, [c for c in self.comments.values() if c["issue"] == number]
        new = {"id": 100 + len(self.comments), "issue": number, "body": (body or {})["body"]}
        self.comments[new["id"]] = new
        return 201, new

    def start(self) -> FakeGitHubApi:
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self) -> None:
                if self.headers.get("Authorization") != f"Bearer {api.token}":
                    code, doc = 401, {"message": "Bad credentials"}
                else:
                    length = int(self.headers.get("Content-Length") or 0)
                    code, doc = api._handle(self.command, self.path, json.loads(self.rfile.read(length) or b"null"))
                data = json.dumps(doc).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _serve  # http.server's hook names

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def open_pull_request(repo: ComplianceRepo, branch: str, number: int) -> tuple[str, tuple[str, ...]]:
    """What GitHub does for a pull request: the merge of its head into main as refs/pull/N/merge."""
    repo.git("checkout", "-q", "--detach", "origin/main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", branch)
    repo.git("push", "-q", "-f", "origin", f"HEAD:refs/pull/{number}/merge")
    changed = tuple(repo.git("diff", "--name-only", f"origin/main...{branch}").split())
    repo.git("checkout", "-q", branch)
    return repo.git("rev-parse", branch), changed


def test_an_exclusion_pull_request_is_validated_and_its_summary_posted(tmp_path):
    repo = build(tmp_path, compliant={"data-pipeline": False})
    repo.git("checkout", "-q", "main")
    (repo.work / "features" / "storage.feature").write_text(NEW_FEATURE.format(deadline=""))
    repo.commit_all(f"Activate {NEW_GUARDRAIL}")
    repo.git("push", "-q", "origin", "main")
    branch = "exclusion/data-pipeline/EXC-1"
    repo.git("checkout", "-q", "-b", branch)
    entry = {"id": "EXC-1", "guardrail": NEW_GUARDRAIL, "resource": "aws_s3_bucket.logs",
             "reason": "Log bucket is owned by the platform team until the migration (PLAT-7).",
             "requested_by": "dev@example.com", "approved_by": "", "ticket": "PLAT-7",
             "created": TODAY, "expires": "2026-05-01"}
    path = repo.work / "exclusions" / "data-pipeline.yaml"
    path.write_text(yaml.safe_dump({"workload": "data-pipeline", "exclusions": [entry]}, sort_keys=False))
    repo.commit_all("Request EXC-1")
    repo.git("push", "-q", "origin", branch)
    sha, changed = open_pull_request(repo, branch, 7)
    assert changed == ("exclusions/data-pipeline.yaml",)

    api = FakeGitHubApi("ghs_local_runner_token").start()
    try:
        workflow = runner(tmp_path, repo, "tfguard-exclusions.yml", api_url=api.url)
        assert not workflow.run(Event("pull_request", "feature/x", sha, base="main", number=8,
                                      changed_files=("features/x.feature",), action="opened")).triggered

        run = workflow.run(Event("pull_request", branch, sha, base="main", number=7, changed_files=changed,
                                 action="opened"))
        assert_jobs(run, {"validate": "failure"})  # waiting for a security approver
        job = run.job("validate")
        assert "::error file=exclusions/data-pipeline.yaml" in job.step("Validate the exclusion registry").stdout
        (comment,) = api.comments.values()
        assert comment["issue"] == 7 and comment["body"].startswith("<!-- tfguard:exclusions -->")
        assert "❌ tfguard exclusions validate" in comment["body"] and "pending approval" in comment["body"]
        assert "tfguard observe" in comment["body"] and comment["body"].split("\n", 1)[1] in job.summary

        entry["approved_by"] = "alice.sec@example.com"
        path.write_text(yaml.safe_dump({"workload": "data-pipeline", "exclusions": [entry]}, sort_keys=False))
        repo.commit_all("Approve EXC-1")
        repo.git("push", "-q", "origin", branch)
        sha, changed = open_pull_request(repo, branch, 7)
        run = workflow.run(Event("pull_request", branch, sha, base="main", number=7, changed_files=changed,
                                 action="synchronize"))
        assert_jobs(run, {"validate": "success"})
        (comment,) = api.comments.values()  # the same comment, updated
        assert "✅ tfguard exclusions validate" in comment["body"]
        assert "EXC-1" in comment["body"]  # the observation shows the finding as excluded
        assert ("PATCH", f"/repos/acme/compliance/issues/comments/{comment['id']}") in api.requests
    finally:
        api.stop()
