"""Generators of hostile inputs: small functions that write a valid compliance repository, plan or
report into a temp dir and then break one thing in it. Nothing binary is committed."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import minimal_plan, resource_change

GUARDRAIL = "S3-001"
FEATURE = """Feature: Storage guardrails
  Tags on buckets.

  @id:S3-001 @severity:high
  Scenario: S3 buckets carry tags
    Remediation: Add `tags = { owner = "<team>" }` to the bucket.
    Given I have aws_s3_bucket defined
    Then it must contain tags
"""

CONFIG = """exclusions:
  approvers: [alice.sec@example.com]
  max_lifetime_days: 90
  warning_days: 14
observation:
  mainline: main
  deadline_days: 30
"""

EXCLUSIONS = """workload: web
exclusions:
  - id: EXC-1
    guardrail: S3-001
    resource: aws_s3_bucket.logs
    reason: The log bucket is tagged by the landing zone (PLAT-7).
    requested_by: dev@example.com
    approved_by: alice.sec@example.com
    ticket: PLAT-7
    created: 2026-02-01
    expires: 2026-04-01
"""

WORKLOAD = """name: web
description: a web service
owners:
  - name: Web team
    contact: web-team@example.com
notify:
  - mailto://web-team@example.com
plan: plans/web.json
labels:
  team: web
"""

EXPECTED = """fail:
  untagged.json: [aws_s3_bucket.logs]
"""

Data = bytes | str | Callable[[], bytes | str]


def plan_data(tagged: bool = True) -> dict[str, Any]:
    """A format 1.2 plan with two buckets; `logs` has no tags unless `tagged`."""
    return minimal_plan([
        resource_change("aws_s3_bucket", "data", {"bucket": "data", "tags": {"owner": "team"}}),
        resource_change("aws_s3_bucket", "logs", {"bucket": "logs", "tags": {"owner": "team"} if tagged else None}),
    ])


def plan_text(data: dict[str, Any] | None = None) -> str:
    return json.dumps(plan_data() if data is None else data, indent=2) + "\n"


def state_data() -> dict[str, Any]:
    """`terraform show -json` of a state (values.root_module instead of planned_values)."""
    return {"format_version": "1.0", "terraform_version": "1.6.6", "values": {
        "outputs": {}, "root_module": {"resources": [{
            "address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data",
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": {"bucket": "data", "tags": {"owner": "team"}}, "sensitive_values": {}}]}}}


def results_data() -> dict[str, Any]:
    """A results.json as `tfguard check --format json` writes it (one guardrail failing on one workload)."""
    finding = {"guardrail": GUARDRAIL, "workload": "web", "address": "aws_s3_bucket.logs",
               "message": "aws_s3_bucket.logs (aws_s3_bucket) does not have tags property.", "severity": "high",
               "status": "violation", "exclusion": None, "expired_exclusion": None, "note": ""}
    return {
        "schema_version": "1.0",
        "tool": {"name": "tfguard", "version": "0.1.0", "engine": "terraform-compliance 1.16.0"},
        "mode": "check", "created": "2026-03-02T10:00:00+00:00", "rules_source": {},
        "summary": {"guardrails": 1, "workloads": 1, "passed": 0, "failed": 1, "not-applicable": 0, "error": 0,
                    "violations": 1, "excluded_findings": 0, "compliant": False, "exit_code": 1},
        "guardrails": [{"id": GUARDRAIL, "title": "S3 buckets carry tags", "feature": "Storage guardrails",
                        "file": "features/storage.feature", "line": 5, "severity": "high", "controls": [],
                        "remediation": "Add tags.", "description": "", "tags": ["id:S3-001", "severity:high"],
                        "deadline": None, "id_derived": False, "resource_types": ["aws_s3_bucket"],
                        "digest": "0" * 64}],
        "workloads": [{"name": "web", "plan": "plans/web.json", "plan_digest": "1" * 64, "static_plan": False,
                       "error": "", "source_dir": None}],
        "results": [{"guardrail": GUARDRAIL, "workload": "web", "status": "failed", "engine_status": "failed",
                     "error": "", "messages": [], "findings": [finding]}],
        "warnings": [], "changed_guardrails": [],
    }


def results_text() -> str:
    return json.dumps(results_data(), indent=2) + "\n"


def resolve(data: Data) -> bytes:
    value = data() if callable(data) else data
    return value.encode("utf-8") if isinstance(value, str) else value


def write(path: Path, data: Data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(resolve(data))
    return path


# --- shapes of breakage --------------------------------------------------------------------------------


def deep_json(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def big_int(digits: int) -> str:
    return "9" * digits


def mutate(fn: Callable[[dict[str, Any]], Any], base: Callable[[], dict[str, Any]] = plan_data) -> Callable[[], str]:
    """The plan (or other document) with `fn` applied; `fn` edits the dict in place."""
    def make() -> str:
        data = base()
        fn(data)
        return json.dumps(data, indent=2)
    return make


def splice(marker: str, replacement: str, base: Callable[[], str] = plan_text) -> Callable[[], str]:
    """The document's text with the first `marker` replaced: for what json.dumps cannot write."""
    def make() -> str:
        text = base()
        assert marker in text, marker
        return text.replace(marker, replacement, 1)
    return make


