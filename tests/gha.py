"""A local runner for tfguard's GitHub Actions workflow files: just enough of GitHub Actions to execute the
thin compliance workflows (one-line `tfguard` calls) step by step, in temp directories against bare git
remotes. The maintained local runner, `act`, runs every job in a Docker container image, and no image
registry can be reached here, so this stands in, and only as far as the thin files need.

What it does as GitHub does: trigger filters (`on:` push branches-ignore, pull_request paths and types,
schedule, workflow_dispatch with inputs), jobs in `needs` order with job and step `if:` conditions, a
one-list matrix with the `strategy` context, `${{ }}` expressions (contexts, `==`, `!=`, `&&`, `||`, `!`,
always/success/failure), `env:` at workflow, job and step level, `run:` steps under
`bash --noprofile --norc -eo pipefail`, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, `continue-on-error`.

What it stands in for, because the real thing is a GitHub service: `actions/checkout` (the same git
commands against the bare remote, including the pull request merge ref), `actions/upload-artifact` and
`actions/download-artifact` (a directory per artifact), `actions/cache` (always a miss) and
`actions/setup-python` (the test's interpreter is already on PATH). Anything else -- another action,
another shell, an expression it cannot read -- raises, so a workflow never passes here by skipping a step.
Ignored: permissions, concurrency, runs-on, timeouts."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

STEP_TIMEOUT = 900

# --- expressions -----------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||[!().,])|(?P<id>[A-Za-z_][A-Za-z0-9_-]*))")


class ExpressionError(ValueError):
    pass


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "", 0.0)


def _equal(a: Any, b: Any) -> bool:
    """GitHub's equality: strings case-insensitively, anything else as it is."""
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return bool(a == b)


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Parser:
    """or := and ('||' and)*; and := eq ('&&' eq)*; eq := unary (('=='|'!=') unary)*; unary := '!' unary | path"""

    def __init__(self, text: str, contexts: Mapping[str, Any], functions: Mapping[str, Callable[[], Any]]) -> None:
        self.toks: list[str] = []
        pos, text = 0, text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ExpressionError(f"cannot read expression at {text[pos:]!r}")
            self.toks.append(m.group(m.lastgroup or ""))
            pos = m.end()
        self.i, self.contexts, self.functions = 0, contexts, functions

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        if self.i >= len(self.toks) or (expected is not None and self.toks[self.i] != expected):
            raise ExpressionError(f"expected {expected or 'more'} at {self.peek()!r}")
        self.i += 1
        return self.toks[self.i - 1]

    def parse(self) -> Any:
        value = self.or_()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()!r}")
        return value

    def or_(self) -> Any:
        left = self.and_()
        while self.peek() == "||":
            self.take()
            right = self.and_()
            left = left if _truthy(left) else right
        return left

    def and_(self) -> Any:
        left = self.eq()
        while self.peek() == "&&":
            self.take()
            right = self.eq()
            left = right if _truthy(left) else left
        return left

    def eq(self) -> Any:
        left = self.unary()
        while self.peek() in ("==", "!="):
            op = self.take()
            right = self.unary()
            left = _equal(left, right) if op == "==" else not _equal(left, right)
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not _truthy(self.unary())
        return self.primary()

    def primary(self) -> Any:
        tok = self.take()
        if tok.startswith("'"):
            return tok[1:-1].replace("''", "'")
        if tok == "(":
            value = self.or_()
            self.take(")")
            return value
        if tok in ("true", "false"):
            return tok == "true"
        if self.peek() == "(":
            self.take("(")
            self.take(")")
            if tok.lower() not in self.functions:
                raise ExpressionError(f"unknown function {tok}()")
            return self.functions[tok.lower()]()
        if tok not in self.contexts:
            raise ExpressionError(f"unknown context {tok!r}")
        value = self.contexts[tok]
        while self.peek() == ".":
            self.take()
            key = self.take()
            value = value.get(key) if isinstance(value, Mapping) else None
        return value


