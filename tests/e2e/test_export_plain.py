"""`tfguard export --plain`: the library as plain terraform-compliance loads it, run by the real
terraform-compliance CLI (no tfguard in between) on a bundled example plan."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import EXAMPLES, FEATURES, tfguard


def _terraform_compliance() -> str:
    return shutil.which("terraform-compliance") or str(Path(sys.executable).parent / "terraform-compliance")


def test_plain_terraform_compliance_rejects_the_originals_and_runs_the_export(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"  # plain terraform-compliance reads one-line plans only
    plan.write_text(json.dumps(json.loads((EXAMPLES / "web-service" / "plan.json").read_text())))
    storage = tmp_path / "original"
    storage.mkdir()
    shutil.copy(FEATURES / "storage.feature", storage)
    plain = subprocess.run([_terraform_compliance(), "-f", str(storage), "-p", str(plan)], capture_output=True,
                           text=True, timeout=300)
    assert "Cannot find step definition" in plain.stdout + plain.stderr  # why the export exists

    out = tmp_path / "plain"
    run = tfguard("export", "--plain", str(out))
    assert run.code == 0, run.stderr
    exported = sorted(p.name for p in out.glob("*.feature"))
    assert exported == sorted(p.name for p in FEATURES.glob("*.feature"))
    text = (out / "storage.feature").read_text()
    assert "# Remediation: Add an `aws_s3_bucket_server_side_encryption_configuration`" in text
    assert len(text.splitlines()) == len((FEATURES / "storage.feature").read_text().splitlines())  # lines kept

    proc = subprocess.run([_terraform_compliance(), "-f", str(out), "-p", str(plan)], capture_output=True,
                          text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert "Cannot find step definition" not in output
    assert "S3 buckets have default server-side encryption" in output  # the scenarios ran
    assert proc.returncode in (0, 1), output[-2000:]  # 1: the example plan has violations, as tfguard finds


def test_export_refuses_a_directory_inside_the_guardrails(tmp_path: Path) -> None:
    features = tmp_path / "features"
    shutil.copytree(FEATURES, features)
    run = tfguard("export", "--plain", str(features / "plain"), "--features", str(features))
    assert run.code == 2
    assert "outside the guardrails directory" in run.stderr
    assert not (features / "plain").exists()