def billion_laughs(prefix: str = "", key: str = "lol9") -> str:
    """The 10-line YAML alias bomb: 9**9 nodes once expanded."""
    lines = [prefix.rstrip("\n")] if prefix else []
    lines.append('lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]')
    for i in range(1, 9):
        refs = ", ".join([f"*lol{i - 1}"] * 9)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    lines.append(f"{key}: [{', '.join(['*lol8'] * 9)}]")
    return "\n".join(lines) + "\n"


def deep_yaml(depth: int) -> str:
    return "x: " + "[" * depth + "1" + "]" * depth + "\n"


def random_bytes(n: int = 4096, seed: int = 7) -> bytes:
    import random

    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


BINARY = random_bytes()
INVALID_UTF8 = "{\n  \"format_version\": \"1.2\", \"x\": \"caf".encode() + b"\xe9\xff\"\n}\n"
BOM = b"\xef\xbb\xbf"


def symlink_loop(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    other = path.with_name(path.name + ".loop")
    os.symlink(other.name, path)
    os.symlink(path.name, other)
    return path


def dangling(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink("does-not-exist", path)
    return path


def sparse(path: Path, size: int) -> Path:
    """A file of `size` NUL bytes that takes no disk (for size limits)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


# --- repositories --------------------------------------------------------------------------------------


def repo_files(**override: Data | None) -> dict[str, Data | None]:
    """The files of a small, valid compliance repository; `override` replaces (or, with None, drops) one."""
    files: dict[str, Data | None] = {
        "tfguard.yaml": CONFIG,
        "features/storage.feature": FEATURE,
        "exclusions/web.yaml": EXCLUSIONS,
        "pipeline/workloads/web.yaml": WORKLOAD,
        "plans/web.json": plan_text(),
        f"tests/guardrails/{GUARDRAIL}/pass/tagged.json": plan_text(),
        f"tests/guardrails/{GUARDRAIL}/fail/untagged.json": plan_text(plan_data(tagged=False)),
        f"tests/guardrails/{GUARDRAIL}/expected.yaml": EXPECTED,
    }
    for rel, data in override.items():
        files[rel.replace("__", "/").replace("_DOT_", ".")] = data
    return files


def write_repo(root: Path, files: dict[str, Data | None]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        if data is not None:
            write(root / rel, data)
    return root


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def git_repo(root: Path, files: dict[str, Data | None], remote: bool = False) -> Path:
    """The files committed on `main`; with `remote`, pushed to a real bare repository as `origin`."""
    write_repo(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "compliance repository")
    if remote:
        bare = root.parent / "remote.git"
        git(root.parent, "init", "-q", "--bare", str(bare))
        git(root, "remote", "add", "origin", str(bare))
        git(root, "push", "-q", "origin", "main")
        git(bare, "symbolic-ref", "HEAD", "refs/heads/main")
    return root
