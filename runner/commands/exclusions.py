"""tfguard exclusions validate|request|list: the registry of approved exceptions (docs/exclusions.md)."""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path
from typing import Any

from runner import clock
from runner.config import load_config
from runner.console import Output
from runner.errors import UsageError
from runner.exclusions.changes import changed_files, summary
from runner.exclusions.registry import Exclusion, read_registry
from runner.exclusions.request import (
    ExclusionRequest,
    RequestOutcome,
    open_repo,
    parse_expires,
    submit_request,
)
from runner.exclusions.validate import known_workloads, validate_repository
from runner.forge.github import forge_from_config
from runner.problems import ERROR, Problem

NAME = "exclusions"
HELP = "Validate, request and list exclusions (approved exceptions to guardrails)."
STATES = ("pending", "active", "expiring", "expired")
_WITHIN_RE = re.compile(r"^([0-9]+)\s*([dw]?)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    _validate_arguments(sub.add_parser("validate", help="check the registry (run on every exclusion pull "
                                                        "request); exit 1 on errors"))
    _request_arguments(sub.add_parser("request", help="ask for an exclusion: branch, commit and push the entry "
                                                      "for security review"))
    _list_arguments(sub.add_parser("list", help="show exclusions, their state and expiry"))


def _repo_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", "--rules-root", dest="repo", default=".", metavar="DIR",
                        help="root of the compliance repository (tfguard.yaml, exclusions/; default: .)")


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    _repo_argument(parser)
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="report only problems in these registry files (e.g. the ones a pull request "
                             "changes); the whole registry is still read, for duplicate ids")
    parser.add_argument("--features", metavar="DIR", help="guardrails (default: REPO/features)")
    parser.add_argument("--plan", action="append", default=[], metavar="WORKLOAD=PLAN",
                        help="current plan of a workload, for the stale-pattern check (repeatable; default: "
                             "the plans named by the workload registry)")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="github: workflow commands that annotate the pull request's files")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    parser.add_argument("--changed-since", metavar="REF",
                        help="check only the registry files this branch changed since REF (the pull request's "
                             "base, e.g. main or origin/main); the whole registry is still read")
    parser.add_argument("--remote", default="origin", help="where --changed-since REF is looked up when it is no "
                                                           "local ref (default: origin)")
    parser.add_argument("--summary", metavar="FILE",
                        help="also write the outcome as Markdown to FILE (for a pull request comment or the job "
                             "summary)")


def _request_arguments(parser: argparse.ArgumentParser) -> None:
    _repo_argument(parser)
    parser.add_argument("--workload", required=True, help="the workload (exclusions/<workload>.yaml)")
    parser.add_argument("--guardrail", required=True, metavar="ID", help="the guardrail id, e.g. S3-001")
    parser.add_argument("--resource", required=True, metavar="ADDRESS",
                        help="resource address as Terraform prints it, or a pattern (`*`, `**`)")
    parser.add_argument("--reason", required=True, help="why the guardrail cannot be met yet")
    parser.add_argument("--expires", required=True, metavar="DATE",
                        help="YYYY-MM-DD, or a duration from today (30d, 6w); at most the maximum lifetime")
    parser.add_argument("--ticket", default="", help="tracking ticket of the remediation, e.g. SEC-1234")
    parser.add_argument("--requested-by", metavar="WHO", help="default: git config user.email")
    parser.add_argument("--id", dest="exclusion_id", default="", metavar="ID", help="default: the next free id")
    parser.add_argument("--remote", default="origin", help="the compliance repository's remote (default: origin)")
    parser.add_argument("--base", metavar="BRANCH", help="branch the pull request targets (default: the mainline "
                                                         "of tfguard.yaml, main)")
    parser.add_argument("--no-pr", action="store_true",
                        help="do not open the pull request through the forge API even when it is configured")
    parser.add_argument("--dry-run", action="store_true", help="show the change; commit and push nothing")


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    _repo_argument(parser)
    parser.add_argument("--workload", metavar="NAME", help="only this workload")
    parser.add_argument("--expiring-within", metavar="DAYS",
                        help="only exclusions still in force that expire within this many days (14d, 2w, 14)")
    parser.add_argument("--state", action="append", choices=STATES, help="only these states (repeatable)")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace, output: Output) -> int:
    if not Path(args.repo).is_dir():
        raise UsageError(f"--repo {args.repo!r} is not a directory")
    return {"validate": run_validate, "request": run_request, "list": run_list}[args.action](args, output)


