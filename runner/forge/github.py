"""The forge (GitHub first): open pull requests through its REST API, link to them without it.

Settings come from tfguard.yaml, the token by reference (the name of an environment variable):

    forge:
      github:
        repository: acme/compliance        # default: $GITHUB_REPOSITORY
        token_env: GITHUB_TOKEN            # the variable holding the token (default GITHUB_TOKEN)
        api_url: https://api.github.com    # GitHub Enterprise: https://HOST/api/v3 (default: $GITHUB_API_URL)
        web_url: https://github.com        # default: $GITHUB_SERVER_URL
        labels: [exclusion-request]        # labels put on pull requests tfguard opens

Without a token or a repository nothing is called: `forge_from_config` returns None.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from runner import http
from runner.config import Config
from runner.errors import TfguardError
from runner.forge.comment import Comment

API_VERSION = "2022-11-28"
TIMEOUT_S = 30
MAX_COMMENT = 65_000  # GitHub refuses comment bodies over 65536 characters
PAGES = 20  # at most 20 x 100 comments are read to find the marked one
_GITHUB_REMOTE = re.compile(r"github\.com[:/]+([^/\s]+/[^/\s]+?)(?:\.git)?/?$")


class ForgeError(TfguardError):
    """The forge's API refused a request or could not be reached."""


def forge_error(exc: http.HttpError, method: str) -> ForgeError:
    """A forge API failure as one line: the refusal with the forge's reason, or why it could not be reached."""
    if exc.status:
        return ForgeError(f"{method} refused with HTTP {exc.status}: {exc.detail}", where=exc.where)
    return ForgeError(f"cannot reach the forge: {exc.detail}", where=exc.where)


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str  # the page a person opens


@dataclass(frozen=True)
class GitHub:
    repository: str  # owner/name
    token: str = field(repr=False)
    api_url: str = "https://api.github.com"
    web_url: str = "https://github.com"
    labels: tuple[str, ...] = ()

    def create_pull_request(self, title: str, head: str, base: str, body: str) -> PullRequest:
        data = self._call("POST", f"/repos/{self.repository}/pulls",
                          {"title": title, "head": head, "base": base, "body": body, "maintainer_can_modify": True})
        pr = PullRequest(int(data["number"]), str(data["html_url"]))
        if self.labels:
            self._call("POST", f"/repos/{self.repository}/issues/{pr.number}/labels", {"labels": list(self.labels)})
        return pr

    def open_pull_request_from(self, branch: str) -> int | None:
        """The number of the open pull request whose head is `branch` of this repository, if any."""
        owner = self.repository.split("/", 1)[0]
        found = self._call("GET", f"/repos/{self.repository}/pulls?state=open&head={quote(owner)}:{quote(branch)}")
        return int(found[0]["number"]) if isinstance(found, list) and found else None

    def thread(self, number: int) -> GitHubThread:
        return GitHubThread(self, number)

    def _call(self, method: str, path: str, payload: Mapping[str, Any] | None = None) -> Any:
        headers = {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
                   "X-GitHub-Api-Version": API_VERSION}
        where = f"{self.api_url.rstrip('/')}{path.split('?', 1)[0]}"
        try:
            answer = http.request(method, self.api_url.rstrip("/") + path, headers=headers, json_body=payload,
                                  timeout=TIMEOUT_S, secrets=[self.token], what=method, where=where)
            return answer.json()
        except http.HttpError as exc:
            if exc.status == 0 and exc.detail == "the answer is not JSON":
                raise ForgeError("the forge answered with something that is not JSON", where=where) from None
            raise forge_error(exc, method) from None


@dataclass(frozen=True)
class GitHubThread:
    """The comments of one pull request (GitHub's issue comments)."""

    client: GitHub
    number: int
    max_body: int = MAX_COMMENT

    @property
    def label(self) -> str:
        return f"pull request #{self.number}"

    def comments(self) -> list[Comment]:
        out: list[Comment] = []
        for page in range(1, PAGES + 1):
            found = self.client._call(
                "GET", f"/repos/{self.client.repository}/issues/{self.number}/comments?per_page=100&page={page}")
            out += [Comment(int(c["id"]), str(c.get("body") or ""), str(c.get("html_url", ""))) for c in found or []]
            if len(found or []) < 100:
                break
        return out

    def create(self, body: str) -> Comment:
        c = self.client._call("POST", f"/repos/{self.client.repository}/issues/{self.number}/comments", {"body": body})
        return Comment(int(c["id"]), body, str(c.get("html_url", "")))

    def update(self, comment: Comment, body: str) -> Comment:
        c = self.client._call("PATCH", f"/repos/{self.client.repository}/issues/comments/{comment.id}", {"body": body})
        return Comment(comment.id, body, str(c.get("html_url", "")))


def event_pull_request(env: Mapping[str, str]) -> int | None:
    """The pull request number of the GitHub Actions event that started the job (GITHUB_EVENT_PATH)."""
    path = env.get("GITHUB_EVENT_PATH", "")
    if not path:
        return None
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    number = (doc.get("pull_request") or {}).get("number") if isinstance(doc, dict) else None
    return int(number) if isinstance(number, int) else None


def _github_settings(config: Config) -> Mapping[str, Any]:
    settings = (config.forge or {}).get("github") or {}
    return settings if isinstance(settings, Mapping) else {}


def forge_from_config(config: Config, env: Mapping[str, str] | None = None, token_env: str | None = None,
                      repository: str | None = None) -> GitHub | None:
    """The configured forge client, or None when no token or repository is configured. `token_env` and
    `repository` override tfguard.yaml's settings."""
    env = os.environ if env is None else env
    settings = _github_settings(config)
    token = env.get(token_env or str(settings.get("token_env", "GITHUB_TOKEN")), "")
    repository = repository or str(settings.get("repository") or env.get("GITHUB_REPOSITORY", ""))
    if not token or not repository:
        return None
    labels: Sequence[str] = settings.get("labels") or ()
    return GitHub(
        repository=repository, token=token,
        api_url=str(settings.get("api_url") or env.get("GITHUB_API_URL") or "https://api.github.com"),
        web_url=str(settings.get("web_url") or env.get("GITHUB_SERVER_URL") or "https://github.com"),
        labels=tuple(str(label) for label in labels),
    )


def token_variable(config: Config, token_env: str | None = None) -> str:
    return token_env or str(_github_settings(config).get("token_env", "GITHUB_TOKEN"))


def github_repository(remote_url: str) -> str | None:
    """owner/name from a github.com remote URL (https or ssh), else None."""
    found = _GITHUB_REMOTE.search(remote_url.strip())
    return found.group(1) if found else None


def compare_url(config: Config, remote_url: str, base: str, head: str, template: str = "") -> str | None:
    """The web page that opens a pull request from head into base, when the forge is known."""
    settings = _github_settings(config)
    repository = settings.get("repository") or github_repository(remote_url)
    if not repository:
        return None
    web = str(settings.get("web_url") or "https://github.com").rstrip("/")
    query = "?expand=1" + (f"&template={quote(template)}" if template else "")
    return f"{web}/{repository}/compare/{quote(base, safe='')}...{quote(head, safe='/')}{query}"
