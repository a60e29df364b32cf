"""Requesting an exclusion: a new entry in exclusions/<workload>.yaml on its own branch, pushed for review.

The work happens in a temporary git worktree started from the remote's mainline, so the requester's
checkout (its branch, its uncommitted changes) is never touched, and the request carries nothing but the
new entry. The entry is added with a YAML round trip (ruamel.yaml) that keeps the file's comments,
order and indentation. `approved_by` is left empty: a security approver fills it in on review.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from runner.config import Config, load_config
from runner.errors import ConfigError, GitError, UsageError
from runner.exclusions.match import check_pattern, is_broad
from runner.exclusions.registry import EXCLUSIONS_DIR, Exclusion, read_registry
from runner.exclusions.validate import plan_addresses, validate_registry
from runner.forge.github import ForgeError, GitHub, PullRequest, compare_url
from runner.git import GitCommandFailed, Repo, first_error
from runner.guardrails.load import load_guardrails
from runner.problems import ERROR, Problem
from runner.yamlload import load_text

ID_PREFIX = "EXC"
ID_REFS = "refs/tfguard/exclusion-ids"  # one ref per id ever requested: the remote allocates ids atomically
ID_ATTEMPTS = 20
_TAKEN_MARKS = ("rejected", "non-fast-forward", "fetch first", "already exists", "failed to update ref",
                "cannot lock ref", "atomic push failed", "stale info")
TEMPLATE = "exclusion-request.md"
_ID_RE = re.compile(r"^([A-Za-z][A-Za-z0-9]*)-([0-9]+)$")
_WORKLOAD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_DURATION_RE = re.compile(r"^([0-9]+)\s*([dw])$")
_GUARDRAIL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:#-]*$")
# checks that only the security review settles: they do not stop a request
_SETTLED_ON_REVIEW = ("pending-approval", "broad-pattern")

# compliance root -> {workload name: path of its current plan, or None when it has none at hand}
WorkloadLookup = Callable[[Path], Mapping[str, str | None]]


@dataclass(frozen=True)
class ExclusionRequest:
    workload: str
    guardrail: str
    resource: str
    reason: str
    expires: date
    requested_by: str
    ticket: str = ""
    exclusion_id: str = ""  # empty: the next free id


@dataclass(frozen=True)
class RequestOutcome:
    exclusion: Exclusion
    branch: str
    remote: str
    remote_url: str
    base: str
    commit: str
    approvers: tuple[str, ...]
    compare_url: str | None = None
    pull_request: PullRequest | None = None
    warnings: tuple[str, ...] = ()
    diff: str = ""  # the change, for a dry run (nothing committed or pushed then)

    @property
    def pushed(self) -> bool:
        return bool(self.commit)


def parse_expires(text: str, today: date) -> date:
    """`2026-10-01`, or a duration from today: `30d`, `6w`."""
    text = text.strip()
    found = _DURATION_RE.match(text)
    if found:
        days = int(found.group(1)) * (7 if found.group(2) == "w" else 1)
        try:
            return today + timedelta(days=days)
        except OverflowError:
            raise UsageError(f"--expires {text!r} is past the last date a calendar holds") from None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--expires {text!r} is not a date (YYYY-MM-DD) or a duration (30d, 6w)") from None


def check_request(req: ExclusionRequest, today: date) -> None:
    """Refuse, before touching git, what no review could accept."""
    if not _WORKLOAD_RE.match(req.workload):
        raise UsageError(f"--workload {req.workload!r} is not a workload name (letters, digits, `-`, `_`)")
    if not _GUARDRAIL_RE.match(req.guardrail):
        raise UsageError(f"--guardrail {req.guardrail!r} is not a guardrail id (e.g. S3-001)")
    why = check_pattern(req.resource)
    if why:
        raise UsageError(f"--resource `{req.resource}` {why}")
    if len(req.reason.strip()) < 10:
        raise UsageError("--reason must say why the exception is needed (10 characters at least)")
    if req.expires <= today:
        raise UsageError(f"--expires {req.expires} is not in the future (today is {today})")
    if req.exclusion_id and not _ID_RE.match(req.exclusion_id):
        raise UsageError(f"--id {req.exclusion_id!r} must look like EXC-12")


def next_id(taken: Iterable[str], prefix: str = ID_PREFIX) -> str:
    numbers = [int(m.group(2)) for m in (_ID_RE.match(t) for t in taken) if m and m.group(1) == prefix]
    return f"{prefix}-{max(numbers, default=0) + 1}"


def branch_name(workload: str, exclusion_id: str) -> str:
    return f"exclusion/{workload}/{exclusion_id}"


# --- the YAML edit -----------------------------------------------------------------------------------


def new_file_text(workload: str) -> str:
    return ("# yaml-language-server: $schema=../runner/schemas/exclusions.schema.json\n"
            f"# Exclusions of workload {workload}: one entry per approved exception (docs/exclusions.md).\n"
            f"# Request one with `tfguard exclusions request`; the security team approves it in review.\n"
            f"workload: {workload}\nexclusions: []\n")


def entry_mapping(req: ExclusionRequest, exclusion_id: str, today: date) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = exclusion_id
    entry["guardrail"] = req.guardrail
    entry["resource"] = req.resource
    reason = req.reason.strip()
    entry["reason"] = LiteralScalarString(reason + "\n") if "\n" in reason else reason
    entry["requested_by"] = req.requested_by
    entry["approved_by"] = ""
    entry["ticket"] = req.ticket
    entry["created"] = today
    entry["expires"] = req.expires
    return entry


def _yaml_for(text: str) -> YAML:
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    if indent is None or offset is None:
        yaml.indent(mapping=2, sequence=4, offset=2)
    else:
        yaml.indent(mapping=max(indent - offset, 2), sequence=indent, offset=offset)
    return yaml


def add_entry(path: Path, workload: str, entry: CommentedMap, where: str | None = None) -> None:
    """Append `entry` to the file's `exclusions` list, keeping comments, order and indentation.

    The file is first read through the bounded loader (runner.yamlload): the round-trip loader only ever
    sees a file within the registry's limits, and a broken file is named with its line (`where`)."""
    where = where or str(path)
    if os.path.lexists(path):
        try:
            text = load_text(path, where)
        except ConfigError as exc:
            raise UsageError(f"cannot add to a file that is not valid on the mainline: {exc.message}",
                             where=exc.where, hint="fix the file first") from None
    else:
        text = new_file_text(workload)
    try:
        yaml = _yaml_for(text)
        data = yaml.load(text)
    except YAMLError as exc:
        raise UsageError(f"cannot add to a file that is not valid YAML on the mainline: {exc}".splitlines()[0],
                         where=where, hint="fix the file first") from None
    if not isinstance(data, dict):
        raise UsageError("is not a mapping with `workload` and `exclusions`", where=where)
    seq = data.get("exclusions")
    if seq is None:
        seq = data["exclusions"] = CommentedSeq()
    if not isinstance(seq, CommentedSeq):
        line = data.lc.key("exclusions")[0] + 1 if hasattr(data, "lc") else 0
        raise UsageError("key `exclusions` is not a list", where=f"{where}:{line}" if line else where)
    seq.fa.set_block_style()
    seq.append(entry)
    if len(seq) > 1 and re.search(r"\n[ \t]*\n[ \t]*- ", text):  # the file separates entries by blank lines
        seq.yaml_set_comment_before_after_key(len(seq) - 1, before="\n")
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


