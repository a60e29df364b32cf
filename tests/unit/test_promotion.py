"""Promotion: the decision, the self-test status, and merging into a real bare remote (fast-forward, merge
commit, re-observation when mainline moved, a rejected push retried, conflicts leaving nothing behind).

The re-observation is injected into merge_and_push as a function (the command passes a real observe);
here it is a small function returning a decision, so these tests need no engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import git
from lifecycle import FEATURE_BRANCH, NEW_GUARDRAIL, build

from runner.config import Config, ObservationSettings
from runner.errors import ConfigError, GitError, UsageError
from runner.model import Finding, Guardrail, Result, RunResult, Status, WorkloadRun
from runner.workflow.ledger import Ledger
from runner.workflow.observe import Observation
from runner.workflow.promote import (
    AFTER_DEADLINE,
    BLOCKED,
    MERGE,
    NOTHING,
    REFUSED,
    Blocked,
    SelfTests,
    commit_message,
    decide,
    merge_and_push,
    promotion_record,
    record_promotion,
    self_tests,
    self_tests_from_file,
)

D = date.fromisoformat
PASSED = SelfTests("passed", "test stage")
CONFIG = Config(Path("."), observation=ObservationSettings(deadline_days=30))


def observation(new: tuple[str, ...] = ("S3-901",), deadlines: dict[str, str] | None = None, **kw: str) -> Observation:
    return Observation(branch=kw.get("branch", "feat"), commit=kw.get("commit", "c" * 40), mainline="main",
                       mainline_commit=kw.get("mainline_commit", "m" * 40), new=new,
                       digests={g: "d" for g in new}, deadlines=deadlines or {}, today="2026-03-02",
                       digest="f" * 64)


def run_with(status: dict[str, Status]) -> RunResult:
    results = []
    for workload, st in status.items():
        findings = (Finding("S3-901", workload, "aws_s3_bucket.logs", "no owner"),) if st is Status.FAILED else ()
        results.append(Result("S3-901", workload, st, findings))
    return RunResult((Guardrail("S3-901", "Owner tag", "s.feature", 3),), tuple(results),
                     tuple(WorkloadRun(w) for w in status), mode="observe")


ALL_OK = run_with({"web": Status.PASSED, "api": Status.NOT_APPLICABLE})
ONE_BAD = run_with({"web": Status.PASSED, "api": Status.FAILED})


def test_compliant_workloads_and_passing_self_tests_merge():
    d = decide(observation(), ALL_OK, Ledger(), CONFIG, D("2026-03-02"), PASSED)
    assert d.action == MERGE and d.promotes and d.deadlines == {"S3-901": D("2026-04-01")}


def test_nothing_to_promote_without_guardrail_changes():
    d = decide(observation(new=()), ALL_OK, Ledger(), CONFIG, D("2026-03-02"), PASSED)
    assert d.action == NOTHING and "changes no guardrail" in d.why[0]


@pytest.mark.parametrize("tests", [SelfTests("failed", "2 fixtures"), SelfTests("unknown", "no result")])
def test_self_tests_must_have_passed(tests):
    d = decide(observation(), ALL_OK, Ledger(), CONFIG, D("2026-03-02"), tests)
    assert d.action == REFUSED and not d.promotes


def test_an_error_row_is_never_compliant():
    d = decide(observation(), run_with({"web": Status.PASSED, "api": Status.ERROR}), Ledger(), CONFIG,
               D("2026-03-02"), PASSED)
    assert d.action == BLOCKED and list(d.blocking) == ["api"]


def test_noncompliance_blocks_until_after_the_deadline():
    ledger = Ledger()
    ledger.observe_guardrail("S3-901", "d", D("2026-03-02"), "feat", None, 30)
    d = decide(observation(), ONE_BAD, ledger, CONFIG, D("2026-03-10"), PASSED)
    assert d.action == BLOCKED and d.blocking_guardrails == ("S3-901",)
    with pytest.raises(UsageError, match=r"S3-901 is due 2026-04-01 \(22 days left\)"):
        decide(observation(), ONE_BAD, ledger, CONFIG, D("2026-03-10"), PASSED, after_deadline=True, reason="x")
    with pytest.raises(UsageError, match="due 2026-04-01"):  # on the deadline day itself: still refused
        decide(observation(), ONE_BAD, ledger, CONFIG, D("2026-04-01"), PASSED, after_deadline=True, reason="x")
    with pytest.raises(UsageError, match="needs --reason"):
        decide(observation(), ONE_BAD, ledger, CONFIG, D("2026-04-02"), PASSED, after_deadline=True)
    d = decide(observation(), ONE_BAD, ledger, CONFIG, D("2026-04-02"), PASSED, after_deadline=True,
               reason="CISO sign-off SEC-9")
    assert d.action == AFTER_DEADLINE and d.reason == "CISO sign-off SEC-9" and not d.automatic


def test_the_deadline_tag_wins_and_the_config_switch_activates_automatically():
    obs = observation(deadlines={"S3-901": "2026-03-05"})
    auto = Config(Path("."), observation=ObservationSettings(auto_activate_after_deadline=True))
    assert decide(obs, ONE_BAD, Ledger(), auto, D("2026-03-05"), PASSED).action == BLOCKED
    d = decide(obs, ONE_BAD, Ledger(), auto, D("2026-03-06"), PASSED)
    assert d.action == AFTER_DEADLINE and d.automatic and "auto_activate_after_deadline" in d.reason


def test_commit_message_records_activation_and_observation():
    obs = observation()
    d = decide(obs, ALL_OK, Ledger(), CONFIG, D("2026-03-02"), PASSED)
    msg = commit_message(obs, d, ALL_OK)
    assert msg.startswith("tfguard: activate S3-901 from feat\n")
    assert "New: S3-901 Owner tag" in msg and "All 2 workloads comply: web, api." in msg
    assert f"Tfguard-Observation: {'f' * 64}" in msg and "Tfguard-Activated: S3-901" in msg
    ledger = Ledger()
    ledger.observe_guardrail("S3-901", "d", D("2026-01-01"), "feat", None, 30)
    late = decide(obs, ONE_BAD, ledger, CONFIG, D("2026-02-01"), PASSED, after_deadline=True, reason="risk accepted")
    text = commit_message(obs, late, ONE_BAD)
    assert "Activated after the deadline." in text and "Reason: risk accepted" in text
    assert "Noncompliant: api S3-901 failed (deadline 2026-01-31)" in text
    assert "Tfguard-After-Deadline: risk accepted" in text


# --- self-test status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "state"), [
    ('<testsuites><testsuite tests="3" failures="0" errors="0"/></testsuites>', "passed"),
    ('<testsuite tests="3" failures="1" errors="0"/>', "failed"),
    ('<testsuite tests="0"/>', "unknown"),
    ('{"passed": true}', "passed"),
    ('{"summary": {"exit_code": 1}}', "failed"),
    ('{"exit_code": 0}', "passed"),
    ('{"something": "else"}', "unknown"),
    ("not a result", "unknown"),
])
def test_self_test_status_from_a_result_file(tmp_path, content, state):
    path = tmp_path / ("r.xml" if content.startswith("<") else "r.json")
    path.write_text(content)
    assert self_tests_from_file(path).state == state


def test_self_test_status_sources(tmp_path):
    assert self_tests(True, None, tmp_path, "features").passed
    with pytest.raises(ConfigError, match="no such file"):  # a report named but not there is an error, not a pass
        self_tests(False, str(tmp_path / "missing.json"), tmp_path, "features")
    assert self_tests(False, None, tmp_path, "features").state == "unknown"


def test_promote_runs_the_self_tests_of_the_guardrails_it_activates(tmp_path):
    """Without a flag or a report, the real `tfguard test` machinery runs on the new guardrail's fixtures."""
    from helpers import write_plan
    from lifecycle import bucket_plan

    from runner.engine import make_engine

    repo = build(tmp_path)
    repo.add_guardrail_branch()
    untested = self_tests(False, None, repo.work, "features", [NEW_GUARDRAIL], make_engine)
    assert untested.state == "failed" and NEW_GUARDRAIL in untested.detail  # a guardrail without fixtures
    fixtures = repo.work / "tests" / "guardrails" / NEW_GUARDRAIL
    write_plan(fixtures / "pass" / "tagged.json", bucket_plan(True))
    write_plan(fixtures / "fail" / "untagged.json", bucket_plan(False))
    (fixtures / "expected.yaml").write_text("fail:\n  untagged.json: [aws_s3_bucket.logs]\n")
    tested = self_tests(False, None, repo.work, "features", [NEW_GUARDRAIL], make_engine)
    assert tested.passed, tested.detail


