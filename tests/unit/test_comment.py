"""`tfguard comment` and the one HTTP helper (runner/http.py) against a real HTTP server on 127.0.0.1 that
answers like GitLab's merge request notes API and GitHub's issue comments API: one marked comment, created
and then updated in place; the token from the environment, and in no error line."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import tfguard

from runner import http
from runner.forge.comment import compose, marker

TOKEN = "glpat-Zq8mV2xR7tLp4NwK9sBc"


@dataclass
class FakeForge:
    """GitLab notes (/api/v4/projects/ID/merge_requests/IID/notes) and GitHub issue comments, in memory."""

    url: str = ""
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    refuse: int = 0  # answer every request with this status
    slow: float = 0.0
    huge: bool = False

    def handle(self, method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        self.requests.append((method, path, headers))
        if self.refuse:
            return self.refuse, {"message": f"401 Unauthorized (token {headers.get('private-token', '')})"}
        route = path.split("?")[0]
        if route.startswith("/api/v4/projects/42/merge_requests/3/notes"):
            rest = route.removeprefix("/api/v4/projects/42/merge_requests/3/notes").strip("/")
            if headers.get("private-token") != TOKEN:
                return 401, {"message": "401 Unauthorized"}
            if method == "GET":
                return 200, [{"id": 1, "body": "added 1 commit", "system": True}, *self.notes.values()]
            if method == "POST":
                note = {"id": 100 + len(self.notes), "body": body["body"], "system": False}
                self.notes[note["id"]] = note
                return 201, note
            if method == "PUT" and rest.isdigit():
                self.notes[int(rest)]["body"] = body["body"]
                return 200, self.notes[int(rest)]
        if route == "/repos/acme/compliance/pulls" and method == "GET":
            return 200, [{"number": 7}] if "head=acme:exclusion/web/EXC-1" in path else []
        if route == "/repos/acme/compliance/issues/7/comments":
            if method == "GET":
                return 200, list(self.notes.values())
            note = {"id": 500 + len(self.notes), "body": body["body"], "html_url": "https://github.example/c/1"}
            self.notes[note["id"]] = note
            return 201, note
        return 404, {"message": "404 Not Found"}


@pytest.fixture
def forge() -> Iterator[FakeForge]:
    fake = FakeForge()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null")
            if fake.slow:
                time.sleep(fake.slow)
            code, doc = fake.handle(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            data = b"[" + b"0," * 600_000 + b"0]" if fake.huge else json.dumps(doc).encode()
            code = 200 if fake.huge else code
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (the size cap, the timeout): what the tests want

        do_GET = do_POST = do_PUT = do_PATCH = _serve  # http.server's hook names

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def gitlab_env(forge: FakeForge, token: str = TOKEN) -> dict[str, str]:
    return {"TFGUARD_API_TOKEN": token, "CI_API_V4_URL": f"{forge.url}/api/v4", "CI_PROJECT_ID": "42",
            "CI_MERGE_REQUEST_IID": "3"}


def files(tmp_path: Path) -> list[str]:
    (tmp_path / "validate.md").write_text("#### ✅ tfguard exclusions validate\n\nvalid\n")
    (tmp_path / "summary.md").write_text("## tfguard observe\n\n3 workloads\n")
    return [str(tmp_path / "validate.md"), str(tmp_path / "summary.md")]


def test_a_merge_request_gets_one_note_updated_in_place(forge: FakeForge, tmp_path: Path) -> None:
    args = ["comment", "--forge", "gitlab", "--key", "exclusions", *files(tmp_path)]
    first = tfguard(*args, cwd=tmp_path, env=gitlab_env(forge))
    assert first.code == 0, first.stderr
    assert first.stdout.strip() == "created the tfguard:exclusions comment on merge request !3"
    (note,) = forge.notes.values()
    assert note["body"].startswith(marker("exclusions") + "\n#### ✅ tfguard exclusions validate")
    assert "3 workloads" in note["body"]
    (tmp_path / "summary.md").write_text("## tfguard observe\n\n4 workloads\n")
    second = tfguard(*args, cwd=tmp_path, env=gitlab_env(forge))
    assert second.stdout.strip() == "updated the tfguard:exclusions comment on merge request !3"
    (note,) = forge.notes.values()
    assert "4 workloads" in note["body"]
    assert [m for m, _, _ in forge.requests] == ["GET", "POST", "GET", "PUT"]
    assert all(h.get("private-token") == TOKEN for _, _, h in forge.requests)


def test_the_token_is_in_no_error_line(forge: FakeForge, tmp_path: Path) -> None:
    forge.refuse = 401  # and the forge echoes the token back in its message
    refused = tfguard("comment", "--forge", "gitlab", *files(tmp_path), cwd=tmp_path, env=gitlab_env(forge))
    assert refused.code == 2
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("tfguard: error: ") and "GET refused with HTTP 401" in line
    assert TOKEN not in refused.stdout + refused.stderr and "***" in line
    down = tfguard("comment", "--forge", "gitlab", *files(tmp_path), cwd=tmp_path,
                   env={**gitlab_env(forge), "CI_API_V4_URL": f"http://{TOKEN}@127.0.0.1:9/api/v4"})
    assert down.code == 2 and "cannot reach the forge" in down.stderr and TOKEN not in down.stderr


def test_without_token_or_merge_request_it_says_so(forge: FakeForge, tmp_path: Path) -> None:
    no_token = {**gitlab_env(forge), "TFGUARD_API_TOKEN": ""}
    strict = tfguard("comment", "--forge", "gitlab", *files(tmp_path), cwd=tmp_path, env=no_token)
    assert strict.code == 2 and "TFGUARD_API_TOKEN is not set" in strict.stderr
    optional = tfguard("comment", "--forge", "gitlab", "--optional", *files(tmp_path), cwd=tmp_path, env=no_token)
    assert optional.code == 0 and optional.stdout.startswith("no comment posted: no GitLab token")
    no_mr = tfguard("comment", "--forge", "gitlab", "--optional", *files(tmp_path), cwd=tmp_path,
                    env={**gitlab_env(forge), "CI_MERGE_REQUEST_IID": ""})
    assert no_mr.code == 0 and "not a merge request pipeline" in no_mr.stdout
    assert forge.requests == []


def test_github_finds_the_pull_request_of_a_branch_and_copies_the_text(forge: FakeForge, tmp_path: Path) -> None:
    env = {"GH_TOKEN_X": "ghs_Tq9wZ2mX7vLp4RkN", "GITHUB_API_URL": forge.url}
    run = tfguard("comment", "--forge", "github", "--token-env", "GH_TOKEN_X", "--repository", "acme/compliance",
                  "--branch", "exclusion/web/EXC-1", "--copy", str(tmp_path / "job-summary.md"), *files(tmp_path),
                  cwd=tmp_path, env=env)
    assert run.code == 0, run.stderr
    assert "created the tfguard:summary comment on pull request #7: https://github.example/c/1" in run.stdout
    (comment,) = forge.notes.values()
    assert (tmp_path / "job-summary.md").read_text() == comment["body"]
    assert all(h["authorization"] == "Bearer ghs_Tq9wZ2mX7vLp4RkN" for _, _, h in forge.requests)


def test_a_missing_file_is_said_in_the_comment(forge: FakeForge, tmp_path: Path) -> None:
    run = tfguard("comment", "--forge", "gitlab", str(tmp_path / "validate.md"), "out/summary.md", cwd=tmp_path,
                  env=gitlab_env(forge))
    assert run.code == 0 and "out/summary.md was not written" in run.stderr
    (note,) = forge.notes.values()
    assert "_`out/summary.md` was not written: see the job log._" in note["body"]


def test_a_body_over_the_forge_limit_is_cut_with_a_note() -> None:
    body = compose("k", ["x" * 500], 200)
    assert len(body) == 200 and body.startswith(marker("k")) and body.endswith("summary and artifacts)")


def test_the_helper_caps_answers_and_times_out(forge: FakeForge) -> None:
    forge.huge = True
    with pytest.raises(http.HttpError, match="the answer is larger than 1000 bytes"):
        http.request("GET", f"{forge.url}/x", max_bytes=1000)
    forge.huge, forge.slow = False, 2.0
    started = time.monotonic()
    with pytest.raises(http.HttpError) as err:
        http.request("GET", f"{forge.url}/x", timeout=0.3, secrets=["s3cr3t"], what="listing")
    assert time.monotonic() - started < 1.9
    assert err.value.line().startswith(f"{forge.url}/x: listing failed: ")


def test_scrub_removes_secrets_and_userinfo() -> None:
    assert http.scrub("https://bob:pw@h/x?t=abcd1234 abcd1234", ["abcd1234"]) == "https://h/x?t=*** ***"
