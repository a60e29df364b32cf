"""A compliance repository for the observation lifecycle, built for real in a temp dir: mainline with one
guardrail, three workloads with plans, a bare remote, and a feature branch adding a guardrail.

Shared by tests/unit (observation, promotion), tests/e2e/test_lifecycle.py and the behave steps."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from helpers import git, make_bare_remote, make_repo, minimal_plan, resource_change

TODAY = "2026-03-02"
WORKLOADS = ("web-service", "data-pipeline", "serverless-api")
OWNERS = {
    "web-service": [("Web team", "web-team@example.com"), ("Wanda Web", "wanda@example.com")],
    "data-pipeline": [("Data team", "data-team@example.com")],
    "serverless-api": [("API team", "api-team@example.com")],
}
NEW_GUARDRAIL = "S3-901"
FEATURE_BRANCH = "feature/s3-owner-tag"

MAINLINE_FEATURE = """Feature: Naming guardrails
  Guardrails every workload already meets.

  @id:NAM-901 @severity:low
  Scenario: S3 buckets have a name
    Remediation: Set `bucket = "<name>"` on the bucket.
    Given I have aws_s3_bucket defined
    Then it must contain bucket
"""

NEW_FEATURE = """Feature: Storage guardrails
  Ownership of S3 buckets.

  @id:S3-901 @severity:high @control:FSBP-S3.9{deadline}
  Scenario: S3 buckets carry an owner tag
    Remediation: Add `tags = {{ owner = "<team>" }}` to the `aws_s3_bucket` resource.
    Given I have aws_s3_bucket defined
    Then it must contain tags
    And it must contain owner
"""

CONFIG = """exclusions:
  approvers: [alice.sec@example.com]
  max_lifetime_days: 90
  warning_days: 14
observation:
  mainline: main
  deadline_days: 30
  reminder_days: [7, 1]
  auto_activate_after_deadline: false
  ledger_branch: tfguard-ledger
notify:
  attempts: 2
  backoff_seconds: 0.05
"""


def bucket_plan(compliant: bool) -> dict:
    """Two buckets; when not compliant, aws_s3_bucket.logs has no owner tag."""
    return minimal_plan([
        resource_change("aws_s3_bucket", "data", {"bucket": "data", "tags": {"owner": "team"}}),
        resource_change("aws_s3_bucket", "logs", {"bucket": "logs", "tags": {"owner": "team"} if compliant else None}),
    ])


def workload_yaml(name: str, notify: list[str]) -> str:
    doc = {"name": name, "owners": [{"name": n, "contact": c} for n, c in OWNERS[name]], "notify": notify,
           "plan": f"plans/{name}.json", "labels": {"team": name.split("-")[0]}}
    return yaml.safe_dump(doc, sort_keys=False)


@dataclass
class ComplianceRepo:
    work: Path  # the pipeline's clone
    remote: Path  # the bare compliance remote

    def git(self, *args: str) -> str:
        return git(self.work, *args)

    def commit_all(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def add_guardrail_branch(self, deadline: str | None = None, branch: str = FEATURE_BRANCH) -> str:
        self.git("checkout", "-q", "-b", branch, "main")
        tag = f" @deadline:{deadline}" if deadline else ""
        (self.work / "features" / "storage.feature").write_text(NEW_FEATURE.format(deadline=tag))
        head = self.commit_all(f"Add {NEW_GUARDRAIL}: S3 buckets carry an owner tag")
        self.git("push", "-q", "origin", branch)
        return head

    def set_plan(self, workload: str, compliant: bool) -> None:
        path = self.work / "plans" / f"{workload}.json"
        path.write_text(json.dumps(bucket_plan(compliant), indent=2))

    def add_exclusion(self, workload: str, address: str, created: str = TODAY, expires: str = "2026-05-01") -> str:
        doc = {"workload": workload, "exclusions": [{
            "id": "EXC-1", "guardrail": NEW_GUARDRAIL, "resource": address,
            "reason": "Log bucket is owned by the platform team until the migration (PLAT-7).",
            "requested_by": "dev@example.com", "approved_by": "alice.sec@example.com", "ticket": "PLAT-7",
            "created": created, "expires": expires}]}
        (self.work / "exclusions").mkdir(exist_ok=True)
        (self.work / "exclusions" / f"{workload}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
        head = self.commit_all(f"Exclude {address} of {workload} from {NEW_GUARDRAIL} (EXC-1)")
        self.git("push", "-q", "origin", "HEAD")
        return head

    def remote_file(self, ref: str, path: str) -> str | None:
        try:
            return git(self.remote, "show", f"{ref}:{path}")
        except Exception:  # noqa: BLE001 - absent on that ref
            return None


def build(tmp: Path, compliant: dict[str, bool] | None = None, notify: dict[str, list[str]] | None = None,
          config: str = CONFIG) -> ComplianceRepo:
    """Mainline of a compliance repository (pushed to a bare remote) and the pipeline's clone of it."""
    compliant = compliant or {}
    notify = notify or {}
    files = {"tfguard.yaml": config, "features/naming.feature": MAINLINE_FEATURE, "exclusions/.gitkeep": ""}
    for name in WORKLOADS:
        files[f"pipeline/workloads/{name}.yaml"] = workload_yaml(name, notify.get(name, []))
        files[f"plans/{name}.json"] = json.dumps(bucket_plan(compliant.get(name, True)), indent=2)
    seed = make_repo(tmp / "seed", files)
    remote = make_bare_remote(tmp, seed)
    git(tmp, "clone", "-q", str(remote), "work")
    return ComplianceRepo(tmp / "work", remote)