# --- git -------------------------------------------------------------------------------------------


def _first_line(exc: GitCommandFailed) -> str:
    return first_error(exc.stderr) or exc.message


def open_repo(root: Path) -> tuple[Repo, Path]:
    """The repository holding `root`, and root's path inside it."""
    repo = Repo.discover(root, why=" (run inside a git clone of the compliance repository)")
    return repo, Path(root).resolve().relative_to(repo.path.resolve())


def _remote_url(repo: Repo, remote: str) -> str:
    if remote not in repo.remotes():
        raise GitError(f"no remote named `{remote}`", where=str(repo.path),
                       hint="add the compliance repository's remote, or pass --remote")
    return repo.remote_url(remote)


def _fetch(repo: Repo, remote: str, base: str) -> None:
    try:
        repo.git("fetch", "--quiet", remote, f"+refs/heads/{base}:refs/remotes/{remote}/{base}")
    except GitCommandFailed as exc:
        raise GitError(f"cannot fetch branch `{base}`: {_first_line(exc)}", where=remote) from None


def _requested_ids(repo: Repo, remote: str) -> set[str]:
    """Ids already used on the remote: by request branches (pending pull requests) and by the id
    reservations every request pushes with its branch (ID_REFS), which outlive the branches."""
    try:
        listing = repo.git("ls-remote", remote, "refs/heads/exclusion/*", f"{ID_REFS}/*")
    except GitCommandFailed as exc:
        raise GitError(f"cannot list branches: {_first_line(exc)}", where=remote) from None
    return {line.rsplit("/", 1)[-1] for line in listing.splitlines() if line.strip()}


