"""runner.source rendering: the corpus (static vs real plans), warnings for what cannot be rendered,
broken inputs, source locations, the static marker, and the plan-from-source / check commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import REPO_ROOT, tfguard

from runner.errors import PlanError
from runner.source import is_static_plan, lookup_location, render_plan, source_locations
from runner.source.marker import plan_locations
from runner.workloads.plan import parse_plan_bytes

CORPUS = REPO_ROOT / "tests" / "source_corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "src").is_dir())


def render_case(name: str) -> dict:
    case = CORPUS / name
    meta = yaml.safe_load((case / "case.yaml").read_text()) if (case / "case.yaml").exists() else {}
    meta = meta or {}
    var_args = [tuple(v.split("=", 1)) for v in meta.get("vars") or []]
    return render_plan(case / "src", var_args, [str(case / f) for f in meta.get("var_files") or []]).data


def managed(plan: dict) -> dict[str, dict]:
    return {rc["address"]: rc["change"] for rc in plan["resource_changes"] if rc["mode"] == "managed"}


def test_corpus_has_twenty_cases_with_real_plans() -> None:
    assert len(CASES) >= 20
    produced = [yaml.safe_load((CORPUS / c / "case.yaml").read_text()).get("produced_by", "") for c in CASES]
    assert sum(p.startswith("terraform ") for p in produced) >= 15


@pytest.mark.parametrize("name", CASES)
def test_corpus_addresses_match_the_real_plan(name: str) -> None:
    real = json.loads((CORPUS / name / "plan.json").read_text())
    assert sorted(managed(render_case(name))) == sorted(managed(real))


# cases whose real plan knows more than the renderer, each listed with its reason in docs/plan-from-source.md
KNOWN_VALUE_GAPS = {
    "aws_database_compute_defaults": "computed attributes of types schema.py does not describe in full",
}


@pytest.mark.parametrize("name", [c for c in CASES if c not in KNOWN_VALUE_GAPS])
def test_corpus_known_values_match_the_real_plan(name: str) -> None:
    """Every value the real plan knows is rendered equal (sets compared as sorted lists)."""
    real, static = managed(json.loads((CORPUS / name / "plan.json").read_text())), managed(render_case(name))

    def norm(v: object) -> object:
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            items = [norm(x) for x in v]
            return sorted(items, key=json.dumps) if all(isinstance(x, dict) for x in items) else items
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    for address, change in real.items():
        assert norm(static[address]["after"]) == norm(change["after"]), address
        assert set(static[address]["after_unknown"]) == set(change["after_unknown"]), address


@pytest.mark.parametrize("name", CASES)
def test_corpus_data_sources_read_during_apply_match_the_real_plan(name: str) -> None:
    """Data sources terraform defers to apply (unknown inputs, depends_on) are the ones the renderer defers;
    the hand-checked cases have none."""
    real = json.loads((CORPUS / name / "plan.json").read_text())

    def deferred(plan: dict) -> set[str]:
        return {rc["address"] for rc in plan["resource_changes"] if rc["mode"] == "data"}

    assert deferred(render_case(name)) == deferred(real)


def test_data_sources_terraform_reads_while_planning_are_read() -> None:
    """null_data_source's inputs are known, so terraform reads it at plan time; so does the renderer."""
    plan = render_plan(CORPUS / "data_sources" / "src")
    change = managed(plan.data)["null_resource.named"]
    assert change["after"]["triggers"]["name"] == "acme-app" and "triggers" not in change["after_unknown"] or (
        change["after_unknown"]["triggers"] == {}
    )
    read = plan.data["prior_state"]["values"]["root_module"]["resources"]
    assert [r["address"] for r in read] == ["data.null_data_source.naming"]
    assert "random" not in read[0]["values"]  # drawn by the provider at each read: not invented
    assert not plan.warnings


def test_static_plan_is_marked_and_accepted_by_the_loader() -> None:
    data = render_case("local_module")
    assert is_static_plan(data) and data["format_version"] == "1.2"
    assert data["terraform_version"].startswith("1.6.")
    plan = parse_plan_bytes(json.dumps(data).encode(), "static.json")
    assert "module.api.null_resource.service" in plan.addresses
    assert not is_static_plan(json.loads((CORPUS / "local_module" / "plan.json").read_text()))


