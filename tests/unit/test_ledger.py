"""The ledger: its operations, the local file store and the state branch on a real bare remote."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest
from helpers import git, make_bare_remote, make_repo

from runner.errors import ConfigError, GitError, UsageError
from runner.workflow.ledger import FileStore, GitStore, Ledger, open_store

D = date.fromisoformat


def test_first_observation_fixes_the_default_deadline():
    ledger = Ledger()
    ledger.observe_guardrail("S3-009", "d1", D("2026-01-10"), "feat", None, 30)
    later = ledger.observe_guardrail("S3-009", "d2", D("2026-01-20"), "feat", None, 30)
    assert later["first_observed"] == "2026-01-10"
    assert later["deadline"] == "2026-02-09"
    assert later["digests"] == ["d1", "d2"]  # a content change keeps the deadline
    assert ledger.deadline("S3-009") == D("2026-02-09")


def test_deadline_tag_wins_over_the_default():
    ledger = Ledger()
    entry = ledger.observe_guardrail("NET-001", "d", D("2026-01-10"), "feat", D("2026-03-01"), 30)
    assert entry["deadline"] == "2026-03-01" and entry["deadline_source"] == "tag"


def test_pending_lists_days_left_and_drops_active_guardrails():
    ledger = Ledger()
    ledger.observe_guardrail("A-001", "d", D("2026-01-01"), "feat", None, 30)
    ledger.observe_guardrail("B-001", "d", D("2026-01-01"), "feat", D("2026-01-15"), 30)
    pending = ledger.pending(D("2026-01-10"))
    assert [(p["guardrail"], p["days_left"]) for p in pending] == [("B-001", 5), ("A-001", 21)]
    ledger.mark_active("B-001", D("2026-01-11"), {"commit": "abc"})
    assert [p["guardrail"] for p in ledger.pending(D("2026-01-11"))] == ["A-001"]


def test_a_reactivated_observation_starts_a_new_pending_period():
    ledger = Ledger()
    ledger.observe_guardrail("A-001", "d", D("2026-01-01"), "feat", None, 10)
    ledger.mark_active("A-001", D("2026-01-05"), {})
    entry = ledger.observe_guardrail("A-001", "d2", D("2026-02-01"), "feat2", None, 10)
    assert entry["first_observed"] == "2026-02-01" and entry["state"] == "pending"


def test_withdrawn_guardrails_leave_pending():
    ledger = Ledger()
    ledger.observe_guardrail("A-001", "d", D("2026-01-01"), "feat", None, 10)
    ledger.observe_guardrail("B-001", "d", D("2026-01-01"), "other", None, 10)
    ledger.withdraw_missing(set(), "feat", D("2026-01-02"))
    assert [p["guardrail"] for p in ledger.pending(D("2026-01-02"))] == ["B-001"]


def test_status_history_keeps_change_points_one_per_day():
    ledger = Ledger()
    assert ledger.record_status("A-001", "web", "failed", D("2026-01-01"))
    assert not ledger.record_status("A-001", "web", "failed", D("2026-01-02"))
    assert ledger.record_status("A-001", "web", "passed", D("2026-01-05"))
    assert ledger.record_status("A-001", "web", "failed", D("2026-01-05"))  # same day: latest wins
    assert ledger.changes() == [
        {"date": "2026-01-01", "guardrail": "A-001", "workload": "web", "status": "failed"},
    ]
    ledger.record_status("A-001", "web", "passed", D("2026-01-07"))
    assert [h["status"] for h in ledger.changes()] == ["failed", "passed"]
    assert ledger.latest_status()[("A-001", "web")] == ("passed", "2026-01-07")


def test_history_is_a_full_snapshot_per_observed_date():
    ledger = Ledger()
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        ledger.mark_observed(D(day))
    ledger.record_status("A-001", "web", "failed", D("2026-01-01"))
    ledger.record_status("A-001", "api", "passed", D("2026-01-01"))
    ledger.record_status("A-001", "web", "passed", D("2026-01-03"))
    ledger.record_status("B-001", "web", "excluded", D("2026-01-02"))
    rows = [(h["date"], h["guardrail"], h["workload"], h["status"]) for h in ledger.history()]
    assert rows == [
        ("2026-01-01", "A-001", "api", "passed"), ("2026-01-01", "A-001", "web", "failed"),
        ("2026-01-02", "A-001", "api", "passed"), ("2026-01-02", "A-001", "web", "failed"),
        ("2026-01-02", "B-001", "web", "excluded"),
        ("2026-01-03", "A-001", "api", "passed"), ("2026-01-03", "A-001", "web", "passed"),
        ("2026-01-03", "B-001", "web", "excluded"),
    ]
    assert {h["date"] for h in ledger.history(max_dates=1)} == {"2026-01-03"}


def test_outbox_enqueue_claim_and_settle():
    ledger = Ledger()
    msg = {"id": "m1", "workload": "web", "kind": "findings", "target": "json://x", "subject": "s", "body": "b"}
    assert ledger.enqueue(msg)
    assert not ledger.enqueue(msg)  # the same message is never queued twice
    assert [m["id"] for m in ledger.claim("run-1", 600, now=1000.0)] == ["m1"]
    assert ledger.claim("run-2", 600, now=1001.0) == []  # held by run-1
    ledger.settle("run-1", delivered={}, failed={"m1": "connection refused"})
    queued = ledger.outbox()[0]
    assert queued["attempts"] == 1 and queued["last_error"] == "connection refused" and not queued["claimed_by"]
    assert [m["id"] for m in ledger.claim("run-2", 600, now=1002.0)] == ["m1"]
    ledger.settle("run-2", delivered={"m1": "2026-01-01T12:00:00+00:00"}, failed={})
    assert ledger.outbox() == []
    assert ledger.delivered()[0]["id"] == "m1" and ledger.delivered()[0]["attempts"] == 2
    assert not ledger.enqueue(msg)  # delivered: not queued again


def test_expired_claims_are_taken_over():
    ledger = Ledger()
    ledger.enqueue({"id": "m1", "workload": "w", "kind": "k", "target": "t", "subject": "s", "body": "b"})
    ledger.claim("crashed-run", 10, now=100.0)
    assert [m["id"] for m in ledger.claim("next-run", 10, now=111.0)] == ["m1"]


def test_a_newer_schema_is_refused():
    with pytest.raises(ConfigError, match="newer"):
        Ledger.loads(json.dumps({"schema_version": 99}), "x")


def test_file_store_round_trip(tmp_path):
    store = FileStore(tmp_path / ".tfguard" / "ledger.json")
    assert store.read().pending() == []
    store.update(lambda lg: lg.observe_guardrail("A-001", "d", D("2026-01-01"), "b", None, 5))
    assert store.read().deadline("A-001") == D("2026-01-06")


def test_file_store_concurrent_writers_lose_nothing(tmp_path):
    store_path = tmp_path / "ledger.json"

    def writer(tag: str) -> None:
        store = FileStore(store_path)
        for i in range(20):
            store.update(lambda lg, i=i: lg.record_promotion({"id": f"{tag}-{i}"}))

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(FileStore(store_path).read().promotions()) == 60


@pytest.fixture
def remote(tmp_path) -> Path:
    source = make_repo(tmp_path / "seed", {"README.md": "compliance\n"})
    return make_bare_remote(tmp_path, source)


def _clone(tmp_path: Path, remote: Path, name: str) -> Path:
    git(tmp_path, "clone", "-q", str(remote), name)
    return tmp_path / name


def test_git_store_writes_the_state_branch_without_touching_the_work_tree(tmp_path, remote):
    clone = _clone(tmp_path, remote, "work")
    head = git(clone, "rev-parse", "HEAD")
    store = GitStore(clone, "tfguard-ledger")
    store.update(lambda lg: lg.observe_guardrail("A-001", "d", D("2026-01-01"), "b", None, 5), "observe")
    assert git(clone, "rev-parse", "HEAD") == head and git(clone, "status", "--porcelain") == ""
    doc = json.loads(git(remote, "show", "tfguard-ledger:ledger.json"))
    assert doc["guardrails"]["A-001"]["deadline"] == "2026-01-06"
    assert "tfguard ledger: observe" in git(remote, "log", "-1", "--format=%s", "tfguard-ledger")
    other = GitStore(_clone(tmp_path, remote, "other"), "tfguard-ledger")
    assert other.read().deadline("A-001") == D("2026-01-06")


def test_git_store_skips_commits_for_no_change(tmp_path, remote):
    store = GitStore(_clone(tmp_path, remote, "work"))
    store.update(lambda lg: lg.record_promotion({"id": "p1"}))
    tip = git(remote, "rev-parse", "tfguard-ledger")
    store.update(lambda lg: lg.record_promotion({"id": "p1"}))
    assert git(remote, "rev-parse", "tfguard-ledger") == tip


def test_git_store_concurrent_writers_lose_nothing(tmp_path, remote):
    """Three clones of one bare remote push ledger updates at the same time, creating the branch too."""
    clones = [_clone(tmp_path, remote, f"runner-{i}") for i in range(3)]
    errors: list[BaseException] = []

    def writer(clone: Path, tag: str) -> None:
        try:
            store = GitStore(clone, "tfguard-ledger", attempts=60)
            for i in range(8):
                store.update(lambda lg, i=i: lg.record_promotion({"id": f"{tag}-{i}"}), f"{tag}-{i}")
                store.update(lambda lg, i=i: lg.record_status("G-1", f"{tag}", str(i), D(f"2026-01-{i + 1:02d}")))
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(c, f"w{n}")) for n, c in enumerate(clones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    ledger = GitStore(clones[0]).read()
    assert sorted(p["id"] for p in ledger.promotions()) == sorted(f"w{n}-{i}" for n in range(3) for i in range(8))
    assert len(ledger.changes()) == 24
    # every update is one fast-forward commit: 48 commits, linear history
    assert git(remote, "rev-list", "--count", "tfguard-ledger") == "48"
    assert git(remote, "rev-list", "--merges", "--count", "tfguard-ledger") == "0"


def test_git_store_unreachable_remote_is_a_git_error(tmp_path, remote):
    clone = _clone(tmp_path, remote, "work")
    git(clone, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    with pytest.raises(GitError, match="cannot fetch the ledger"):
        GitStore(clone).read()


def test_open_store_choices(tmp_path, remote, monkeypatch):
    clone = _clone(tmp_path, remote, "work")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TFGUARD_LEDGER", raising=False)
    assert isinstance(open_store(clone), FileStore)
    monkeypatch.setenv("CI", "true")
    assert isinstance(open_store(clone), GitStore)
    assert isinstance(open_store(clone, "file"), FileStore)
    monkeypatch.setenv("TFGUARD_LEDGER", str(tmp_path / "l.json"))
    assert open_store(clone).description.endswith("l.json")
    lonely = make_repo(tmp_path / "lonely")
    with pytest.raises(UsageError, match="does not have"):
        open_store(lonely, "git")
