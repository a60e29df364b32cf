"""Fourteen terraform-compliance step kinds run through the real engine (both engines): verdicts,
failing addresses, and the planted database password redacted everywhere."""

import json
import shutil
from pathlib import Path

import pytest
from helpers import minimal_plan, tfguard
from helpers import resource_change as rc

DATA = Path(__file__).parent / "data" / "step_kinds"
SECRET = "Hunter2-Secret-Pass"

EXPECTED = {
    "K-01": ("failed", {"aws_s3_bucket.logs", 'module.store.aws_s3_bucket.data["eu"]'}),
    "K-02": ("failed", {"aws_s3_bucket.logs"}),
    "K-03": ("failed", {"aws_instance.web[0]"}),
    "K-04": ("passed", set()),
    "K-05": ("failed", {"aws_security_group.ssh"}),
    "K-06": ("failed", {"aws_security_group.ssh", 'module.store.aws_s3_bucket.data["eu"]'}),
    "K-07": ("failed", {"aws_s3_bucket.logs", 'module.store.aws_s3_bucket.data["eu"]'}),
    "K-08": ("not-applicable", set()),
    "K-09": ("failed", {"aws_db_instance.main"}),
    "K-10": ("failed", {"aws_db_instance.main"}),
    "K-11": ("failed", {"aws_db_instance.main"}),
    "K-13": ("failed", {"aws_db_instance.main"}),
    "K-14": ("failed", set()),  # @noskip with no aws_kms_key: fails without a resource to name
}


def step_kinds_plan() -> dict:
    return minimal_plan([
        rc("aws_s3_bucket", "logs", {"bucket": "logs", "acl": "private", "tags": {"owner": "a"}}),
        rc("aws_s3_bucket", "data", {"bucket": "d", "tags": {"env": "x"}}, index="eu", module="module.store"),
        rc("aws_instance", "web", {"instance_type": "m5.large", "tags": {"owner": "x"}}, index=0),
        rc("aws_security_group", "ssh", {"name": "ssh", "tags": None, "ingress": [{
            "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [],
            "description": "", "prefix_list_ids": [], "security_groups": [], "self": False}]}),
        rc("aws_db_instance", "main", {"storage_encrypted": False, "password": SECRET,
                                       "enabled_cloudwatch_logs_exports": ["error"], "tags": {"owner": "db"}},
           after_sensitive={"password": True}),
    ])


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_step_kinds_verdicts_and_addresses(tmp_path, engine):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(step_kinds_plan(), indent=2))
    features = tmp_path / "features"
    shutil.copytree(DATA, features)
    run = tfguard("check", "--plan", str(plan), "--features", str(features), "--format", "json",
                  "--engine", engine, "--workload", "kinds")
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    got = {r["guardrail"]: (r["status"], {f["address"] for f in r["findings"] if f["address"]})
           for r in doc["results"]}
    for gid, expected in EXPECTED.items():
        assert got[gid] == expected, gid
    assert SECRET not in run.stdout + run.stderr
    assert "(sensitive)" in run.stdout