def test_configuration_lists_references_like_terraform() -> None:
    data = render_case("count_references")
    resources = {r["address"]: r for r in data["configuration"]["root_module"]["resources"]}
    assert resources["null_resource.summary"]["expressions"]["triggers"]["references"] == [
        "null_resource.node[0].triggers.name",
        "null_resource.node[0].triggers",
        "null_resource.node[0]",
        "null_resource.node",
        "null_resource.node",
        "null_resource.node[0].id",
        "null_resource.node[0]",
        "null_resource.node",
    ]
    assert resources["null_resource.node"]["count_expression"] == {"references": ["var.names"]}


def test_sensitive_variables_mark_attributes_sensitive() -> None:
    change = managed(render_case("sensitive_values"))
    assert change["null_resource.secret"]["after_sensitive"] == {"triggers": True}
    assert change["null_resource.dsn"]["after_sensitive"] == {"triggers": True}
    assert change["null_resource.db"]["after_sensitive"] == {"triggers": {}}


def test_source_locations_cover_modules_and_instances(tmp_path: Path) -> None:
    src = CORPUS / "module_count_for_each" / "src"
    found = source_locations(src)
    assert found['module.queue["payments"].null_resource.dlq[0]'] == (str(src / "modules/queue/main.tf"), 14)
    assert found["module.queue"] == (str(src / "main.tf"), 8)
    assert lookup_location(found, 'module.queue["zzz"].null_resource.queue') == (
        str(src / "modules/queue/main.tf"),
        7,
    )
    assert plan_locations(render_case("module_count_for_each"))["null_resource.index"][1] == 22


BROKEN = {
    "unknown_function": 'resource "null_resource" "a" {\n  triggers = { x = nosuch(1) }\n}\n',
    "bad_index": (
        'locals {\n  l = [1]\n}\nresource "null_resource" "a" {\n'
        '  triggers = { x = local.l[3] }\n}\n'
    ),
    "cycle": (
        'locals {\n  a = local.b\n  b = local.a\n}\nresource "null_resource" "a" {\n'
        '  triggers = { x = local.a }\n}\n'
    ),
    "unknown_count": (
        'resource "null_resource" "a" {\n}\nresource "null_resource" "b" {\n'
        '  count = length(null_resource.a.id)\n}\n'
    ),
    "missing_var": 'variable "v" {}\nresource "null_resource" "a" {\n  triggers = { v = var.v }\n}\n',
    "remote_module": 'module "m" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
    "missing_module_dir": 'module "m" {\n  source = "./nope"\n}\n',
    "for_each_list": 'resource "null_resource" "a" {\n  for_each = ["x"]\n}\n',
    "dynamic_unknown": (
        'resource "aws_security_group" "a" {\n  dynamic "ingress" {\n    for_each = null_resource.x.id\n'
        '    content {\n      from_port = 1\n    }\n  }\n}\nresource "null_resource" "x" {}\n'
    ),
    "self_resource": 'resource "null_resource" "a" {\n  triggers = { x = null_resource.a.id }\n}\n',
    "undeclared": (
        'resource "null_resource" "a" {\n  triggers = { x = var.nope, y = aws_s3_bucket.zz.id }\n'
        '}\n'
    ),
    "odd_blocks": (
        'check "c" {\n}\nresource "x" {\n}\nfoo = 1\nresource "null_resource" "a" {\n'
        '  count = -1\n}\n'
    ),
    "templates": 'resource "null_resource" "a" {\n  triggers = { t = templatefile("missing.tpl", {}) }\n}\n',
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_inputs_warn_with_a_place_and_never_crash(tmp_path: Path, name: str) -> None:
    (tmp_path / "main.tf").write_text(BROKEN[name])
    plan = render_plan(tmp_path)
    assert plan.warnings, "an unsupported construct must be reported"
    assert all(w.file for w in plan.warnings)
    json.dumps(plan.data)  # always serialisable
    parse_plan_bytes(json.dumps(plan.data).encode(), "x.json")


def test_syntax_error_is_a_plan_error_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "ok.tf").write_text('resource "null_resource" "a" {}\n')
    (tmp_path / "broken.tf").write_text('resource "null_resource" "b" {\n  triggers = {\n}\n')
    with pytest.raises(PlanError) as err:
        render_plan(tmp_path)
    assert err.value.where.endswith("broken.tf:4")


