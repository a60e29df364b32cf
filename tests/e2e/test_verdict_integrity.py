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


# One resource per type, each leaving to the provider what the guardrails of the library issue judge. A
# static plan leaves an unset argument out; "resource that supports X" and "When its X is ..." then skipped
# the resource: every guardrail below was not applicable (found by the differential bench's breadth run).
UNSET_BREADTH_SOURCE = """\
provider "aws" {
  region = "eu-west-1"
}
resource "aws_opensearch_domain" "scratch" {
  domain_name    = "scratch"
  engine_version = "OpenSearch_2.13"
  cluster_config {
    instance_type = "t3.small.search"
  }
}
resource "aws_alb" "legacy" {
  name    = "legacy"
  subnets = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}
resource "aws_elasticache_cluster" "sessions" {
  cluster_id      = "sessions"
  engine          = "redis"
  node_type       = "cache.t4g.small"
  num_cache_nodes = 1
}
resource "aws_api_gateway_stage" "test" {
  rest_api_id   = "a1b2c3d4e5"
  deployment_id = "abc123"
  stage_name    = "test"
}
resource "aws_secretsmanager_secret" "token" {
  name = "partner/token"
}
"""
BREADTH_GUARDRAILS = ("OS-001", "OS-002", "OS-003", "OS-004", "OS-005", "OS-006", "ELB-001", "ELB-002", "ELB-004", "ECC-003",
                      "ECC-007", "API-002", "SM-003")


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_unset_arguments_of_the_library_types_are_judged_as_the_provider_defaults(tmp_path, engine):
    plan = render(tmp_path, {"main.tf": UNSET_BREADTH_SOURCE})
    doc = check_json(plan, engine, *BREADTH_GUARDRAILS)
    failed = {g: failing(doc, g) for g in BREADTH_GUARDRAILS}
    assert failed == {
        **{g: ["aws_opensearch_domain.scratch"] for g in ("OS-001", "OS-002", "OS-003", "OS-004", "OS-005", "OS-006")},
        **{g: ["aws_alb.legacy"] for g in ("ELB-001", "ELB-002", "ELB-004")},
        "ECC-003": ["aws_elasticache_cluster.sessions"],  # no snapshot_retention_limit: no backups
        "ECC-007": ["aws_elasticache_cluster.sessions"],  # no subnet group: the default one
        "API-002": ["aws_api_gateway_stage.test"],  # no client certificate
        "SM-003": ["aws_secretsmanager_secret.token"],  # the AWS managed key
    }
    assert all(r["status"] == "failed" for r in doc["results"])


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


LB_CACHE_WAREHOUSE_SOURCE = """\
provider "aws" {
  region = "eu-west-1"
}
# everything left unset: an Application Load Balancer without deletion protection, access logs or
# invalid-header dropping, in the defensive desync mode
resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"]
}
# a Classic Load Balancer's access_logs block logs unless it says enabled = false
resource "aws_elb" "legacy" {
  name               = "legacy"
  availability_zones = ["eu-west-1a", "eu-west-1b"]
  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 443
    lb_protocol       = "https"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:111122223333:certificate/0d8c3b1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
  }
  access_logs {
    bucket = "acme-lb-logs"
  }
}
# a redirect without protocol keeps the request's protocol: plain HTTP
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "sessions"
  node_type            = "cache.t4g.small"
}
# a member of the group: judged through the group, never on its own
resource "aws_elasticache_cluster" "sessions_reader" {
  cluster_id           = "sessions-reader"
  replication_group_id = aws_elasticache_replication_group.sessions.id
}
resource "aws_redshift_cluster" "dw" {
  cluster_identifier = "dw"
  node_type          = "ra3.xlplus"
  master_username    = "analytics"
}
"""


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_load_balancers_caches_and_warehouses_left_unset_are_judged_as_the_provider_plans_them(tmp_path, engine):
    """Before the provider defaults of these types, a static plan left the arguments out: ELB-001/002/004 and
    NET-007 were not applicable (a silent pass), ELB-003 failed a Classic LB that logs, ECC-003 passed a group
    without backups."""
    plan = render(tmp_path, {"main.tf": LB_CACHE_WAREHOUSE_SOURCE})
    wanted = ("ELB-001", "ELB-002", "ELB-003", "ELB-004", "ELB-005", "NET-007", "ECC-001", "ECC-003", "ECC-005",
              "RSH-001", "RSH-002", "RSH-004", "RSH-006")
    got = verdicts(check_json(plan, engine, *wanted))
    lb, group, dw = "aws_lb.web", "aws_elasticache_replication_group.sessions", "aws_redshift_cluster.dw"
    assert got == {
        "ELB-001": ("failed", [(lb, "violation")]),
        "ELB-002": ("failed", [(lb, "violation")]),
        "ELB-003": ("passed", []),
        "ELB-004": ("failed", [(lb, "violation")]),
        "ELB-005": ("not-applicable", []),
        "NET-007": ("failed", [("aws_lb_listener.http", "violation")]),
        "ECC-001": ("unknown", [(group, "unknown")]),  # AWS picks it by engine: known only after apply
        "ECC-003": ("failed", [(group, "violation")]),
        "ECC-005": ("failed", [(group, "violation")]),
        "RSH-001": ("failed", [(dw, "violation")]),  # publicly_accessible defaults to true in provider v5
        "RSH-002": ("failed", [(dw, "violation")]),
        "RSH-004": ("unknown", [(dw, "unknown")]),
        "RSH-006": ("not-applicable", []),
    }


