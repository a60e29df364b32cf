"""Which pull or merge request a `tfguard comment` goes to, and the client that reaches it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from runner.config import Config
from runner.forge.comment import CommentThread
from runner.forge.github import ForgeError, event_pull_request, forge_from_config, token_variable
from runner.forge.gitlab import gitlab_from_config

FORGES = ("github", "gitlab")


@dataclass(frozen=True)
class Target:
    forge: str
    number: int | None = None  # the pull request number / merge request iid (default: the CI job's)
    branch: str | None = None  # GitHub: find the open pull request from this branch
    token_env: str | None = None
    repository: str | None = None  # GitHub owner/name (default: tfguard.yaml, then $GITHUB_REPOSITORY)


class NoTarget(ForgeError):
    """Nothing to comment on, or no credential to do it with (`--optional` makes this a note)."""


def open_thread(target: Target, config: Config, env: Mapping[str, str]) -> CommentThread:
    if target.forge == "gitlab":
        try:
            client = gitlab_from_config(config, env, target.token_env)
        except ForgeError as exc:
            raise NoTarget(exc.message, hint=exc.hint) from None
        iid = target.number or _int(env.get("CI_MERGE_REQUEST_IID", ""))
        if iid is None:
            raise NoTarget("no merge request: this job is not a merge request pipeline (CI_MERGE_REQUEST_IID is "
                           "not set)", hint="pass --number IID")
        return client.thread(iid)
    return _github_thread(target, config, env)


def _github_thread(target: Target, config: Config, env: Mapping[str, str]) -> CommentThread:
    client = forge_from_config(config, env, target.token_env, target.repository)
    if client is None:
        token_env = token_variable(config, target.token_env)
        if not env.get(token_env):
            raise NoTarget(f"no GitHub token: the environment variable {token_env} is not set",
                           hint="a token that may write pull request comments")
        raise NoTarget("the GitHub repository is unknown (GITHUB_REPOSITORY is not set)",
                       hint="pass --repository OWNER/NAME")
    number = target.number or event_pull_request(env)
    branch = target.branch or env.get("GITHUB_HEAD_REF") or ""
    if number is None and branch:
        number = client.open_pull_request_from(branch)
    if number is None:
        raise NoTarget("no pull request: not a pull_request event"
                       + (f", and no open pull request from {branch}" if branch else ""),
                       hint="pass --number N or --branch BRANCH")
    return client.thread(number)


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None
