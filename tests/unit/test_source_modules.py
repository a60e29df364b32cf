"""runner.source modules: references resolved per output (no false cycles), remote modules from the
manifest `terraform init` writes or a --module-dir mapping, else reported "not evaluated"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tfguard

from runner.errors import UsageError
from runner.source import render_plan
from runner.source.marker import plan_not_evaluated
from runner.source.modules import ModuleResolver, parse_module_dirs, split_subdir

BUCKET_MODULE = """
variable "name" {
  type = string
}
variable "analytics_destination" {
  type = string
}
resource "null_resource" "bucket" {
  triggers = { name = var.name }
}
resource "null_resource" "analytics" {
  triggers = { bucket = null_resource.bucket.triggers["name"], destination = var.analytics_destination }
}
output "name" {
  value = null_resource.bucket.triggers["name"]
}
"""


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def after(plan: dict) -> dict[str, dict]:
    return {rc["address"]: rc["change"]["after"] for rc in plan["resource_changes"]}


def test_two_calls_of_one_module_taking_each_others_output_render(tmp_path: Path) -> None:
    """Bucket A's analytics destination is bucket B and B's is A: no module depends on itself, because the
    `name` output does not depend on the `analytics_destination` input (terraform plans this too)."""
    tree(tmp_path, {"mod/main.tf": BUCKET_MODULE, "main.tf": """
module "a" {
  source                = "./mod"
  name                  = "bucket-a"
  analytics_destination = module.b.name
}
module "b" {
  source                = "./mod"
  name                  = "bucket-b"
  analytics_destination = module.a.name
}
"""})
    plan = render_plan(tmp_path)
    assert not [w for w in plan.warnings if "itself" in str(w)]
    found = after(plan.data)
    assert found["module.a.null_resource.analytics"]["triggers"]["destination"] == "bucket-b"
    assert found["module.b.null_resource.analytics"]["triggers"]["destination"] == "bucket-a"


def test_a_real_cycle_is_still_a_warning_and_unknown(tmp_path: Path) -> None:
    tree(tmp_path, {"mod/main.tf": 'variable "x" {}\noutput "y" {\n  value = var.x\n}\n', "main.tf": """
module "a" {
  source = "./mod"
  x      = module.b.y
}
module "b" {
  source = "./mod"
  x      = module.a.y
}
resource "null_resource" "r" {
  triggers = { v = module.a.y }
}
"""})
    plan = render_plan(tmp_path)
    assert any("depends on itself" in str(w) or "refers to itself" in str(w) for w in plan.warnings)
    rc = {r["address"]: r["change"] for r in plan.data["resource_changes"]}["null_resource.r"]
    assert rc["after_unknown"]["triggers"] is True


def installed(tmp_path: Path) -> Path:
    """A root whose registry module `terraform init` installed (the manifest as terraform 1.x writes it)."""
    tree(tmp_path, {
        "main.tf": """
module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
  name    = "logs"
}
module "vendor" {
  source = "git::https://example.com/vendor.git//modules/queue?ref=v1"
}
""",
        ".terraform/modules/bucket/main.tf": 'variable "name" {}\n\nresource "null_resource" "this" {\n'
                                             '  triggers = { name = var.name }\n}\n',
        ".terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "bucket", "Source": "registry.terraform.io/terraform-aws-modules/s3-bucket/aws",
             "Version": "4.1.0", "Dir": ".terraform/modules/bucket"},
        ]}),
    })
    return tmp_path


def test_registry_modules_are_read_from_the_terraform_init_manifest(tmp_path: Path) -> None:
    plan = render_plan(installed(tmp_path))
    assert after(plan.data)["module.bucket.null_resource.this"] == {"triggers": {"name": "logs"}}
    assert plan.locations["module.bucket.null_resource.this"] == (
        str(tmp_path / ".terraform" / "modules" / "bucket" / "main.tf"), 3)


def test_a_module_that_cannot_be_read_is_not_evaluated_and_says_so(tmp_path: Path) -> None:
    plan = render_plan(installed(tmp_path))
    [gap] = plan.not_evaluated
    assert gap.address == "module.vendor" and "is not installed" in gap.reason and gap.line == 7
    assert any("module.vendor is not evaluated" in str(w) for w in plan.warnings)
    assert plan_not_evaluated(plan.data) == (f"module.vendor: {gap.reason}",)


def test_module_dir_maps_a_source_or_an_address(tmp_path: Path) -> None:
    root = installed(tmp_path / "root")
    vendor = tree(tmp_path / "vendor", {"modules/queue/main.tf": 'resource "null_resource" "q" {}\n'})
    by_source = render_plan(root, module_dirs={"git::https://example.com/vendor.git?ref=v1": str(vendor)})
    assert "module.vendor.null_resource.q" in after(by_source.data) and not by_source.not_evaluated
    by_address = render_plan(root, module_dirs={"module.vendor": str(vendor / "modules" / "queue")})
    assert "module.vendor.null_resource.q" in after(by_address.data)


def test_module_count_and_resource_for_each_that_cannot_be_known_are_not_evaluated(tmp_path: Path) -> None:
    tree(tmp_path, {"mod/main.tf": 'resource "null_resource" "x" {}\n', "main.tf": """
resource "null_resource" "id" {}
module "m" {
  source = "./mod"
  count  = length(null_resource.id.id)
}
resource "null_resource" "each" {
  for_each = toset([null_resource.id.id])
}
"""})
    plan = render_plan(tmp_path)
    assert sorted(g.address for g in plan.not_evaluated) == ["module.m", "null_resource.each"]


def test_split_subdir_and_mapping_arguments(tmp_path: Path) -> None:
    assert split_subdir("git::https://h/r.git//modules/x?ref=v1") == ("git::https://h/r.git?ref=v1", "modules/x")
    assert split_subdir("terraform-aws-modules/vpc/aws") == ("terraform-aws-modules/vpc/aws", "")
    assert parse_module_dirs([f"git::https://h/r.git?ref=v1={tmp_path}"]) == {"git::https://h/r.git?ref=v1": str(tmp_path)}
    with pytest.raises(UsageError):
        parse_module_dirs(["no-equals-sign"])
    with pytest.raises(UsageError):
        parse_module_dirs([f"x={tmp_path / 'missing'}"])
    assert ModuleResolver(tmp_path).installed == {}


def test_plan_from_source_module_dir_and_not_evaluated_in_check(tmp_path: Path) -> None:
    """End to end: the CLI takes --module-dir, and `check` reports what the static plan did not evaluate."""
    root = installed(tmp_path / "root")
    out = tmp_path / "plan.json"
    run = tfguard("plan-from-source", str(root), "-o", str(out))
    assert run.code == 0 and "module.vendor is not evaluated" in run.stderr and "1 not evaluated" in run.stderr
    check = tfguard("check", "--plan", str(out), "--features", str(Path(__file__).parents[1] / "source_corpus" /
                    "guardrails"), "--only", "SRC-001", "--no-exclusions")
    assert "NOT EVALUATED  module.vendor" in check.stdout, check.stdout + check.stderr
    vendor = tree(tmp_path / "vendor", {"modules/queue/main.tf": 'resource "null_resource" "q" {}\n'})
    mapped = tfguard("plan-from-source", str(root), "--module-dir", f"module.vendor={vendor}/modules/queue",
                     "-o", str(out))
    assert mapped.code == 0 and "not evaluated" not in mapped.stderr
    assert "module.vendor.null_resource.q" in {rc["address"] for rc in json.loads(out.read_text())["resource_changes"]}
