"""GitLab: merge request notes through its REST API (v4), for `tfguard comment --forge gitlab`.

Settings come from the job's predefined variables, overridable in tfguard.yaml; the token by reference:

    forge:
      gitlab:
        api_url: https://gitlab.example.com/api/v4   # default: $CI_API_V4_URL
        project: security/compliance                 # id or path; default: $CI_PROJECT_ID
        token_env: TFGUARD_API_TOKEN                 # a token with scope `api` (the job token cannot write notes)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from runner import http
from runner.config import Config
from runner.forge.comment import Comment
from runner.forge.github import ForgeError, forge_error

TIMEOUT_S = 30
MAX_NOTE = 1_000_000  # GitLab's limit on a note is 1,000,000 characters
PAGES = 20
TOKEN_ENV = "TFGUARD_API_TOKEN"


@dataclass(frozen=True)
class GitLab:
    project: str  # numeric id or namespace/name
    token: str = field(repr=False)
    api_url: str = "https://gitlab.com/api/v4"

    def thread(self, iid: int) -> GitLabThread:
        return GitLabThread(self, iid)

    def _call(self, method: str, path: str, payload: Mapping[str, Any] | None = None) -> Any:
        base = f"{self.api_url.rstrip('/')}/projects/{quote(self.project, safe='')}"
        where = base + path.split("?", 1)[0]
        try:
            answer = http.request(method, base + path, headers={"PRIVATE-TOKEN": self.token}, json_body=payload,
                                  timeout=TIMEOUT_S, secrets=[self.token], what=method, where=where)
            return answer.json()
        except http.HttpError as exc:
            raise forge_error(exc, method) from None


@dataclass(frozen=True)
class GitLabThread:
    """The notes of one merge request (system notes, such as "added 1 commit", are left out)."""

    client: GitLab
    iid: int
    max_body: int = MAX_NOTE

    @property
    def label(self) -> str:
        return f"merge request !{self.iid}"

    def comments(self) -> list[Comment]:
        out: list[Comment] = []
        for page in range(1, PAGES + 1):
            found = self.client._call("GET", f"/merge_requests/{self.iid}/notes?per_page=100&page={page}&sort=asc")
            out += [Comment(int(n["id"]), str(n.get("body") or "")) for n in found or [] if not n.get("system")]
            if len(found or []) < 100:
                break
        return out

    def create(self, body: str) -> Comment:
        note = self.client._call("POST", f"/merge_requests/{self.iid}/notes", {"body": body})
        return Comment(int(note["id"]), body)

    def update(self, comment: Comment, body: str) -> Comment:
        self.client._call("PUT", f"/merge_requests/{self.iid}/notes/{comment.id}", {"body": body})
        return Comment(comment.id, body)


def gitlab_settings(config: Config) -> Mapping[str, Any]:
    settings = (config.forge or {}).get("gitlab") or {}
    return settings if isinstance(settings, Mapping) else {}


def gitlab_from_config(config: Config, env: Mapping[str, str], token_env: str | None = None) -> GitLab:
    """The GitLab client for this job; ForgeError naming what is missing."""
    settings = gitlab_settings(config)
    token_var = token_env or str(settings.get("token_env") or TOKEN_ENV)
    token = env.get(token_var, "")
    if not token:
        raise ForgeError(f"no GitLab token: the environment variable {token_var} is not set",
                         hint="store a token with scope `api` as a masked CI/CD variable")
    project = str(settings.get("project") or env.get("CI_PROJECT_ID", ""))
    api_url = str(settings.get("api_url") or env.get("CI_API_V4_URL", ""))
    if not project or not api_url:
        raise ForgeError("the GitLab project is unknown: CI_PROJECT_ID and CI_API_V4_URL are not set",
                         hint="run in a GitLab CI job, or set forge.gitlab.project and api_url in tfguard.yaml")
    return GitLab(project, token, api_url)
