"""tfguard status: guardrails pending activation with deadlines and days left, noncompliant workloads per
guardrail, exclusions expiring soon, and messages still waiting for delivery."""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from runner import clock
from runner.commands._common import repo_root
from runner.commands.observe import add_ledger_argument
from runner.config import load_config
from runner.console import Output
from runner.workflow.ledger import FileStore, Ledger, Store, open_store

NAME = "status"
HELP = ("Show guardrails pending activation (deadlines, days left), noncompliant workloads per guardrail, "
        "exclusions expiring soon and undelivered notifications.")
NONCOMPLIANT = ("failed", "unknown", "error")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", default=".", metavar="DIR", help="compliance repository root (default: .)")
    parser.add_argument("--remote", default="origin", help="the compliance repository's remote (default: origin)")
    parser.add_argument("--expiring-within", type=int, metavar="DAYS",
                        help="exclusions expiring within DAYS (default: exclusions.warning_days, 14)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_ledger_argument(parser)


def _exclusions(root: Path, within: int) -> tuple[list[dict[str, Any]], list[str]]:
    from runner.exclusions.registry import read_registry

    registry, problems = read_registry(root)
    today = clock.today()
    soon = [
        {"id": e.id, "workload": e.workload, "guardrail": e.guardrail, "resource": e.resource,
         "expires": e.expires.isoformat(), "days_left": e.days_left(today), "ticket": e.ticket}
        for e in registry.all
        if e.approved(registry.approvers) and not e.expired(today) and e.days_left(today) <= within
    ]
    return sorted(soon, key=lambda x: (x["expires"], x["id"])), [p.text() for p in problems]


def collect(ledger: Ledger, root: Path, within: int) -> dict[str, Any]:
    noncompliant: dict[str, list[dict[str, str]]] = defaultdict(list)
    for (gid, workload), (status, since) in sorted(ledger.latest_status().items()):
        if status in NONCOMPLIANT:
            noncompliant[gid].append({"workload": workload, "status": status, "since": since})
    pending = ledger.pending(clock.today())
    for p in pending:
        p["noncompliant"] = [n["workload"] for n in noncompliant.get(p["guardrail"], [])]
    exclusions, problems = _exclusions(root, within)
    outbox = [{"workload": m["workload"], "kind": m["kind"], "target": m["target"], "attempts": m.get("attempts", 0),
               "last_error": m.get("last_error", ""), "created": m.get("created", "")} for m in ledger.outbox()]
    return {"today": clock.today().isoformat(), "pending": pending, "noncompliant": dict(noncompliant),
            "expiring_exclusions": exclusions, "queued_notifications": outbox,
            "promotions": ledger.promotions()[-5:], "problems": problems}


def _days(n: int) -> str:
    return f"{n} days left" if n >= 0 else f"overdue by {-n} days"


def ledger_note(store: Store) -> str:
    """Why a ledger may be empty: a local file outside CI holds only what was observed on this machine."""
    in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    if isinstance(store, FileStore) and not in_ci:
        return ("a local file ledger, empty by design until `tfguard observe` runs here: the pipeline's ledger is "
                "on the ledger branch (tfguard status --ledger git)")
    return ""


def render(doc: dict[str, Any], within: int, ledger: str = "") -> str:
    lines = [f"Ledger: {ledger}" + (f" ({doc['ledger_note']})" if doc.get("ledger_note") else ""), ""] if ledger else []
    lines.append("Guardrails pending activation")
    if not doc["pending"]:
        lines.append("  none")
    for p in doc["pending"]:
        who = ", ".join(p["noncompliant"]) or "all workloads compliant"
        lines.append(f"  {p['guardrail']:<12} deadline {p['deadline']} ({_days(p['days_left'])}), first observed "
                     f"{p['first_observed']} on {p['branch']}: {who}")
    lines += ["", "Noncompliant workloads per guardrail (latest observation)"]
    if not doc["noncompliant"]:
        lines.append("  none")
    for gid, rows in doc["noncompliant"].items():
        lines.append(f"  {gid:<12} " + ", ".join(f"{r['workload']} ({r['status']} since {r['since']})" for r in rows))
    lines += ["", f"Exclusions expiring within {within} days"]
    if not doc["expiring_exclusions"]:
        lines.append("  none")
    for e in doc["expiring_exclusions"]:
        ticket = f", ticket {e['ticket']}" if e["ticket"] else ""
        lines.append(f"  {e['id']:<10} {e['workload']} {e['guardrail']} {e['resource']}: expires {e['expires']} "
                     f"({_days(e['days_left'])}{ticket})")
    if doc["queued_notifications"]:
        lines += ["", "Notifications waiting for delivery"]
        for m in doc["queued_notifications"]:
            lines.append(f"  {m['workload']} {m['kind']} -> {m['target']}: {m['attempts']} attempt(s)"
                         + (f", last error: {m['last_error']}" if m["last_error"] else ""))
    for problem in doc["problems"]:
        lines.append(f"warning: {problem}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, output: Output) -> int:
    root = repo_root(args.repo)
    config = load_config(root)
    within = args.expiring_within if args.expiring_within is not None else config.exclusions.warning_days
    store = open_store(root, args.ledger, config.observation.ledger_branch, args.remote)
    doc = {"ledger": store.description, "ledger_note": ledger_note(store), **collect(store.read(), root, within)}
    output.raw(json.dumps(doc, indent=2) if args.format == "json" else render(doc, within, store.description))
    return 0
