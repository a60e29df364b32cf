"""What an exclusion pull request changes, and the summary a reviewer reads: `tfguard exclusions validate
--changed-since REF --summary FILE`. The changed registry files are git's three-dot diff (what the branch
changed since it left REF); deleted files are left out, as there is nothing left in them to check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from runner.errors import GitError
from runner.exclusions.validate import RepositoryCheck
from runner.git import Repo
from runner.problems import ERROR

REGISTRY_DIR = "exclusions"


def resolve_base(repo: Repo, ref: str, remote: str = "origin") -> str:
    """The commit REF names: as given, else the remote's branch of that name, fetched when this clone does
    not have it (CI systems check out only the pull request's own branch)."""
    tracking = f"refs/remotes/{remote}/{ref}"
    for candidate in (ref, tracking):
        sha = repo.resolve(candidate)
        if sha:
            return sha
    if remote in repo.remotes() and repo.ok("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{ref}:{tracking}"):
        sha = repo.resolve(tracking)
        if sha:
            return sha
    raise GitError(f"--changed-since {ref}: no such branch or commit here", where=str(repo.path),
                   hint=f"fetch it first (git fetch {remote} {ref}) with the full history")


def changed_files(root: Path, ref: str, remote: str = "origin") -> list[str]:
    """Registry files (relative to the repository) added or modified since the branch left `ref`."""
    repo = Repo.discover(root, why=" (--changed-since compares with git)")
    base = resolve_base(repo, ref, remote)
    rel = Path(root).resolve().relative_to(repo.path.resolve()).as_posix()
    prefix = "" if rel == "." else rel + "/"
    out = repo.git("diff", "--name-only", "--diff-filter=d", "--no-renames", f"{base}...HEAD", "--",
                   f"{prefix}{REGISTRY_DIR}/")
    files = [line[len(prefix):] for line in out.splitlines() if line.endswith((".yaml", ".yml"))]
    return sorted(files)


def summary(checked: RepositoryCheck, changed: Sequence[str] | None, ref: str | None, strict: bool = False) -> str:
    """Markdown for the pull request comment and the job summary."""
    errors = [p for p in checked.problems if p.level == ERROR]
    warnings = [p for p in checked.problems if p.level != ERROR]
    failing = bool(errors or (strict and warnings))
    lines = [f"#### {'❌' if failing else '✅'} tfguard exclusions validate", ""]
    if changed is not None:
        since = f" since `{ref}`" if ref else ""
        lines.append(f"Changed registry files{since}: " + (", ".join(f"`{f}`" for f in changed) or "none") + ".")
        lines.append("")
    if checked.problems:
        lines += ["| | where | problem |", "| --- | --- | --- |"]
        for p in checked.problems:
            mark = "error" if p.level == ERROR else "warning"
            lines.append(f"| {mark} | `{_cell(p.where)}` | {_cell(p.message)} |")
        lines.append("")
    for note in checked.notes:
        lines.append(f"- note: {_cell(note)}")
    verdict = "invalid: the pull request cannot be merged yet" if failing else "valid"
    lines.append(f"{len(checked.entries)} exclusion(s) in the registry; {len(errors)} error(s), "
                 f"{len(warnings)} warning(s) in the files checked: **{verdict}**.")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
