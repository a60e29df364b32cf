"""runner.rules_store: the cache of mainline rule checkouts, against real git repositories and bare remotes.

The http tests run a real `git http-backend` behind a small local HTTP server (127.0.0.1 only) that asks
for basic authentication; nothing is mocked."""

from __future__ import annotations

import base64
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import git, make_bare_remote, make_repo

from runner.errors import GitError, UsageError
from runner.git import TOKEN_ENV, credential_args, git_env, scrub
from runner.rules_store import (
    RemoteUnavailable,
    Store,
    describe_age,
    parse_url,
    strip_userinfo,
    validate_request,
)

FEATURE = """Feature: Storage
  @id:TST-001 @severity:high
  Scenario: buckets are encrypted
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration
"""
FILES = {"features/storage.feature": FEATURE, "exclusions/payments.yaml": "workload: payments\nexclusions: []\n",
         "tfguard.yaml": "observation:\n  mainline: main\n", "README.md": "compliance\n",
         "docs/big.md": "not needed by enforce\n"}


@pytest.fixture()
def compliance(tmp_path: Path) -> tuple[Path, Path]:
    """(work tree, bare remote): mainline `main` with two commits, and a feature branch `feat`."""
    work = make_repo(tmp_path / "compliance", FILES)
    (work / "features" / "second.feature").write_text(FEATURE.replace("TST-001", "TST-002"))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "second guardrail")
    git(work, "tag", "v1")
    git(work, "checkout", "-q", "-b", "feat")
    (work / "exclusions" / "payments.yaml").write_text("workload: payments\nexclusions: []\n# feat\n")
    git(work, "commit", "-q", "-am", "on a feature branch")
    git(work, "checkout", "-q", "main")
    return work, make_bare_remote(tmp_path, work)


