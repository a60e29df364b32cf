"""Write the plan document (format 1.2, as `terraform show -json` would) from rendered module instances."""

from __future__ import annotations

from typing import Any

from runner import __version__
from runner.source.config import META_ARGUMENTS, RESOURCE_META_ARGUMENTS, RESOURCE_META_BLOCKS, ModuleConfig, ResourceDecl
from runner.source.evaluator import constant_value
from runner.source.expand import Instance, ModuleInstance
from runner.source.hcl import Body, Node
from runner.source.marker import FORMAT_VERSION, MARKER, TERRAFORM_VERSION
from runner.source.refs import references
from runner.source.schema import provider_local_name, provider_source
from runner.source.values import UNKNOWN, OpenObject, TSet, has_unknown

__all__ = ["FORMAT_VERSION", "MARKER", "TERRAFORM_VERSION", "build_plan"]


# --- value shapes, as terraform's jsonplan marshals them ---------------------------------------------------


def omit_unknowns(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: omit_unknowns(v) for k, v in value.items() if v is not UNKNOWN}
    if isinstance(value, list):
        return [None if v is UNKNOWN else omit_unknowns(v) for v in value]
    return value


def unknown_as_bool(value: Any) -> Any:
    if value is UNKNOWN:
        return True
    if value is None or not isinstance(value, (dict, list)):
        return False
    if isinstance(value, list):
        return [unknown_as_bool(v) for v in value]
    out = {}
    for k, v in value.items():
        flag = unknown_as_bool(v)
        if flag is not False:
            out[k] = flag
    return out


def sensitive_as_bool(value: Any, sensitive: bool = False) -> Any:
    if sensitive:
        return True
    if value is None or value is UNKNOWN or not isinstance(value, (dict, list)):
        return False
    if isinstance(value, list):
        return [sensitive_as_bool(v) for v in value]
    out = {}
    for k, v in value.items():
        flag = sensitive_as_bool(v)
        if flag is not False:
            out[k] = flag
    return out


def plain(value: Any) -> Any:
    """JSON-ready data: sets become lists, open objects plain objects."""
    if isinstance(value, (TSet, list)):
        return [plain(v) for v in value]
    if isinstance(value, (OpenObject, dict)):
        return {k: plain(value[k]) for k in sorted(value)}
    return value


# --- resources ---------------------------------------------------------------------------------------------


def _provider_name(decl: ResourceDecl, config: ModuleConfig, root: ModuleConfig) -> str:
    local = provider_local_name(decl.type)
    required = {
        k: v.get("source", "") for k, v in {**root.required_providers, **config.required_providers}.items()
    }
    return provider_source(local, required)


def _instance_common(inst: Instance, root: ModuleConfig) -> dict[str, Any]:
    decl = inst.decl
    out: dict[str, Any] = {"address": inst.address}
    if inst.module.address:
        out["module_address"] = inst.module.address
    out.update({"mode": decl.mode, "type": decl.type, "name": decl.name})
    if inst.key is not None:
        out["index"] = inst.key
    out["provider_name"] = _provider_name(decl, inst.module.config, root)
    return out


def _sensitive_values(inst: Instance) -> Any:
    out = {}
    schema = inst.schema.block if inst.schema else None
    for name in sorted(inst.values):
        value = inst.values[name]
        flag = sensitive_as_bool(value, name in inst.sensitive)
        if flag is False and value is UNKNOWN and schema is not None:
            flag = _empty_of(
                schema.attrs[name].type if name in schema.attrs else None,
                schema.blocks[name].nesting if name in schema.blocks else None,
            )
        if flag is not False:
            out[name] = flag
    return out


def _empty_of(ty: Any, nesting: str | None) -> Any:
    """terraform says {} / [] for an unknown map / list: nothing inside it is known to be sensitive."""
    if nesting is not None:
        return {} if nesting == "single" else []
    if isinstance(ty, tuple) and ty[0] in ("map", "object"):
        return {}
    if isinstance(ty, tuple) and ty[0] in ("list", "set", "tuple"):
        return []
    return False


def resource_change(inst: Instance, root: ModuleConfig) -> dict[str, Any]:
    values = plain(inst.values)
    change = {
        "actions": ["read"] if inst.decl.mode == "data" else ["create"],
        "before": None,
        "after": omit_unknowns(values),
        "after_unknown": unknown_as_bool(values),
        "before_sensitive": False,
        "after_sensitive": _sensitive_values(inst),
    }
    return {**_instance_common(inst, root), "change": change}


