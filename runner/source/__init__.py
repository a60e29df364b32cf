"""Static plans from Terraform source: render a workload's HCL into a plan document the engine accepts.

    render_plan(dir, var_args, var_files, variables) -> StaticPlan   the plan (format 1.2) and warnings
    source_locations(dir) -> {address: (file, line)}                 where each resource is declared
    lookup_location(locations, address) -> (file, line) | None       any plan address, keys or not
    is_static_plan(plan_data) -> bool                                was this plan rendered from source?

What cannot be known without providers and state (computed attributes, data sources, remote modules)
is marked unknown (`after_unknown`), never invented. See docs/plan-from-source.md.
The heavy parts (python-hcl2, the evaluator) are imported only when rendering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.source.datasources import Placeholders
from runner.source.marker import MARKER, Location, is_static_plan, plan_locations

if TYPE_CHECKING:
    from runner.source.expand import Instance, ModuleInstance
    from runner.source.warnings import NotEvaluated, SourceWarning

__all__ = [
    "MARKER",
    "Location",
    "Placeholders",
    "StaticPlan",
    "is_static_plan",
    "lookup_location",
    "plan_locations",
    "render_plan",
    "source_locations",
]


@dataclass(frozen=True)
class StaticPlan:
    data: dict[str, Any] = field(repr=False)
    warnings: tuple[SourceWarning, ...]
    locations: dict[str, Location]
    not_evaluated: tuple[NotEvaluated, ...] = ()
    inputs: tuple[str, ...] = ()  # every file read (.tf files, variables files, file() ...)

    @property
    def plan(self) -> dict[str, Any]:
        return self.data

    @property
    def addresses(self) -> list[str]:
        return [rc["address"] for rc in self.data.get("resource_changes", [])]


def render_plan(
    source_dir: str | Path,
    var_args: Sequence[tuple[str, str]] = (),
    var_files: Sequence[str] = (),
    variables: Mapping[str, Any] | None = None,
    placeholders: Placeholders | Mapping[str, str] | None = None,
    module_dirs: Mapping[str, str] | None = None,
) -> StaticPlan:
    """Render the Terraform configuration in `source_dir`.

    var_args are `-var` pairs (text, converted by each variable's type); `variables` are typed values (from a
    workload registry), applied last; `module_dirs` maps module sources or addresses to directories for
    remote modules `terraform init` has not installed; `placeholders` are the account_id / region / partition that
    aws_caller_identity, aws_region and aws_partition read. HCL syntax errors and unreadable inputs raise PlanError naming
    file:line; everything else that cannot be rendered becomes a warning with its place."""
    from runner.source.config import require_terraform_files
    from runner.source.emit import build_plan
    from runner.source.expand import Renderer
    from runner.source.variables import auto_var_files, root_values
    from runner.source.warnings import Warnings

    directory = str(source_dir)
    require_terraform_files(directory)
    warnings = Warnings()
    if not isinstance(placeholders, Placeholders):
        placeholders = Placeholders(dict(placeholders or {}))
    renderer = Renderer(directory, warnings, {}, placeholders, module_dirs)
    config = renderer.config(directory)
    pairs = list(var_args)
    typed: dict[str, Any] = {}
    for name, value in (variables or {}).items():
        if isinstance(value, str):
            pairs.append((str(name), value))
        else:
            typed[str(name)] = value
    values = root_values(config, pairs, var_files, warnings)
    values.update(typed)
    renderer.root_values = values
    root = renderer.root()
    instances = _all_instances(root)
    locations = _locations(root, instances)
    data = build_plan(root, instances, directory, [], locations)
    data[MARKER]["warnings"] = [str(w) for w in warnings.items]
    data[MARKER]["not_evaluated"] = [gap.as_dict() for gap in renderer.not_evaluated]
    inputs = (*renderer.inputs(), *var_files, *(str(p) for p in auto_var_files(Path(directory))))
    return StaticPlan(data, tuple(warnings.items), locations, tuple(renderer.not_evaluated), inputs)


def _all_instances(module: ModuleInstance) -> list[Instance]:
    out: list[Instance] = []
    for group in module.groups():
        out += group.instances
    for child in module.all_children():
        out += _all_instances(child)
    return out


def _locations(root: ModuleInstance, instances: list[Instance]) -> dict[str, Location]:
    out = _config_locations(root, "")
    for inst in instances:
        out[inst.address] = (inst.decl.file, inst.decl.line)
    return out


def _config_locations(module: ModuleInstance, prefix: str) -> dict[str, Location]:
    out: dict[str, Location] = {}
    for decl in module.config.resources:
        out[f"{prefix}{decl.key}"] = (decl.file, decl.line)
    for name, call in module.config.module_calls.items():
        out[f"{prefix}module.{name}"] = (call.file, call.line)
        children = module.children(name) if call.local else None
        if children:
            out.update(_config_locations(children[0], f"{prefix}module.{name}."))
    return out


def source_locations(
    source_dir: str | Path, var_args: Sequence[tuple[str, str]] = (), var_files: Sequence[str] = ()
) -> dict[str, Location]:
    """Resource address -> (file, line) of its `resource`/`data`/`module` block, for the whole source.

    Keys are configuration addresses (`module.net.aws_subnet.a`) and, where count/for_each can be
    evaluated, instance addresses (`module.net.aws_subnet.a[0]`). `file` is `source_dir` joined with the
    file's path inside it (module files included). Raises PlanError on HCL syntax errors. Use
    lookup_location() to resolve any address a plan or a finding names."""
    return render_plan(source_dir, var_args, var_files).locations


_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')


def lookup_location(locations: Mapping[str, Location], address: str) -> Location | None:
    """The location of a plan address: exact, else with instance keys removed (`a.b["x"]` -> `a.b`)."""
    if address in locations:
        return locations[address]
    return locations.get(_KEY.sub("", address))
