"""A local runner for GitHub Actions workflow files: enough of GitHub Actions to execute tfguard's
compliance workflows for real, step by step, in temp directories against bare git remotes.

What it does as GitHub does: trigger filters (`on:` branches, branches-ignore, paths, schedule,
workflow_dispatch with inputs), jobs in `needs` order with job and step `if:` conditions, matrix
expansion with the `strategy` context, `${{ }}` expressions (contexts, operators, the common functions),
`env:` at workflow, job and step level, `run:` steps under `bash --noprofile --norc -eo pipefail`,
GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY files, step and job outputs, `continue-on-error`.

What it stands in for, because the real thing is a GitHub service: `actions/checkout` (the same git
commands against the bare remote, including the pull request merge ref), `actions/upload-artifact` and
`actions/download-artifact` (a directory per artifact), `actions/cache` (always a miss) and
`actions/setup-python` (the test's interpreter is already on PATH). Any other action raises, so a
workflow never passes here by skipping a step. Ignored: permissions, concurrency, runs-on, timeouts."""

from __future__ import annotations

import fnmatch
import itertools
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

_TOKEN = re.compile(r"""\s*(?:
    (?P<str>'(?:[^']|'')*')
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!()\[\].,*])
  | (?P<id>[A-Za-z_][A-Za-z0-9_-]*)
)""", re.VERBOSE)


class ExpressionError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f"cannot read expression at {text[pos:]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "", 0.0)


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip() or 0)
    except ValueError:
        return float("nan")


def _equal(a: Any, b: Any) -> bool:
    """GitHub's loose equality: strings case-insensitively, mixed types as numbers."""
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if type(a) is type(b) or isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return bool(a == b)
    return _number(a) == _number(b)


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        if key in obj:
            return obj[key]
        for k, v in obj.items():
            if isinstance(k, str) and k.lower() == key.lower():
                return v
        return None
    if isinstance(obj, list) and key.isdigit() and int(key) < len(obj):
        return obj[int(key)]
    return None


class _Parser:
    def __init__(self, text: str, contexts: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> None:
        self.toks, self.i = _tokens(text), 0
        self.contexts, self.functions = contexts, functions

    def peek(self) -> str | None:
        return self.toks[self.i][1] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.toks):
            raise ExpressionError("unexpected end of expression")
        tok = self.toks[self.i]
        if expected is not None and tok[1] != expected:
            raise ExpressionError(f"expected {expected!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self) -> Any:
        value = self.or_()
        if self.i != len(self.toks):
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
        left = self.cmp()
        while self.peek() in ("==", "!="):
            op = self.take()[1]
            right = self.cmp()
            left = _equal(left, right) if op == "==" else not _equal(left, right)
        return left

    def cmp(self) -> Any:
        left = self.unary()
        while self.peek() in ("<", ">", "<=", ">="):
            op = self.take()[1]
            a, b = _number(left), _number(self.unary())
            left = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not _truthy(self.unary())
        return self.postfix()

    def postfix(self) -> Any:
        value = self.primary()
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                _kind, name = self.take()
                if name == "*":
                    value = list(value.values()) if isinstance(value, Mapping) else list(value or [])
                else:
                    value = _get(value, name)
            else:
                key = self.or_()
                self.take("]")
                value = _get(value, to_text(key))
        return value

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if text == "(":
            value = self.or_()
            self.take(")")
            return value
        if kind == "id":
            if text in ("true", "false"):
                return text == "true"
            if text == "null":
                return None
            if self.peek() == "(":
                self.take("(")
                args = []
                while self.peek() != ")":
                    args.append(self.or_())
                    if self.peek() == ",":
                        self.take(",")
                self.take(")")
                fn = self.functions.get(text.lower())
                if fn is None:
                    raise ExpressionError(f"unknown function {text}()")
                return fn(*args)
            if text not in self.contexts:
                raise ExpressionError(f"unknown context {text!r}")
            return self.contexts[text]
        raise ExpressionError(f"unexpected {text!r}")


def _format(fmt: str, *args: Any) -> str:
    return re.sub(r"\{(\d+)\}", lambda m: to_text(args[int(m.group(1))]), fmt)


def _contains(haystack: Any, needle: Any) -> bool:
    if isinstance(haystack, list):
        return any(_equal(item, needle) for item in haystack)
    return to_text(needle).lower() in to_text(haystack).lower()


BASE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "contains": _contains,
    "startswith": lambda a, b: to_text(a).lower().startswith(to_text(b).lower()),
    "endswith": lambda a, b: to_text(a).lower().endswith(to_text(b).lower()),
    "format": _format,
    "join": lambda items, sep=",": to_text(sep).join(to_text(i) for i in (items if isinstance(items, list) else [items])),
    "tojson": lambda v: json.dumps(v, indent=2),
    "fromjson": lambda s: json.loads(s),
}


