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