# --- merging and pushing ----------------------------------------------------------------------------------


def _branch_observation(repo, mainline_commit: str | None = None) -> Observation:
    head = repo.git("rev-parse", "HEAD")
    main = mainline_commit or git(repo.remote, "rev-parse", "main")
    return observation(new=(NEW_GUARDRAIL,), branch=FEATURE_BRANCH, commit=head, mainline_commit=main)


def _merge_decision(obs: Observation):
    return decide(obs, ALL_OK, Ledger(), CONFIG, D("2026-03-02"), PASSED)


def _never(path: Path, tip: str):
    raise AssertionError("mainline did not move: no re-observation expected")


def _worktrees(repo) -> int:
    return len([ln for ln in repo.git("worktree", "list", "--porcelain").splitlines() if ln.startswith("worktree ")])


def test_fast_forward_when_mainline_did_not_move(tmp_path):
    repo = build(tmp_path)
    head = repo.add_guardrail_branch()
    obs = _branch_observation(repo)
    push = merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", False, _never)
    assert push.fast_forward and push.commit == head and push.attempts == 1 and not push.reobserved
    assert git(repo.remote, "rev-parse", "main") == head
    assert repo.remote_file("main", "features/storage.feature") is not None
    assert repo.git("status", "--porcelain") == "" and repo.git("rev-parse", "--abbrev-ref", "HEAD") == FEATURE_BRANCH
    assert _worktrees(repo) == 1
    again = merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", False, _never)
    assert again.already_merged


