"""Owner notification: message composition (message), who is due what (planner), delivery through
apprise with retries and the ledger's outbox (delivery)."""

from __future__ import annotations

from runner.notify.delivery import (
    DeliverySettings,
    FlushReport,
    flush,
    send,
    send_with_retry,
    with_recipients,
)
from runner.notify.message import Context, Message, compose, fingerprint
from runner.notify.planner import Planned, plan

__all__ = [
    "Context", "DeliverySettings", "FlushReport", "Message", "Planned", "compose", "fingerprint", "flush", "plan",
    "send", "send_with_retry", "with_recipients",
]
