"""plan-from-source never prints the value of a `sensitive = true` variable: not in a warning, not in an
error line, whatever fails to evaluate with it (issue: warnings quoted the value)."""

from __future__ import annotations

from pathlib import Path

from helpers import tfguard

from runner.source import render_plan

SECRET = "hunter2-Sup3rS3cret"

MAIN_TF = """
variable "password" {
  type      = string
  sensitive = true
}
variable "port" {
  type      = number
  sensitive = true
  default   = 5432
}
locals {
  lookup  = { a = 1 }
  derived = "db-${var.password}"
}
resource "null_resource" "bad_count" {
  count = var.password
}
resource "null_resource" "bad_calls" {
  triggers = {
    number = tonumber(var.password)
    index  = local.lookup[var.password]
    regex  = regex("^[0-9]+$", var.password)
    local  = tonumber(local.derived)
  }
}
resource "null_resource" "bad_for_each" {
  for_each = var.password
}
module "child" {
  source = "./child"
  secret = var.password
}
"""

CHILD_TF = """
variable "secret" {
  type = number
}
resource "null_resource" "r" {
  triggers = { x = var.secret }
}
"""


def source(tmp_path: Path) -> Path:
    (tmp_path / "child").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "child" / "main.tf").write_text(CHILD_TF)
    return tmp_path


def test_warnings_never_hold_a_sensitive_value(tmp_path: Path) -> None:
    plan = render_plan(source(tmp_path), [("password", SECRET)])
    text = "\n".join(str(w) for w in plan.warnings)
    assert plan.warnings, "the broken expressions above must warn"
    assert "bad_count" in text and "bad_calls" in text and "module.child" in text or "child" in text
    assert SECRET not in text and SECRET.lower() not in text.lower()
    assert "db-" + SECRET not in text


def test_a_sensitive_value_of_the_wrong_type_is_not_quoted(tmp_path: Path) -> None:
    plan = render_plan(source(tmp_path), [("password", SECRET), ("port", "not-a-number-secret")])
    text = "\n".join(str(w) for w in plan.warnings)
    assert "not-a-number-secret" not in text
    assert "sensitive variable 'port'" in text


def test_plan_from_source_output_and_errors_hold_no_secret(tmp_path: Path) -> None:
    src = source(tmp_path / "src")
    run = tfguard("plan-from-source", str(src), "-var", f"password={SECRET}", "-o", str(tmp_path / "p.json"))
    assert run.code == 0, run.stderr
    assert "warning" in run.stderr.lower() and SECRET not in run.stderr + run.stdout
    (src / "main.tf").write_text('variable "keys" {\n  type      = list(string)\n  sensitive = true\n}\n')
    bad = tfguard("plan-from-source", str(src), "-var", f"keys=[\"{SECRET}\"", "-o", str(tmp_path / "q.json"))
    assert bad.code == 2 and "sensitive" in bad.stderr
    assert SECRET not in bad.stderr + bad.stdout