def test_a_shallow_ci_checkout_is_deepened_before_merging(tmp_path):
    repo = build(tmp_path)
    head = repo.add_guardrail_branch()
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", FEATURE_BRANCH, repo.remote.as_uri(), "shallow")
    shallow = tmp_path / "shallow"
    assert git(shallow, "rev-parse", "--is-shallow-repository") == "true"
    obs = _branch_observation(repo)
    push = merge_and_push(shallow, obs, _merge_decision(obs), ALL_OK, "origin", "main", True, _never)
    assert git(repo.remote, "rev-parse", "main^2") == head and not push.fast_forward


def test_no_ff_writes_the_merge_commit_message(tmp_path):
    repo = build(tmp_path)
    head = repo.add_guardrail_branch()
    obs = _branch_observation(repo)
    push = merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", True, _never)
    assert not push.fast_forward
    assert git(repo.remote, "rev-parse", "main^2") == head
    message = git(repo.remote, "log", "-1", "--format=%B", "main")
    assert message.startswith(f"tfguard: activate {NEW_GUARDRAIL} from {FEATURE_BRANCH}")
    assert f"Tfguard-Observation: {obs.digest}" in message
    record = promotion_record(push, D("2026-03-02"))
    assert record["merge_commit"] == push.commit and record["activated"] == [NEW_GUARDRAIL]
    ledger = Ledger()
    record_promotion(push, D("2026-03-02"))(ledger)
    assert ledger.guardrail(NEW_GUARDRAIL)["state"] == "active" and ledger.promotions()[0]["branch"] == FEATURE_BRANCH