def evaluate(expr: str, contexts: Mapping[str, Any], functions: Mapping[str, Callable[[], Any]] | None = None) -> Any:
    return _Parser(expr, contexts, functions or {}).parse()


def render(value: Any, contexts: Mapping[str, Any], functions: Mapping[str, Callable[[], Any]] | None = None) -> Any:
    """Replace every ${{ expr }} in strings (recursively in mappings)."""
    if isinstance(value, str):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: to_text(evaluate(m.group(1), contexts, functions)), value)
    if isinstance(value, Mapping):
        return {k: render(v, contexts, functions) for k, v in value.items()}
    return to_text(value)


# --- triggers -------------------------------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """GitHub's filter pattern: `*` within one path segment, `**` across them."""
    out = "".join(".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
                  for part in re.split(r"(\*\*|\*)", pattern))
    return re.compile(out + r"\Z")


def _matches(patterns: list[str], value: str) -> bool:
    return any(glob_regex(p).match(value) for p in patterns)


@dataclass
class Event:
    """What happened on GitHub: the event name, the branch or pull request, and the payload."""

    name: str  # push | pull_request | schedule | workflow_dispatch
    branch: str  # the pushed or selected branch; for pull_request the head branch
    sha: str = ""
    base: str = ""  # pull_request: the base branch
    number: int = 0  # pull_request number
    changed_files: tuple[str, ...] = ()
    inputs: dict[str, Any] = field(default_factory=dict)
    action: str = ""  # pull_request: opened | synchronize | ...

    @property
    def ref(self) -> str:
        return f"refs/pull/{self.number}/merge" if self.name == "pull_request" else f"refs/heads/{self.branch}"

    @property
    def ref_name(self) -> str:
        return f"{self.number}/merge" if self.name == "pull_request" else self.branch


def triggered(on: Mapping[str, Any], event: Event) -> bool:
    if event.name not in on:
        return False
    spec = on[event.name] or {}
    if event.name == "pull_request":
        if event.action not in spec.get("types", ["opened", "synchronize", "reopened"]):
            return False
        if "paths" in spec and not any(_matches(spec["paths"], f) for f in event.changed_files):
            return False
    if event.name == "push" and _matches(spec.get("branches-ignore", []), event.branch):
        return False
    return True


# --- running ------------------------------------------------------------------------------------------------


@dataclass
class StepResult:
    name: str
    outcome: str  # success | failure | skipped
    conclusion: str
    stdout: str = ""
    stderr: str = ""


@dataclass
class JobResult:
    job: str
    matrix: dict[str, Any]
    result: str  # success | failure | skipped
    steps: list[StepResult] = field(default_factory=list)
    summary: str = ""
    workspace: Path | None = None

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    def log(self) -> str:
        return "\n".join([f"== job {self.job} {self.matrix or ''}: {self.result}",
                          *(f"-- step {s.name}: {s.outcome}\n{s.stdout}{s.stderr}" for s in self.steps)])


@dataclass
class WorkflowRun:
    triggered: bool
    jobs: dict[str, list[JobResult]] = field(default_factory=dict)
    artifacts: Path | None = None

    def job(self, name: str) -> JobResult:
        (only,) = self.jobs[name]
        return only

    def result(self, name: str) -> str:
        results = {j.result for j in self.jobs[name]}
        return "failure" if "failure" in results else ("success" if results == {"success"} else "skipped")

    def log(self) -> str:
        return "\n".join(j.log() for jobs in self.jobs.values() for j in jobs)


class StepFailed(Exception):
    pass


def _needs(job: Mapping[str, Any]) -> list[str]:
    needs = job.get("needs") or []
    return [needs] if isinstance(needs, str) else list(needs)


