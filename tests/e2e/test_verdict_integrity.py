"""Verdicts that must not read as compliant when they are not: `tfguard check` end to end, real CLI, real
engine, on real-shaped plans and on static plans rendered from Terraform source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import FEATURES, tfguard

SIBLINGS_ROOT = """\
provider "aws" {
  region = "eu-west-1"
  default_tags { tags = { owner = "team-payments", environment = "prod", "cost-center" = "cc-1042" } }
}
module "secure" {
  source  = "./modules/bucket"
  name    = "acme-secure"
  encrypt = true
}
module "plain" {
  source  = "./modules/bucket"
  name    = "acme-plain"
  encrypt = false
}
module "tenant" {
  source   = "./modules/bucket"
  for_each = { a = true, b = false }
  name     = "acme-tenant-${each.key}"
  encrypt  = each.value
}
"""
SIBLINGS_MODULE = """\
variable "name" { type = string }
variable "encrypt" { type = bool }
resource "aws_s3_bucket" "this" {
  bucket = var.name
}
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = var.encrypt ? 1 : 0
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
  }
}
"""


def render(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "src"
    for rel, text in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text)
    plan = tmp_path / "plan.json"
    run = tfguard("plan-from-source", str(src), "-o", str(plan))
    assert run.code == 0, run.stderr
    return plan


def check_json(plan: Path, engine: str, *only: str) -> dict:
    args = [a for g in only for a in ("--only", g)]
    run = tfguard("check", "--plan", str(plan), "--features", str(FEATURES), "--engine", engine, "--no-cache",
                  "--format", "json", *args)
    assert run.code in (0, 1), run.stderr
    return json.loads(run.stdout)


def failing(doc: dict, gid: str) -> list[str]:
    [result] = [r for r in doc["results"] if r["guardrail"] == gid]
    return sorted(f["address"] for f in result["findings"])


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_a_static_plan_of_sibling_module_instances_keeps_each_companion_in_its_instance(tmp_path, engine):
    plan = render(tmp_path, {"main.tf": SIBLINGS_ROOT, "modules/bucket/main.tf": SIBLINGS_MODULE})
    doc = check_json(plan, engine, "S3-001")
    assert failing(doc, "S3-001") == ["module.plain.aws_s3_bucket.this", 'module.tenant["b"].aws_s3_bucket.this']


UNSET_SOURCE = """\
provider "aws" {
  region = "eu-west-1"
}
variable "retention_days" {
  type    = number
  default = null
}
# storage_encrypted unset: an Aurora provisioned cluster is unencrypted
resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "orders"
  engine                      = "aurora-postgresql"
  master_username             = "app"
  manage_master_user_password = true
  deletion_protection         = true
  backup_retention_period     = 7
}
# deletion_protection unset: the cluster can be deleted
resource "aws_neptune_cluster" "graph" {
  cluster_identifier      = "graph"
  storage_encrypted       = true
  backup_retention_period = 7
}
# retention null: RDS chooses it
resource "aws_db_instance" "reports" {
  identifier              = "reports"
  engine                  = "postgres"
  instance_class          = "db.t4g.small"
  allocated_storage       = 20
  storage_encrypted       = true
  deletion_protection     = true
  backup_retention_period = var.retention_days
}
# no metadata_options: the AMI decides whether IMDSv1 is allowed
resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = true
  }
}
"""


def verdicts(doc: dict) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    return {r["guardrail"]: (r["status"], sorted((f["address"], f["status"]) for f in r["findings"]))
            for r in doc["results"]}


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_unset_attributes_read_as_their_meaning_and_what_aws_chooses_is_unknown(tmp_path, engine):
    plan = render(tmp_path, {"main.tf": UNSET_SOURCE})
    doc = check_json(plan, engine, "RDS-001", "RDS-003", "RDS-004", "RDS-005", "EC2-001", "EC2-002")
    assert verdicts(doc) == {
        "RDS-001": ("failed", [("aws_rds_cluster.orders", "violation")]),
        "RDS-003": ("failed", [("aws_db_instance.reports", "violation")]),
        "RDS-004": ("unknown", [("aws_db_instance.reports", "unknown")]),
        "RDS-005": ("failed", [("aws_neptune_cluster.graph", "violation")]),
        "EC2-001": ("failed", [("aws_instance.web", "violation")]),
        "EC2-002": ("unknown", [("aws_instance.web", "unknown")]),
    }
    assert doc["summary"]["unknown"] == 2 and doc["summary"]["unknowns"] == 2 and doc["summary"]["exit_code"] == 1


def test_an_unknown_alone_fails_closed_and_is_counted_apart_in_every_format(tmp_path):
    plan = render(tmp_path, {"main.tf": UNSET_SOURCE})
    out = tmp_path / "reports"
    texts = {}
    for fmt in ("text", "json", "junit", "sarif", "markdown", "html"):
        run = tfguard("check", "--plan", str(plan), "--features", str(FEATURES), "--only", "EC2-002",
                      "--format", fmt, "--report-dir", str(out))
        assert run.code == 1, (fmt, run.stderr)  # unknown never reads as compliant
        texts[fmt] = run.stdout
    assert "UNKN  EC2-002" in texts["text"] and "0 failed, 1 unknown," in texts["text"]
    assert "aws_instance.web [unknown]" in texts["text"]
    summary = json.loads(texts["json"])["summary"]
    assert (summary["failed"], summary["unknown"], summary["violations"], summary["unknowns"]) == (0, 1, 0, 1)
    assert 'type="unknown"' in texts["junit"] and 'failures="1"' in texts["junit"]
    [result] = json.loads(texts["sarif"])["runs"][0]["results"]
    assert result["properties"]["status"] == "unknown" and "cannot be shown at plan time" in result["message"]["text"]
    assert "❓ 1 unknown" in texts["markdown"] and "Unknown at plan time" in texts["markdown"]
    assert "unknown at plan time" in texts["html"] and 'class="c unknown"' in texts["html"]
    assert {p.name for p in out.iterdir()} >= {"results.json", "junit.xml", "results.sarif", "summary.md",
                                                "dashboard.html"}


def test_a_cached_unknown_comes_back_unknown(tmp_path):
    plan = render(tmp_path, {"main.tf": UNSET_SOURCE})
    cache = tmp_path / "cache"
    docs = []
    for _ in range(2):
        run = tfguard("check", "--plan", str(plan), "--features", str(FEATURES), "--only", "EC2-002", "--only",
                      "RDS-004", "--cache-dir", str(cache), "--format", "json")
        assert run.code == 1, run.stderr
        docs.append(verdicts(json.loads(run.stdout)))
    assert any(cache.rglob("*.json"))
    assert docs[0] == docs[1] == {"EC2-002": ("unknown", [("aws_instance.web", "unknown")]),
                                  "RDS-004": ("unknown", [("aws_db_instance.reports", "unknown")])}
