"""A delivery killed mid-flight does not hold its messages for the lease (900 s): the claim records host,
pid and process start, and the next run sees the claimer dead and delivers at once.

For real: a child process claims the outbox of a file ledger and hangs on a webhook that accepts the
connection and never answers; it is SIGKILLed; the next flush, in this process, delivers to a real HTTP
receiver on the same port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from receivers import WebhookReceiver, free_port

from runner.notify.delivery import DeliverySettings, claimer, claimer_is_dead, flush, this_host
from runner.workflow.ledger import FileStore, Ledger

CHILD = """
import sys
from pathlib import Path
from runner.notify.delivery import DeliverySettings, flush
from runner.workflow.ledger import FileStore
flush(FileStore(Path(sys.argv[1])), DeliverySettings(attempts=1, backoff_seconds=0.01))
"""


def _queue(store: FileStore, url: str) -> None:
    message = {"id": "msg-1", "workload": "web", "kind": "noncompliant", "target": url, "subject": "tfguard: S3-901",
               "body": "aws_s3_bucket.logs has no owner tag", "fingerprint": "f1", "recipients": []}
    store.update(lambda lg: lg.enqueue(message))


def _claimed(path: Path) -> dict | None:
    try:
        msg = json.loads(path.read_text())["outbox"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None
    return msg if msg.get("claimed_by") else None


def test_a_killed_delivery_is_taken_over_at_once(tmp_path: Path) -> None:
    port = free_port()
    silent = socket.socket()
    silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    silent.bind(("127.0.0.1", port))
    silent.listen(8)  # accepts connections, never answers: the child hangs inside its delivery
    path = tmp_path / "ledger.json"
    store = FileStore(path)
    url = f"json://127.0.0.1:{port}/hooks/tfguard"
    _queue(store, url)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while (claim := _claimed(path)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert claim is not None, "the child never claimed the outbox"
        assert claim["claimed_pid"] == child.pid and claim["claimed_host"] == this_host()
        assert claim["claimed_until"] > time.time() + 800  # the default lease: 900 s
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
        silent.close()
    assert store.read().outbox()[0]["claimed_by"]  # the dead run's claim is still in the ledger

    hook = WebhookReceiver(port=port).start()
    try:
        report = flush(store, DeliverySettings(attempts=1, backoff_seconds=0.01))
    finally:
        hook.stop()
    assert [m["id"] for m in report.delivered] == ["msg-1"] and report.still_queued == 0
    assert len(hook.posts) == 1 and "owner tag" in hook.posts[0]["message"]


def test_a_live_claimer_or_one_on_another_host_keeps_its_claim(tmp_path: Path) -> None:
    me = claimer()
    assert not claimer_is_dead(me)  # this very process
    assert not claimer_is_dead({**me, "claimed_host": "elsewhere/boot"})  # cannot be judged: the lease runs
    assert claimer_is_dead({**me, "claimed_started": me["claimed_started"] + 1})  # the pid now names another process
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert claimer_is_dead({**me, "claimed_pid": int(gone.stdout)})

    ledger = Ledger()
    ledger.enqueue({"id": "m", "workload": "web", "kind": "k", "target": "json://x", "subject": "s", "body": "b"})
    first = ledger.claim("other-run", 900, time.time(), {**me, "claimed_host": "elsewhere/boot"}, claimer_is_dead)
    assert len(first) == 1
    assert ledger.claim("this-run", 900, time.time(), me, claimer_is_dead) == []  # held by a host we cannot judge
