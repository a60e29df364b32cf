"""The GitHub client (runner.forge.github) against a real HTTP server on localhost that answers like GitHub's API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from runner.config import Config
from runner.forge.github import ForgeError, GitHub, compare_url, forge_from_config, github_repository


@dataclass
class FakeGitHub:
    """Records requests; answers POST /repos/o/r/pulls with 201, or with `status`/`reply` when set."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 201
    reply: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"null")
            fake.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
            if self.path.endswith("/pulls"):
                status = fake.status
                reply = fake.reply or {"number": 17, "html_url": "https://github.example/o/r/pull/17"}
            else:
                status, reply = 200, [{"name": n} for n in body.get("labels", [])]
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def test_create_pull_request_posts_what_github_expects(github: FakeGitHub) -> None:
    client = GitHub("acme/compliance", "t0ken", api_url=github.url, labels=("exclusion-request",))
    pr = client.create_pull_request("Exclusion request EXC-3", "exclusion/web/EXC-3", "main", "body text")
    assert (pr.number, pr.url) == (17, "https://github.example/o/r/pull/17")
    create, label = github.requests
    assert create["path"] == "/repos/acme/compliance/pulls"
    assert create["body"] == {"title": "Exclusion request EXC-3", "head": "exclusion/web/EXC-3", "base": "main",
                              "body": "body text", "maintainer_can_modify": True}
    assert create["headers"]["authorization"] == "Bearer t0ken"
    assert create["headers"]["accept"] == "application/vnd.github+json"
    assert create["headers"]["x-github-api-version"] == "2022-11-28"
    assert label["path"] == "/repos/acme/compliance/issues/17/labels"
    assert label["body"] == {"labels": ["exclusion-request"]}


def test_a_refusal_becomes_one_line_with_githubs_reason(github: FakeGitHub) -> None:
    github.status = 422
    github.reply = {"message": "Validation Failed",
                    "errors": [{"message": "A pull request already exists for acme:exclusion/web/EXC-3."}]}
    client = GitHub("acme/compliance", "t0ken", api_url=github.url)
    with pytest.raises(ForgeError) as err:
        client.create_pull_request("t", "exclusion/web/EXC-3", "main", "b")
    assert err.value.line() == (f"{github.url}/repos/acme/compliance/pulls: POST refused with HTTP 422: "
                                f"Validation Failed; A pull request already exists for acme:exclusion/web/EXC-3.")


def test_an_unreachable_forge_is_a_forge_error() -> None:
    client = GitHub("acme/compliance", "t0ken", api_url="http://127.0.0.1:9")
    with pytest.raises(ForgeError, match="cannot reach the forge"):
        client.create_pull_request("t", "h", "main", "b")


def test_the_token_never_shows_in_repr() -> None:
    assert "t0ken" not in repr(GitHub("acme/compliance", "t0ken"))


def config(forge: dict[str, Any]) -> Config:
    return Config(root=Path("."), forge=forge)


def test_forge_needs_a_token_and_a_repository() -> None:
    settings = config({"github": {"repository": "acme/compliance", "token_env": "MY_TOKEN"}})
    assert forge_from_config(settings, env={}) is None
    assert forge_from_config(config({}), env={"GITHUB_TOKEN": "x"}) is None
    client = forge_from_config(settings, env={"MY_TOKEN": "x"})
    assert client is not None and (client.repository, client.token, client.api_url) == (
        "acme/compliance", "x", "https://api.github.com")


def test_forge_settings_fall_back_to_the_github_actions_environment() -> None:
    env = {"GITHUB_TOKEN": "x", "GITHUB_REPOSITORY": "acme/c", "GITHUB_API_URL": "https://ghe.example/api/v3"}
    client = forge_from_config(config({}), env=env)
    assert client is not None and (client.repository, client.api_url) == ("acme/c", "https://ghe.example/api/v3")


@pytest.mark.parametrize(("url", "repo"), [
    ("git@github.com:acme/compliance.git", "acme/compliance"),
    ("https://github.com/acme/compliance", "acme/compliance"),
    ("https://github.com/acme/compliance.git/", "acme/compliance"),
    ("ssh://git@github.com/acme/compliance.git", "acme/compliance"),
    ("/srv/git/compliance.git", None),
])
def test_github_repository_from_a_remote_url(url: str, repo: str | None) -> None:
    assert github_repository(url) == repo


def test_compare_url_opens_the_template() -> None:
    url = compare_url(config({}), "git@github.com:acme/compliance.git", "main", "exclusion/web/EXC-3",
                      "exclusion-request.md")
    assert url == ("https://github.com/acme/compliance/compare/main...exclusion/web/EXC-3"
                   "?expand=1&template=exclusion-request.md")
    assert compare_url(config({}), "/srv/git/compliance.git", "main", "x") is None
