"""Where a workload's plan comes from: a file, an artifact URL, a terraform run, or a static render.

`resolve(workload, root)` turns a registered workload into an evaluation Target. It never raises for a
problem with one workload's plan: the Target carries the error instead, so one broken plan costs an error
row for that workload and the rest of the sweep goes on."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runner import git as gitcmd
from runner.engine.evaluation import Target
from runner.errors import PlanError, TfguardError
from runner.git import GitCommandFailed, Repo
from runner.model import Workload
from runner.workloads import secretrefs
from runner.workloads.plan import ZIP_MAGIC, Plan, convert_binary_plan, load_plan, parse_plan_bytes

MAX_PLAN_BYTES = 512 * 1024 * 1024
FETCH_TIMEOUT = 120
TERRAFORM_TIMEOUT = 1800


def resolve(workload: Workload, root: str | Path, terraform: str | None = None,
            env: Mapping[str, str] | None = None) -> Target:
    """The workload with its loaded plan, or with the reason it could not be loaded."""
    root = Path(root)
    try:
        if workload.plan:
            plan = _file_plan(workload.plan, root, terraform)
            return Target(workload, plan, static_plan=plan.static_plan)
        if workload.plan_url:
            plan = fetch_plan(workload.plan_url, workload.plan_headers, terraform, env)
            return Target(workload, plan, static_plan=plan.static_plan)
        if workload.terraform:
            return Target(workload, terraform_plan(workload.terraform, root, terraform, env))
        if workload.source:
            return Target(workload, render_source(workload.source, root), static_plan=True)
    except TfguardError as exc:
        return Target(workload, error=exc.line())
    return Target(workload, error=f"workload {workload.name} has no plan source")


def _file_plan(rel: str, root: Path, terraform: str | None) -> Plan:
    """The plan file (relative to the repository root); the Plan re-reads it when evaluated."""
    return load_plan(Path(rel) if Path(rel).is_absolute() else root / rel, terraform=terraform)


# --- plan_url ----------------------------------------------------------------------------------------


def fetch_plan(url_template: str, headers: Mapping[str, str] | None = None, terraform: str | None = None,
               env: Mapping[str, str] | None = None, timeout: int = FETCH_TIMEOUT) -> Plan:
    """Download a plan artifact. Errors name the URL as written in the registry (references, no secrets)."""
    where = url_template
    url = secretrefs.expand(url_template, env, where=where, error=PlanError)
    names = secretrefs.refs(url_template) + [n for v in (headers or {}).values() for n in secretrefs.refs(v)]
    sent_headers = {k: secretrefs.expand(v, env, where=f"{where} header {k}", url=False, error=PlanError)
                    for k, v in (headers or {}).items()}
    request = urllib.request.Request(url, headers={"User-Agent": "tfguard", **sent_headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(MAX_PLAN_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise PlanError(f"fetching the plan failed: HTTP {exc.code} {exc.reason}", where=where) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        text = secretrefs.redact_values(str(reason), env, names)
        raise PlanError(f"fetching the plan failed: {text}", where=where) from None
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError(f"plan artifact is larger than {MAX_PLAN_BYTES // 2**20} MiB", where=where)
    if raw.startswith(ZIP_MAGIC):
        with tempfile.TemporaryDirectory(prefix="tfguard-plan-") as tmp:
            binary = Path(tmp) / "downloaded.tfplan"
            binary.write_bytes(raw)
            raw = convert_binary_plan(binary, terraform)
    return parse_plan_bytes(raw, where)


# --- terraform: {repo, dir, ref} ----------------------------------------------------------------------


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


# --- source: {dir} (static render, issue 10's renderer) -----------------------------------------------

def _renderer() -> Any:
    """issue 10's renderer, when this installation has it."""
    try:
        from runner.source import render_plan
    except ImportError:
        return None
    return render_plan


def render_source(spec: Mapping[str, Any], root: Path) -> Plan:
    """A static plan rendered from the Terraform source in spec['dir'] (labelled static in reports)."""
    directory = root / str(spec["dir"])
    where = f"source {spec['dir']}"
    render = _renderer()
    if render is None:
        raise PlanError("the static plan renderer (runner.source) is not available in this installation",
                        where=where, hint="give the workload a `plan:` or `plan_url:` instead")
    if not directory.is_dir():
        raise PlanError("source directory not found", where=where)
    variables = {str(k): v for k, v in (spec.get("vars") or {}).items()}
    var_files = [str(root / f) for f in spec.get("var_files") or ()]
    try:
        rendered = render(str(directory), variables=variables, var_files=var_files)
    except TfguardError:
        raise
    except Exception as exc:  # noqa: BLE001 - a renderer bug must not end the sweep
        raise PlanError(f"static render failed: {type(exc).__name__}: {exc}", where=where) from None
    return _as_plan(rendered, where)


def _as_plan(rendered: Any, where: str) -> Plan:
    import json

    if isinstance(rendered, Plan):
        return rendered
    data = getattr(rendered, "plan", rendered)
    if isinstance(data, dict):
        return parse_plan_bytes(json.dumps(data).encode(), where)
    if isinstance(data, (str, bytes)):
        return parse_plan_bytes(data.encode() if isinstance(data, str) else data, where)
    raise PlanError(f"static render returned {type(rendered).__name__}, not a plan", where=where)