def _move_mainline(repo, tmp_path: Path, name: str, path: str = "README.md") -> str:
    other = tmp_path / name
    git(tmp_path, "clone", "-q", str(repo.remote), name)
    (other / path).parent.mkdir(parents=True, exist_ok=True)
    (other / path).write_text(f"changed by {name}\n")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", f"mainline change by {name}")
    git(other, "push", "-q", "origin", "main")
    return git(other, "rev-parse", "HEAD")


def test_mainline_moved_merge_commit_after_reobservation(tmp_path):
    repo = build(tmp_path)
    head = repo.add_guardrail_branch()
    obs = _branch_observation(repo)
    moved = _move_mainline(repo, tmp_path, "colleague")
    seen: list[tuple[Path, str]] = []

    def reobserve(path: Path, tip: str):
        seen.append((path, tip))
        assert (path / "features" / "storage.feature").exists() and (path / "README.md").read_text().startswith(
            "changed by")  # the merged tree
        reobs = observation(new=(NEW_GUARDRAIL,), branch=FEATURE_BRANCH, commit=head, mainline_commit=tip)
        return _merge_decision(reobs), ALL_OK, reobs

    push = merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", False, reobserve)
    assert [tip for _, tip in seen] == [moved] and push.reobserved and not push.fast_forward
    assert git(repo.remote, "rev-parse", "main^1") == moved and git(repo.remote, "rev-parse", "main^2") == head
    assert not seen[0][0].exists()  # the private worktree is gone


def test_a_rejected_push_is_refetched_and_retried(tmp_path):
    repo = build(tmp_path)
    repo.add_guardrail_branch()
    obs = _branch_observation(repo)
    _move_mainline(repo, tmp_path, "first")
    calls: list[str] = []

    def reobserve(path: Path, tip: str):
        calls.append(tip)
        if len(calls) == 1:  # someone pushes to mainline while we are merging: our push will be rejected
            _move_mainline(repo, tmp_path, "racer", "RACE.md")
        reobs = observation(branch=FEATURE_BRANCH, commit=obs.commit, mainline_commit=tip)
        return _merge_decision(reobs), ALL_OK, reobs

    push = merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", False, reobserve)
    assert push.attempts == 2 and len(calls) == 2 and calls[0] != calls[1]
    assert repo.remote_file("main", "RACE.md") is not None  # nothing of the racer's was lost (no force)
    assert repo.remote_file("main", "features/storage.feature") is not None


def test_blocked_after_reobservation_pushes_nothing(tmp_path):
    repo = build(tmp_path)
    repo.add_guardrail_branch()
    obs = _branch_observation(repo)
    moved = _move_mainline(repo, tmp_path, "colleague")

    def reobserve(path: Path, tip: str):
        reobs = observation(branch=FEATURE_BRANCH, commit=obs.commit, mainline_commit=tip)
        return decide(reobs, ONE_BAD, Ledger(), CONFIG, D("2026-03-02"), PASSED), ONE_BAD, reobs

    with pytest.raises(Blocked) as blocked:
        merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", False, reobserve)
    assert blocked.value.decision.action == BLOCKED
    assert git(repo.remote, "rev-parse", "main") == moved and _worktrees(repo) == 1


def test_a_conflict_leaves_nothing_behind(tmp_path):
    repo = build(tmp_path)
    repo.add_guardrail_branch()
    obs = _branch_observation(repo)
    moved = _move_mainline(repo, tmp_path, "colleague", "features/storage.feature")
    with pytest.raises(GitError, match=r"conflicts in features/storage.feature"):
        merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", False, _never)
    assert git(repo.remote, "rev-parse", "main") == moved
    assert _worktrees(repo) == 1 and repo.git("status", "--porcelain") == ""


def test_an_unknown_observed_commit_is_refused(tmp_path):
    repo = build(tmp_path)
    obs = observation(commit="0" * 40, mainline_commit=git(repo.remote, "rev-parse", "main"))
    with pytest.raises(GitError, match="not in this repository"):
        merge_and_push(repo.work, obs, _merge_decision(obs), ALL_OK, "origin", "main", False, _never)