class LocalRunner:
    """Runs one workflow file for an Event against a bare git remote standing in for the GitHub repository."""

    def __init__(self, workflow: Path, remote: Path, work: Path, repository: str = "acme/compliance",
                 env: Mapping[str, str] | None = None, secrets: Mapping[str, str] | None = None,
                 workflow_env: Mapping[str, str] | None = None, api_url: str = "http://127.0.0.1:9/api") -> None:
        self.doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        self.doc["on"] = self.doc.pop(True, self.doc.get("on"))  # YAML 1.1 reads `on` as true
        self.remote, self.work, self.repository = remote, work, repository
        self.extra_env = dict(env or {})
        self.secrets = {"GITHUB_TOKEN": "ghs_local_runner_token", **(secrets or {})}
        self.workflow_env = dict(workflow_env or {})  # overrides of the workflow's env (a user's edit)
        self.api_url = api_url
        self.run_number = 0

    def run(self, event: Event) -> WorkflowRun:
        if not triggered(self.doc["on"], event):
            return WorkflowRun(False)
        self.run_number += 1
        run_dir = self.work / f"run-{self.run_number}"
        artifacts = run_dir / "artifacts"
        artifacts.mkdir(parents=True)
        result = WorkflowRun(True, artifacts=artifacts)
        done: dict[str, str] = {}
        jobs = self.doc["jobs"]
        while len(done) < len(jobs):
            ready = [j for j in jobs if j not in done and all(n in done for n in _needs(jobs[j]))]
            if not ready:
                raise ValueError("cycle in job needs")
            for job_id in ready:
                result.jobs[job_id] = self._run_job(job_id, jobs[job_id], event, done, run_dir, artifacts)
                done[job_id] = result.result(job_id)
        return result

    def _payload(self, event: Event) -> dict[str, Any]:
        repo = {"full_name": self.repository, "default_branch": "main", "name": self.repository.split("/")[1]}
        if event.name == "pull_request":
            return {"action": event.action, "number": event.number, "repository": repo,
                    "pull_request": {"number": event.number, "head": {"ref": event.branch, "sha": event.sha},
                                     "base": {"ref": event.base}}}
        if event.name == "workflow_dispatch":
            return {"inputs": self._inputs(event), "ref": event.ref, "repository": repo}
        return {"ref": event.ref, "after": event.sha, "repository": repo}

    def _inputs(self, event: Event) -> dict[str, Any]:
        if event.name != "workflow_dispatch":
            return {}
        declared = (self.doc["on"].get("workflow_dispatch") or {}).get("inputs") or {}
        return {k: event.inputs.get(k, v.get("default", "")) for k, v in declared.items()}

    def _contexts(self, event: Event, env: Mapping[str, str], matrix: Mapping[str, Any],
                  strategy: Mapping[str, Any]) -> dict[str, Any]:
        github = {"event_name": event.name, "event": self._payload(event), "ref": event.ref,
                  "ref_name": event.ref_name, "sha": event.sha, "repository": self.repository,
                  "token": self.secrets["GITHUB_TOKEN"]}
        return {"github": github, "env": dict(env), "matrix": dict(matrix), "strategy": dict(strategy),
                "secrets": dict(self.secrets), "inputs": self._inputs(event)}

    def _run_job(self, job_id: str, job: Mapping[str, Any], event: Event, needs: Mapping[str, str], run_dir: Path,
                 artifacts: Path) -> list[JobResult]:
        matrix = (job.get("strategy") or {}).get("matrix") or {}
        if len(matrix) > 1:
            raise NotImplementedError("a matrix of more than one list")
        combos = [{k: v} for k, values in matrix.items() for v in values] or [{}]
        return [self._run_instance(job_id + (f"-{i + 1}" if len(combos) > 1 else ""), job, event, needs, combo,
                                   {"job-index": i, "job-total": len(combos)}, run_dir, artifacts)
                for i, combo in enumerate(combos)]

    def _run_instance(self, name: str, job: Mapping[str, Any], event: Event, needs: Mapping[str, str],
                      matrix: dict[str, Any], strategy: dict[str, Any], run_dir: Path, artifacts: Path) -> JobResult:
        home = run_dir / name
        workspace, temp = home / "workspace", home / "temp"
        ctx = self._contexts(event, {}, matrix, strategy)
        needs_ok = all(needs[n] == "success" for n in _needs(job))
        if not self._condition(job.get("if"), ctx, failed=not needs_ok):
            return JobResult(name, matrix, "skipped")
        for folder in (workspace, temp, home / "home"):
            folder.mkdir(parents=True)
        env = self._base_env(event, workspace, temp, home / "home")
        env.update(render({**(self.doc.get("env") or {}), **self.workflow_env}, {**ctx, "env": env}))
        env.update(render(job.get("env") or {}, {**ctx, "env": env}))
        result = JobResult(name, matrix, "success", workspace=workspace)
        failed = False
        for i, step in enumerate(job.get("steps") or []):
            ctx = self._contexts(event, env, matrix, strategy)
            label = to_text(render(step.get("name") or step.get("uses") or step["run"].split("\n")[0], ctx))
            if not self._condition(step.get("if"), ctx, failed=failed):
                result.steps.append(StepResult(label, "skipped", "skipped"))
                continue
            sr = self._step(step, label, ctx, {**env, **render(step.get("env") or {}, ctx)}, workspace, temp,
                            artifacts, event, i, result)
            result.steps.append(sr)
            failed = failed or sr.conclusion == "failure"
        result.result = "failure" if failed else "success"
        return result

    def _condition(self, expr: Any, ctx: Mapping[str, Any], failed: bool) -> bool:
        fns = {"success": lambda: not failed, "failure": lambda: failed, "always": lambda: True}
        if expr is None:
            return not failed
        text = str(expr).strip()
        text = text[3:-2] if text.startswith("${{") and text.endswith("}}") else text
        if not re.search(r"\b(success|failure|always)\(", text):
            text = f"success() && ({text})"
        return _truthy(evaluate(text, ctx, fns))

    def _base_env(self, event: Event, workspace: Path, temp: Path, home: Path) -> dict[str, str]:
        host = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_")) and k != "CI"}
        (temp / "event.json").write_text(json.dumps(self._payload(event)), encoding="utf-8")
        return {**host, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{host.get('PATH', '')}", "CI": "true",
                "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event.name, "GITHUB_REF": event.ref,
                "GITHUB_REF_NAME": event.ref_name, "GITHUB_SHA": event.sha, "GITHUB_REPOSITORY": self.repository,
                "GITHUB_WORKSPACE": str(workspace), "GITHUB_API_URL": self.api_url,
                "GITHUB_HEAD_REF": event.branch if event.name == "pull_request" else "",
                "GITHUB_BASE_REF": event.base if event.name == "pull_request" else "",
                "GITHUB_EVENT_PATH": str(temp / "event.json"), "GITHUB_STEP_SUMMARY": str(temp / "summary.md"),
                "RUNNER_TEMP": str(temp), **self.extra_env}

    # -- steps -------------------------------------------------------------------------------------------

    def _step(self, step: Mapping[str, Any], label: str, ctx: Mapping[str, Any], env: dict[str, str],
              workspace: Path, temp: Path, artifacts: Path, event: Event, index: int, job: JobResult) -> StepResult:
        summary = Path(env["GITHUB_STEP_SUMMARY"])
        summary.write_text("", encoding="utf-8")
        if "uses" in step:
            try:
                self._action(step["uses"], render(step.get("with") or {}, ctx), workspace, artifacts, event, env)
                sr = StepResult(label, "success", "success")
            except StepFailed as exc:
                sr = StepResult(label, "failure", "failure", stderr=str(exc))
        else:
            if (step.get("shell") or "bash") != "bash" or "working-directory" in step:
                raise NotImplementedError("only bash steps in the workspace")
            script = temp / f"step-{index}.sh"
            script.write_text(to_text(render(step["run"], ctx)), encoding="utf-8")
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                                  env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT,
                                  stdin=subprocess.DEVNULL, check=False)
            outcome = "success" if proc.returncode == 0 else "failure"
            sr = StepResult(label, outcome, outcome, proc.stdout, proc.stderr)
        job.summary += summary.read_text(encoding="utf-8")
        if sr.outcome == "failure" and step.get("continue-on-error") is True:
            sr.conclusion = "success"
        return sr

    def _action(self, uses: str, with_: Mapping[str, Any], workspace: Path, artifacts: Path, event: Event,
                env: Mapping[str, str]) -> None:
        action = uses.split("@", 1)[0]
        if action == "actions/checkout":
            self._checkout(workspace, with_, event, env)
        elif action == "actions/upload-artifact":
            self._upload(workspace, artifacts, with_)
        elif action == "actions/download-artifact":
            self._download(workspace, artifacts, with_)
        elif action not in ("actions/setup-python", "actions/cache"):
            raise NotImplementedError(f"the local runner has no stand-in for {uses}")

    def _git(self, cwd: Path, env: Mapping[str, str], *args: str) -> None:
        proc = subprocess.run(["git", *args], cwd=cwd, env=dict(env), capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise StepFailed(f"git {' '.join(args)}: {proc.stderr.strip()}")

    def _checkout(self, workspace: Path, with_: Mapping[str, Any], event: Event, env: Mapping[str, str]) -> None:
        """What actions/checkout runs: init, fetch (one commit, or everything with fetch-depth 0), check out
        the branch with -B, or the pull request's merge ref detached."""
        depth = int(with_.get("fetch-depth", 1) or 0)
        shallow = [f"--depth={depth}"] if depth else []
        self._git(workspace, env, "init", "-q")
        self._git(workspace, env, "remote", "add", "origin", str(self.remote))
        if depth == 0:
            self._git(workspace, env, "fetch", "-q", "--prune", "--no-tags", "origin", "+refs/heads/*:refs/remotes/origin/*")
        ref = str(with_.get("ref") or "")
        if event.name == "pull_request" and not ref:
            merge = f"refs/remotes/pull/{event.number}/merge"
            self._git(workspace, env, "fetch", "-q", *shallow, "origin", f"+refs/pull/{event.number}/merge:{merge}")
            self._git(workspace, env, "checkout", "-q", "--detach", merge)
            return
        branch = ref.removeprefix("refs/heads/") or event.branch
        if depth:
            self._git(workspace, env, "fetch", "-q", *shallow, "origin", f"+refs/heads/{branch}:refs/remotes/origin/{branch}")
        self._git(workspace, env, "checkout", "-q", "-B", branch, f"refs/remotes/origin/{branch}")

    def _upload(self, workspace: Path, artifacts: Path, with_: Mapping[str, Any]) -> None:
        name = str(with_.get("name") or "artifact")
        source, target = workspace / str(with_["path"]).strip(), artifacts / name
        if target.exists():
            raise StepFailed(f"an artifact named {name} already exists")
        if source.is_dir():
            shutil.copytree(source, target)
        elif source.is_file():
            target.mkdir(parents=True)
            shutil.copy2(source, target / source.name)
        elif with_.get("if-no-files-found", "warn") == "error":
            raise StepFailed(f"no files found at {with_['path']}")

    def _download(self, workspace: Path, artifacts: Path, with_: Mapping[str, Any]) -> None:
        dest = workspace / str(with_.get("path") or ".")
        if with_.get("name"):
            if not (artifacts / str(with_["name"])).is_dir():
                raise StepFailed(f"artifact {with_['name']} not found")
            shutil.copytree(artifacts / str(with_["name"]), dest, dirs_exist_ok=True)
            return
        for p in sorted(artifacts.iterdir()):
            if fnmatch.fnmatchcase(p.name, str(with_.get("pattern", "*"))):
                shutil.copytree(p, dest / p.name, dirs_exist_ok=True)