def test_variable_precedence(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "a" {\n  default = "d"\n}\nvariable "b" {\n  type = list(string)\n'
        '  default = []\n}\nresource "null_resource" "r" {\n'
        '  triggers = { a = var.a, b = join(",", var.b) }\n}\n'
    )
    (tmp_path / "terraform.tfvars").write_text('a = "tfvars"\n')
    (tmp_path / "x.auto.tfvars").write_text('a = "auto"\n')
    (tmp_path / "f.tfvars.json").write_text('{"a": "file", "b": ["1"]}')
    plan = render_plan(tmp_path, [("b", '["p", "q"]')], [str(tmp_path / "f.tfvars.json")])
    assert managed(plan.data)["null_resource.r"]["after"]["triggers"] == {"a": "file", "b": "p,q"}
    typed = render_plan(tmp_path, variables={"a": "typed", "b": ["z"]})
    assert managed(typed.data)["null_resource.r"]["after"]["triggers"] == {"a": "typed", "b": "z"}


def test_an_installed_remote_module_has_its_configuration_as_in_terraform() -> None:
    """configuration.module_calls.NAME.module of a module installed from git or a registry: the engine reads
    each resource's module source (MOD-001) and companions' references from it (it was left out)."""

    def calls(module: dict) -> dict:
        return {
            name: {"source": c["source"], "resources": sorted(r["address"] for r in (c.get("module") or {}).get("resources") or []),
                   "calls": calls(c.get("module") or {})}
            for name, c in (module.get("module_calls") or {}).items()
        }

    real = json.loads((CORPUS / "registry_module_installed" / "plan.json").read_text())
    static = render_case("registry_module_installed")
    assert calls(static["configuration"]["root_module"]) == calls(real["configuration"]["root_module"])
    assert calls(real["configuration"]["root_module"])["labels"]["resources"] == ["null_resource.label"]


def test_a_resource_keeps_its_own_source_and_version_arguments(tmp_path: Path) -> None:
    """`source` and `version` are meta-arguments of a module call only: aws_eks_cluster.version and
    aws_s3_object.source are arguments of their types (a static plan without them failed EKS-004)."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_eks_cluster" "c" {\n  name = "c"\n  version = "1.33"\n  count = 1\n}\n'
        'resource "aws_s3_object" "o" {\n  bucket = "b"\n  key = "k"\n  source = "files/k.txt"\n}\n'
    )
    plan = render_plan(tmp_path).data
    assert managed(plan)["aws_eks_cluster.c[0]"]["after"]["version"] == "1.33"
    assert "count" not in managed(plan)["aws_eks_cluster.c[0]"]["after"]
    assert managed(plan)["aws_s3_object.o"]["after"]["source"] == "files/k.txt"
    resources = {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}
    assert resources["aws_eks_cluster.c"]["expressions"]["version"] == {"constant_value": "1.33"}
    assert resources["aws_s3_object.o"]["expressions"]["source"] == {"constant_value": "files/k.txt"}


def test_plan_from_source_command(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    src = CORPUS / "cli_vars"
    run = tfguard(
        "plan-from-source",
        str(src / "src"),
        "-var",
        "name=web",
        "-var-file",
        str(src / "prod.tfvars"),
        "-o",
        str(out),
    )
    assert run.code == 0, run.stderr
    data = json.loads(out.read_text())
    assert is_static_plan(data)
    assert sorted(managed(data)) == [f"null_resource.app[{i}]" for i in range(3)]
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "main.tf").write_text("locals {\n  a = [1,\n")
    bad = tfguard("plan-from-source", str(tmp_path / "bad"), "-o", str(tmp_path / "x.json"))
    assert bad.code == 2
    assert bad.stderr.strip().splitlines()[-1].startswith(f"tfguard: error: {tmp_path / 'bad' / 'main.tf'}:")
    assert "Traceback" not in bad.stderr


def test_check_labels_results_from_a_static_plan(tmp_path: Path) -> None:
    """The real engine accepts the static plan and the report says it is static."""
    out = tmp_path / "static.json"
    assert tfguard("plan-from-source", str(CORPUS / "aws_sg_dynamic" / "src"), "-o", str(out)).code == 0
    run = tfguard(
        "check",
        "--plan",
        str(out),
        "--features",
        str(CORPUS / "guardrails"),
        "--only",
        "SRC-006",
        "--no-exclusions",
        "--format",
        "json",
    )
    assert run.code == 1, run.stderr
    doc = json.loads(run.stdout)
    assert doc["workloads"][0]["static_plan"] is True
    failed = [r for r in doc["results"] if r["status"] == "failed"]
    assert failed and failed[0]["findings"][0]["address"] == "aws_security_group.web"
