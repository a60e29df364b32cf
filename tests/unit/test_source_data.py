"""runner.source data sources: read at plan time when terraform would (aws_iam_policy_document as the AWS
provider writes it, placeholders for account/region/partition, null/template/local), deferred or unread
data sources unknown, never invented."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from runner.source import render_plan
from runner.source.datasources import Placeholders
from runner.source.iam_policy import go_json, policy_document


def write(tmp_path: Path, text: str, name: str = "main.tf") -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


def changes(plan: dict) -> dict[str, dict]:
    return {rc["address"]: rc for rc in plan["resource_changes"]}


def read_data(plan: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}

    def walk(module: dict) -> None:
        for r in module.get("resources", []):
            out[r["address"]] = r["values"]
        for child in module.get("child_modules", []):
            walk(child)

    walk((plan.get("prior_state") or {}).get("values", {}).get("root_module", {}))
    return out


POLICY_TF = """
data "aws_iam_policy_document" "app" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::logs", "arn:aws:s3:::logs/&{aws:username}/*"]
  }
  statement {
    effect  = "Deny"
    actions = ["s3:DeleteObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}
"""

EXPECTED_JSON = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": [
        "s3:ListBucket",
        "s3:GetObject"
      ],
      "Resource": [
        "arn:aws:s3:::logs/${aws:username}/*",
        "arn:aws:s3:::logs"
      ]
    },
    {
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "*",
      "Principal": {
        "AWS": [
          "arn:aws:iam::444455556666:root",
          "arn:aws:iam::111122223333:root"
        ]
      },
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        }
      }
    }
  ]
}"""


def test_policy_document_renders_json_as_the_aws_provider_does(tmp_path: Path) -> None:
    """Statement fields in the provider's struct order, empty Sid left out, one action as a string, sets
    sorted in reverse, `&{...}` policy variables, a single condition value flattened; id = crc32 of json."""
    plan = render_plan(write(tmp_path, POLICY_TF)).data
    doc = read_data(plan)["data.aws_iam_policy_document.app"]
    assert doc["json"] == EXPECTED_JSON
    assert doc["minified_json"] == json.dumps(json.loads(EXPECTED_JSON), separators=(",", ":"))
    assert doc["id"] == str(zlib.crc32(EXPECTED_JSON.encode()))
    policy = changes(plan)["aws_iam_policy.app"]["change"]
    assert policy["after"]["policy"] == EXPECTED_JSON and "policy" not in policy["after_unknown"]


def test_policy_document_merges_source_and_override_documents_by_sid() -> None:
    source = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": ["ec2:*"], "Resource": "*"},
        {"Sid": "B", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    ]})
    override = json.dumps({"Statement": [{"Sid": "B", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})
    doc = policy_document({
        "source_policy_documents": [source],
        "override_policy_documents": [override],
        "statement": [{"sid": "C", "actions": ["sqs:SendMessage"], "resources": ["*"]}],
    })
    assert [(s["Sid"], s["Effect"], s["Action"]) for s in doc["Statement"]] == [
        ("A", "Allow", ["ec2:*"]), ("B", "Deny", "s3:*"), ("C", "Allow", "sqs:SendMessage")]
    assert go_json({"a": "<&>"}, indent=False) == '{"a":"\\u003c\\u0026\\u003e"}'
    assert policy_document({"statement": [{"actions": ["*"], "principals": [{"type": "*", "identifiers": ["*"]}]}]})[
        "Statement"][0]["Principal"] == "*"


def test_iam_guardrails_judge_policies_built_from_a_policy_document(tmp_path: Path) -> None:
    """IAM-001 (no Action "*") fails on the aws_iam_policy whose policy comes from the data source."""
    from helpers import REPO_ROOT, tfguard

    write(tmp_path, """
data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = data.aws_iam_policy_document.admin.json
}
""")
    out = tmp_path / "plan.json"
    assert tfguard("plan-from-source", str(tmp_path), "-o", str(out)).code == 0
    run = tfguard("check", "--plan", str(out), "--features", str(REPO_ROOT / "features"), "--only", "IAM-001",
                  "--no-exclusions", "--format", "json")
    doc = json.loads(run.stdout)
    assert run.code == 1, run.stderr
    assert [(r["status"], [f["address"] for f in r["findings"]]) for r in doc["results"]] == [
        ("failed", ["aws_iam_policy.admin"])]


def test_policy_document_with_unknown_arguments_is_read_during_apply(tmp_path: Path) -> None:
    """A statement naming a bucket created in the same plan: terraform reads the document during apply, so
    its json (and the policy that uses it) are unknown, never guessed."""
    plan = render_plan(write(tmp_path, """
resource "aws_s3_bucket" "b" {
  bucket = "x"
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
""")).data
    data = changes(plan)["data.aws_iam_policy_document.p"]
    assert data["mode"] == "data" and data["change"]["actions"] == ["read"]
    assert data["change"]["after_unknown"]["json"] is True
    assert changes(plan)["aws_iam_policy.p"]["change"]["after_unknown"]["policy"] is True
    assert "data.aws_iam_policy_document.p" not in read_data(plan)


def test_depends_on_defers_the_read_as_terraform_does(tmp_path: Path) -> None:
    plan = render_plan(write(tmp_path, """
resource "null_resource" "a" {}
data "null_data_source" "k" {
  inputs     = { x = "y" }
  depends_on = [null_resource.a]
}
resource "null_resource" "b" {
  triggers = { w = data.null_data_source.k.outputs["x"] }
}
""")).data
    assert changes(plan)["data.null_data_source.k"]["change"]["actions"] == ["read"]
    assert changes(plan)["null_resource.b"]["change"]["after_unknown"]["triggers"] is True


PLACEHOLDER_TF = """
provider "aws" {
  region = var.region
}
variable "region" {
  default = "eu-central-1"
}
data "aws_caller_identity" "me" {}
data "aws_region" "here" {}
data "aws_partition" "p" {}
resource "aws_sqs_queue" "q" {
  name = "q-${data.aws_caller_identity.me.account_id}-${data.aws_region.here.name}-${data.aws_partition.p.partition}"
}
"""


def test_account_region_and_partition_are_placeholders_with_a_warning(tmp_path: Path) -> None:
    plan = render_plan(write(tmp_path, PLACEHOLDER_TF))
    assert changes(plan.data)["aws_sqs_queue.q"]["change"]["after"]["name"] == "q-123456789012-eu-central-1-aws"
    assert any("account_id is the placeholder 123456789012" in str(w) for w in plan.warnings)
    configured = render_plan(tmp_path, [("region", "cn-north-1")],
                             placeholders=Placeholders({"account_id": "210987654321"}))
    assert changes(configured.data)["aws_sqs_queue.q"]["change"]["after"]["name"] == "q-210987654321-cn-north-1-aws-cn"
    assert not any("placeholder" in str(w) for w in configured.warnings)


def test_region_follows_the_provider_alias_through_a_module_call(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    write(tmp_path / "mod", 'data "aws_region" "r" {}\noutput "name" {\n  value = data.aws_region.r.name\n}\n')
    write(tmp_path, """
provider "aws" {
  region = "us-west-2"
}
provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}
module "m" {
  source    = "./mod"
  providers = { aws = aws.eu }
}
resource "aws_sqs_queue" "q" {
  name = module.m.name
}
""")
    plan = render_plan(tmp_path).data
    assert changes(plan)["aws_sqs_queue.q"]["change"]["after"]["name"] == "eu-west-1"


def test_other_data_sources_are_unknown_with_a_warning(tmp_path: Path) -> None:
    plan = render_plan(write(tmp_path, """
data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"]
}
resource "aws_instance" "web" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.micro"
}
"""))
    web = changes(plan.data)["aws_instance.web"]["change"]
    assert web["after_unknown"]["ami"] is True and "ami" not in web["after"]
    assert any("data.aws_ami.ubuntu is not read statically" in str(w) and w.line == 2 for w in plan.warnings)
    ami = changes(plan.data)["data.aws_ami.ubuntu"]["change"]
    assert ami["actions"] == ["read"] and ami["after"] == {"most_recent": True, "owners": ["099720109477"]}


def test_template_and_local_file_data_sources_are_read(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hi ${name}")
    plan = render_plan(write(tmp_path, """
data "local_file" "greeting" {
  filename = "${path.module}/hello.txt"
}
data "template_file" "t" {
  template = data.local_file.greeting.content
  vars     = { name = "ops" }
}
resource "null_resource" "r" {
  triggers = { text = data.template_file.t.rendered }
}
""")).data
    assert changes(plan)["null_resource.r"]["change"]["after"]["triggers"] == {"text": "hi ops"}


def test_data_sources_with_count_and_for_each(tmp_path: Path) -> None:
    plan = render_plan(write(tmp_path, """
data "aws_iam_policy_document" "d" {
  for_each = toset(["s3", "sqs"])
  statement {
    actions   = ["${each.key}:Get*"]
    resources = ["*"]
  }
}
data "null_data_source" "none" {
  count  = 0
  inputs = { a = "b" }
}
resource "aws_iam_policy" "p" {
  for_each = data.aws_iam_policy_document.d
  name     = each.key
  policy   = each.value.json
}
""")).data
    found = changes(plan)
    assert sorted(a for a in found if a.startswith("aws_iam_policy.")) == ['aws_iam_policy.p["s3"]',
                                                                          'aws_iam_policy.p["sqs"]']
    assert '"Action": "sqs:Get*"' in found['aws_iam_policy.p["sqs"]']["change"]["after"]["policy"]
    assert sorted(read_data(plan)) == ['data.aws_iam_policy_document.d["s3"]', 'data.aws_iam_policy_document.d["sqs"]']
