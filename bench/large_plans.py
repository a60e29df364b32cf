"""Large plans: does a tfguard check grow linearly with the plan?

    python bench/large_plans.py [--sizes 1000 8000 32000 64000] [--naive-up-to 8000] [--workers 2]

Generates plans of SIZE resources from a realistic mix (per tenant module instance, `for_each` over
tenants: an S3 bucket with its v4+ companion resources, an EC2 instance, a security group with rules, an
RDS instance; plus root-level resources), with the configuration block that the engine reads to attach
companion resources. Side by side in one run, for each size:

- `tfguard check --no-cache` (the in-process engine),
- `tfguard check --no-cache --engine cli`,
- plain `terraform-compliance` on a library it can parse (tfguard's export --plain of features/),

each with wall time and peak RSS, and the growth ratio t(size)/t(previous size). Verdicts of the two
tfguard engines are compared (they must be identical). The naive runs stop after --naive-up-to
resources (they are the slow ones). Figures go in docs/performance.md."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from measure import run_measured  # noqa: E402

PER_TENANT = 12  # resources per tenant module instance (see _tenant)
ROOT_EVERY = 10  # one root-level bucket (with encryption) per this many tenants


def _change(address: str, rtype: str, name: str, after: dict[str, Any], module: str | None = None,
            index: Any = None) -> dict[str, Any]:
    rc: dict[str, Any] = {"address": address, "mode": "managed", "type": rtype, "name": name,
                          "provider_name": "registry.terraform.io/hashicorp/aws",
                          "change": {"actions": ["create"], "before": None, "after": after,
                                     "after_unknown": {"id": True, "arn": True}, "before_sensitive": False,
                                     "after_sensitive": {}}}
    if module:
        rc["module_address"] = module
    if index is not None:
        rc["index"] = index
    return rc


def _tenant(key: str, i: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, name, after) of one tenant module instance; every 7th tenant has gaps the guardrails find."""
    weak = i % 7 == 0
    tags = {"owner": f"team-{i % 40}@example.com", "cost-center": f"cc-{i % 13}", "environment": "prod"}
    out = [
        ("aws_s3_bucket", "this", {"bucket": f"tenant-{key}", "force_destroy": False, "tags": tags}),
        ("aws_s3_bucket_versioning", "this", {"versioning_configuration": [{"status": "Enabled"}]}),
        ("aws_s3_bucket_public_access_block", "this", {"block_public_acls": True, "block_public_policy": True,
                                                       "ignore_public_acls": True, "restrict_public_buckets": True}),
        ("aws_s3_bucket_logging", "this", {"target_bucket": "central-logs", "target_prefix": f"{key}/"}),
        ("aws_instance", "app", {"ami": "ami-0abcdef1234567890", "instance_type": "t3.micro", "monitoring": True,
                                 "ebs_optimized": True, "associate_public_ip_address": weak,
                                 "metadata_options": [{"http_tokens": "optional" if weak else "required",
                                                       "http_endpoint": "enabled"}],
                                 "root_block_device": [{"encrypted": not weak, "volume_size": 20}], "tags": tags}),
        ("aws_security_group", "app", {"name": f"app-{key}", "description": "app", "tags": tags,
                                       "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp",
                                                    "cidr_blocks": ["10.0.0.0/8"], "description": "https",
                                                    "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                                    "security_groups": [], "self": False}],
                                       "egress": []}),
        ("aws_security_group_rule", "ssh", {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp",
                                            "cidr_blocks": ["0.0.0.0/0" if weak else "10.1.0.0/16"]}),
        ("aws_db_instance", "main", {"engine": "postgres", "instance_class": "db.t3.micro", "storage_encrypted": not weak,
                                     "publicly_accessible": False, "backup_retention_period": 7,
                                     "deletion_protection": True, "multi_az": True, "tags": tags,
                                     "iam_database_authentication_enabled": True,
                                     "auto_minor_version_upgrade": True, "copy_tags_to_snapshot": True}),
        ("aws_cloudwatch_log_group", "app", {"name": f"/app/{key}", "retention_in_days": 365, "tags": tags}),
        ("aws_kms_key", "data", {"enable_key_rotation": not weak, "deletion_window_in_days": 30, "tags": tags}),
        ("aws_sqs_queue", "jobs", {"name": f"jobs-{key}", "sqs_managed_sse_enabled": True, "tags": tags}),
        ("aws_iam_role", "app", {"name": f"app-{key}", "assume_role_policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "ec2.amazonaws.com"}}]}),
                                 "tags": tags}),
    ] + ([] if weak else [("aws_s3_bucket_server_side_encryption_configuration", "this", {"rule": [{
        "apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}], "bucket_key_enabled": True}]})])
    return out


def _module_config(rows: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """The tenant module's configuration: companions reference aws_s3_bucket.this (what the engine mounts by)."""
    resources = []
    for rtype, name, _ in rows:
        expressions: dict[str, Any] = {}
        if rtype.startswith("aws_s3_bucket_"):
            expressions["bucket"] = {"references": ["aws_s3_bucket.this.id", "aws_s3_bucket.this"]}
        if rtype == "aws_security_group_rule":
            expressions["security_group_id"] = {"references": ["aws_security_group.app.id", "aws_security_group.app"]}
        resources.append({"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name,
                          "provider_config_key": "aws", "expressions": expressions, "schema_version": 0})
    return {"resources": resources}


def make_plan(size: int) -> dict[str, Any]:
    tenants = max(1, size // (PER_TENANT + 1))
    changes: list[dict[str, Any]] = []
    child_modules: list[dict[str, Any]] = []
    root_resources: list[dict[str, Any]] = []
    full_rows = _tenant("x", 1)
    for i in range(tenants):
        key = f"t{i:05d}"
        module = f'module.tenant["{key}"]'
        resources = []
        for rtype, name, after in _tenant(key, i):
            address = f"{module}.{rtype}.{name}"
            changes.append(_change(address, rtype, name, after, module))
            resources.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                              "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                              "values": after, "sensitive_values": {}})
        child_modules.append({"address": module, "resources": resources})
        if i % ROOT_EVERY == 0:
            name = f"archive_{i:05d}"
            after = {"bucket": f"archive-{i}", "tags": {"owner": "platform@example.com"},
                     "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [
                         {"sse_algorithm": "AES256"}]}]}], "versioning": [{"enabled": True}]}
            changes.append(_change(f"aws_s3_bucket.{name}", "aws_s3_bucket", name, after))
            root_resources.append({"address": f"aws_s3_bucket.{name}", "mode": "managed", "type": "aws_s3_bucket",
                                   "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
                                   "schema_version": 0, "values": after, "sensitive_values": {}})
    config_root = {"resources": [{"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                                  "provider_config_key": "aws", "expressions": {}, "schema_version": 0}
                                 for r in root_resources],
                   "module_calls": {"tenant": {"source": "./modules/tenant", "for_each_expression": {
                       "references": ["var.tenants"]}, "module": _module_config(full_rows)}}}
    return {"format_version": "1.1", "terraform_version": "1.5.7",
            "planned_values": {"root_module": {"resources": root_resources, "child_modules": child_modules}},
            "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {"name": "aws"}}, "root_module": config_root}}


def _verdicts(results: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    doc = json.loads(results.read_text())
    return {r["guardrail"]: (r["status"], tuple(sorted(f["address"] for f in r.get("findings", []))))
            for r in doc["results"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 8000, 32000, 64000])
    ap.add_argument("--naive-up-to", type=int, default=8000, help="largest size for the cli and plain runs")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    tfguard = [sys.executable, "-m", "runner"]
    print(f"{'resources':>9} {'MB':>5} | {'tfguard s':>9} {'RSS MiB':>7} {'growth':>6} | {'--engine cli s':>14} "
          f"{'RSS MiB':>7} | {'plain s':>7} {'RSS MiB':>7} | verdicts", flush=True)
    prev: float | None = None
    worst = 0
    with tempfile.TemporaryDirectory(prefix="tfguard-large-") as tmp_s:
        tmp = Path(tmp_s)
        plain_features = tmp / "plain-features"
        subprocess.run([*tfguard, "export", "--plain", str(plain_features)], cwd=ROOT, check=True,
                       capture_output=True)
        for size in args.sizes:
            plan = make_plan(size)
            path = tmp / f"plan-{size}.json"
            path.write_text(json.dumps(plan))
            n = len(plan["resource_changes"])
            out = tmp / f"out-{size}"
            ours = run_measured([*tfguard, "check", "--plan", str(path), "--no-cache", "--no-exclusions",
                                 "--workers", str(args.workers), "--report-dir", str(out), "--format", "json"],
                                cwd=str(ROOT))
            growth = f"{ours[0] / prev:6.2f}" if prev else "     -"
            prev = ours[0]
            cli_text = plain_text = "      -        -"
            verdict = "-"
            if size <= args.naive_up_to:
                cli_out = tmp / f"cli-{size}"
                cli = run_measured([*tfguard, "check", "--plan", str(path), "--no-cache", "--no-exclusions",
                                    "--engine", "cli", "--workers", str(args.workers), "--report-dir", str(cli_out),
                                    "--format", "json"], cwd=str(ROOT))
                cli_text = f"{cli[0]:14.1f} {cli[2] / 1024:7.0f}"
                same = _verdicts(out / "results.json") == _verdicts(cli_out / "results.json")
                verdict = "identical" if same else "DIFFERENT"
                worst = max(worst, 0 if same else 1)
                plain = run_measured([str(Path(sys.executable).parent / "terraform-compliance"), "-f",
                                      str(plain_features), "-p", str(path)])
                plain_text = f"{plain[0]:7.1f} {plain[2] / 1024:7.0f}"
            print(f"{n:9d} {path.stat().st_size / 2**20:5.1f} | {ours[0]:9.1f} {ours[2] / 1024:7.0f} {growth} | "
                  f"{cli_text} | {plain_text} | {verdict}", flush=True)
    return worst


if __name__ == "__main__":
    sys.exit(main())
