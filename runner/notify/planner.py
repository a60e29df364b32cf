"""Deciding who is told what: one message per noncompliant workload, never twice for the same finding set,
again when the set changes, and reminders at configured days before the deadline.

`plan` returns a ledger update (see runner.workflow.ledger: it may run more than once, so it decides from the
ledger it is given): it queues the messages in the ledger's outbox and records what each workload was
told. Delivery is runner.notify.delivery.flush."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from runner.model import Guardrail, Result, Workload
from runner.notify.message import Context, Message, compose, failing, fingerprint
from runner.workflow.ledger import Ledger
from runner.workloads.registry import mail_recipients


@dataclass(frozen=True)
class Planned:
    message: Message
    targets: tuple[str, ...]


def targets_of(workload: Workload, default: Sequence[str]) -> tuple[str, ...]:
    return tuple(workload.notify) or tuple(default)


def _entries(planned: Message, workload: Workload, targets: Sequence[str], today: date, marker: str) -> list[dict]:
    out = []
    for target in targets:
        key = f"{planned.workload}\0{planned.kind}\0{planned.fingerprint}\0{marker}\0{target}"
        out.append({
            "id": hashlib.sha256(key.encode()).hexdigest()[:24], "workload": planned.workload, "kind": planned.kind,
            "target": target, "recipients": mail_recipients(workload), "subject": planned.subject,
            "body": planned.body, "fingerprint": planned.fingerprint, "created": today.isoformat(),
        })
    return out


def _earliest(results: Sequence[Result], deadlines: Mapping[str, date]) -> date | None:
    return min((deadlines[r.guardrail_id] for r in results if r.guardrail_id in deadlines), default=None)


def plan(blocking: Mapping[str, Sequence[Result]], workloads: Sequence[Workload], guardrails: Mapping[str, Guardrail],
         deadlines: Mapping[str, date], today: date, ctx: Context, default_targets: Sequence[str] = (),
         activated: bool = False) -> Callable[[Ledger], list[Planned]]:
    """The ledger update that queues this run's messages; it returns what it queued.

    blocking: per workload, its results on the guardrails pending activation that are not compliant.
    activated: the guardrails were just activated despite these findings (after the deadline)."""

    def update(ledger: Ledger) -> list[Planned]:
        queued: list[Planned] = []
        for w in workloads:
            fails = failing(blocking.get(w.name, ()))
            state = ledger.notification_state(w.name)
            targets = targets_of(w, default_targets)
            if not fails:
                if state.get("fingerprint"):
                    state.update({"fingerprint": "", "reminders": [], "resolved": today.isoformat()})
                continue
            message = _decide(w, fails, state, guardrails, deadlines, today, ctx, activated)
            if message is None:
                continue
            state["targets"] = list(targets)
            if not targets:
                state["unreachable"] = "no notification targets"
                continue
            marker = state.get("marker", "")
            added = False
            for entry in _entries(message, w, targets, today, marker):
                added = ledger.enqueue(entry) or added
            if added:
                queued.append(Planned(message, targets))
        return queued

    return update


def _decide(w: Workload, fails: Sequence[Result], state: dict, guardrails: Mapping[str, Guardrail],
            deadlines: Mapping[str, date], today: date, ctx: Context, activated: bool) -> Message | None:
    """The message this workload is due, updating its notification state; None when nothing is due."""
    first = _earliest(fails, deadlines)
    days_left = (first - today).days if first else None
    passed = [d for d in ctx.reminder_days if days_left is not None and days_left <= d]
    fp = fingerprint(fails, deadlines)
    if activated:
        if state.get("activated") == fp:
            return None
        state.update({"activated": fp, "marker": f"activated:{today.isoformat()}"})
        return compose(w, fails, guardrails, deadlines, today, "activated", ctx)
    if fp != state.get("fingerprint"):
        state.update({"fingerprint": fp, "notified": today.isoformat(), "reminders": passed,
                      "deadline": first.isoformat() if first else "", "marker": f"findings:{today.isoformat()}"})
        return compose(w, fails, guardrails, deadlines, today, "findings", ctx)
    due = [d for d in passed if d not in state.get("reminders", []) and days_left is not None and days_left >= 0]
    if not due:
        return None
    state["reminders"] = sorted(set(state.get("reminders", [])) | set(due), reverse=True)
    state["marker"] = f"reminder:{min(due)}:{state.get('notified', '')}"
    return compose(w, fails, guardrails, deadlines, today, "reminder", ctx)
