"""Owner notification: message content, who is due what (dedupe, changes, reminders), and delivery through
apprise to a real local SMTP server and a real local webhook, including a receiver that is down, then up."""

from __future__ import annotations

import json
from datetime import date

import pytest
from receivers import SmtpReceiver, WebhookReceiver

from runner.errors import NotifyError
from runner.model import Finding, Guardrail, Owner, Result, Severity, Status, Workload
from runner.notify import Context, DeliverySettings, compose, fingerprint, flush, plan, send, with_recipients
from runner.notify.delivery import send_with_retry
from runner.workflow.ledger import FileStore, Ledger

D = date.fromisoformat
G = Guardrail(id="S3-901", title="S3 buckets carry an owner tag", file="storage.feature", line=4,
              severity=Severity.HIGH, controls=("FSBP-S3.9",), remediation="Add `tags = { owner = \"team\" }`.")
WEB = Workload(name="web", owners=(Owner("Web team", "web@example.com"), Owner("Ann", "ann@example.com")),
               notify=("json://127.0.0.1:1/hook",))
API = Workload(name="api", owners=(Owner("API team", "api@example.com"),), notify=("json://127.0.0.1:1/hook",))
FAST = DeliverySettings(attempts=2, backoff_seconds=0.01)


def failed(workload: str, *addresses: str) -> Result:
    return Result("S3-901", workload, Status.FAILED,
                  tuple(Finding("S3-901", workload, a, f"{a} has no owner", Severity.HIGH) for a in addresses))


# --- composition ----------------------------------------------------------------------------------------


def test_the_message_says_what_to_fix_by_when_and_how_to_ask_for_an_exclusion():
    msg = compose(WEB, [failed("web", "aws_s3_bucket.logs", 'module.m.aws_s3_bucket.b["eu"]')], {"S3-901": G},
                  {"S3-901": D("2026-04-01")}, D("2026-03-02"), "findings", Context(branch="feat", observation="ab" * 32))
    assert msg.subject == "tfguard: web does not meet 1 guardrail pending activation"
    body = msg.body
    assert "Hello Web team, Ann," in body
    assert "Deadline: 2026-04-01 (30 days left)" in body
    assert "[high] S3-901: S3 buckets carry an owner tag" in body
    assert "    - aws_s3_bucket.logs\n" in body and '    - module.m.aws_s3_bucket.b["eu"]\n' in body
    assert 'How to fix: Add `tags = { owner = "team" }`.' in body
    assert "Controls: FSBP-S3.9" in body
    assert ("tfguard exclusions request --workload web --guardrail S3-901 --resource aws_s3_bucket.logs "
            "--reason '…' --expires YYYY-MM-DD") in body
    assert "branch feat (abababababab)" in body


def test_fingerprint_follows_the_finding_set():
    dl = {"S3-901": D("2026-04-01")}
    a = fingerprint([failed("web", "x.a", "x.b")], dl)
    assert a == fingerprint([failed("web", "x.b", "x.a")], dl)
    assert a != fingerprint([failed("web", "x.a")], dl)
    assert a != fingerprint([failed("web", "x.a", "x.b")], {"S3-901": D("2026-05-01")})
    assert fingerprint([Result("S3-901", "web", Status.PASSED)], dl) == ""


def test_owners_share_one_email():
    url = with_recipients("mailto://127.0.0.1:25?from=t@example.com", ["a@example.com", "b@example.com"])
    assert "to=a@example.com" in url and "cc=b@example.com" in url
    assert with_recipients("mailto://h?to=x@example.com", ["a@example.com"]) == "mailto://h?to=x@example.com"
    assert with_recipients("json://h/x", ["a@example.com"]) == "json://h/x"


# --- planning -------------------------------------------------------------------------------------------


def _plan(ledger: Ledger, blocking: dict, today: str, activated: bool = False) -> list:
    return plan(blocking, [WEB, API], {"S3-901": G}, {"S3-901": D("2026-04-01")}, D(today),
                Context(reminder_days=(7, 1)), activated=activated)(ledger)


def test_one_message_per_noncompliant_workload_and_no_repeat():
    ledger = Ledger()
    queued = _plan(ledger, {"web": [failed("web", "aws_s3_bucket.logs")]}, "2026-03-02")
    assert [(p.message.workload, p.message.kind) for p in queued] == [("web", "findings")]
    assert [m["workload"] for m in ledger.outbox()] == ["web"]
    assert ledger.outbox()[0]["recipients"] == ["web@example.com", "ann@example.com"]
    assert _plan(ledger, {"web": [failed("web", "aws_s3_bucket.logs")]}, "2026-03-03") == []
    assert len(ledger.outbox()) == 1


def test_a_changed_finding_set_notifies_again_and_a_fix_resets():
    ledger = Ledger()
    _plan(ledger, {"web": [failed("web", "a.x")]}, "2026-03-02")
    changed = _plan(ledger, {"web": [failed("web", "a.x", "a.y")]}, "2026-03-03")
    assert [p.message.kind for p in changed] == ["findings"]
    assert _plan(ledger, {}, "2026-03-04") == []  # fixed: nothing to say, state reset
    assert ledger.notification_state("web")["fingerprint"] == ""
    again = _plan(ledger, {"web": [failed("web", "a.x")]}, "2026-03-05")  # broken again, same set as at first
    assert [p.message.kind for p in again] == ["findings"]
    assert len(ledger.outbox()) == 3