# --- validate ---------------------------------------------------------------------------------------


def _plan_arguments(values: list[str]) -> dict[str, str | None]:
    plans: dict[str, str | None] = {}
    for value in values:
        workload, sep, path = value.partition("=")
        if not sep or not workload or not path:
            raise UsageError(f"--plan {value!r} must be WORKLOAD=PATH")
        plans[workload] = path
    return plans


def run_validate(args: argparse.Namespace, output: Output) -> int:
    root = Path(args.repo)
    changed = None
    if args.changed_since:
        if args.files:
            raise UsageError("give either FILE arguments or --changed-since, not both")
        changed = changed_files(root, args.changed_since, args.remote)
        output.info(f"registry files changed since {args.changed_since}: {', '.join(changed) or 'none'}")
    checked = validate_repository(root, args.features or root / "features", _plan_arguments(args.plan),
                                  args.files if changed is None else changed, clock.today(),
                                  only_files=changed is not None)
    _print_problems(list(checked.problems), list(checked.notes), checked.entries, args.format, output)
    if args.summary:
        Path(args.summary).write_text(summary(checked, changed, args.changed_since, args.strict), encoding="utf-8")
    failing = [p for p in checked.problems if p.level == ERROR or args.strict]
    return 1 if failing else 0


def _print_problems(problems: list[Problem], notes: list[str], entries: tuple[Exclusion, ...], fmt: str,
                    output: Output) -> None:
    errors = sum(p.level == ERROR for p in problems)
    if fmt == "json":
        output.raw(json.dumps({"problems": [_problem_doc(p) for p in problems], "notes": notes,
                               "exclusions": len(entries), "errors": errors,
                               "warnings": len(problems) - errors}, indent=2))
        return
    for note in notes:
        output.warn(note)
    for p in problems:
        if fmt == "github":
            where = f"file={p.file}" + (f",line={p.line}" if p.line else "")
            output.raw(f"::{p.level} {where},title=exclusions {p.code}::{_escape(p.where + ': ' + p.message)}")
        else:
            output.print(p.text())
    verdict = "invalid" if errors else "valid"
    output.print(f"{_count(len(entries), 'exclusion')} checked: {_count(errors, 'error')}, "
                 f"{_count(len(problems) - errors, 'warning')} -> {verdict}")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _problem_doc(p: Problem) -> dict[str, Any]:
    return {"severity": p.level, "code": p.code, "where": p.where, "message": p.message, "file": p.file,
            "line": p.line, "exclusion": p.subject}


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


# --- request ------------------------------------------------------------------------------------------


def _requested_by(args: argparse.Namespace) -> str:
    if args.requested_by:
        return str(args.requested_by)
    repo, _ = open_repo(Path(args.repo))
    email = repo.config("user.email") or os.environ.get("GIT_AUTHOR_EMAIL", "")
    if not email:
        raise UsageError("who is asking? pass --requested-by, or set `git config user.email`")
    return email


def run_request(args: argparse.Namespace, output: Output) -> int:
    today = clock.today()
    req = ExclusionRequest(
        workload=args.workload, guardrail=args.guardrail, resource=args.resource, reason=args.reason,
        expires=parse_expires(args.expires, today), requested_by=_requested_by(args), ticket=args.ticket,
        exclusion_id=args.exclusion_id,
    )
    forge = None if args.no_pr or args.dry_run else forge_from_config(load_config(args.repo))
    outcome = submit_request(args.repo, req, today, known_workloads, remote=args.remote, base=args.base,
                             forge=forge, dry_run=args.dry_run)
    for warning in outcome.warnings:
        output.warn(warning)
    _print_outcome(outcome, output)
    return 0


