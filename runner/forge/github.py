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
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from runner.config import Config
from runner.errors import TfguardError

API_VERSION = "2022-11-28"
TIMEOUT_S = 30
_GITHUB_REMOTE = re.compile(r"github\.com[:/]+([^/\s]+/[^/\s]+?)(?:\.git)?/?$")


class ForgeError(TfguardError):
    """The forge's API refused a request or could not be reached."""


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

    def _call(self, method: str, path: str, payload: Mapping[str, Any]) -> Any:
        request = urllib.request.Request(
            self.api_url.rstrip("/") + path, data=json.dumps(payload).encode("utf-8"), method=method,
            headers={"Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
                     "X-GitHub-Api-Version": API_VERSION, "User-Agent": "tfguard",
                     "Content-Type": "application/json"},
        )
        where = f"{self.api_url.rstrip('/')}{path}"
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                return json.loads(response.read().decode("utf-8") or "null")
        except urllib.error.HTTPError as exc:
            raise ForgeError(f"{method} refused with HTTP {exc.code}: {_api_message(exc)}", where=where) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ForgeError(f"cannot reach the forge: {reason}", where=where) from None
        except json.JSONDecodeError:
            raise ForgeError("the forge answered with something that is not JSON", where=where) from None


def _api_message(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read().decode("utf-8"))
    except (ValueError, OSError):
        return exc.reason or "no details"
    details = [e.get("message", "") for e in body.get("errors", []) if isinstance(e, dict)]
    return "; ".join(m for m in [body.get("message", ""), *details] if m) or "no details"


def _github_settings(config: Config) -> Mapping[str, Any]:
    settings = (config.forge or {}).get("github") or {}
    return settings if isinstance(settings, Mapping) else {}


def forge_from_config(config: Config, env: Mapping[str, str] | None = None) -> GitHub | None:
    """The configured forge client, or None when no token or repository is configured."""
    env = os.environ if env is None else env
    settings = _github_settings(config)
    token = env.get(str(settings.get("token_env", "GITHUB_TOKEN")), "")
    repository = str(settings.get("repository") or env.get("GITHUB_REPOSITORY", ""))
    if not token or not repository:
        return None
    labels: Sequence[str] = settings.get("labels") or ()
    return GitHub(
        repository=repository, token=token,
        api_url=str(settings.get("api_url") or env.get("GITHUB_API_URL") or "https://api.github.com"),
        web_url=str(settings.get("web_url") or env.get("GITHUB_SERVER_URL") or "https://github.com"),
        labels=tuple(str(label) for label in labels),
    )


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