# --- with self-test fixtures and the catalogue, as a CI pipeline checks them (tests/e2e/test_*_pipeline*) ---


def _fixture(repo: ComplianceRepo, gid: str, kind: str, name: str, plan: dict[str, Any]) -> None:
    path = repo.work / "tests" / "guardrails" / gid / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan, indent=2))


def catalog(repo: ComplianceRepo) -> None:
    from helpers import tfguard

    made = tfguard("catalog", cwd=repo.work)
    assert made.code == 0, made.stderr


def compliance_repo(tmp_path: Path, compliant: dict[str, bool] | None = None, config: str = CONFIG,
                    notify: dict[str, list[str]] | None = None, main_files: dict[str, str] | None = None,
                    ignore: str = "/out/\n/.tfguard/\n") -> tuple[ComplianceRepo, str]:
    """The compliance repository of build() with self-test fixtures for both guardrails (and `main_files`,
    e.g. a CI file, on mainline), and the feature branch adding S3-901 pushed; returns the repo and the
    branch head."""
    repo = build(tmp_path, compliant=compliant, notify=notify, config=config)
    (repo.work / ".gitignore").write_text(ignore)
    for rel, text in (main_files or {}).items():
        (repo.work / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo.work / rel).write_text(text)
    _fixture(repo, "NAM-901", "pass", "named.json", bucket_plan(True))
    _fixture(repo, "NAM-901", "fail", "unnamed.json", minimal_plan([
        resource_change("aws_s3_bucket", "logs", {"bucket_prefix": "logs-"})]))
    (repo.work / "tests" / "guardrails" / "NAM-901" / "expected.yaml").write_text(
        "fail:\n  unnamed.json: [aws_s3_bucket.logs]\n")
    catalog(repo)
    repo.commit_all("Self-test fixtures and catalogue for NAM-901")
    repo.git("push", "-q", "origin", "main")
    repo.add_guardrail_branch()
    _fixture(repo, NEW_GUARDRAIL, "pass", "owned.json", bucket_plan(True))
    _fixture(repo, NEW_GUARDRAIL, "fail", "unowned.json", bucket_plan(False))
    (repo.work / "tests" / "guardrails" / NEW_GUARDRAIL / "expected.yaml").write_text(
        "fail:\n  unowned.json: [aws_s3_bucket.logs]\n")
    catalog(repo)
    head = repo.commit_all(f"Self-test fixtures and catalogue for {NEW_GUARDRAIL}")
    repo.git("push", "-q", "origin", FEATURE_BRANCH)
    return repo, head
