"""runner.source.locate: resource addresses to file:line in real Terraform source trees written to tmp dirs
(the one locator: SARIF, the dashboard and static plans use it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runner.addresses import parse_address
from runner.source.locate import SourceIndex, SourceLocation, locate_in_plan, module_blocks

ROOT_TF = """\
terraform {
  required_version = ">= 1.5"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket" "raw" {
  for_each = toset(["eu", "us"])
  bucket   = "raw-${each.key}"
}

data "aws_iam_policy_document" "read" {
  statement {
    actions = ["s3:GetObject"]
  }
}

module "network" {
  source = "./modules/network"
  cidr   = "10.0.0.0/16"
}

module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
}

module "vendor" {
  source = "git::https://example.com/vendor.git?ref=v1"
}

module "dynamic" {
  source = "./modules/${var.flavour}"
}
"""

NETWORK_TF = """\
variable "cidr" {
  type = string
}

module "sg" {
  source = "../sg"
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
"""

SG_TF = """\
resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "infra"
    (root / "modules" / "network").mkdir(parents=True)
    (root / "modules" / "sg").mkdir(parents=True)
    (root / "main.tf").write_text(ROOT_TF)
    (root / "modules" / "network" / "main.tf").write_text(NETWORK_TF)
    (root / "modules" / "sg" / "sg.tf").write_text(SG_TF)
    installed = root / ".terraform" / "modules"
    (installed / "bucket").mkdir(parents=True)
    (installed / "bucket" / "main.tf").write_text('\n\nresource "aws_s3_bucket" "this" {\n  count = 1\n}\n')
    (installed / "modules.json").write_text(json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "bucket", "Source": "registry.terraform.io/terraform-aws-modules/s3-bucket/aws",
         "Version": "4.1.0", "Dir": ".terraform/modules/bucket"},
    ]}))
    return root


@pytest.mark.parametrize("address, expected", [
    ("aws_s3_bucket.logs", ((), "managed", "aws_s3_bucket", "logs")),
    ('aws_s3_bucket.raw["eu.west"]', ((), "managed", "aws_s3_bucket", "raw")),
    ("data.aws_iam_policy_document.read", ((), "data", "aws_iam_policy_document", "read")),
    ('module.a["x.y"].module.b[0].aws_vpc.this[2]', (("a", "b"), "managed", "aws_vpc", "this")),
])
def test_parse_address(address, expected):
    parsed = parse_address(address)
    assert parsed is not None
    assert (parsed.modules, parsed.mode, parsed.type, parsed.name) == expected


@pytest.mark.parametrize("address", ["", "not an address", "module.a", "aws_s3_bucket"])
def test_parse_address_rejects_non_addresses(address):
    assert parse_address(address) is None


def test_module_blocks_reports_labels_lines_and_literal_module_sources():
    found = module_blocks("main.tf", ROOT_TF)
    assert found.resources[("managed", "aws_s3_bucket", "logs")] == SourceLocation("main.tf", 5, 7)
    assert found.resources[("data", "aws_iam_policy_document", "read")] == SourceLocation("main.tf", 14, 18)
    assert found.calls["network"] == ("./modules/network", SourceLocation("main.tf", 20, 23))
    assert found.calls["dynamic"][0] is None  # an interpolated source is not guessed


def test_root_resources_are_located_at_their_block(source):
    index = SourceIndex(source)
    main = str(source / "main.tf")
    assert index.locate("aws_s3_bucket.logs") == SourceLocation(main, 5, 7)
    assert index.locate('aws_s3_bucket.raw["us"]') == SourceLocation(main, 9, 12)
    assert index.locate("data.aws_iam_policy_document.read") == SourceLocation(main, 14, 18)


def test_module_resources_are_followed_through_local_sources(source):
    index = SourceIndex(source)
    assert index.locate("module.network.aws_vpc.this") == SourceLocation(
        str(source / "modules" / "network" / "main.tf"), 9, 11)
    # ../sg from modules/network: nested local modules resolve against the calling module's directory
    assert index.locate("module.network.module.sg.aws_security_group.web") == SourceLocation(
        str(source / "modules" / "sg" / "sg.tf"), 1, 9)


def test_registry_modules_are_read_from_the_terraform_init_manifest(source):
    found = SourceIndex(source).locate("module.bucket.aws_s3_bucket.this[0]")
    assert found == SourceLocation(str(source / ".terraform" / "modules" / "bucket" / "main.tf"), 3, 5)


def test_unreadable_modules_fall_back_to_the_module_call(source):
    index = SourceIndex(source)
    main = str(source / "main.tf")
    assert index.locate("module.vendor.aws_s3_bucket.x") == SourceLocation(main, 30, 32)
    assert index.locate("module.dynamic.aws_s3_bucket.x") == SourceLocation(main, 34, 36)
    assert index.locate("module.network.aws_vpc.missing") == SourceLocation(main, 20, 23)


def test_unknown_addresses_and_missing_trees_give_none(source, tmp_path):
    assert SourceIndex(source).locate("aws_s3_bucket.nope") is None
    assert SourceIndex(source).locate("module.nope.aws_s3_bucket.x") is None
    assert SourceIndex(tmp_path / "missing").locate("aws_s3_bucket.logs") is None


def test_a_broken_file_is_skipped_and_reported(source):
    (source / "broken.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket = \n')
    index = SourceIndex(source)
    assert index.locate("aws_s3_bucket.logs") is not None
    assert len(index.problems) == 1
    assert "broken.tf: cannot parse" in index.problems[0]


def test_locate_in_plan_finds_the_resource_change_line(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"resource_changes": [
        {"address": "aws_s3_bucket.a", "type": "aws_s3_bucket"},
        {"address": 'aws_s3_bucket.b["k"]', "type": "aws_s3_bucket"},
    ]}, indent=2))
    lines = plan.read_text().splitlines()
    line = locate_in_plan(str(plan), 'aws_s3_bucket.b["k"]')
    assert line is not None and '"aws_s3_bucket.b[\\"k\\"]"' in lines[line - 1]
    assert locate_in_plan(str(plan), "aws_s3_bucket.zzz") is None
    assert locate_in_plan(str(tmp_path / "missing.json"), "aws_s3_bucket.a") is None


def test_remote_modules_follow_a_module_dir_mapping(source, tmp_path):
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    (vendor / "main.tf").write_text('resource "aws_s3_bucket" "x" {\n}\n')
    index = SourceIndex(source, {"git::https://example.com/vendor.git?ref=v1": str(vendor)})
    assert index.locate("module.vendor.aws_s3_bucket.x") == SourceLocation(str(vendor / "main.tf"), 1, 2)
