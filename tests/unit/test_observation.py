"""Observation: what differs from mainline (by id and content), reading mainline through git, one sweep
over every workload with error rows, the ledger record and the observation file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from lifecycle import FEATURE_BRANCH, NEW_GUARDRAIL, TODAY, WORKLOADS, build

from runner.config import load_config
from runner.engine import make_engine
from runner.errors import ConfigError, GitError
from runner.guardrails.load import load_guardrails
from runner.model import Status
from runner.report import write_reports
from runner.workflow.ledger import Ledger
from runner.workflow.observe import (
    ObserveOptions,
    blocking,
    compare,
    current_branch,
    guardrails_at,
    load_observation,
    mainline_commit,
    observe,
    open_repo,
    record_observation,
    write_observation,
)

BASE = """Feature: Base
  @id:A-001 @severity:low
  Scenario: Buckets are named
    Remediation: Name it.
    Given I have aws_s3_bucket defined
    Then it must contain bucket

  @id:A-002
  Scenario: Buckets are tagged
    Given I have aws_s3_bucket defined
    Then it must contain tags
"""


def _set(tmp_path: Path, files: dict[str, str]) -> object:
    root = tmp_path / f"set{len(list(tmp_path.iterdir()))}"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return load_guardrails(root)


def test_compare_by_id_and_content_not_by_file(tmp_path):
    base = _set(tmp_path, {"base.feature": BASE})
    moved = _set(tmp_path, {"one.feature": BASE.split("\n\n  @id:A-002")[0] + "\n",
                            "two.feature": "Feature: Two\n\n  @id:A-002" + BASE.split("\n\n  @id:A-002")[1]})
    assert compare(moved, base).differing == ()  # moving a scenario to another file changes nothing
    reworded = _set(tmp_path, {"base.feature": BASE.replace("Remediation: Name it.", "Remediation: Name it well.")})
    assert compare(reworded, base).differing == ()  # remediation text is not evaluated
    edited = _set(tmp_path, {"base.feature": BASE.replace("must contain tags", "must contain tags_all")
                             + "\n  @id:B-001\n  Scenario: New\n    Given I have aws_s3_bucket defined\n"
                               "    Then it must contain acl\n"})
    changes = compare(edited, base)
    assert (changes.new, changes.changed, changes.removed) == (("B-001",), ("A-002",), ())
    retagged = _set(tmp_path, {"base.feature": BASE.replace("@id:A-001 @severity:low", "@id:A-001 @severity:high")})
    assert compare(retagged, base).changed == ("A-001",)
    fewer = _set(tmp_path, {"base.feature": BASE.split("\n\n  @id:A-002")[0] + "\n"})
    assert compare(fewer, base).removed == ("A-002",)
    assert compare(base, None).new == ("A-001", "A-002")


def test_mainline_guardrails_come_from_git_objects(tmp_path):
    repo = build(tmp_path)
    head = repo.add_guardrail_branch()
    r = open_repo(repo.work)
    ref, sha = mainline_commit(r, "main")
    assert ref == "refs/remotes/origin/main" and sha != head
    at_main = guardrails_at(r, sha, "features")
    at_branch = guardrails_at(r, head, "features")
    assert at_main is not None and at_main.ids == ("NAM-901",)
    assert at_branch is not None and set(at_branch.ids) == {"NAM-901", NEW_GUARDRAIL}
    assert guardrails_at(r, sha, "nowhere") is None
    assert current_branch(r) == FEATURE_BRANCH
    with pytest.raises(GitError, match="mainline branch 'trunk' not found"):
        mainline_commit(r, "trunk", fetch=False)


def test_not_a_git_repository(tmp_path):
    with pytest.raises(GitError, match="not a git repository"):
        open_repo(tmp_path)


def test_one_sweep_with_error_rows_for_broken_workloads(tmp_path, monkeypatch):
    """One engine run over all workloads: an unreadable plan and an invalid registry file become error rows
    for those workloads only; the others are evaluated and the ledger records it all."""
    monkeypatch.setenv("TFGUARD_TODAY", TODAY)
    repo = build(tmp_path, compliant={"data-pipeline": False})
    repo.add_guardrail_branch()
    (repo.work / "plans" / "serverless-api.json").write_text('{"format_version": "1.2"')  # truncated
    (repo.work / "pipeline" / "workloads" / "broken.yaml").write_text("name: broken\nowners: oops\n")
    outcome = observe(repo.work, make_engine("inprocess"), ObserveOptions())
    run, obs = outcome.run, outcome.observation
    assert obs.new == (NEW_GUARDRAIL,) and obs.changed == () and obs.branch == FEATURE_BRANCH
    assert run.mode == "observe" and run.changed_guardrails == (NEW_GUARDRAIL,)
    status = {(r.guardrail_id, r.workload): r.status for r in run.results}
    assert status[(NEW_GUARDRAIL, "web-service")] is Status.PASSED
    assert status[(NEW_GUARDRAIL, "data-pipeline")] is Status.FAILED
    assert status[(NEW_GUARDRAIL, "serverless-api")] is Status.ERROR
    assert status[(NEW_GUARDRAIL, "broken")] is Status.ERROR
    errors = {w.workload: w.error for w in run.workloads if w.error}
    assert "truncated JSON" in errors["serverless-api"] and "registry file is invalid" in errors["broken"]
    assert run.exit_code == 2
    blocked = blocking(run, obs.changes.differing)
    assert set(blocked) == {"data-pipeline", "serverless-api", "broken"}
    assert [f.address for f in blocked["data-pipeline"][0].violations] == ["aws_s3_bucket.logs"]

    ledger = Ledger()
    record_observation(outcome, load_config(repo.work))(ledger)
    pending = ledger.pending(date.fromisoformat(TODAY))
    assert [(p["guardrail"], p["deadline"], p["days_left"]) for p in pending] == [(NEW_GUARDRAIL, "2026-04-01", 30)]
    assert ledger.latest_status()[(NEW_GUARDRAIL, "data-pipeline")] == ("failed", TODAY)

    write_reports(run, tmp_path / "out", formats=["json"])
    write_observation(obs, tmp_path / "out")
    back, back_run = load_observation(tmp_path / "out")
    assert back == obs and len(back_run.results) == len(run.results)
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    failed = next(r for r in doc["results"] if r["status"] == "failed")
    failed["status"] = "passed"  # tampering, or results from another run
    (tmp_path / "out" / "results.json").write_text(json.dumps(doc))
    with pytest.raises(ConfigError, match="does not match"):
        load_observation(tmp_path / "out")


def test_exclusions_of_the_branch_apply(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGUARD_TODAY", TODAY)
    repo = build(tmp_path, compliant={"data-pipeline": False})
    repo.add_guardrail_branch()
    repo.add_exclusion("data-pipeline", "aws_s3_bucket.logs")
    outcome = observe(repo.work, make_engine("inprocess"), ObserveOptions(workloads=["data-pipeline"]))
    (result,) = [r for r in outcome.run.results if r.guardrail_id == NEW_GUARDRAIL]
    assert result.status is Status.PASSED and result.engine_status is Status.FAILED
    assert result.excluded[0].excluded_by.id == "EXC-1"
    assert blocking(outcome.run, outcome.observation.changes.differing) == {}
    # a broken exclusions file makes that workload an error row instead of reporting false violations
    (repo.work / "exclusions" / "data-pipeline.yaml").write_text("workload: data-pipeline\nexclusions: [{id: 3}]\n")
    broken = observe(repo.work, make_engine("inprocess"), ObserveOptions(workloads=["data-pipeline"], fetch=False))
    assert "exclusions file is invalid" in broken.run.workloads[0].error


def test_load_observation_without_files(tmp_path):
    with pytest.raises(ConfigError, match="no observation here") as err:
        load_observation(tmp_path)
    assert "tfguard observe" in (err.value.hint or "")


def test_sharded_observations_merge_into_one_promotable_observation(tmp_path, monkeypatch):
    from runner.report.json import to_document
    from runner.workflow.sharding import merge_documents

    monkeypatch.setenv("TFGUARD_TODAY", TODAY)
    repo = build(tmp_path)
    repo.add_guardrail_branch()
    docs, observations = [], []
    for k in (1, 2):
        part = observe(repo.work, make_engine("inprocess"), ObserveOptions(shard=(k, 2), fetch=k == 1))
        assert part.observation.shard == f"{k}/2"
        docs.append(to_document(part.run))
        observations.append(part.observation)
    assert sorted(w for o in observations for w in o.workloads) == sorted(WORKLOADS)
    merged = merge_documents(docs, ["shard-1", "shard-2"])
    out = tmp_path / "merged"
    out.mkdir()
    (out / "results.json").write_text(json.dumps(merged))
    write_observation(observations[0], tmp_path / "shard-1")
    obs, run = load_observation(out, tmp_path / "shard-1" / "observation.json")
    assert obs.shard == "" and sorted(obs.workloads) == sorted(WORKLOADS) and len(run.workloads) == 3
    assert obs.digest != observations[0].digest
    # merge-results writes no observation.json: the observation is rebuilt from the merged results.json
    rebuilt, _ = load_observation(out, repo_root=repo.work)
    assert (rebuilt.new, rebuilt.changed, rebuilt.commit) == ((NEW_GUARDRAIL,), (), observations[0].commit)
    assert rebuilt.digest == obs.digest and rebuilt.branch == FEATURE_BRANCH