def sha(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", rev)


def resolve(url: str, **kw: object):
    with Store().checkout(validate_request(url, **kw)) as co:  # type: ignore[arg-type]
        return co


# --- URLs and requests ------------------------------------------------------------------------------


def test_parse_url_kinds(tmp_path: Path) -> None:
    assert parse_url(str(tmp_path)).kind == "local"
    assert parse_url("rel/path").public == os.path.abspath("rel/path")
    assert parse_url("file:///srv/compliance.git").kind == "file"
    assert parse_url("git@github.com:org/compliance.git").kind == "ssh"
    ssh = parse_url("ssh://git@host.example/org/compliance.git")
    assert (ssh.kind, ssh.public) == ("ssh", "ssh://git@host.example/org/compliance.git")
    https = parse_url("https://user:s3cret-token@git.example.com/org/compliance.git")
    assert (https.kind, https.public) == ("https", "https://git.example.com/org/compliance.git")
    assert "s3cret" not in https.key


@pytest.mark.parametrize("url", ["--upload-pack=touch /tmp/x", "-u", "ext::sh -c touch% /tmp/pwned",
                                 "fd::17", "ftp://host/repo", "https://host/repo\n--upload-pack=x", ""])
def test_parse_url_refuses_options_helpers_and_odd_schemes(url: str) -> None:
    with pytest.raises(UsageError):
        parse_url(url)


def test_option_looking_url_never_reaches_git(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(UsageError, match="starts with '-'"):
        resolve(f"--upload-pack=touch {marker}")
    assert not marker.exists()


def test_strip_userinfo_and_scrub(monkeypatch: pytest.MonkeyPatch) -> None:
    assert strip_userinfo("https://tok@h/r") == "https://h/r"
    assert strip_userinfo("https://u:p@h:8443/r") == "https://h:8443/r"
    assert strip_userinfo("ssh://u:p@h/r") == "ssh://h/r"
    monkeypatch.setenv(TOKEN_ENV, "ghp_verysecret")
    text = scrub("fatal: unable to access 'https://x:ghp_verysecret@h/r': 401; token ghp_verysecret")
    assert "verysecret" not in text
    assert "https://h/r" in text


def test_validate_request() -> None:
    req = validate_request("/srv/c.git", "refs/heads/main", "A" * 40)
    assert (req.mainline, req.pin, req.ref) == ("main", "a" * 40, "refs/heads/main")
    for bad in ("-main", "a..b", "main.lock", "x@{1}", "a b"):
        with pytest.raises(UsageError):
            validate_request("/srv/c.git", bad)
    with pytest.raises(UsageError, match="full commit SHA"):
        validate_request("/srv/c.git", pin="abc123")


def test_describe_age() -> None:
    assert describe_age(42) == "42 s"
    assert describe_age(5 * 60) == "5 min"
    assert describe_age(3 * 3600 + 120) == "3 h 2 min"
    assert describe_age(3 * 86400 + 3600) == "3 days 1 h"


# --- resolving and caching ---------------------------------------------------------------------------


def test_resolves_mainline_to_sha_and_extracts_rule_files_only(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    co = resolve(str(bare))
    assert co.commit == sha(work, "main")
    assert (co.url, co.ref, co.pinned, co.cached) == (str(bare), "refs/heads/main", False, False)
    assert sorted(p.name for p in co.path.iterdir()) == ["exclusions", "features", "tfguard.yaml"]
    assert co.warnings == ()
    assert (co.features / "second.feature").is_file()
    assert co.path == Store().directory(parse_url(str(bare))) / "checkouts" / co.commit
    assert co.as_source()["commit"] == co.commit
    assert str(Path(os.environ["XDG_CACHE_HOME"]) / "tfguard") in str(co.path)


def test_fetches_only_mainline_shallow_without_tags(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    co = resolve(str(bare))
    repo = co.path.parent.parent / "repo.git"
    assert git(repo, "rev-parse", "--is-shallow-repository") == "true"
    assert git(repo, "for-each-ref", "--format=%(refname)") == "refs/tfguard/main"
    assert git(repo, "rev-list", "--all", "--count") == "1"
    missing = subprocess.run(["git", "--git-dir", str(repo), "cat-file", "-e", sha(work, "feat")],
                             capture_output=True, check=False)
    assert missing.returncode != 0


def test_reuses_checkout_between_runs_and_moves_with_mainline(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    first = resolve(str(bare))
    stamp = (first.features / "storage.feature").stat().st_mtime_ns  # a rebuilt checkout writes it again
    again = resolve(str(bare))
    assert (again.features / "storage.feature").stat().st_mtime_ns == stamp and again.warnings == ()
    (work / "features" / "third.feature").write_text(FEATURE.replace("TST-001", "TST-003"))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "third")
    git(work, "push", "-q", "origin", "main")
    moved = resolve(str(bare))
    assert moved.commit == sha(work, "main") != first.commit
    assert (moved.features / "third.feature").exists()
    assert first.path.is_dir()  # older checkouts stay (pruned only beyond the newest few)


def test_pin_on_mainline_is_accepted(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    older = sha(work, "main~1")
    co = resolve(str(bare), pin=older)
    assert (co.commit, co.pinned) == (older, True)
    assert not (co.features / "second.feature").exists()


def test_pin_off_mainline_is_refused(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    for pin in (sha(work, "feat"), "0" * 40):
        with pytest.raises(GitError, match="not on the mainline 'main'"):
            resolve(str(bare), pin=pin)


def test_mainline_must_be_the_default_branch(compliance: tuple[Path, Path]) -> None:
    _, bare = compliance
    with pytest.raises(GitError, match="'feat' is not the mainline"):
        resolve(str(bare), mainline="feat")
    with pytest.raises(GitError, match="branch 'nope' not found"):
        resolve(str(bare), mainline="nope")


def test_repository_without_features_is_refused(tmp_path: Path) -> None:
    bare = make_bare_remote(tmp_path, make_repo(tmp_path / "app", {"main.tf": "# app\n"}))
    with pytest.raises(GitError, match="no features/ directory"):
        resolve(str(bare))


def test_file_url(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    assert resolve(f"file://{bare}").commit == sha(work, "main")


# --- fail closed, --allow-cached -------------------------------------------------------------------------


def test_unreachable_remote_fails_with_one_line(compliance: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(RemoteUnavailable) as err:
        resolve(str(tmp_path / "missing.git"))
    line = err.value.line()
    assert "cannot reach the rules repository" in line and "\n" not in line


def test_allow_cached_falls_back_to_last_fetched_mainline(compliance: tuple[Path, Path]) -> None:
    _, bare = compliance
    fresh = resolve(str(bare))
    shutil.move(bare, bare.with_name("moved.git"))
    with pytest.raises(RemoteUnavailable):
        resolve(str(bare))
    cached = resolve(str(bare), allow_cached=True)
    assert (cached.commit, cached.cached, cached.path) == (fresh.commit, True, fresh.path)
    assert "cannot reach" in cached.unavailable
    assert 0 <= cached.age_seconds() < 600
    assert cached.as_source()["cached"] == "true"


def test_allow_cached_without_cache_still_fails(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="no cached mainline"):
        resolve(str(tmp_path / "missing.git"), allow_cached=True)


def test_allow_cached_with_a_verified_pin(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    older = sha(work, "main~1")
    resolve(str(bare), pin=older)
    shutil.move(bare, bare.with_name("moved.git"))
    assert resolve(str(bare), pin=older, allow_cached=True).commit == older
    with pytest.raises(GitError, match="no cached mainline"):
        resolve(str(bare), pin=sha(work, "main"), allow_cached=True)


def test_leftovers_and_corrupt_state_are_ignored(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    base = Store().directory(parse_url(str(bare)))
    base.mkdir(parents=True)
    (base / ".tmp-checkout-dead").mkdir()
    (base / "state.json").write_text("{not json")
    assert resolve(str(bare)).commit == sha(work, "main")
    assert not (base / ".tmp-checkout-dead").exists()
    assert json.loads((base / "state.json").read_text())["mainline"]["main"]["commit"] == sha(work, "main")


def test_concurrent_checkouts_share_one_cache(compliance: tuple[Path, Path]) -> None:
    """Threads take the flock through their own file descriptions, as separate processes do."""
    work, bare = compliance
    results: list[str] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            co = resolve(str(bare))
            assert (co.features / "storage.feature").read_text() == FEATURE
            results.append(co.commit)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [sha(work, "main")] * 4


# --- credentials over http ------------------------------------------------------------------------------


def test_token_reaches_git_through_a_helper_never_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "tok-123456")
    url = parse_url("https://git.example.com/org/compliance.git")
    args = credential_args(url.kind == "https")
    assert "tok-123456" not in " ".join(args)
    proc = subprocess.run(["git", *args, "credential", "fill"], input="protocol=https\nhost=git.example.com\n\n",
                          capture_output=True, text=True, env=git_env(), check=True)
    assert "password=tok-123456" in proc.stdout and "username=x-access-token" in proc.stdout
    assert credential_args(parse_url("/srv/local.git").kind == "https") == []


class _GitHttp(http.server.BaseHTTPRequestHandler):
    """Basic auth (x-access-token:good-token), then `git http-backend` as a CGI."""

    root = ""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        expected = "Basic " + base64.b64encode(b"x-access-token:good-token").decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="rules"')
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        env = {"GIT_PROJECT_ROOT": self.root, "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": path,
               "QUERY_STRING": query, "REQUEST_METHOD": self.command, "REMOTE_USER": "x-access-token",
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
               "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""), "PATH": os.environ["PATH"]}
        out = subprocess.run(["git", "http-backend"], input=body, capture_output=True, env=env, check=False).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.decode().split("\r\n"):
            key, _, value = line.partition(": ")
            if key.lower() == "status":
                status = int(value.split()[0])
            elif key:
                headers.append((key, value))
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture()
def http_remote(compliance: tuple[Path, Path]) -> Iterator[tuple[Path, str]]:
    work, bare = compliance
    handler = type("Handler", (_GitHttp,), {"root": str(bare.parent)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield work, f"http://127.0.0.1:{server.server_address[1]}/{bare.name}"
    finally:
        server.shutdown()
        server.server_close()


def test_http_with_token_from_environment(http_remote: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    work, url = http_remote
    monkeypatch.setenv(TOKEN_ENV, "good-token")
    assert resolve(url).commit == sha(work, "main")


def test_http_bad_credentials_one_clear_line_without_secrets(http_remote: tuple[Path, str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _, url = http_remote
    monkeypatch.setenv(TOKEN_ENV, "wrong-token")
    with pytest.raises(RemoteUnavailable) as err:
        resolve(url.replace("http://", "http://someone:url-secret@"))
    line = err.value.line()
    assert "authentication failed" in line and TOKEN_ENV in line
    assert "wrong-token" not in line and "url-secret" not in line and "\n" not in line


def test_refused_connection_scrubs_userinfo(tmp_path: Path) -> None:
    with pytest.raises(RemoteUnavailable) as err:
        resolve("https://user:pa55word@127.0.0.1:9/org/compliance.git")
    assert "pa55word" not in err.value.line()
    assert "https://127.0.0.1:9/org/compliance.git" in err.value.line()


def test_ssh_runs_in_batch_mode_and_reports_ssh_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GIT_SSH_COMMAND", raising=False)
    monkeypatch.delenv("GIT_SSH", raising=False)
    url = parse_url("ssh://git@127.0.0.1:9/org/compliance.git")
    assert git_env(url)["GIT_SSH_COMMAND"].endswith("-o BatchMode=yes")
    assert git_env(url)["GIT_TERMINAL_PROMPT"] == "0"
    with pytest.raises(RemoteUnavailable, match="Connection refused"):
        resolve(url.raw)


def test_unwritable_cache_is_a_usage_error(compliance: tuple[Path, Path], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    request = validate_request(str(compliance[1]))
    with pytest.raises(UsageError, match="cannot use the rules cache"), Store(blocker / "tfguard").checkout(request):
        pass


def test_allow_cached_ignores_a_state_without_date(compliance: tuple[Path, Path]) -> None:
    _, bare = compliance
    co = resolve(str(bare))
    state = co.path.parent.parent / "state.json"
    state.write_text(json.dumps({"mainline": {"main": {"commit": co.commit}}}))
    shutil.move(bare, bare.with_name("moved.git"))
    with pytest.raises(GitError, match="no cached mainline"):
        resolve(str(bare), allow_cached=True)


# --- the cache checked against the commit it claims -------------------------------------------------------


def test_the_workload_registry_is_extracted_with_the_rules(tmp_path: Path) -> None:
    work = make_repo(tmp_path / "c", {**FILES, "pipeline/workloads/payments.yaml": "name: payments\n",
                                      "pipeline/github/app.yml": "not a rule file\n"})
    co = resolve(str(make_bare_remote(tmp_path, work)))
    assert sorted(p.name for p in co.path.iterdir()) == ["exclusions", "features", "pipeline", "tfguard.yaml"]
    assert [p.name for p in (co.path / "pipeline").iterdir()] == ["workloads"]
    assert (co.path / "pipeline" / "workloads" / "payments.yaml").read_text() == "name: payments\n"


@pytest.mark.parametrize("tamper", ["edit", "add", "remove", "chmod", "config"])
def test_a_checkout_changed_on_disk_is_discarded_extracted_again_and_reported(
        compliance: tuple[Path, Path], tamper: str) -> None:
    _, bare = compliance
    first = resolve(str(bare))
    feature = first.features / "storage.feature"
    if tamper == "edit":
        feature.write_text(FEATURE.replace("Then it must contain", "Then it must not contain"))
    elif tamper == "add":
        (first.features / "zz.feature").write_text(FEATURE.replace("TST-001", "TST-009"))
    elif tamper == "remove":
        feature.unlink()
    elif tamper == "chmod":
        feature.chmod(0o755)
    else:
        (first.path / "tfguard.yaml").write_text("exclusions:\n  approvers: [mallory@example.com]\n")
    again = resolve(str(bare))
    assert again.commit == first.commit
    assert len(again.warnings) == 1 and f"checkout of {first.commit[:12]} did not match" in again.warnings[0]
    assert (again.features / "storage.feature").read_text() == FEATURE
    assert not (again.features / "zz.feature").exists()
    assert (again.path / "tfguard.yaml").read_text() == FILES["tfguard.yaml"]
    assert resolve(str(bare)).warnings == ()  # repaired for the next run


def _loose_object(repo: Path, oid: str) -> Path:
    return repo / "objects" / oid[:2] / oid[2:]


def _swap_blob(repo: Path, blob: str, text: str) -> None:
    """Put a valid object of other content where git looks for `blob` first (a loose object file)."""
    other = subprocess.run(["git", "--git-dir", str(repo), "hash-object", "-w", "--stdin"], input=text,
                           capture_output=True, text=True, check=True).stdout.strip()
    target = _loose_object(repo, blob)
    target.parent.mkdir(exist_ok=True)
    shutil.copy(_loose_object(repo, other), target)
    assert git(repo, "cat-file", "-p", blob) == text.strip()  # git itself serves the swapped content


def test_a_store_whose_objects_were_swapped_is_fetched_again(compliance: tuple[Path, Path]) -> None:
    """An attacker who can write the cache replaces the blob of a feature file in the bare store (a valid
    object of other content under the old id) and the checkout with it: both are caught by their hashes."""
    work, bare = compliance
    first = resolve(str(bare))
    repo = first.path.parent.parent / "repo.git"
    evil = FEATURE.replace("Then it must contain", "Then it must not contain")
    _swap_blob(repo, git(work, "rev-parse", "main:features/storage.feature"), evil)
    (first.features / "storage.feature").write_text(evil)
    again = resolve(str(bare))
    assert (again.features / "storage.feature").read_text() == FEATURE
    assert any("git store did not match" in w for w in again.warnings)


def test_with_the_remote_down_a_changed_checkout_is_rebuilt_from_the_verified_store(
        compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    first = resolve(str(bare))
    (first.features / "storage.feature").write_text("Feature: nothing to see\n")
    moved = bare.with_name("moved.git")
    bare.rename(moved)
    cached = resolve(str(bare), allow_cached=True)
    assert cached.cached and cached.commit == first.commit
    assert (cached.features / "storage.feature").read_text() == FEATURE
    assert len(cached.warnings) == 1 and "did not match" in cached.warnings[0]


def test_with_the_remote_down_a_swapped_store_is_an_error_not_a_verdict(compliance: tuple[Path, Path]) -> None:
    work, bare = compliance
    first = resolve(str(bare))
    repo = first.path.parent.parent / "repo.git"
    evil = "Feature: nothing to see\n"
    _swap_blob(repo, git(work, "rev-parse", "main:features/storage.feature"), evil)
    (first.features / "storage.feature").write_text(evil)
    bare.rename(bare.with_name("moved.git"))
    with pytest.raises(GitError, match=f"does not hold commit {first.commit[:12]} intact"):
        resolve(str(bare), allow_cached=True)
    assert not (first.features / "storage.feature").exists()  # the changed checkout is gone, never read


def test_a_pin_recorded_in_a_forged_state_file_is_still_checked_against_the_mainline(
        compliance: tuple[Path, Path]) -> None:
    """state.json sits in the cache as well: a feature-branch commit written there as a verified pin (and its
    objects put into the store) must not pass for mainline."""
    work, bare = compliance
    first = resolve(str(bare))
    base = first.path.parent.parent
    git(base, "--git-dir", "repo.git", "fetch", "-q", str(bare), "feat:refs/planted/feat")
    feat = sha(work, "feat")
    state = json.loads((base / "state.json").read_text())
    state["pins"] = {feat: {"mainline": "main", "tip": first.commit, "fetched_at": "2026-01-01T00:00:00+00:00"}}
    (base / "state.json").write_text(json.dumps(state))
    with pytest.raises(GitError, match="not on the mainline 'main'"):
        resolve(str(bare), pin=feat)