def _push_reserving(wt: Repo, remote: str, branch: str, exclusion_id: str) -> bool:
    """Push the request branch and the id's reservation ref in one atomic push. False when the remote
    refused because another request took that id (or that branch) first; the caller takes the next id."""
    proc = wt.run("push", "--atomic", "--porcelain", "--quiet", remote, f"HEAD:refs/heads/{branch}",
                  f"HEAD:{ID_REFS}/{exclusion_id}")
    if proc.returncode == 0:
        return True
    text = f"{proc.stdout}\n{proc.stderr}".lower()
    if any(mark in text for mark in _TAKEN_MARKS):
        return False
    raise GitError(f"cannot push `{branch}`: {first_error(proc.stderr) or 'git push failed'}", where=remote)


def _commit_message(e: Exclusion) -> str:
    lines = [f"exclusions({e.workload}): request {e.id} for {e.guardrail}", "",
             f"Resource:     {e.resource}", f"Expires:      {e.expires.isoformat()}"]
    if e.ticket:
        lines.append(f"Ticket:       {e.ticket}")
    lines += [f"Requested-by: {e.requested_by}", "", "Reason:", e.reason, ""]
    return "\n".join(lines)


def pull_request_text(e: Exclusion, approvers: Iterable[str]) -> tuple[str, str]:
    """Title and body of the pull request, in the shape of .github/PULL_REQUEST_TEMPLATE/exclusion-request.md."""
    title = f"Exclusion request {e.id}: {e.guardrail} on {e.workload}"
    body = "\n".join([
        "## Exclusion request", "",
        "| Field | Value |", "|---|---|",
        f"| Id | {e.id} |", f"| Workload | {e.workload} |", f"| Guardrail | {e.guardrail} |",
        f"| Resource | `{e.resource}` |", f"| Requested by | {e.requested_by} |",
        f"| Ticket | {e.ticket or '(none)'} |", f"| Expires | {e.expires.isoformat()} |", "",
        "### Why the guardrail cannot be met yet", "", e.reason, "",
        "### For the security reviewer", "",
        f"Approve by setting `approved_by` to your name in `{e.file}` (approvers: {', '.join(approvers)}).",
        "`tfguard exclusions validate` must pass before merging.", "",
    ])
    return title, body


@dataclass
class _Submission:
    repo: Repo
    sub: Path  # the compliance root inside the repository
    req: ExclusionRequest
    remote: str
    base: str
    today: date
    lookup: WorkloadLookup
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    branch: str = ""  # created locally; deleted again when the request fails before the push
    diff: str = ""

    def run(self, worktree: Path) -> tuple[Exclusion, str, Config]:
        """Allocate an id, write and check the entry, commit, and push the branch with the id's reservation
        atomically. When another request took the id meanwhile, the push is refused: the registry and the
        reservations are read again and the next free id is tried (ids stay unique after both merge)."""
        try:
            self.repo.git("worktree", "add", "--quiet", "--detach", str(worktree), f"{self.remote}/{self.base}")
        except GitCommandFailed as exc:
            raise GitError(f"cannot check out `{self.remote}/{self.base}`: {_first_line(exc)}",
                           where=str(self.repo.path)) from None
        wt = Repo(worktree)
        for _ in range(ID_ATTEMPTS):
            exclusion, config, branch = self._prepare(wt, worktree / self.sub)
            if self.dry_run:
                self.diff = wt.git("diff", "--cached")
                return exclusion, "", config
            try:
                wt.git("commit", "--quiet", "-m", _commit_message(exclusion))
            except GitCommandFailed as exc:
                raise GitError(f"cannot commit `{branch}`: {_first_line(exc)}", where=str(self.repo.path)) from None
            if _push_reserving(wt, self.remote, branch, exclusion.id):
                wt.git("config", f"branch.{branch}.remote", self.remote)  # as `push --set-upstream` would
                wt.git("config", f"branch.{branch}.merge", f"refs/heads/{branch}")
                return exclusion, wt.head_sha(), config
            if self.req.exclusion_id:
                raise UsageError(f"--id {exclusion.id} was taken by another request meanwhile", hint="run again "
                                 "without --id for the next free one")
            _fetch(self.repo, self.remote, self.base)  # what the other request merged or pushed
            wt.git("checkout", "--quiet", "--detach", f"{self.remote}/{self.base}")
            self.repo.git("branch", "-D", branch)
            self.branch = ""
        raise GitError(f"no free exclusion id after {ID_ATTEMPTS} attempts (other requests kept taking them)",
                       where=self.remote, hint="run again")

    def _prepare(self, wt: Repo, root: Path) -> tuple[Exclusion, Config, str]:
        """The next free id, its branch, and the entry written, checked and staged in the worktree."""
        config = load_config(root)
        registry, _ = read_registry(root, config)
        taken = {e.id for e in registry.all} | _requested_ids(self.repo, self.remote)
        exclusion_id = self.req.exclusion_id or next_id(taken)
        if self.req.exclusion_id and exclusion_id in taken:
            raise UsageError(f"--id {exclusion_id} is already used in the registry or by a request branch")
        branch = branch_name(self.req.workload, exclusion_id)
        if branch in self.repo.heads():
            raise GitError(f"a local branch `{branch}` already exists", where=str(self.repo.path),
                           hint=f"delete it with `git branch -D {branch}`, or pass --id")
        wt.git("checkout", "--quiet", "-b", branch)
        self.branch = branch
        rel = Path(EXCLUSIONS_DIR) / f"{self.req.workload}.yaml"
        (root / EXCLUSIONS_DIR).mkdir(exist_ok=True)
        add_entry(root / rel, self.req.workload, entry_mapping(self.req, exclusion_id, self.today), rel.as_posix())
        exclusion = self._check(root, config, exclusion_id)
        wt.git("add", str(self.sub / rel))
        return exclusion, config, branch

    def _check(self, root: Path, config: Config, exclusion_id: str) -> Exclusion:
        """The new entry as the registry reads it, validated like the pull request will be."""
        registry, problems = read_registry(root, config)
        exclusion = registry.get(exclusion_id)
        mine = [p for p in problems if p.subject == exclusion_id]
        if exclusion is None or mine:
            raise UsageError(f"the new entry is not valid: {mine[0].message if mine else 'not read back'}")
        workloads = self.lookup(root)
        addresses, _ = plan_addresses({self.req.workload: workloads.get(self.req.workload)})
        gids = load_guardrails(root / "features").ids if (root / "features").is_dir() else ()
        found = validate_registry(registry, config, gids, list(workloads) or None, self.today, addresses)
        found = [p for p in found if p.subject == exclusion_id or (p.code == "unknown-workload"
                                                                      and p.file == exclusion.file)]
        self._judge(found)
        return exclusion

    def _judge(self, found: list[Problem]) -> None:
        blocking = [p for p in found if p.level == ERROR and p.code not in _SETTLED_ON_REVIEW]
        if blocking:
            raise UsageError("; ".join(p.message for p in blocking))
        self.warnings += [p.message for p in found if p.level != ERROR]
        if is_broad(self.req.resource):
            self.warnings.append(f"`{self.req.resource}` is a broad pattern: security must also mark the entry "
                                 f"`allow_broad: true` to approve it")


