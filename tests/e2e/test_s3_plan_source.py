"""`plan_url: s3://BUCKET/KEY` against a real S3 HTTP API: moto in server mode, started here on 127.0.0.1
as its own process, with IAM enforcement on (INITIAL_NO_AUTH_ACTION_COUNT), so a denied read is S3's own
AccessDenied for a user whose policy does not reach the key. tfguard runs as a subprocess with the
reader's keys in the standard AWS environment variables and the endpoint in AWS_ENDPOINT_URL_S3."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import git, tfguard
from lifecycle import bucket_plan, build
from receivers import free_port

BUCKET = "tfguard-plans"
ADMIN_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
READER_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/plans/*"}]}


@dataclass
class MotoS3:
    endpoint: str
    admin: dict[str, str]
    reader: dict[str, str]  # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of a user who may read plans/* only

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1", **self.admin)


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "moto server exited"
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("moto server did not start")


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[MotoS3]:
    import boto3

    port = free_port()
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "3"}  # then every request is checked against IAM
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port, proc)
        endpoint = f"http://127.0.0.1:{port}"
        anonymous = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup",
                                 aws_secret_access_key="setup")
        anonymous.create_user(UserName="admin")
        anonymous.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(ADMIN_POLICY))
        key = anonymous.create_access_key(UserName="admin")["AccessKey"]
        s3 = MotoS3(endpoint, {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]},
                    {})
        iam = s3.client("iam")
        iam.create_user(UserName="reader")
        iam.put_user_policy(UserName="reader", PolicyName="plans", PolicyDocument=json.dumps(READER_POLICY))
        reader = iam.create_access_key(UserName="reader")["AccessKey"]
        s3.reader = {"AWS_ACCESS_KEY_ID": reader["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": reader["SecretAccessKey"]}
        s3.client("s3").create_bucket(Bucket=BUCKET)
        yield s3
    finally:
        proc.terminate()
        proc.wait(timeout=30)


WORKLOADS = {  # name -> the object key its plan_url names
    "good": "plans/good.json",
    "missing": "plans/missing.json",
    "denied": "restricted/denied.json",
    "notplan": "plans/notes.json",
}


def compliance_repo(tmp_path: Path, s3: MotoS3) -> Path:
    repo = build(tmp_path)
    for old in (repo.work / "pipeline" / "workloads").glob("*.yaml"):
        old.unlink()
    for name, key in WORKLOADS.items():
        doc = {"name": name, "owners": [{"name": "Team", "contact": f"{name}@example.com"}],
               "notify": ["mailto://127.0.0.1:9?from=tfguard@example.com"],
               "plan_url": f"s3://${{PLANS_BUCKET}}/{key}"}
        (repo.work / "pipeline" / "workloads" / f"{name}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    repo.commit_all("Workloads whose plans are S3 objects")
    client = s3.client("s3")
    client.put_object(Bucket=BUCKET, Key="plans/good.json", Body=json.dumps(bucket_plan(True)).encode())
    client.put_object(Bucket=BUCKET, Key="restricted/denied.json", Body=json.dumps(bucket_plan(True)).encode())
    client.put_object(Bucket=BUCKET, Key="plans/notes.json", Body=b'{"release": "2026-03", "owner": "orders"}')
    return repo.work


def test_plans_in_s3_are_observed_and_every_failure_is_one_line_and_an_error_row(tmp_path, moto_s3):
    work = compliance_repo(tmp_path, moto_s3)
    env = {**moto_s3.reader, "AWS_ENDPOINT_URL_S3": moto_s3.endpoint, "AWS_DEFAULT_REGION": "us-east-1",
           "PLANS_BUCKET": BUCKET, "AWS_CONFIG_FILE": str(tmp_path / "none"),
           "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
    run = tfguard("observe", "--ledger", "none", "--no-fetch", "--report-dir", str(tmp_path / "out"), cwd=work, env=env)
    assert run.code == 2, run.stderr  # error rows: a tool error, never read as compliant
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    errors = {w["name"]: w.get("error") or "" for w in doc["workloads"]}
    assert errors["good"] == ""
    good = [r for r in doc["results"] if r["workload"] == "good"]
    assert good and {r["status"] for r in good} == {"passed"}  # the plan was read and evaluated
    where = {name: f"s3://${{PLANS_BUCKET}}/{key}" for name, key in WORKLOADS.items()}
    assert errors["missing"] == f"{where['missing']}: reading the plan from S3 failed: no such object (NoSuchKey)"
    assert errors["denied"] == f"{where['denied']}: reading the plan from S3 failed: access denied (AccessDenied)"
    assert where["notplan"] in errors["notplan"] and "plan" in errors["notplan"]
    for name in ("missing", "denied", "notplan"):
        assert "\n" not in errors[name]
        (line,) = [ln for ln in run.stdout.splitlines() if ln.startswith(f"error: workload {name}:")]
        assert errors[name] in line
    secret = moto_s3.reader["AWS_SECRET_ACCESS_KEY"]
    outputs = run.stdout + run.stderr + "".join(p.read_text() for p in (tmp_path / "out").iterdir())
    assert secret not in outputs and moto_s3.reader["AWS_ACCESS_KEY_ID"] not in outputs


def test_without_credentials_the_workload_is_an_error_row(tmp_path, moto_s3):
    work = compliance_repo(tmp_path, moto_s3)
    env = {"AWS_ENDPOINT_URL_S3": moto_s3.endpoint, "AWS_DEFAULT_REGION": "us-east-1", "PLANS_BUCKET": BUCKET,
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
           "AWS_EC2_METADATA_DISABLED": "true"}
    run = tfguard("observe", "--ledger", "none", "--no-fetch", "--workload", "good", "--report-dir",
                  str(tmp_path / "out"), cwd=work, env=env)
    assert run.code == 2
    (row,) = json.loads((tmp_path / "out" / "results.json").read_text())["workloads"]
    assert row["error"].endswith("reading the plan from S3 failed: no AWS credentials found (the standard AWS chain: "
                                 "environment, profile, container or instance role)")
    assert git(work, "status", "--porcelain") == ""