def test_reminders_at_the_configured_days_before_the_deadline():
    ledger = Ledger()
    fails = {"web": [failed("web", "a.x")]}
    _plan(ledger, fails, "2026-03-02")  # 30 days left
    assert _plan(ledger, fails, "2026-03-20") == []  # 12 days left
    week = _plan(ledger, fails, "2026-03-26")  # 6 days left: the 7-day reminder (a run may miss the exact day)
    assert [p.message.kind for p in week] == ["reminder"]
    assert "become active in 6 days" in week[0].message.subject
    assert _plan(ledger, fails, "2026-03-27") == []
    last = _plan(ledger, fails, "2026-03-31")
    assert [p.message.kind for p in last] == ["reminder"]
    assert _plan(ledger, fails, "2026-04-05") == []  # after the deadline: no more reminders


def test_a_first_message_close_to_the_deadline_counts_as_the_reminders_it_covers():
    ledger = Ledger()
    _plan(ledger, {"web": [failed("web", "a.x")]}, "2026-03-28")  # 4 days left: findings message
    assert ledger.notification_state("web")["reminders"] == [7]
    assert [p.message.kind for p in _plan(ledger, {"web": [failed("web", "a.x")]}, "2026-03-31")] == ["reminder"]


def test_activation_after_the_deadline_is_announced_once():
    ledger = Ledger()
    fails = {"web": [failed("web", "a.x")]}
    assert [p.message.kind for p in _plan(ledger, fails, "2026-04-03", activated=True)] == ["activated"]
    assert _plan(ledger, fails, "2026-04-03", activated=True) == []


def test_workloads_without_targets_use_the_default_targets():
    ledger = Ledger()
    quiet = Workload(name="quiet", owners=(Owner("Q", "q@example.com"),))
    queued = plan({"quiet": [failed("quiet", "a.x")]}, [quiet], {"S3-901": G}, {}, D("2026-03-02"), Context(),
                  default_targets=("mailto://relay.example.com?from=t@example.com",))(ledger)
    assert queued[0].targets == ("mailto://relay.example.com?from=t@example.com",)


# --- delivery -------------------------------------------------------------------------------------------


@pytest.fixture
def smtp():
    server = SmtpReceiver().start()
    yield server
    server.stop()


def test_email_through_a_real_smtp_server(smtp):
    send(smtp.url, "tfguard: subject", "body line\n", ["web@example.com", "ann@example.com"])
    assert len(smtp.mails) == 1  # one e-mail for the owners together
    mail = smtp.mails[0]
    assert sorted(mail.recipients) == ["ann@example.com", "web@example.com"]
    assert mail.subject == "tfguard: subject" and "body line" in mail.body


def test_webhook_with_a_secret_from_the_environment(monkeypatch):
    hook = WebhookReceiver().start()
    try:
        monkeypatch.setenv("HOOK_TOKEN", "t0ps3cr3t")
        send(f"json://127.0.0.1:{hook.port}/hooks/tfguard?+X-Token=${{HOOK_TOKEN}}", "subject", "body")
        assert hook.posts[0]["title"] == "subject" and hook.posts[0]["message"] == "body"
        assert hook.posts[0]["headers"]["X-Token"] == "t0ps3cr3t"
    finally:
        hook.stop()


def test_failures_never_show_the_secret(monkeypatch):
    hook = WebhookReceiver()  # not started: connection refused
    monkeypatch.setenv("HOOK_PASSWORD", "hunter2hunter2")
    with pytest.raises(NotifyError) as err:
        send(f"json://user:${{HOOK_PASSWORD}}@127.0.0.1:{hook.port}/h", "s", "b")
    assert "hunter2" not in err.value.line() and "delivery failed" in err.value.message
    with pytest.raises(NotifyError, match="HOOK_MISSING is not set"):
        send("json://127.0.0.1:9/h/${HOOK_MISSING}", "s", "b")


def test_retries_with_exponential_backoff():
    waits: list[float] = []
    hook = WebhookReceiver()
    with pytest.raises(NotifyError):
        send_with_retry(hook.url, "s", "b", (), DeliverySettings(attempts=4, backoff_seconds=1.5), sleep=waits.append)
    assert waits == [1.5, 3.0, 6.0]


def test_a_receiver_down_then_up_loses_nothing(tmp_path, smtp):
    """The webhook is down on the first run: its message stays queued (the e-mail goes); the next run delivers."""
    store = FileStore(tmp_path / "ledger.json")
    hook = WebhookReceiver()
    web = Workload(name="web", owners=WEB.owners, notify=(smtp.url, hook.url))
    update = plan({"web": [failed("web", "aws_s3_bucket.logs")]}, [web], {"S3-901": G}, {"S3-901": D("2026-04-01")},
                  D("2026-03-02"), Context())
    store.update(update)
    first = flush(store, FAST)
    assert [m["target"] for m in first.delivered] == [smtp.url]
    assert [m["target"] for m, _ in first.failed] == [hook.url] and first.still_queued == 1
    queued = store.read().outbox()[0]
    assert queued["attempts"] == 1 and "delivery failed" in queued["last_error"]
    assert len(smtp.mails) == 1 and hook.posts == []

    store.update(update)  # the next run plans the same situation: nothing new is queued
    hook.start()
    try:
        second = flush(store, FAST)
        assert [m["target"] for m in second.delivered] == [hook.url] and second.still_queued == 0
        assert len(hook.posts) == 1 and "aws_s3_bucket.logs" in hook.posts[0]["message"]
        assert len(smtp.mails) == 1  # the delivered e-mail was not sent again
        assert flush(store, FAST).delivered == []
    finally:
        hook.stop()
    delivered = store.read().delivered()
    assert sorted(d["target"] for d in delivered) == sorted([smtp.url, hook.url])
    assert "hunter" not in json.dumps(store.read().doc)