def evaluate(expr: str, contexts: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
    return _Parser(expr, contexts, {**BASE_FUNCTIONS, **functions}).parse()


def render(value: Any, contexts: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]) -> Any:
    """Replace every ${{ expr }} in strings (recursively in lists and mappings)."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\$\{\{(.*?)\}\}", value.strip(), flags=re.DOTALL)
        if whole and value.strip() == value:
            result = evaluate(whole.group(1), contexts, functions)
            return result if isinstance(result, (dict, list)) else to_text(result)
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: to_text(evaluate(m.group(1), contexts, functions)), value,
                      flags=re.DOTALL)
    if isinstance(value, list):
        return [render(v, contexts, functions) for v in value]
    if isinstance(value, Mapping):
        return {k: render(v, contexts, functions) for k, v in value.items()}
    return to_text(value) if isinstance(value, (bool, int, float)) else value


# --- triggers -------------------------------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """GitHub's filter pattern: `*` within one path segment, `**` across them, `?` one character."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def _matches(patterns: list[str], value: str) -> bool:
    """GitHub's include/exclude lists: later `!pattern` entries exclude again."""
    matched = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        if glob_regex(pattern.lstrip("!")).match(value):
            matched = not negate
    return matched


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


def triggered(on: Any, event: Event) -> bool:
    if isinstance(on, str):
        return on == event.name
    if isinstance(on, list):
        return event.name in on
    if event.name not in on:
        return False
    spec = on[event.name] or {}
    if event.name == "pull_request":
        if event.action not in spec.get("types", ["opened", "synchronize", "reopened"]):
            return False
        branch = event.base
    else:
        branch = event.branch
    if event.name in ("push", "pull_request"):
        if "branches" in spec and not _matches(spec["branches"], branch):
            return False
        if "branches-ignore" in spec and _matches(spec["branches-ignore"], branch):
            return False
        if "paths" in spec and not any(_matches(spec["paths"], f) for f in event.changed_files):
            return False
        if "paths-ignore" in spec and all(_matches(spec["paths-ignore"], f) for f in event.changed_files):
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
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class JobResult:
    job: str
    matrix: dict[str, Any]
    result: str  # success | failure | skipped
    steps: list[StepResult] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    workspace: Path | None = None

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    def log(self) -> str:
        parts = [f"== job {self.job} {self.matrix or ''}: {self.result}"]
        for s in self.steps:
            parts.append(f"-- step {s.name}: {s.outcome}\n{s.stdout}{s.stderr}")
        return "\n".join(parts)


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