def submit_request(
    repo_root: str | Path,
    req: ExclusionRequest,
    today: date,
    lookup: WorkloadLookup,
    remote: str = "origin",
    base: str | None = None,
    forge: GitHub | None = None,
    dry_run: bool = False,
) -> RequestOutcome:
    """Create branch exclusion/<workload>/<id> from <remote>/<base> with the new entry, commit and push it,
    and open the pull request when a forge client is given. A dry run stops before the commit: it returns
    the diff and leaves no branch behind."""
    check_request(req, today)
    repo, sub = open_repo(Path(repo_root))
    base = base or load_config(repo_root).observation.mainline
    url = _remote_url(repo, remote)
    _fetch(repo, remote, base)
    submission = _Submission(repo, sub, req, remote, base, today, lookup, dry_run)
    pushed = False
    with tempfile.TemporaryDirectory(prefix="tfguard-request-") as tmp:
        worktree = Path(tmp) / "worktree"
        try:
            exclusion, commit, config = submission.run(worktree)
            pushed = bool(commit)
        finally:
            _cleanup(repo, worktree, "" if pushed else submission.branch)
    branch = branch_name(exclusion.workload, exclusion.id)
    outcome = RequestOutcome(exclusion, branch, remote, url, base, commit, config.exclusions.approvers,
                             compare_url(config, url, base, branch, TEMPLATE), warnings=tuple(submission.warnings),
                             diff=submission.diff)
    return _open_pull_request(outcome, forge) if forge and outcome.pushed else outcome


def _cleanup(repo: Repo, worktree: Path, failed_branch: str) -> None:
    if worktree.exists():
        repo.git("worktree", "remove", "--force", str(worktree))
    repo.git("worktree", "prune")
    if failed_branch and failed_branch in repo.heads():
        repo.git("branch", "-D", failed_branch)


def _open_pull_request(outcome: RequestOutcome, forge: GitHub) -> RequestOutcome:
    title, body = pull_request_text(outcome.exclusion, outcome.approvers)
    try:
        pr = forge.create_pull_request(title, outcome.branch, outcome.base, body)
    except ForgeError as exc:
        warning = f"the branch is pushed but the pull request could not be opened: {exc.line()}"
        return replace(outcome, warnings=(*outcome.warnings, warning))
    return replace(outcome, pull_request=pr)
