"""Delivery through apprise: secrets expanded at the last moment, retries with backoff, and an outbox in
the ledger so that a message a channel could not take is tried again on the next run, never lost."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from runner import clock
from runner.errors import NotifyError
from runner.retry import backoff
from runner.workflow.ledger import Ledger, Store
from runner.workloads import secretrefs


@dataclass(frozen=True)
class DeliverySettings:
    """tfguard.yaml `notify:` (all optional)."""

    attempts: int = 3  # per message and run
    backoff_seconds: float = 2.0  # first wait; doubles each retry
    max_backoff_seconds: float = 60.0
    lease_seconds: int = 900  # a run's claim on queued messages expires after this
    default: tuple[str, ...] = ()  # targets for workloads without `notify:` (e.g. the company SMTP relay)

    @classmethod
    def from_config(cls, raw: Mapping[str, Any] | None) -> DeliverySettings:
        raw = raw or {}
        return cls(
            attempts=max(1, int(raw.get("attempts", 3))),
            backoff_seconds=float(raw.get("backoff_seconds", 2.0)),
            max_backoff_seconds=float(raw.get("max_backoff_seconds", 60.0)),
            lease_seconds=int(raw.get("lease_seconds", 900)),
            default=tuple(str(u) for u in raw.get("default") or ()),
        )


def with_recipients(url: str, recipients: Sequence[str]) -> str:
    """A mailto(s):// URL without `to=` goes to the owners: the first as `to`, the others as `cc`, so the
    owners get one e-mail together."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("mailto", "mailtos") or not recipients:
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k.lower() == "to" for k, _ in query):
        return url
    query.append(("to", recipients[0]))
    if len(recipients) > 1:
        query.append(("cc", ",".join(recipients[1:])))
    return urlunsplit(parts._replace(query=urlencode(query, safe="@,")))


def send(target: str, subject: str, body: str, recipients: Sequence[str] = (),
         env: Mapping[str, str] | None = None, where: str = "") -> None:
    """Send one message to one apprise target (a URL template with ${VAR} references)."""
    import apprise

    where = where or target
    url = with_recipients(secretrefs.expand(target, env, where=where), recipients)
    names = secretrefs.refs(target)
    notifier = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING) as log:
        if not notifier.add(url):
            raise NotifyError("apprise cannot use this notification URL", where=where,
                              hint="check it with `tfguard workloads validate`")
        ok = notifier.notify(title=subject, body=body)
        captured = log.getvalue() if hasattr(log, "getvalue") else ""
    if not ok:
        detail = _last_warning(captured)
        detail = secretrefs.redact_values(detail, env, names)
        raise NotifyError(f"delivery failed{': ' + detail if detail else ''}", where=where)


def _last_warning(text: str) -> str:
    lines = [ln.split(" - ", 2)[-1].strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else ""


def send_with_retry(target: str, subject: str, body: str, recipients: Sequence[str], settings: DeliverySettings,
                    env: Mapping[str, str] | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
    """Try `settings.attempts` times, waiting backoff, 2x backoff, … between tries; raise the last error."""
    last: NotifyError | None = None
    for attempt in range(settings.attempts):
        try:
            send(target, subject, body, recipients, env)
            return
        except NotifyError as exc:
            last = exc
            if "not set" in exc.message or "cannot use" in exc.message:
                break  # configuration problems do not heal by waiting
            if attempt + 1 < settings.attempts:
                sleep(backoff(attempt, settings.backoff_seconds, settings.max_backoff_seconds))
    assert last is not None
    raise last


@dataclass
class FlushReport:
    delivered: list[dict[str, Any]] = field(default_factory=list)
    failed: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    still_queued: int = 0


def this_host() -> str:
    """The machine and its current boot: a pid means something only on the host and boot it was seen on."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot = fh.read().strip()
    except OSError:
        boot = ""
    return f"{socket.gethostname()}/{boot}" if boot else socket.gethostname()


def process_started(pid: int) -> int:
    """When process `pid` started (clock ticks since boot, /proc/<pid>/stat field 22), or 0 when unknown:
    told apart from a later process that got the same pid."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return 0


def claimer() -> dict[str, Any]:
    """Who is claiming: recorded in each claimed message, so that the next run can tell a dead claimer."""
    pid = os.getpid()
    return {"claimed_host": this_host(), "claimed_pid": pid, "claimed_started": process_started(pid)}


def claimer_is_dead(msg: Mapping[str, Any]) -> bool:
    """True when the message's claim was made on this host (and boot) by a process that is gone, or whose
    pid now belongs to another process. A claim from another host is never judged: its lease runs."""
    pid, started = msg.get("claimed_pid"), msg.get("claimed_started")
    if msg.get("claimed_host") != this_host() or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    now_started = process_started(pid)
    return bool(started) and bool(now_started) and now_started != started


def flush(store: Store, settings: DeliverySettings, env: Mapping[str, str] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> FlushReport:
    """Deliver every queued message of the ledger's outbox (this run's and earlier runs' alike).

    Messages are claimed in the ledger first (compare-and-swap), so two runs flushing at once do not
    both send one message. A claim records host, pid and process start: a run killed mid-delivery on
    this host is seen dead by the next run, which delivers at once; a claim from another host expires
    after `lease_seconds`."""
    owner = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    me = claimer()
    claimed = store.update(lambda lg: lg.claim(owner, settings.lease_seconds, time.time(), me, claimer_is_dead),
                           "claim outbox")
    report = FlushReport()
    delivered: dict[str, str] = {}
    failed: dict[str, str] = {}
    for msg in claimed:
        try:
            send_with_retry(msg["target"], msg["subject"], msg["body"], msg.get("recipients", ()), settings, env,
                            sleep)
        except NotifyError as exc:
            failed[msg["id"]] = exc.message
            report.failed.append((msg, exc.message))
        else:
            delivered[msg["id"]] = clock.now_iso()
            report.delivered.append(msg)
    if claimed:
        def settle(lg: Ledger) -> int:
            lg.settle(owner, delivered, failed)
            return len(lg.outbox())

        report.still_queued = store.update(settle, f"delivered {len(delivered)}, failed {len(failed)}")
    else:
        report.still_queued = len(store.read().outbox())
    return report