# --- companions: paired by instance key (runner/engine/companions.py) -----------------------------------

GUARDRAIL_FIXTURES = Path(__file__).resolve().parents[1] / "guardrails"
COMPANION_PLANS = {  # fixture plan -> {guardrail: (status, [(address, finding status)])}
    "S3-003/fail/for_each_companions_pair_by_key.json": {  # bucket = aws_s3_bucket.team[each.key].id
        "S3-003": ("failed", [('aws_s3_bucket.team["search"]', "violation")])},
    "S3-003/fail/for_each_over_the_buckets.json": {  # for_each = aws_s3_bucket.team, bucket = each.value.id
        "S3-003": ("failed", [('aws_s3_bucket.team["search"]', "violation")])},
    "S3-002/fail/for_each_companion_for_some_instances.json": {
        "S3-002": ("failed", [('aws_s3_bucket.team["ledger"]', "violation")])},
    "S3-001/fail/count_companion_in_module_pairs_by_index.json": {  # [count.index] inside one module instance
        "S3-001": ("failed", [("module.archive.aws_s3_bucket.this[1]", "violation")])},
    "S3-007/fail/for_each_companion_inside_module_instances.json": {
        "S3-007": ("failed", [('module.lake["eu"].aws_s3_bucket.zone["curated"]', "violation"),
                              ('module.lake["us"].aws_s3_bucket.zone["curated"]', "violation")])},
    "S3-002/fail/literal_key_companion.json": {
        "S3-002": ("failed", [('aws_s3_bucket.site["assets"]', "violation")])},
    "NET-001/fail/for_each_rule_opens_its_own_group.json": {
        "NET-001": ("failed", [('aws_security_group.edge["bastion"]', "violation")])},
    # aws_s3_bucket.team[local.primary_team].id: which bucket is not in the plan, for either kind of guardrail
    "S3-002/unknown/companion_key_from_a_local.json": {
        "S3-002": ("unknown", [('aws_s3_bucket.team["payments"]', "unknown"), ('aws_s3_bucket.team["search"]', "unknown")])},
    "S3-003/unknown/companion_key_from_a_local.json": {
        "S3-003": ("unknown", [('aws_s3_bucket.team["payments"]', "unknown"), ('aws_s3_bucket.team["search"]', "unknown")])},
    # a companion's value known only after apply: unknown, neither failed nor passed
    "S3-007/unknown/logging_prefix_known_after_apply.json": {"S3-007": ("unknown", [("aws_s3_bucket.app", "unknown")])},
    "S3-001/unknown/sse_algorithm_known_after_apply.json": {"S3-001": ("unknown", [("aws_s3_bucket.app", "unknown")])},
    "S3-003/unknown/flag_known_after_apply.json": {"S3-003": ("unknown", [("aws_s3_bucket.app", "unknown")])},
}


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_a_companion_attaches_to_the_instance_its_key_names_and_otherwise_is_unknown(engine):
    got = {rel: verdicts(check_json(GUARDRAIL_FIXTURES / rel, engine, *expected))
           for rel, expected in COMPANION_PLANS.items()}
    assert got == COMPANION_PLANS


KEYED_ROOT = """\
provider "aws" {
  region = "eu-west-1"
  default_tags { tags = { owner = "team-payments", environment = "prod", "cost-center" = "cc-1042" } }
}
locals {
  teams   = toset(["payments", "search"])
  primary = "payments"
}
resource "aws_s3_bucket" "team" {
  for_each = local.teams
  bucket   = "acme-team-${each.key}"
}
resource "aws_s3_bucket_public_access_block" "team" {
  for_each                = local.teams
  bucket                  = aws_s3_bucket.team[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = each.key == "payments"
  restrict_public_buckets = true
}
resource "aws_s3_bucket_server_side_encryption_configuration" "payments" {
  bucket = aws_s3_bucket.team["payments"].id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
  }
}
resource "aws_s3_bucket_versioning" "primary" {
  bucket = aws_s3_bucket.team[local.primary].id
  versioning_configuration { status = "Enabled" }
}
module "archive" {
  source = "./modules/archive"
  names  = ["acme-archive-0", "acme-archive-1"]
}
"""
KEYED_MODULE = """\
variable "names" { type = list(string) }
resource "aws_s3_bucket" "this" {
  count  = length(var.names)
  bucket = var.names[count.index]
}
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = 1
  bucket = aws_s3_bucket.this[count.index].id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
  }
}
"""


@pytest.mark.parametrize("engine", ["inprocess", "cli"])
def test_a_static_plan_pairs_companions_by_key_as_a_real_plan_does(tmp_path, engine):
    plan = render(tmp_path, {"main.tf": KEYED_ROOT, "modules/archive/main.tf": KEYED_MODULE})
    doc = check_json(plan, engine, "S3-001", "S3-003", "S3-004")
    assert verdicts(doc) == {
        "S3-001": ("failed", [('aws_s3_bucket.team["search"]', "violation"),  # the literal key names payments
                              ("module.archive.aws_s3_bucket.this[1]", "violation")]),  # [count.index]: this[0]
        "S3-003": ("failed", [('aws_s3_bucket.team["search"]', "violation")]),  # [each.key]
        "S3-004": ("failed", [('aws_s3_bucket.team["payments"]', "unknown"), ('aws_s3_bucket.team["search"]', "unknown"),
                              ("module.archive.aws_s3_bucket.this[0]", "violation"),
                              ("module.archive.aws_s3_bucket.this[1]", "violation")]),  # [local.primary]: unknown
    }
