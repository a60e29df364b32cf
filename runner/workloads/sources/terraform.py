"""`terraform: {repo, dir, ref, backend, vars, var_files}`: clone the workload's repository, then
`terraform init`, `plan -out` and `show -json` in `dir` with a real terraform binary."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runner import git as gitcmd
from runner.errors import PlanError
from runner.git import GitCommandFailed, Repo
from runner.workloads.plan import Plan, parse_plan_bytes
from runner.workloads.sources.base import SourceContext

FETCH_TIMEOUT = 120
TERRAFORM_TIMEOUT = 1800
KEY = "terraform"
SCHEMA = {
    "description": "Plan the workload with a terraform binary: clone repo (a git URL or a path relative to the "
                   "compliance repo), run init, plan and show -json in dir.",
    "type": "object",
    "additionalProperties": False,
    "required": ["repo"],
    "properties": {
        "repo": {"type": "string", "minLength": 1},
        "dir": {"type": "string", "default": "."},
        "ref": {"type": "string", "minLength": 1},
        "backend": {"type": "boolean", "default": True,
                    "description": "false: init -backend=false (plan against empty state)"},
        "vars": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
        "var_files": {"type": "array", "items": {"type": "string"}},
    },
}


class TerraformPlan:
    key = KEY
    schema = SCHEMA

    def claims(self, spec: Any) -> bool:
        return True

    def describe(self, spec: Any) -> str:
        return f"terraform {spec.get('repo')} dir {spec.get('dir', '.')}" + (f" @ {spec['ref']}" if spec.get("ref") else "")

    def load(self, spec: Any, ctx: SourceContext) -> Plan:
        return terraform_plan(spec, ctx.root, ctx.terraform, ctx.env)


SOURCE = TerraformPlan()


def _safe_arg(value: str, what: str) -> str:
    if value.startswith("-"):
        raise PlanError(f"{what} {value!r} starts with '-'", where=what)
    return value


COPY_IGNORE = shutil.ignore_patterns(".git", ".terraform", ".venv", "node_modules", "*.tfstate", "*.tfstate.*")


def _checkout(repo: str, ref: str | None, root: Path, dest: Path) -> Path:
    """A private copy of the workload's Terraform repository (terraform init writes into it): a local
    directory is copied as it is; a git URL, or a local repository with `ref`, is cloned at `ref`."""
    _safe_arg(repo, "terraform.repo")
    local = Path(repo) if Path(repo).is_absolute() else root / repo
    is_url = "://" in repo or repo.startswith("git@")
    if not is_url and not local.is_dir():
        raise PlanError(f"repository directory {repo} not found", where="terraform.repo")
    if not is_url and not ref:
        shutil.copytree(local, dest, ignore=COPY_IGNORE)
        return dest
    try:
        gitcmd.check(gitcmd.run(["clone", "--quiet", "--", repo if is_url else str(local), str(dest)],
                                timeout=FETCH_TIMEOUT, ssh=is_url))
        if ref:
            Repo(dest).git("checkout", "--quiet", "--detach", _safe_arg(ref, "terraform.ref"))
    except GitCommandFailed as exc:
        raise PlanError(f"cannot check out {repo}{'@' + ref if ref else ''}: "
                        f"{gitcmd.first_error(exc.stderr) or 'git failed'}", where="terraform.repo") from None
    return dest


def _terraform_exe(terraform: str | None) -> str:
    exe = terraform or shutil.which("terraform")
    if not exe:
        raise PlanError("no terraform binary found for a `terraform:` plan source",
                        hint="put terraform on PATH or pass --terraform PATH")
    return exe


def _run_tf(exe: str, workdir: Path, args: list[str], env: Mapping[str, str]) -> bytes:
    try:
        proc = subprocess.run([exe, f"-chdir={workdir}", *args], capture_output=True, env=dict(env),
                              timeout=TERRAFORM_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise PlanError(f"cannot run terraform at {exe}: {exc.strerror}") from None
    except subprocess.TimeoutExpired:
        raise PlanError(f"`terraform {args[0]}` timed out after {TERRAFORM_TIMEOUT} s") from None
    if proc.returncode != 0:
        raise PlanError(f"`terraform {args[0]}` failed: {_first_error(proc.stderr.decode('utf-8', 'replace'))}")
    return proc.stdout


def _first_error(text: str) -> str:
    lines = [ln.strip(" │╷╵\t") for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    for ln in lines:
        if ln.startswith("Error:"):
            return ln[:300]
    return (lines[0] if lines else "no output")[:300]


def terraform_plan(spec: Mapping[str, Any], root: Path, terraform: str | None = None,
                   env: Mapping[str, str] | None = None) -> Plan:
    """Clone the workload's repo, then `terraform init`, `plan -out` and `show -json` in `dir`."""
    exe = _terraform_exe(terraform)
    repo, subdir = str(spec["repo"]), str(spec.get("dir", "."))
    where = f"terraform {repo} dir {subdir}"
    run_env = {**(os.environ if env is None else env), "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
    with tempfile.TemporaryDirectory(prefix="tfguard-tf-") as tmp:
        checkout = _checkout(repo, spec.get("ref"), root, Path(tmp) / "src")
        workdir = (checkout / subdir).resolve()
        if not workdir.is_relative_to(checkout.resolve()) or not workdir.is_dir():
            raise PlanError(f"directory {subdir} not found in the repository", where=where)
        try:
            init = ["init", "-input=false", "-no-color"] + ([] if spec.get("backend", True) else ["-backend=false"])
            _run_tf(exe, workdir, init, run_env)
            plan_args = ["plan", "-input=false", "-lock=false", "-no-color", "-out=tfguard.tfplan"]
            for key, value in (spec.get("vars") or {}).items():
                plan_args.append(f"-var={key}={_tf_value(value)}")
            for var_file in spec.get("var_files") or ():
                plan_args.append(f"-var-file={_safe_arg(str(var_file), 'terraform.var_files')}")
            _run_tf(exe, workdir, plan_args, run_env)
            raw = _run_tf(exe, workdir, ["show", "-json", "-no-color", "tfguard.tfplan"], run_env)
        except PlanError as exc:
            raise PlanError(exc.message, where=where, hint=exc.hint) from None
    return parse_plan_bytes(raw, where)


def _tf_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
