"""The observation lifecycle end to end: the real `tfguard` CLI, real git with a bare compliance remote, the
ledger on its state branch, and e-mail through a real local SMTP server.

Mainline has one guardrail; a feature branch adds S3-901; three workloads are registered."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

import pytest
import yaml
from helpers import REPO_ROOT, git, tfguard
from lifecycle import FEATURE_BRANCH, NEW_GUARDRAIL, OWNERS, TODAY, WORKLOADS, build
from receivers import SmtpReceiver, WebhookReceiver

LEDGER = ["--ledger", "git"]


def observe(repo, today: str = TODAY):
    return tfguard("observe", *LEDGER, cwd=repo.work, env={"TFGUARD_TODAY": today})


def promote(repo, *args: str, today: str = TODAY):
    return tfguard("promote", *LEDGER, "--self-tests-passed", *args, cwd=repo.work, env={"TFGUARD_TODAY": today})


def ledger(repo) -> dict:
    return json.loads(git(repo.remote, "show", "tfguard-ledger:ledger.json"))


@pytest.fixture
def smtp():
    server = SmtpReceiver().start()
    yield server
    server.stop()


def test_all_compliant_observe_then_promote_merges_and_pushes(tmp_path):
    repo = build(tmp_path)
    head = repo.add_guardrail_branch()
    observed = observe(repo)
    assert observed.code == 0, observed.stderr
    assert f"compliant on every workload: {NEW_GUARDRAIL}" in observed.stdout
    assert "ready to promote" in observed.stdout
    for name in ("results.json", "observation.json"):
        assert (repo.work / "out" / name).is_file()

    promoted = promote(repo)
    assert promoted.code == 0, promoted.stderr
    assert f"promoted: {NEW_GUARDRAIL} active on main" in promoted.stdout
    assert git(repo.remote, "rev-parse", "main") == head  # mainline did not move: fast-forward
    assert "S3-901" in repo.remote_file("main", "features/storage.feature")
    state = ledger(repo)
    assert state["guardrails"][NEW_GUARDRAIL]["state"] == "active"
    assert state["promotions"][0]["activated"] == [NEW_GUARDRAIL]
    assert state["promotions"][0]["observation"] == json.loads((repo.work / "out" / "observation.json").read_text())[
        "digest"]


def test_one_noncompliant_workload_notifies_once_then_activates_after_the_deadline(tmp_path, smtp):
    repo = build(tmp_path, compliant={"data-pipeline": False}, notify={w: [smtp.url] for w in WORKLOADS})
    repo.add_guardrail_branch()
    main_before = git(repo.remote, "rev-parse", "main")

    observed = observe(repo)
    assert observed.code == 0, observed.stderr  # noncompliance never fails an observation
    assert "data-pipeline: aws_s3_bucket.logs" in observed.stdout
    first = promote(repo)
    assert first.code == 0, first.stderr
    assert "not promoted: noncompliant: data-pipeline (S3-901)" in first.stdout
    assert git(repo.remote, "rev-parse", "main") == main_before

    data_owners = sorted(c for _, c in OWNERS["data-pipeline"])
    assert len(smtp.mails) == 1  # exactly one e-mail, to the noncompliant workload's owners only
    mail = smtp.mails[0]
    assert sorted(mail.recipients) == data_owners
    assert mail.subject == "tfguard: data-pipeline does not meet 1 guardrail pending activation"
    assert "aws_s3_bucket.logs" in mail.body and "Deadline: 2026-04-01 (30 days left)" in mail.body
    assert "tfguard exclusions request --workload data-pipeline --guardrail S3-901" in mail.body
    for other in ("web-service", "serverless-api"):
        assert all(not smtp.to(c) for _, c in OWNERS[other])

    assert observe(repo, "2026-03-03").code == 0
    second = promote(repo, today="2026-03-03")
    assert second.code == 0 and "not promoted" in second.stdout
    assert len(smtp.mails) == 1  # an unchanged situation sends nothing new

    early = promote(repo, "--after-deadline", "--reason", "CISO accepted the risk (SEC-42)", today="2026-03-03")
    assert early.code == 2 and "refusing to activate before the deadline: S3-901 is due 2026-04-01" in early.stderr
    assert git(repo.remote, "rev-parse", "main") == main_before

    late = promote(repo, "--after-deadline", "--reason", "CISO accepted the risk (SEC-42)", today="2026-04-02")
    assert late.code == 0, late.stderr
    assert "promoted: S3-901 active on main" in late.stdout
    message = git(repo.remote, "log", "-1", "--format=%B", "main")
    assert "Activated after the deadline." in message and "Reason: CISO accepted the risk (SEC-42)" in message
    assert "Noncompliant: data-pipeline S3-901 failed (deadline 2026-04-01)" in message
    assert repo.remote_file("main", "features/storage.feature") is not None
    record = ledger(repo)["promotions"][-1]
    assert record["after_deadline"] and record["reason"] == "CISO accepted the risk (SEC-42)"
    assert record["noncompliant"] == {"data-pipeline": [NEW_GUARDRAIL]}
    assert [m.subject for m in smtp.mails[1:]] == [
        "tfguard: 1 guardrail now active for data-pipeline: deploys with these findings are blocked"]
    assert sorted(smtp.mails[1].recipients) == data_owners


def test_an_approved_exclusion_on_the_branch_makes_the_workload_compliant(tmp_path):
    repo = build(tmp_path, compliant={"data-pipeline": False})
    repo.add_guardrail_branch()
    head = repo.add_exclusion("data-pipeline", "aws_s3_bucket.logs")
    observed = observe(repo)
    assert observed.code == 0, observed.stderr
    assert f"compliant on every workload: {NEW_GUARDRAIL}" in observed.stdout
    promoted = promote(repo)
    assert promoted.code == 0, promoted.stderr
    assert git(repo.remote, "rev-parse", "main") == head
    assert "EXC-1" in repo.remote_file("main", "exclusions/data-pipeline.yaml")
    results = json.loads((repo.work / "out" / "results.json").read_text())
    (row,) = [r for r in results["results"] if r["guardrail"] == NEW_GUARDRAIL and r["workload"] == "data-pipeline"]
    assert row["status"] == "passed" and row["findings"][0]["status"] == "excluded"


def test_status_shows_pending_guardrails_and_noncompliant_workloads(tmp_path):
    repo = build(tmp_path, compliant={"web-service": False})
    repo.add_guardrail_branch(deadline="2026-03-20")
    repo.add_exclusion("data-pipeline", "aws_s3_bucket.logs", expires="2026-03-15")
    assert observe(repo).code == 0
    shown = tfguard("status", *LEDGER, "--format", "json", cwd=repo.work, env={"TFGUARD_TODAY": "2026-03-10"})
    assert shown.code == 0, shown.stderr
    doc = json.loads(shown.stdout)
    (pending,) = doc["pending"]
    assert (pending["guardrail"], pending["deadline"], pending["days_left"]) == (NEW_GUARDRAIL, "2026-03-20", 10)
    assert pending["noncompliant"] == ["web-service"] and pending["branch"] == FEATURE_BRANCH
    assert doc["noncompliant"][NEW_GUARDRAIL][0]["workload"] == "web-service"
    (expiring,) = doc["expiring_exclusions"]
    assert (expiring["id"], expiring["workload"], expiring["days_left"]) == ("EXC-1", "data-pipeline", 5)
    text = tfguard("status", *LEDGER, cwd=repo.work, env={"TFGUARD_TODAY": "2026-03-10"}).stdout
    assert f"{NEW_GUARDRAIL}" in text and "deadline 2026-03-20 (10 days left)" in text
    assert "EXC-1      data-pipeline S3-901 aws_s3_bucket.logs: expires 2026-03-15 (5 days left" in text


def test_a_ledger_that_cannot_be_written_loses_no_results(tmp_path):
    repo = build(tmp_path)
    repo.add_guardrail_branch()
    repo.git("remote", "set-url", "origin", str(tmp_path / "unreachable.git"))
    observed = tfguard("observe", *LEDGER, "--no-fetch", cwd=repo.work, env={"TFGUARD_TODAY": TODAY})
    assert observed.code == 2
    assert "the observation was not recorded in the ledger" in observed.stderr
    assert (repo.work / "out" / "results.json").is_file() and (repo.work / "out" / "observation.json").is_file()
    assert "ready to promote" in observed.stdout


def test_a_webhook_that_is_down_gets_the_message_on_the_next_run(tmp_path):
    hook = WebhookReceiver()  # down for now
    repo = build(tmp_path, compliant={"data-pipeline": False}, notify={"data-pipeline": [hook.url]})
    repo.add_guardrail_branch()
    assert observe(repo).code == 0
    first = promote(repo)
    assert first.code == 0 and "not delivered, kept queued: findings message for data-pipeline" in first.stderr
    (queued,) = ledger(repo)["outbox"]
    assert queued["target"] == hook.url and queued["attempts"] == 1
    waiting = tfguard("status", *LEDGER, "--format", "json", cwd=repo.work, env={"TFGUARD_TODAY": TODAY})
    assert [m["workload"] for m in json.loads(waiting.stdout)["queued_notifications"]] == ["data-pipeline"]
    hook.start()
    try:
        second = promote(repo)
        assert second.code == 0 and f"delivered findings message for data-pipeline to {hook.url}" in second.stdout
        assert len(hook.posts) == 1 and "aws_s3_bucket.logs" in hook.posts[0]["message"]
        assert ledger(repo)["outbox"] == []
        promote(repo)
        assert len(hook.posts) == 1
    finally:
        hook.stop()


def test_the_bundled_webhook_form_delivers_its_token_and_no_output_shows_it(tmp_path):
    """pipeline/workloads/serverless-api.yaml's webhook, pointed at a real local listener: the token from the
    environment arrives as apprise sends it, and appears in no output, report or ledger."""
    bundled = yaml.safe_load((REPO_ROOT / "pipeline" / "workloads" / "serverless-api.yaml").read_text())["notify"]
    template = next(u for u in bundled if u.startswith(("json://", "jsons://")))
    hook = WebhookReceiver().start()
    token = "whk-7Q2x9LpR4tZ8nV3b"
    try:
        target = re.sub(r"^jsons?://[^/?]+", f"json://127.0.0.1:{hook.port}", template)
        repo = build(tmp_path, compliant={"serverless-api": False}, notify={"serverless-api": [target]})
        repo.add_guardrail_branch()
        env = {"TFGUARD_TODAY": TODAY, "ORDERS_WEBHOOK_TOKEN": token}
        runs = [tfguard("observe", *LEDGER, cwd=repo.work, env=env),
                tfguard("promote", *LEDGER, "--self-tests-passed", cwd=repo.work, env=env),
                tfguard("status", *LEDGER, cwd=repo.work, env=env)]
        assert [r.code for r in runs] == [0, 0, 0], runs[1].stderr
        (post,) = hook.posts
        sent = {k.lower(): v for k, v in post["headers"].items()}
        header = next(k[1:] for k, _ in parse_qsl(template.split("?", 1)[1].replace("+", "%2B")) if k.startswith("+"))
        assert sent[header.lower()] == token and "serverless-api" in post["message"]
        written = [p.read_text(errors="replace") for p in (repo.work / "out").rglob("*") if p.is_file()]
        assert all(token not in text for text in [*(r.stdout + r.stderr for r in runs), *written,
                                                  git(repo.remote, "show", "tfguard-ledger:ledger.json")])
    finally:
        hook.stop()


def test_status_says_which_ledger_it_read(tmp_path):
    repo = build(tmp_path)
    repo.add_guardrail_branch()
    assert observe(repo).code == 0  # recorded on the ledger branch
    local = tfguard("status", "--ledger", "file", cwd=repo.work, env={"CI": ""})
    assert local.code == 0
    first = local.stdout.splitlines()[0]
    assert first.startswith("Ledger: file ") and ".tfguard/ledger.json" in first
    assert "empty by design" in first and "tfguard status --ledger git" in first
    assert "S3-901" not in local.stdout  # the observation went to the branch, not to this file
    shared = tfguard("status", *LEDGER, cwd=repo.work, env={"CI": "true"})
    assert shared.stdout.splitlines()[0] == "Ledger: branch tfguard-ledger of origin"
    assert "S3-901" in shared.stdout
    doc = json.loads(tfguard("status", "--ledger", "file", "--format", "json", cwd=repo.work, env={"CI": ""}).stdout)
    assert doc["ledger"].startswith("file ") and "empty by design" in doc["ledger_note"]