def _print_outcome(o: RequestOutcome, output: Output) -> None:
    e = o.exclusion
    output.print(f"{'Would request' if not o.pushed else 'Requested'} {e.id}: {e.guardrail} on {e.workload} for "
                 f"{e.resource}, until {e.expires}.")
    if not o.pushed:
        output.raw(o.diff)
        output.print(f"Dry run: nothing committed or pushed (branch would be {o.branch}).")
        return
    output.print(f"Pushed branch {o.branch} to {o.remote} ({o.commit[:12]}): {e.file} gains entry {e.entry}.")
    if o.pull_request:
        output.print(f"Opened pull request #{o.pull_request.number}: {o.pull_request.url}")
    else:
        output.print(f"Next step: open a pull request from {o.branch} into {o.base} with the exclusion-request "
                     f"template" + (f":\n  {o.compare_url}" if o.compare_url else f" (remote {o.remote_url})."))
    approvers = ", ".join(o.approvers) or "none configured: set exclusions.approvers in tfguard.yaml"
    output.print(f"A security approver ({approvers}) must review it and write their name in `approved_by`. "
                 f"The exclusion applies only once that is merged into {o.base}.")


# --- list -----------------------------------------------------------------------------------------------


def _days(text: str) -> int:
    found = _WITHIN_RE.match(text.strip())
    if not found:
        raise UsageError(f"--expiring-within {text!r} must be a number of days (14, 14d or 2w)")
    return int(found.group(1)) * (7 if found.group(2) == "w" else 1)


def run_list(args: argparse.Namespace, output: Output) -> int:
    root = Path(args.repo)
    config = load_config(root)
    registry, problems = read_registry(root, config)
    for p in problems:
        output.warn(f"{p.where}: {p.message} (entry not listed)")
    today = clock.today()
    warning_days = config.exclusions.warning_days
    entries = list(registry.for_workload(args.workload) if args.workload else registry.all)
    if args.expiring_within is not None:
        within = _days(args.expiring_within)
        entries = [e for e in entries if not e.expired(today) and e.days_left(today) <= within]
    rows = [(e, e.state(today, registry.approvers, warning_days)) for e in entries]
    rows = [(e, s) for e, s in rows if not args.state or s in args.state]
    rows.sort(key=lambda r: (r[0].expires, r[0].workload, r[0].id))
    if args.format == "json":
        output.raw(json.dumps([_entry_doc(e, s, today) for e, s in rows], indent=2))
    else:
        output.raw(_table(rows, today))
    return 0


def _entry_doc(e: Exclusion, state: str, today: Any) -> dict[str, Any]:
    return {"id": e.id, "workload": e.workload, "guardrail": e.guardrail, "resource": e.resource,
            "reason": e.reason, "requested_by": e.requested_by, "approved_by": e.approved_by, "ticket": e.ticket,
            "created": e.created.isoformat(), "expires": e.expires.isoformat(), "allow_broad": e.allow_broad,
            "state": state, "days_left": e.days_left(today), "file": e.file}


def _table(rows: list[tuple[Exclusion, str]], today: Any) -> str:
    if not rows:
        return "no exclusions\n"
    header = ("ID", "WORKLOAD", "GUARDRAIL", "RESOURCE", "EXPIRES", "STATE", "TICKET", "APPROVED BY")
    lines = [header] + [
        (e.id, e.workload, e.guardrail, e.resource, e.expires.isoformat(), _state_text(e, s, today),
         e.ticket or "-", e.approved_by or "-")
        for e, s in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines]
    return "\n".join(text) + "\n"


def _state_text(e: Exclusion, state: str, today: Any) -> str:
    days = e.days_left(today)
    if state == "expired":
        return f"expired {-days}d ago" if days < 0 else "expired today"
    if state == "pending":
        return "pending approval" if not e.approved_by else "not approved (see validate)"
    return f"{state} ({days}d left)"
