"""Steps for lifecycle.feature: a real compliance repository with a bare remote (tests/lifecycle.py), the
real `tfguard` CLI, and a real local SMTP server receiving the owners' e-mail."""

import json
import shutil
import sys
import tempfile
from pathlib import Path

from behave import given, then, when

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from helpers import git, tfguard
from lifecycle import OWNERS, TODAY, WORKLOADS, build
from receivers import SmtpReceiver

ENV = {"GIT_AUTHOR_NAME": "tfguard acceptance", "GIT_AUTHOR_EMAIL": "acceptance@example.com",
       "GIT_COMMITTER_NAME": "tfguard acceptance", "GIT_COMMITTER_EMAIL": "acceptance@example.com",
       "GIT_CONFIG_NOSYSTEM": "1"}


def _cli(context, *args, today=TODAY):
    return tfguard(*args, "--ledger", "git", cwd=context.repo.work, env={**ENV, "TFGUARD_TODAY": today})


@given("a compliance repository whose mainline has one guardrail and three registered workloads")
def step_repository(context):
    import os

    os.environ.update(ENV)  # git commands of the fixture itself
    context.smtp = SmtpReceiver().start()
    context.add_cleanup(context.smtp.stop)
    context.tmp = Path(tempfile.mkdtemp(prefix="tfguard-lifecycle-"))
    context.add_cleanup(shutil.rmtree, context.tmp, ignore_errors=True)
    context.noncompliant = {}


def _repo(context):
    if not hasattr(context, "repo"):
        context.repo = build(context.tmp, compliant={w: not context.noncompliant.get(w) for w in WORKLOADS},
                             notify={w: [context.smtp.url] for w in WORKLOADS})
        context.repo.add_guardrail_branch()
    return context.repo


@given('a feature branch that adds the guardrail "{gid}"')
def step_branch(context, gid):
    context.guardrail = gid  # the branch is created once the workloads' plans are known


@given('the workload "{workload}" does not comply with "{gid}"')
def step_noncompliant(context, workload, gid):
    context.noncompliant[workload] = True


@given('the branch adds an approved exclusion of "{address}" of "{workload}"')
def step_exclusion(context, address, workload):
    _repo(context).add_exclusion(workload, address)


@when("the pipeline observes the branch")
def step_observe(context):
    _repo(context)
    context.observed = _cli(context, "observe")


@when("the pipeline promotes the observation")
def step_promote(context):
    context.promoted = _cli(context, "promote", "--self-tests-passed")
    assert context.promoted.code == 0, context.promoted.stderr


@when("the pipeline observes the branch again the next day")
def step_observe_again(context):
    context.observed = _cli(context, "observe", today="2026-03-03")
    assert context.observed.code == 0, context.observed.stderr


@when("the pipeline promotes the observation again the next day")
def step_promote_again(context):
    context.promoted = _cli(context, "promote", "--self-tests-passed", today="2026-03-03")
    assert context.promoted.code == 0, context.promoted.stderr


@when('the security team activates it after the deadline with the reason "{reason}" on "{day}"')
def step_after_deadline(context, reason, day):
    context.promoted = _cli(context, "promote", "--self-tests-passed", "--after-deadline", "--reason", reason,
                            today=day)


@then("the observation exits with {code:d}")
def step_observation_exit(context, code):
    assert context.observed.code == code, (context.observed.code, context.observed.stderr)


@then('mainline on the remote has the guardrail "{gid}"')
def step_has(context, gid):
    assert context.promoted.code == 0, context.promoted.stderr
    text = context.repo.remote_file("main", "features/storage.feature") or ""
    assert f"@id:{gid}" in text, context.promoted.stdout


@then('mainline on the remote does not have the guardrail "{gid}"')
def step_has_not(context, gid):
    assert context.repo.remote_file("main", "features/storage.feature") is None


@then('the ledger records "{gid}" as active')
def step_ledger(context, gid):
    doc = json.loads(git(context.repo.remote, "show", "tfguard-ledger:ledger.json"))
    assert doc["guardrails"][gid]["state"] == "active"


@then('exactly one e-mail went out, to the owners of "{workload}"')
def step_one_mail(context, workload):
    mails = context.smtp.mails
    assert len(mails) == 1, [m.recipients for m in mails]
    assert sorted(mails[0].recipients) == sorted(c for _, c in OWNERS[workload])
    context.mail = mails[0]


@then('it names "{address}", the deadline "{deadline}" and how to request an exclusion')
def step_mail_content(context, address, deadline):
    body = context.mail.body
    assert address in body and f"Deadline: {deadline}" in body and "tfguard exclusions request" in body, body


@then("still exactly one e-mail went out")
def step_still_one(context):
    assert len(context.smtp.mails) == 1


@then("no e-mail went out")
def step_no_mail(context):
    assert context.smtp.mails == []


@then('the promotion is refused because "{gid}" is due "{deadline}"')
def step_refused(context, gid, deadline):
    assert context.promoted.code == 2
    assert f"refusing to activate before the deadline: {gid} is due {deadline}" in context.promoted.stderr


@then('the merge commit on mainline records the reason "{reason}"')
def step_reason(context, reason):
    message = git(context.repo.remote, "log", "-1", "--format=%B", "main")
    assert f"Reason: {reason}" in message and "Tfguard-Observation:" in message, message