def planned_resource(inst: Instance, root: ModuleConfig) -> dict[str, Any]:
    common = _instance_common(inst, root)
    common.pop("module_address", None)
    values = plain(inst.values)
    return {
        **common,
        "schema_version": 0,
        "values": omit_unknowns(values),
        "sensitive_values": _sensitive_values(inst),
    }


# --- configuration -----------------------------------------------------------------------------------------


def expression(node: Node | None) -> dict[str, Any]:
    refs = references(node)
    if refs:
        return {"references": refs}
    found, value = constant_value(node) if node is not None else (False, None)
    return {"constant_value": plain(value)} if found else {}


def expressions(body: Body, top: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, attr in body.attributes.items():
        if top and name in RESOURCE_META_ARGUMENTS:
            continue
        out[name] = expression(attr.expr)
    for block in body.blocks:
        if block.type == "dynamic" or (top and block.type in RESOURCE_META_BLOCKS):
            continue  # terraform leaves dynamic blocks out of `configuration` too
        out.setdefault(block.type, []).append(expressions(block.body))
    return out


def _config_resource(decl: ResourceDecl, module_prefix: str) -> dict[str, Any]:
    local = provider_local_name(decl.type)
    provider = decl.meta("provider")
    key = local
    if provider is not None:
        refs = references(provider)
        key = refs[0] if refs else local
    out: dict[str, Any] = {
        "address": decl.key,
        "mode": decl.mode,
        "type": decl.type,
        "name": decl.name,
        "provider_config_key": f"{module_prefix}{key}" if module_prefix else key,
        "expressions": expressions(decl.body, top=True),
        "schema_version": 0,
    }
    if decl.meta("count") is not None:
        out["count_expression"] = expression(decl.meta("count"))
    if decl.meta("for_each") is not None:
        out["for_each_expression"] = expression(decl.meta("for_each"))
    depends = decl.meta("depends_on")
    if depends is not None:
        out["depends_on"] = references(depends)
    return out


def config_module(inst: ModuleInstance, prefix: str = "") -> dict[str, Any]:
    config = inst.config
    out: dict[str, Any] = {}
    if config.outputs:
        out["outputs"] = {}
        for name, decl in config.outputs.items():
            entry: dict[str, Any] = {"expression": expression(decl.expr)}
            if decl.sensitive:
                entry["sensitive"] = True
            if decl.description:
                entry["description"] = decl.description
            out["outputs"][name] = entry
    if config.resources:
        out["resources"] = sorted(
            (_config_resource(d, prefix) for d in config.resources), key=lambda r: r["address"]
        )
    calls: dict[str, Any] = {}
    for name, call in config.module_calls.items():
        entry = {"source": call.source, "expressions": {}}
        for arg, attr in call.body.attributes.items():
            if arg not in META_ARGUMENTS:
                entry["expressions"][arg] = expression(attr.expr)
        if call.meta("count") is not None:
            entry["count_expression"] = expression(call.meta("count"))
        if call.meta("for_each") is not None:
            entry["for_each_expression"] = expression(call.meta("for_each"))
        children = inst.children(name)  # an installed remote module has its configuration too, as in terraform's
        if children:
            entry["module"] = config_module(children[0], f"{prefix}{name}:")
        elif call.local:
            entry["module"] = {}
        calls[name] = entry
    if calls:
        out["module_calls"] = calls
    if config.variables:
        out["variables"] = {}
        for name, var in config.variables.items():
            v: dict[str, Any] = {}
            if var.has_default:
                found, value = constant_value(var.default) if var.default is not None else (True, None)
                if found:
                    v["default"] = plain(value)
            if var.description:
                v["description"] = var.description
            if var.sensitive:
                v["sensitive"] = True
            out["variables"][name] = v
    return out


def provider_config(root: ModuleInstance, used: set[str]) -> dict[str, Any]:
    config = root.config
    required = {k: v for k, v in config.required_providers.items()}
    out: dict[str, Any] = {}
    for p in config.providers:
        entry: dict[str, Any] = {
            "name": p.name,
            "full_name": provider_source(p.name, {k: v.get("source", "") for k, v in required.items()}),
        }
        if p.alias:
            entry["alias"] = p.alias
        if required.get(p.name, {}).get("version"):
            entry["version_constraint"] = required[p.name]["version"]
        exprs = expressions(p.body)
        exprs.pop("alias", None)
        if exprs:
            entry["expressions"] = exprs
        out[p.key] = entry
    for local in sorted(used):
        if local not in out:
            entry = {
                "name": local,
                "full_name": provider_source(local, {k: v.get("source", "") for k, v in required.items()}),
            }
            if required.get(local, {}).get("version"):
                entry["version_constraint"] = required[local]["version"]
            out[local] = entry
    return out


# --- the document ------------------------------------------------------------------------------------------


def planned(inst: Instance) -> bool:
    """In planned_values and resource_changes: managed resources, and data sources read during apply."""
    return inst.decl.mode == "managed" or inst.data_read != "read"


def _planned_module(
    inst: ModuleInstance, instances: list[Instance], root: ModuleConfig, keep: Any = planned
) -> dict[str, Any]:
    mine = sorted((i for i in instances if i.module is inst and keep(i)), key=lambda i: i.address)
    out: dict[str, Any] = {}
    if mine:
        out["resources"] = [planned_resource(i, root) for i in mine]
    children = []
    for child in sorted(inst.all_children(), key=lambda c: c.address):
        rendered = _planned_module(child, instances, root, keep)
        if keep is not planned and not rendered:
            continue
        rendered["address"] = child.address
        children.append(rendered)
    if children:
        out["child_modules"] = children
    return out


def prior_state(root: ModuleInstance, instances: list[Instance]) -> dict[str, Any] | None:
    """Data sources terraform reads while planning are in prior_state, with the values read."""
    if not any(i.data_read == "read" for i in instances):
        return None
    module = _planned_module(root, instances, root.config, lambda i: i.data_read == "read")
    return {"format_version": "1.0", "terraform_version": TERRAFORM_VERSION, "values": {"root_module": module}}


def _outputs(root: ModuleInstance) -> tuple[dict[str, Any], dict[str, Any]]:
    planned: dict[str, Any] = {}
    changes: dict[str, Any] = {}
    for name, decl in root.config.outputs.items():
        value = plain(root.output(name))
        sensitive = decl.sensitive
        entry: dict[str, Any] = {"sensitive": sensitive}
        if not has_unknown(value):
            entry["value"] = value
        planned[name] = entry
        changes[name] = {
            "actions": ["create"],
            "before": None,
            "after": None if value is UNKNOWN else omit_unknowns(value),  # wholly unknown: terraform says null
            "after_unknown": unknown_as_bool(value) if has_unknown(value) else False,
            "before_sensitive": False,
            "after_sensitive": sensitive,
        }
    return planned, changes


def build_plan(
    root: ModuleInstance,
    instances: list[Instance],
    source_dir: str,
    warnings: list[str],
    locations: dict[str, tuple[str, int]],
) -> dict[str, Any]:
    managed = sorted((i for i in instances if planned(i)), key=lambda i: i.address)
    planned_outputs, output_changes = _outputs(root)
    variables = {}
    for name in root.config.variables:
        value = plain(root.variable(name))
        if not has_unknown(value):
            variables[name] = {"value": value}
    used = {provider_local_name(i.decl.type) for i in instances}
    planned_values: dict[str, Any] = {}
    if planned_outputs:
        planned_values["outputs"] = planned_outputs
    planned_values["root_module"] = _planned_module(root, instances, root.config)
    plan: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        MARKER: {
            "static_plan": True,
            "generator": f"tfguard {__version__} plan-from-source",
            "source_dir": source_dir,
            "note": "rendered from Terraform source without providers or state; values known only after "
            "apply are in after_unknown",
            "warnings": warnings,
            "locations": {a: {"file": f, "line": n} for a, (f, n) in sorted(locations.items())},
        },
    }
    if variables:
        plan["variables"] = variables
    plan["planned_values"] = planned_values
    plan["resource_changes"] = [resource_change(i, root.config) for i in managed]
    if output_changes:
        plan["output_changes"] = output_changes
    state = prior_state(root, instances)
    if state is not None:
        plan["prior_state"] = state
    plan["configuration"] = {
        "provider_config": provider_config(root, used),
        "root_module": config_module(root),
    }
    return plan