def _parse_kv_file(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


def _order(jobs: Mapping[str, Any]) -> list[str]:
    done: list[str] = []
    while len(done) < len(jobs):
        ready = [j for j in jobs if j not in done and all(n in done for n in _needs(jobs[j]))]
        if not ready:
            raise ValueError("cycle in job needs")
        done += ready
    return done


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
        self.workflow = workflow
        self.remote, self.work, self.repository = remote, work, repository
        self.extra_env = dict(env or {})
        self.secrets = {"GITHUB_TOKEN": "ghs_local_runner_token", **(secrets or {})}
        self.workflow_env = dict(workflow_env or {})  # overrides of the workflow's env (a user's edit)
        self.api_url = api_url
        self.run_number = 0

    # -- the run ---------------------------------------------------------------------------------------

    def run(self, event: Event) -> WorkflowRun:
        if not triggered(self.doc["on"], event):
            return WorkflowRun(False)
        self.run_number += 1
        run_dir = self.work / f"run-{self.run_number}"
        artifacts = run_dir / "artifacts"
        artifacts.mkdir(parents=True)
        result = WorkflowRun(True, artifacts=artifacts)
        needs_ctx: dict[str, Any] = {}
        for job_id in _order(self.doc["jobs"]):
            job = self.doc["jobs"][job_id]
            results = self._run_job(job_id, job, event, needs_ctx, run_dir, artifacts)
            result.jobs[job_id] = results
            overall = result.result(job_id)
            outputs: dict[str, str] = {}
            for r in results:
                outputs.update(r.outputs)
            needs_ctx[job_id] = {"result": overall, "outputs": outputs}
        return result

    def _github(self, event: Event, workspace: Path) -> dict[str, Any]:
        payload = self._payload(event)
        return {
            "event_name": event.name, "event": payload, "ref": event.ref, "ref_name": event.ref_name,
            "sha": event.sha, "repository": self.repository, "repository_owner": self.repository.split("/")[0],
            "token": self.secrets["GITHUB_TOKEN"], "workspace": str(workspace), "run_id": str(1000 + self.run_number),
            "run_number": str(self.run_number), "actor": "octocat", "server_url": "http://127.0.0.1:9",
            "api_url": self.api_url, "head_ref": event.branch if event.name == "pull_request" else "",
            "base_ref": event.base if event.name == "pull_request" else "", "ref_type": "branch",
        }

    def _payload(self, event: Event) -> dict[str, Any]:
        repo = {"full_name": self.repository, "default_branch": "main", "name": self.repository.split("/")[1]}
        if event.name == "pull_request":
            return {"action": event.action, "number": event.number, "repository": repo,
                    "pull_request": {"number": event.number, "head": {"ref": event.branch, "sha": event.sha},
                                     "base": {"ref": event.base}}}
        if event.name == "workflow_dispatch":
            return {"inputs": self._inputs(event), "ref": event.ref, "repository": repo}
        if event.name == "schedule":
            return {"schedule": self.doc["on"]["schedule"][0]["cron"], "repository": repo}
        return {"ref": event.ref, "after": event.sha, "repository": repo}

    def _inputs(self, event: Event) -> dict[str, Any]:
        if event.name != "workflow_dispatch":
            return {}
        declared = (self.doc["on"].get("workflow_dispatch") or {}).get("inputs") or {}
        return {k: event.inputs.get(k, v.get("default", "")) for k, v in declared.items()}

    def _matrix(self, job: Mapping[str, Any]) -> list[dict[str, Any]]:
        matrix = (job.get("strategy") or {}).get("matrix")
        if not matrix:
            return [{}]
        if set(matrix) & {"include", "exclude"}:
            raise NotImplementedError("matrix include/exclude")
        keys = list(matrix)
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(matrix[k] for k in keys))]

    def _run_job(self, job_id: str, job: Mapping[str, Any], event: Event, needs_ctx: Mapping[str, Any],
                 run_dir: Path, artifacts: Path) -> list[JobResult]:
        combos = self._matrix(job)
        results = []
        for index, combo in enumerate(combos):
            strategy = {"job-index": index, "job-total": len(combos), "fail-fast": True, "max-parallel": len(combos)}
            name = job_id + (f"-{index + 1}" if len(combos) > 1 else "")
            results.append(self._run_instance(job_id, name, job, event, needs_ctx, combo, strategy, run_dir,
                                              artifacts))
        return results

    def _contexts(self, event: Event, workspace: Path, runner_temp: Path, env: Mapping[str, str],
                  needs_ctx: Mapping[str, Any], matrix: Mapping[str, Any], strategy: Mapping[str, Any],
                  steps_ctx: Mapping[str, Any], job_id: str) -> dict[str, Any]:
        github = {**self._github(event, workspace), "job": job_id}
        return {"github": github, "env": dict(env), "needs": dict(needs_ctx), "matrix": dict(matrix),
                "strategy": dict(strategy), "steps": dict(steps_ctx), "secrets": dict(self.secrets),
                "inputs": self._inputs(event), "vars": {},
                "runner": {"os": "Linux", "arch": "X64", "temp": str(runner_temp), "name": "local"},
                "job": {"status": "success"}}

    def _run_instance(self, job_id: str, name: str, job: Mapping[str, Any], event: Event,
                      needs_ctx: Mapping[str, Any], matrix: dict[str, Any], strategy: dict[str, Any], run_dir: Path,
                      artifacts: Path) -> JobResult:
        home = run_dir / name
        workspace, runner_temp = home / "workspace", home / "temp"
        needs = {n: needs_ctx[n] for n in _needs(job)}
        ctx = self._contexts(event, workspace, runner_temp, {}, needs, matrix, strategy, {}, job_id)
        needs_ok = all(n["result"] == "success" for n in needs.values())
        if not self._condition(job.get("if"), ctx, failed=not needs_ok, job_level=True):
            return JobResult(job_id, matrix, "skipped")
        workspace.mkdir(parents=True)
        runner_temp.mkdir(parents=True)
        (home / "home").mkdir()
        env = self._base_env(event, workspace, runner_temp, home / "home")
        failed = False
        fns = self._functions(workspace, lambda: failed)
        env.update(render({**(self.doc.get("env") or {}), **self.workflow_env}, {**ctx, "env": env}, fns))
        env.update(render(job.get("env") or {}, {**ctx, "env": env}, fns))
        defaults = ((self.doc.get("defaults") or {}).get("run") or {}) | ((job.get("defaults") or {}).get("run") or {})
        result = JobResult(job_id, matrix, "success", workspace=workspace)
        steps_ctx: dict[str, Any] = {}
        for i, step in enumerate(job.get("steps") or []):
            ctx = self._contexts(event, workspace, runner_temp, env, needs, matrix, strategy, steps_ctx, job_id)
            ctx["job"] = {"status": "failure" if failed else "success"}
            label = step.get("name") or step.get("uses") or step.get("run", "").split("\n")[0]
            label = to_text(render(label, ctx, fns))
            if not self._condition(step.get("if"), ctx, failed=failed, fns=fns):
                sr = StepResult(label, "skipped", "skipped")
            else:
                step_env = {**env, **render(step.get("env") or {}, ctx, fns)}
                sr, env_updates, path_additions = self._step(step, label, ctx, fns, step_env, workspace, runner_temp,
                                                             defaults, artifacts, event, i, result)
                env.update(env_updates)
                if path_additions:
                    env["PATH"] = os.pathsep.join([*path_additions, env["PATH"]])
            result.steps.append(sr)
            if "id" in step:
                steps_ctx[step["id"]] = {"outputs": sr.outputs, "outcome": sr.outcome, "conclusion": sr.conclusion}
            if sr.conclusion == "failure":
                failed = True
        result.result = "failure" if failed else "success"
        ctx = self._contexts(event, workspace, runner_temp, env, needs, matrix, strategy, steps_ctx, job_id)
        result.outputs = {k: to_text(v) for k, v in render(job.get("outputs") or {}, ctx, fns).items()}
        return result

    def _functions(self, workspace: Path, failed: Callable[[], bool]) -> dict[str, Callable[..., Any]]:
        def hash_files(*patterns: str) -> str:
            found = [p for pat in patterns for p in workspace.glob(pat) if p.is_file()]
            return "h" + str(abs(hash(tuple(sorted(map(str, found)))))) if found else ""

        return {"success": lambda: not failed(), "failure": failed, "always": lambda: True,
                "cancelled": lambda: False, "hashfiles": hash_files}

    def _condition(self, expr: Any, ctx: Mapping[str, Any], failed: bool, job_level: bool = False,
                   fns: Mapping[str, Callable[..., Any]] | None = None) -> bool:
        fns = {"success": lambda: not failed, "failure": lambda: failed, "always": lambda: True,
               "cancelled": lambda: False, **{k: v for k, v in (fns or {}).items()
                                               if k not in ("success", "failure")}}
        if expr is None:
            return not failed
        text = str(expr).strip()
        whole = re.fullmatch(r"\$\{\{(.*)\}\}", text, flags=re.DOTALL)
        text = whole.group(1) if whole else text
        if not re.search(r"\b(success|failure|always|cancelled)\(", text):
            text = f"success() && ({text})"
        return _truthy(evaluate(text, ctx, fns))

    def _base_env(self, event: Event, workspace: Path, runner_temp: Path, home: Path) -> dict[str, str]:
        host = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_")) and k != "CI"}
        venv_bin = str(Path(sys.executable).parent)
        files = {n: runner_temp / f"{n.lower()}" for n in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STEP_SUMMARY",
                                                              "GITHUB_PATH")}
        env = {**host, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
               "PATH": f"{venv_bin}{os.pathsep}{host.get('PATH', '')}", "CI": "true", "GITHUB_ACTIONS": "true",
               "GITHUB_EVENT_NAME": event.name, "GITHUB_REF": event.ref, "GITHUB_REF_NAME": event.ref_name,
               "GITHUB_REF_TYPE": "branch", "GITHUB_SHA": event.sha, "GITHUB_REPOSITORY": self.repository,
               "GITHUB_REPOSITORY_OWNER": self.repository.split("/")[0], "GITHUB_WORKSPACE": str(workspace),
               "GITHUB_RUN_ID": str(1000 + self.run_number), "GITHUB_RUN_NUMBER": str(self.run_number),
               "GITHUB_API_URL": self.api_url, "GITHUB_SERVER_URL": "http://127.0.0.1:9",
               "GITHUB_HEAD_REF": event.branch if event.name == "pull_request" else "",
               "GITHUB_BASE_REF": event.base if event.name == "pull_request" else "",
               "GITHUB_EVENT_PATH": str(runner_temp / "event.json"), "RUNNER_TEMP": str(runner_temp),
               "RUNNER_OS": "Linux", **{k: str(v) for k, v in files.items()}, **self.extra_env}
        (runner_temp / "event.json").write_text(json.dumps(self._payload(event)), encoding="utf-8")
        return env

    # -- steps -------------------------------------------------------------------------------------------

    def _step(self, step: Mapping[str, Any], label: str, ctx: Mapping[str, Any],
              fns: Mapping[str, Callable[..., Any]], env: dict[str, str], workspace: Path, runner_temp: Path,
              defaults: Mapping[str, Any], artifacts: Path, event: Event, index: int,
              job: JobResult) -> tuple[StepResult, dict[str, str], list[str]]:
        """The step's result, the variables it added to GITHUB_ENV and the directories it added to GITHUB_PATH."""
        for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STEP_SUMMARY", "GITHUB_PATH"):
            Path(env[name]).write_text("", encoding="utf-8")
        env_updates: dict[str, str] = {}
        path_additions: list[str] = []
        if "uses" in step:
            with_ = render(step.get("with") or {}, ctx, fns)
            try:
                outputs = self._action(step["uses"], with_, workspace, artifacts, event, env)
                sr = StepResult(label, "success", "success", outputs=outputs)
            except StepFailed as exc:
                sr = StepResult(label, "failure", "failure", stderr=str(exc))
        else:
            script = to_text(render(step["run"], ctx, fns))
            shell = step.get("shell") or defaults.get("shell") or "bash"
            if shell != "bash":
                raise NotImplementedError(f"shell {shell}")
            cwd = workspace / to_text(render(step.get("working-directory") or defaults.get("working-directory") or ".",
                                             ctx, fns))
            path = runner_temp / f"step-{index}.sh"
            path.write_text(script, encoding="utf-8")
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=STEP_TIMEOUT, stdin=subprocess.DEVNULL,
                                  check=False)
            outcome = "success" if proc.returncode == 0 else "failure"
            sr = StepResult(label, outcome, outcome, proc.stdout, proc.stderr,
                            _parse_kv_file(Path(env["GITHUB_OUTPUT"])))
            env_updates = _parse_kv_file(Path(env["GITHUB_ENV"]))
            path_additions = [ln for ln in Path(env["GITHUB_PATH"]).read_text(encoding="utf-8").splitlines() if ln]
        job.summary += Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
        if sr.outcome == "failure" and to_text(render(step.get("continue-on-error", False), ctx, fns)) == "true":
            sr.conclusion = "success"
        return sr, env_updates, path_additions

    def _action(self, uses: str, with_: Mapping[str, Any], workspace: Path, artifacts: Path, event: Event,
                env: Mapping[str, str]) -> dict[str, str]:
        action = uses.split("@", 1)[0]
        if action == "actions/checkout":
            self._checkout(workspace, with_, event, env)
            return {}
        if action in ("actions/setup-python", "actions/cache"):
            return {"cache-hit": "false"} if action == "actions/cache" else {}
        if action == "actions/upload-artifact":
            return self._upload(workspace, artifacts, with_)
        if action == "actions/download-artifact":
            return self._download(workspace, artifacts, with_)
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

    def _upload(self, workspace: Path, artifacts: Path, with_: Mapping[str, Any]) -> dict[str, str]:
        name = str(with_.get("name") or "artifact")
        source = workspace / str(with_["path"]).strip()
        target = artifacts / name
        if target.exists():
            raise StepFailed(f"an artifact named {name} already exists")
        if source.is_dir():
            shutil.copytree(source, target)
        elif source.is_file():
            target.mkdir(parents=True)
            shutil.copy2(source, target / source.name)
        elif with_.get("if-no-files-found", "warn") == "error":
            raise StepFailed(f"no files found at {with_['path']}")
        return {}

    def _download(self, workspace: Path, artifacts: Path, with_: Mapping[str, Any]) -> dict[str, str]:
        dest = workspace / str(with_.get("path") or ".")
        if with_.get("name"):
            source = artifacts / str(with_["name"])
            if not source.is_dir():
                raise StepFailed(f"artifact {with_['name']} not found")
            shutil.copytree(source, dest, dirs_exist_ok=True)
            return {}
        names = sorted(p.name for p in artifacts.iterdir() if fnmatch.fnmatchcase(p.name, str(with_.get("pattern", "*"))))
        for name in names:
            shutil.copytree(artifacts / name, dest if with_.get("merge-multiple") else dest / name, dirs_exist_ok=True)
        return {}


class StepFailed(Exception):
    pass
