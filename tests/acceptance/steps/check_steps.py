import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from behave import given, then, when

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from helpers import minimal_plan, resource_change  # noqa: E402

FEATURE = """Feature: Storage
  @id:S3-001 @severity:high
  Scenario: S3 buckets are encrypted
    Remediation: Add an aws_s3_bucket_server_side_encryption_configuration resource for the bucket.
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration
"""
ENCRYPTION = [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256",
                                                                     "kms_master_key_id": ""}]}]}]


def _workspace(context) -> Path:
    if not hasattr(context, "workspace"):
        context.workspace = Path(tempfile.mkdtemp(prefix="tfguard-acceptance-"))
    return context.workspace


@given('a guardrail library with an S3 encryption guardrail "{gid}"')
def step_library(context, gid):
    features = _workspace(context) / "features"
    features.mkdir(exist_ok=True)
    (features / "storage.feature").write_text(FEATURE.replace("S3-001", gid))
    context.features = features


def _write_plan(context, changes):
    context.plan = _workspace(context) / "plan.json"
    context.plan.write_text(json.dumps(minimal_plan(changes), indent=2))


@given('a plan with an encrypted bucket "{name}"')
def step_encrypted(context, name):
    _write_plan(context, [resource_change("aws_s3_bucket", name, {
        "bucket": name, "server_side_encryption_configuration": ENCRYPTION})])


@given('a plan with an unencrypted bucket "{name}" in module "{module}" with key "{key}"')
def step_unencrypted(context, name, module, key):
    _write_plan(context, [resource_change("aws_s3_bucket", name, {"bucket": name}, index=key,
                                          module=f"module.{module}")])


@given("a plan file that is truncated")
def step_truncated(context):
    context.plan = _workspace(context) / "plan.json"
    context.plan.write_text('{"format_version": "1.2", "planned_values": {"root_mod')


@when("the compliance check runs on that plan")
def step_run(context):
    proc = subprocess.run([sys.executable, "-m", "runner", "check", "--plan", str(context.plan),
                           "--features", str(context.features)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ}, stdin=subprocess.DEVNULL)
    context.proc = proc


@then("the check exits with {code:d}")
def step_exit(context, code):
    assert context.proc.returncode == code, (context.proc.returncode, context.proc.stdout, context.proc.stderr)


@then('the output reports "{gid}" as passed')
def step_passed(context, gid):
    assert f"PASS  {gid}" in context.proc.stdout, context.proc.stdout


@then("the output names the resource '{address}'")
def step_names(context, address):
    assert address in context.proc.stdout, context.proc.stdout


@then("the output tells how to fix it")
def step_fix(context):
    assert "fix: Add an aws_s3_bucket_server_side_encryption_configuration" in context.proc.stdout


@then("the error is one line naming the plan file")
def step_one_line(context):
    lines = context.proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(context.plan) in lines[0] and "truncated JSON" in lines[0], lines
