"""A module directory's declarations: variables, locals, resources, data sources, module calls, outputs and
providers, each with the file and line it is written at."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.errors import PlanError
from runner.source.hcl import Block, Body, Call, Lit, Node, ObjectExpr, Ref, TupleExpr, parse_file
from runner.source.limits import read_text
from runner.source.warnings import Warnings

# the meta-arguments of a resource or data block: a resource's own `source` (aws_s3_object) or `version`
# (aws_eks_cluster) is an argument of its type, not one of these
RESOURCE_META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle"}
# the meta-arguments of a module call (its other arguments are the module's input variables)
META_ARGUMENTS = RESOURCE_META_ARGUMENTS | {"providers", "source", "version"}
RESOURCE_META_BLOCKS = {"lifecycle", "provisioner", "connection"}


@dataclass(frozen=True)
class VariableDecl:
    name: str
    type: Any  # see runner.source.values.convert
    type_expr: Node | None
    default: Node | None
    has_default: bool
    sensitive: bool
    description: str
    nullable: bool
    file: str
    line: int


@dataclass(frozen=True)
class LocalDecl:
    name: str
    expr: Node
    file: str
    line: int


@dataclass(frozen=True)
class ResourceDecl:
    mode: str  # managed | data
    type: str
    name: str
    body: Body
    file: str
    line: int

    @property
    def key(self) -> str:
        return f"{self.type}.{self.name}" if self.mode == "managed" else f"data.{self.type}.{self.name}"

    def meta(self, name: str) -> Node | None:
        attr = self.body.attributes.get(name)
        return attr.expr if attr else None


@dataclass(frozen=True)
class ModuleCallDecl:
    name: str
    source: str
    body: Body
    file: str
    line: int

    @property
    def local(self) -> bool:
        return self.source.startswith(("./", "../")) or self.source in (".", "..")

    def meta(self, name: str) -> Node | None:
        attr = self.body.attributes.get(name)
        return attr.expr if attr else None


@dataclass(frozen=True)
class OutputDecl:
    name: str
    expr: Node | None
    sensitive: bool
    description: str
    file: str
    line: int


@dataclass(frozen=True)
class ProviderDecl:
    name: str
    alias: str | None
    body: Body
    file: str
    line: int

    @property
    def key(self) -> str:
        return f"{self.name}.{self.alias}" if self.alias else self.name


@dataclass
class ModuleConfig:
    dir: str
    files: list[str] = field(default_factory=list)
    variables: dict[str, VariableDecl] = field(default_factory=dict)
    locals: dict[str, LocalDecl] = field(default_factory=dict)
    resources: list[ResourceDecl] = field(default_factory=list)
    module_calls: dict[str, ModuleCallDecl] = field(default_factory=dict)
    outputs: dict[str, OutputDecl] = field(default_factory=dict)
    providers: list[ProviderDecl] = field(default_factory=list)
    required_providers: dict[str, dict[str, str]] = field(default_factory=dict)

    def resource(self, key: str) -> ResourceDecl | None:
        for r in self.resources:
            if r.key == key:
                return r
        return None


def load_module(directory: str | Path, warnings: Warnings) -> ModuleConfig:
    """Parse every `.tf` file of a directory (not recursive). HCL syntax errors raise PlanError."""
    path = Path(directory)
    if not path.is_dir():
        raise PlanError("no such source directory", where=str(directory))
    named = sorted(p for p in path.iterdir() if p.suffix == ".tf")
    for p in named:  # a directory, a device or a dangling or looping link named *.tf: Terraform refuses it too
        if not p.is_file():
            what = "a directory" if p.is_dir() else ("a symbolic link that loops or leads nowhere" if p.is_symlink()
                                                     else "not a regular file")
            raise PlanError(f"is {what}, not a Terraform file", where=str(p))
    files = named
    config = ModuleConfig(str(path))
    for f in sorted(p for p in path.iterdir() if p.name.endswith(".tf.json")):
        warnings.add(f"{f.name} is JSON configuration, which the static renderer does not read", str(f), 1)
    for f in files:
        shown = str(f)
        try:
            text = read_text(f, "Terraform file")
        except OSError as exc:
            raise PlanError(f"cannot read Terraform file: {exc.strerror or exc}", where=shown) from None
        config.files.append(shown)
        _add_file(config, parse_file(shown, text), shown, warnings)
    if not files:
        warnings.add("no .tf files in this directory", str(path), 0)
    return config


def require_terraform_files(directory: str | Path) -> None:
    """The root module must hold Terraform: an empty directory renders no plan, it is a mistake."""
    path = Path(directory)
    if path.is_dir() and not any(p.suffix == ".tf" or p.name.endswith(".tf.json") for p in path.iterdir()):
        raise PlanError("holds no .tf files: there is no Terraform to render", where=str(directory),
                        hint="point plan-from-source at the root module's directory")


def _add_file(config: ModuleConfig, body: Body, file: str, warnings: Warnings) -> None:
    for name in body.attributes:
        warnings.add(
            f"top-level attribute {name!r} is not valid Terraform; ignored", file, body.attributes[name].line
        )
    for block in body.blocks:
        handler = _HANDLERS.get(block.type)
        if handler is None:
            warnings.add(f"unsupported top-level block {block.type!r}; ignored", file, block.line)
            continue
        handler(config, block, warnings)


def _labels(block: Block, count: int, warnings: Warnings) -> bool:
    if len(block.labels) != count:
        warnings.add(
            f"{block.type} block needs {count} label(s), has {len(block.labels)}; ignored",
            block.file,
            block.line,
        )
        return False
    return True


def _literal(node: Node | None) -> Any:
    return node.value if isinstance(node, Lit) else None


def _variable(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    if not _labels(block, 1, warnings):
        return
    attrs = block.body.attributes
    type_attr = attrs.get("type")
    ty: Any = "any"
    if type_attr:
        try:
            ty = parse_type(type_attr.expr)
        except ValueError as exc:
            warnings.add(f"variable {block.labels[0]!r}: {exc}; treated as any", block.file, type_attr.line)
    default = attrs.get("default")
    nullable = attrs.get("nullable")
    config.variables[block.labels[0]] = VariableDecl(
        name=block.labels[0],
        type=ty,
        type_expr=type_attr.expr if type_attr else None,
        default=default.expr if default else None,
        has_default=default is not None,
        sensitive=bool(_literal(attrs["sensitive"].expr)) if "sensitive" in attrs else False,
        description=str(_literal(attrs["description"].expr) or "") if "description" in attrs else "",
        nullable=_literal(nullable.expr) is not False if nullable else True,
        file=block.file,
        line=block.line,
    )


def _locals(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    for name, attr in block.body.attributes.items():
        if name in config.locals:
            warnings.add(f"local {name!r} is defined twice", block.file, attr.line)
        config.locals[name] = LocalDecl(name, attr.expr, block.file, attr.line)


def _resource(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    if not _labels(block, 2, warnings):
        return
    mode = "managed" if block.type == "resource" else "data"
    decl = ResourceDecl(mode, block.labels[0], block.labels[1], block.body, block.file, block.line)
    if config.resource(decl.key):
        warnings.add(f"{decl.key} is declared twice; the second is ignored", block.file, block.line)
        return
    config.resources.append(decl)


def _module(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    if not _labels(block, 1, warnings):
        return
    source_attr = block.body.attributes.get("source")
    source = _literal(source_attr.expr) if source_attr else None
    if not isinstance(source, str):
        warnings.add(f"module {block.labels[0]!r} has no literal source; ignored", block.file, block.line)
        return
    config.module_calls[block.labels[0]] = ModuleCallDecl(
        block.labels[0], source, block.body, block.file, block.line
    )


def _output(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    if not _labels(block, 1, warnings):
        return
    attrs = block.body.attributes
    config.outputs[block.labels[0]] = OutputDecl(
        block.labels[0],
        attrs["value"].expr if "value" in attrs else None,
        bool(_literal(attrs["sensitive"].expr)) if "sensitive" in attrs else False,
        str(_literal(attrs["description"].expr) or "") if "description" in attrs else "",
        block.file,
        block.line,
    )


def _provider(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    if not _labels(block, 1, warnings):
        return
    alias = _literal(block.body.attributes["alias"].expr) if "alias" in block.body.attributes else None
    config.providers.append(ProviderDecl(block.labels[0], alias, block.body, block.file, block.line))


def _terraform(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    for req in block.body.blocks_of("required_providers"):
        for name, attr in req.body.attributes.items():
            entry: dict[str, str] = {}
            if isinstance(attr.expr, ObjectExpr):
                for key, value in attr.expr.items:
                    if isinstance(key, Lit) and isinstance(value, Lit) and isinstance(value.value, str):
                        entry[str(key.value)] = value.value
            elif isinstance(attr.expr, Lit) and isinstance(attr.expr.value, str):
                entry["version"] = attr.expr.value
            config.required_providers[name] = entry


def _ignore(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    return None


def _unsupported(config: ModuleConfig, block: Block, warnings: Warnings) -> None:
    warnings.add(f"{block.type} blocks are not rendered statically; ignored", block.file, block.line)


_HANDLERS = {
    "variable": _variable,
    "locals": _locals,
    "resource": _resource,
    "data": _resource,
    "module": _module,
    "output": _output,
    "provider": _provider,
    "terraform": _terraform,
    "moved": _ignore,
    "import": _unsupported,
    "removed": _ignore,
    "check": _unsupported,
}


# --- type constraints -----------------------------------------------------------------------------------


def parse_type(node: Node) -> Any:
    """A type constraint expression (string, list(string), object({a = optional(number, 1)}) ...)."""
    if isinstance(node, Ref):
        if node.name in ("string", "number", "bool", "any"):
            return node.name
        raise ValueError(f"unknown type {node.name!r}")
    if isinstance(node, Lit) and isinstance(node.value, str):  # legacy quoted types: "string", "list", "map"
        return {"string": "string", "list": ("list", "any"), "map": ("map", "any")}.get(node.value, "any")
    if isinstance(node, Call):
        if node.name in ("list", "set", "map") and len(node.args) == 1:
            return (node.name, parse_type(node.args[0]))
        if node.name == "object" and len(node.args) == 1 and isinstance(node.args[0], ObjectExpr):
            fields: dict[str, Any] = {}
            for key, value in node.args[0].items:
                fields[str(_literal(key))] = _object_field(value)
            return ("object", fields)
        if node.name == "tuple" and len(node.args) == 1 and isinstance(node.args[0], TupleExpr):
            return ("tuple", [parse_type(t) for t in node.args[0].items])
    raise ValueError("unsupported type constraint")


def _object_field(node: Node) -> tuple[Any, bool, Any]:
    if isinstance(node, Call) and node.name == "optional" and node.args:
        default = _constant(node.args[1]) if len(node.args) > 1 else None
        return parse_type(node.args[0]), True, default
    return parse_type(node), False, None


def _constant(node: Node) -> Any:
    from runner.source.evaluator import constant_value

    found, value = constant_value(node)
    return value if found else None


def json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
