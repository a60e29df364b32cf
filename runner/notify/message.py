"""What a workload's owners are told: one message per workload, plain text that reads well in e-mail
and chat alike."""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from runner.model import Guardrail, Result, Status, Workload

KINDS = ("findings", "reminder", "activated")
MAX_ADDRESSES = 25  # per guardrail in one message; the rest is counted


@dataclass(frozen=True)
class Message:
    workload: str
    kind: str  # findings | reminder | activated
    subject: str
    body: str
    fingerprint: str  # the finding set this message is about


@dataclass(frozen=True)
class Context:
    """Where the message comes from, for its footer and the exclusion-request hint."""

    branch: str = ""
    observation: str = ""  # observation digest
    reminder_days: Sequence[int] = (7, 1)
    request_command: str = "tfguard exclusions request"


def failing(results: Sequence[Result]) -> list[Result]:
    return [r for r in results if r.status in (Status.FAILED, Status.UNKNOWN)]  # unknown: not shown compliant


def fingerprint(results: Sequence[Result], deadlines: Mapping[str, date]) -> str:
    """Identifies a finding set: guardrails, their failing addresses and deadlines. Same set, same print."""
    items = sorted(
        (r.guardrail_id, sorted({f.address for f in r.violations + r.unknowns} |
                                {m for m in r.messages if not r.violations}),
         deadlines[r.guardrail_id].isoformat() if r.guardrail_id in deadlines else "")
        for r in failing(results)
    )
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:32] if items else ""


def _days(n: int) -> str:
    if n < 0:
        return f"{-n} day{'s' if n != -1 else ''} ago"
    if n == 0:
        return "today"
    return f"{n} day{'s' if n != 1 else ''} left"


def _guardrail_block(g: Guardrail, r: Result, deadline: date | None, today: date, workload: str,
                     ctx: Context) -> list[str]:
    head = f"[{g.severity.value}] {g.id}: {g.title}"
    if deadline:
        head += f" (deadline {deadline.isoformat()}, {_days((deadline - today).days)})"
    lines = [head]
    addresses = sorted({f.address for f in r.violations if f.address})
    if addresses:
        lines.append("  Failing resources:")
        lines += [f"    - {a}" for a in addresses[:MAX_ADDRESSES]]
        if len(addresses) > MAX_ADDRESSES:
            lines.append(f"    … and {len(addresses) - MAX_ADDRESSES} more (see the observation report)")
    unknown = sorted({f.address for f in r.unknowns if f.address})
    if unknown:
        lines.append("  Unknown at plan time (values known only after apply; make them known, or ask for an exclusion):")
        lines += [f"    - {a}" for a in unknown[:MAX_ADDRESSES]]
    unnamed = [f.message for f in r.violations if not f.address] + list(r.messages)
    for text in unnamed[:3]:
        lines.append(f"  Engine message: {text.splitlines()[0] if text else ''}")
    if g.remediation:
        lines.append(f"  How to fix: {g.remediation}")
    if g.controls:
        lines.append(f"  Controls: {', '.join(g.controls)}")
    expired = sorted({f.expired_exclusion.id for f in r.violations if f.expired_exclusion})
    if expired:
        lines.append(f"  Expired exclusions: {', '.join(expired)}")
    example = addresses[0] if addresses else "ADDRESS"
    lines.append("  Exception with a good reason: " + " ".join([
        ctx.request_command, "--workload", shlex.quote(workload), "--guardrail", shlex.quote(g.id),
        "--resource", shlex.quote(example), "--reason", "'…'", "--expires", "YYYY-MM-DD", "[--ticket …]"]))
    return lines


def compose(workload: Workload, results: Sequence[Result], guardrails: Mapping[str, Guardrail],
            deadlines: Mapping[str, date], today: date, kind: str, ctx: Context) -> Message:
    """The message for one workload about its failing results on guardrails pending activation."""
    fails = sorted(failing(results), key=lambda r: (deadlines.get(r.guardrail_id, date.max), r.guardrail_id))
    first = min((deadlines[r.guardrail_id] for r in fails if r.guardrail_id in deadlines), default=None)
    count = len(fails)
    noun = f"{count} guardrail{'s' if count != 1 else ''}"
    if kind == "activated":
        subject = f"tfguard: {noun} now active for {workload.name}: deploys with these findings are blocked"
        intro = [f"These guardrails are now active: `tfguard enforce` in the pipeline of {workload.name} fails",
                 "on the findings below until they are fixed or excluded."]
    elif kind == "reminder":
        left = (first - today).days if first else 0
        subject = f"tfguard reminder: {workload.name}: {noun} become active in {left} day{'s' if left != 1 else ''}"
        when = first.isoformat() if first else "their deadline"
        intro = [f"Reminder: {workload.name} still does not meet {noun} that will become active on {when}."]
    else:
        subject = f"tfguard: {workload.name} does not meet {noun} pending activation"
        intro = [f"The security team is activating new guardrails. {workload.name} does not meet {noun} yet.",
                 "They run in observation mode for now: nothing blocks your deploys before the deadline. After it,",
                 "the `tfguard enforce` step of your pipeline fails on these findings."]
    owners = ", ".join(o.name for o in workload.owners) or "owners"
    lines = [f"Hello {owners},", "", *intro, ""]
    if first:
        lines += [f"Deadline: {first.isoformat()} ({_days((first - today).days)})", ""]
    for r in fails:
        g = guardrails.get(r.guardrail_id)
        if g is None:
            g = Guardrail(id=r.guardrail_id, title=r.guardrail_id, file="", line=0)
        lines += _guardrail_block(g, r, deadlines.get(r.guardrail_id), today, workload.name, ctx) + [""]
    if kind != "activated":
        lines.append("To fix: change the Terraform as described, and the next observation sees it. To ask for an")
        lines.append("exception, run the command shown in a clone of the compliance repository (the security")
        lines.append("team approves it by pull request).")
        days = [str(d) for d in ctx.reminder_days]
        when = " and ".join([", ".join(days[:-1]), days[-1]] if len(days) > 1 else days)
        lines.append("You hear again when these findings change" +
                     (f", and {when} day{'s' if days != ['1'] else ''} before the deadline." if days else "."))
    footer = "-- tfguard observation"
    if ctx.branch:
        footer += f" of branch {ctx.branch}"
    if ctx.observation:
        footer += f" ({ctx.observation[:12]})"
    lines += ["", footer]
    return Message(workload.name, kind, subject, "\n".join(lines) + "\n", fingerprint(fails, deadlines))
