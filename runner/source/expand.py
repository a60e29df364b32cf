"""Module instances: variables, locals, resources expanded by `count` / `for_each`, `dynamic` blocks, local
child modules and their outputs, all evaluated lazily (so declaration order never matters)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.errors import PlanError
from runner.source.config import (
    META_ARGUMENTS,
    RESOURCE_META_BLOCKS,
    LocalDecl,
    ModuleCallDecl,
    ModuleConfig,
    ProviderDecl,
    ResourceDecl,
    load_module,
)
from runner.source.datasources import Placeholders, read_instance
from runner.source.defaults import BLOCK, COMPUTED, DEFAULTS, NULL
from runner.source.evaluator import Namespace, Scope, evaluate
from runner.source.functions import FUNCTIONS, FunctionContext, file_functions
from runner.source.hcl import Block, Body, Lit, Node, ObjectExpr, Ref, parse_expression
from runner.source.limits import MAX_TOTAL_INSTANCES, SourceLimitError, check_instances
from runner.source.modules import ModuleResolver
from runner.source.refs import references
from runner.source.schema import (
    BlockSchema,
    NestedBlock,
    ResourceSchema,
    provider_local_name,
    schema_for,
)
from runner.source.values import (
    UNKNOWN,
    EvalError,
    OpenObject,
    TSet,
    convert,
    format_number,
    has_unknown,
    to_number,
)
from runner.source.warnings import NotEvaluated, Warnings
from runner.workloads.plan import MIN_REDACT_LEN, redact

MAX_MODULE_DEPTH = 32


@dataclass
class Instance:
    """One resource instance: its address, key, evaluated attributes (with UNKNOWN) and sensitive names."""

    decl: ResourceDecl
    module: ModuleInstance
    address: str
    key: Any  # None, int (count) or str (for_each)
    values: dict[str, Any] = field(default_factory=dict)
    sensitive: set[str] = field(default_factory=set)
    schema: ResourceSchema | None = None
    data_read: str = ""  # data sources: read (at plan time) | deferred (to apply) | unread (type not known)


@dataclass
class Group:
    decl: ResourceDecl
    instances: list[Instance]
    expanded: bool  # False when count / for_each could not be known
    mode: str  # single | count | for_each


class Renderer:
    """Shared state of one rendering: loaded module directories, warnings, the root variables."""

    def __init__(
        self,
        root_dir: str,
        warnings: Warnings,
        root_values: dict[str, Any],
        placeholders: Placeholders | None = None,
        module_dirs: Mapping[str, str] | None = None,
    ):
        self.root_dir = root_dir
        self.warnings = warnings
        self.root_values = root_values
        self.placeholders = placeholders or Placeholders()
        self.modules = ModuleResolver(root_dir, module_dirs)
        self.not_evaluated: list[NotEvaluated] = []
        self.instance_count = 0
        self.secrets: set[str] = set()  # text of sensitive values: never in a warning
        self._configs: dict[str, ModuleConfig] = {}
        self.files_read: list[str] = []

    def inputs(self) -> list[str]:
        """Every file the rendering read: .tf files of each module, and files read by file functions."""
        return [f for c in self._configs.values() for f in c.files] + self.files_read

    def add_secret(self, value: Any) -> None:
        for leaf in _leaves(value):
            text = leaf if isinstance(leaf, str) else json.dumps(leaf)
            if len(text) >= MIN_REDACT_LEN:
                self.secrets.add(text)
                if isinstance(leaf, float):
                    self.secrets.add(format_number(leaf))

    def config(self, directory: str) -> ModuleConfig:
        key = os.path.normpath(directory)
        if key not in self._configs:
            self._configs[key] = load_module(directory, self.warnings)
        return self._configs[key]

    def root(self) -> ModuleInstance:
        config = self.config(self.root_dir)
        inputs = {name: _constant(value) for name, value in self.root_values.items()}
        return ModuleInstance(self, config, "", (), inputs, None, 0)


class ModuleInstance:
    def __init__(
        self,
        renderer: Renderer,
        config: ModuleConfig,
        address: str,
        path: tuple[str, ...],
        inputs: dict[str, Callable[[], Any]],
        call: ModuleCallDecl | None,
        depth: int,
        sensitive_inputs: frozenset[str] = frozenset(),
    ):
        self.renderer = renderer
        self.config = config
        self.address = address  # "" | module.a | module.a[0].module.b["x"]
        self.path = path  # module call names, for configuration: ("a", "b")
        self.inputs = inputs  # variable name -> its value, evaluated when first used (no false cycles)
        self.call = call
        self.depth = depth
        self.sensitive_vars = {n for n, v in config.variables.items() if v.sensitive} | set(sensitive_inputs)
        self._vars: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._groups: dict[str, Group] = {}
        self._modules: dict[str, Any] = {}
        self._children: dict[str, list[ModuleInstance]] = {}
        self._busy: set[str] = set()
        self._outputs: dict[str, Any] = {}
        self.parent_instance: ModuleInstance | None = None
        self.call_key: Any = None
        module_dir = self.relative_dir()
        functions = dict(FUNCTIONS)
        functions.update(file_functions(FunctionContext(config.dir, renderer.files_read), self._render_template))
        self.functions = functions
        self.path_module = module_dir
        self.scope = Scope(self._resolve, functions)

    # --- naming -----------------------------------------------------------------------------------------

    def relative_dir(self) -> str:
        root = Path(self.renderer.root_dir).resolve()
        here = Path(self.config.dir).resolve()
        try:
            rel = os.path.relpath(here, root)
        except ValueError:
            return str(here)
        return "." if rel == "." else rel

    def warn(self, message: str, file: str, line: int) -> None:
        if self.renderer.secrets:
            message = redact(message, self.renderer.secrets)
        self.renderer.warnings.add(message, file, line)

    def config_address(self, local: str) -> str:
        """The configuration address (no instance keys) of `local` in this module: module.a.module.b.x.y."""
        return ".".join([*(f"module.{name}" for name in self.path), local])

    def not_evaluated(self, address: str, reason: str, file: str, line: int) -> None:
        """Record configuration whose resources the static plan cannot hold, with a warning naming it."""
        gap = NotEvaluated(address, reason, file, line)
        if gap not in self.renderer.not_evaluated:
            self.renderer.not_evaluated.append(gap)
        self.warn(f"{address} is not evaluated: {reason}", file, line)

    def prefix(self) -> str:
        return f"{self.address}." if self.address else ""

    # --- names ------------------------------------------------------------------------------------------

    def _resolve(self, name: str) -> Any:
        if name == "var":
            return Namespace(
                "var", self.variable, lambda: {n: self.variable(n) for n in self.config.variables}
            )
        if name == "local":
            return Namespace("local", self.local, lambda: {n: self.local(n) for n in self.config.locals})
        if name == "module":
            return Namespace("module", self.module_value)
        if name == "data":
            return Namespace(
                "data", lambda t: Namespace(f"data.{t}", lambda n: self.resource_value(f"data.{t}.{n}"))
            )
        if name == "path":
            return {"module": self.path_module, "root": ".", "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if name in ("each", "count", "self"):
            raise EvalError(f"{name} is not available here")
        if "_" in name or any(r.type == name for r in self.config.resources):
            return Namespace(name, lambda n: self.resource_value(f"{name}.{n}"))
        raise EvalError(f"unknown name {name!r}")

    def variable(self, name: str) -> Any:
        if name in self._vars:
            return self._vars[name]
        decl = self.config.variables.get(name)
        if decl is None:
            raise EvalError(f"no variable named {name!r} is declared")
        key = f"var.{name}"
        if key in self._busy:
            raise EvalError(f"variable {name!r} depends on itself (through the module call's arguments)")
        if name in self.inputs:
            self._busy.add(key)
            try:
                value = self.inputs[name]()
            finally:
                self._busy.discard(key)
        elif decl.has_default and decl.default is not None:
            value = self._eval_safe(decl.default, decl.file, decl.line, f"default of variable {name!r}")
        elif decl.has_default:
            value = None
        else:
            value = UNKNOWN
            where = (
                "pass it with -var or a .tfvars file" if not self.address else "the module call sets no value"
            )
            self.warn(f"variable {name!r} has no value ({where}); treated as unknown", decl.file, decl.line)
        if value is None and not decl.nullable and decl.has_default:
            value = self._eval_safe(decl.default, decl.file, decl.line, "default") if decl.default else None
        try:
            value = convert(value, decl.type, f"variable {name!r}")
        except EvalError as exc:
            detail = f"sensitive variable {name!r}: its value is not of type {_type_text(decl.type)}"
            self.warn(f"{detail if name in self.sensitive_vars else exc}; treated as unknown", decl.file, decl.line)
            value = UNKNOWN
        if name in self.sensitive_vars:
            self.renderer.add_secret(value)
        self._vars[name] = value
        return value

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        decl: LocalDecl | None = self.config.locals.get(name)
        if decl is None:
            raise EvalError(f"no local value named {name!r} is declared")
        key = f"local.{name}"
        if key in self._busy:
            raise EvalError(f"local.{name} refers to itself")
        self._busy.add(key)
        try:
            value = self._eval_safe(decl.expr, decl.file, decl.line, f"local.{name}")
        finally:
            self._busy.discard(key)
        self._locals[name] = value
        return value

    def _eval_safe(self, node: Node, file: str, line: int, what: str, scope: Scope | None = None) -> Any:
        """Evaluate; an expression that cannot be evaluated becomes UNKNOWN with a warning, never a crash."""
        try:
            return evaluate(node, scope or self.scope)
        except EvalError as exc:
            # the message could quote a secret: say what failed, not how
            detail = "it uses a sensitive value (details withheld)" if self._is_sensitive(node) else str(exc)
            self.warn(f"{what}: {detail}; treated as unknown", file, getattr(node, "line", 0) or line)
        except RecursionError:
            self.warn(f"{what}: expression nests too deeply; treated as unknown", file, line)
        except PlanError:
            raise
        except Exception as exc:
            self.warn(
                f"{what}: cannot evaluate ({type(exc).__name__}: {exc}); treated as unknown", file, line
            )
        return UNKNOWN

    def _render_template(self, text: str, variables: dict[str, Any]) -> Any:
        from runner.source.evaluator import _render
        from runner.source.hcl import _assemble, _Builder, _strip

        builder = _Builder(os.path.join(self.config.dir, "<template>"))
        parts = _assemble(_strip(builder.scan_template(text, 1)), 1)
        scope = Scope(lambda n: _raise(f"templatefile: unknown name {n!r}"), self.functions, dict(variables))
        return _render(tuple(parts), scope)

    def read_root_file(self, name: str) -> str:
        """A file named relative to terraform's working directory (the root module), as local_file reads it."""
        return self.functions["file"](name if os.path.isabs(name) else os.path.join(self.renderer.root_dir, name))

    # --- resources ---------------------------------------------------------------------------------------

    def resource_value(self, key: str) -> Any:
        group = self.group(key)
        if group is None:
            raise EvalError(f"reference to undeclared resource {key}")
        if not group.expanded:
            return UNKNOWN
        if group.mode == "count":
            return [self.instance_object(i) for i in group.instances]
        if group.mode == "for_each":
            return {str(i.key): self.instance_object(i) for i in group.instances}
        return self.instance_object(group.instances[0]) if group.instances else UNKNOWN

    def instance_object(self, inst: Instance) -> Any:
        obj = OpenObject(inst.values)
        return obj

    def groups(self) -> list[Group]:
        out = []
        for decl in self.config.resources:
            group = self.group(decl.key)
            if group is not None:
                out.append(group)
        return out

    def group(self, key: str) -> Group | None:
        if key in self._groups:
            return self._groups[key]
        decl = self.config.resource(key)
        if decl is None:
            return None
        if key in self._busy:
            raise EvalError(f"{key} depends on itself")
        self._busy.add(key)
        try:
            group = self._expand(decl)
        finally:
            self._busy.discard(key)
        self._groups[key] = group
        return group

    def _expand(self, decl: ResourceDecl) -> Group:
        count_expr, each_expr = decl.meta("count"), decl.meta("for_each")
        base = f"{self.prefix()}{decl.key}"
        if count_expr is not None and each_expr is not None:
            self.warn(f"{decl.key} sets both count and for_each", decl.file, decl.line)
        if count_expr is not None:
            count = self._count(count_expr, decl.file, decl.line, f"{decl.key} count")
            if count is UNKNOWN or not isinstance(count, int) or count < 0:
                self._unexpanded(decl, "count is not known statically" if count is UNKNOWN else f"count is {count!r}")
                return Group(decl, [], False, "count")
            check_instances(count, decl.key, decl.file, decl.line)
            insts = [self._instance(decl, f"{base}[{i}]", i, {"count": {"index": i}}) for i in range(count)]
            return Group(decl, insts, True, "count")
        if each_expr is not None:
            pairs = self._for_each(decl.key, each_expr, decl.file, decl.line)
            if pairs is None:
                self._unexpanded(decl, "for_each cannot be evaluated statically")
                return Group(decl, [], False, "for_each")
            insts = [
                self._instance(decl, f"{base}[{_quote(k)}]", k, {"each": {"key": k, "value": v}})
                for k, v in pairs
            ]
            return Group(decl, insts, True, "for_each")
        return Group(decl, [self._instance(decl, base, None, {})], True, "single")

    def _count(self, expr: Node, file: str, line: int, what: str) -> Any:
        """count as a number (UNKNOWN when it cannot be known; a wrong type warns and is unknown)."""
        value = self._eval_safe(expr, file, line, what)
        try:
            number = to_number(value)
        except EvalError as exc:
            shown = "count must be a whole number" if self._is_sensitive(expr) else str(exc)
            self.warn(f"{what}: {shown}", file, line)
            return UNKNOWN
        if isinstance(number, float) and number.is_integer():
            return int(number)
        return number

    def _unexpanded(self, decl: ResourceDecl, reason: str) -> None:
        if decl.mode == "managed":
            self.not_evaluated(self.config_address(decl.key), reason, decl.file, decl.line)
        else:
            self.warn(f"{decl.key}: {reason}; no instances rendered, values from it are unknown", decl.file, decl.line)

    def _for_each(self, what: str, expr: Node, file: str, line: int) -> list[tuple[str, Any]] | None:
        value = self._eval_safe(expr, file, line, f"{what} for_each")
        if value is UNKNOWN or (isinstance(value, (list, dict)) and has_unknown(_keys_of(value))):
            return None
        if isinstance(value, (dict, list)):
            check_instances(len(value), what, file, line)
        if isinstance(value, dict) and not isinstance(value, OpenObject):
            return [(k, value[k]) for k in sorted(value)]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            if not isinstance(value, TSet):
                self.warn(
                    f"{what}: for_each needs a map or a set of strings; this list is used as a set "
                    "(terraform would refuse it: wrap it in toset())",
                    file,
                    line,
                )
            return [(v, v) for v in TSet.of(list(value))]
        if value is None:
            self.warn(f"{what}: for_each is null", file, line)
            return None
        self.warn(f"{what}: for_each must be a map or a set of strings", file, line)
        return None

    def _instance(self, decl: ResourceDecl, address: str, key: Any, names: dict[str, Any]) -> Instance:
        self.renderer.instance_count += 1
        if self.renderer.instance_count > MAX_TOTAL_INSTANCES:
            raise SourceLimitError(
                f"more than {MAX_TOTAL_INSTANCES} resource instances in the configuration",
                where=f"{decl.file}:{decl.line}",
            )
        schema = schema_for(decl.type) if decl.mode == "managed" else None
        inst = Instance(decl, self, address, key, schema=schema)
        scope = self.scope.child(names)
        block = schema.block if schema else None
        inst.values, sensitive = self.eval_body(decl.body, block, scope, decl.key, decl.file, top=True)
        inst.sensitive = sensitive
        if decl.mode == "data":
            read_instance(self, inst)
            return inst
        if schema is None:
            inst.values.setdefault("id", UNKNOWN)
            apply_defaults(inst.values, DEFAULTS.get(decl.type, {}))
            if decl.mode == "managed" and provider_local_name(decl.type) == "aws" and "tags" in inst.values:
                # every taggable AWS resource plans tags_all = provider default_tags merged with tags
                inst.values["tags_all"] = self._tags_all(inst.values.get("tags"), decl)
        elif schema.tags_all:
            inst.values["tags_all"] = self._tags_all(inst.values.get("tags"), decl)
        return inst

    def _tags_all(self, tags: Any, decl: ResourceDecl) -> Any:
        defaults = self.default_tags(decl)
        if tags is UNKNOWN or defaults is UNKNOWN or has_unknown(tags) or has_unknown(defaults):
            return UNKNOWN
        if not tags and not defaults:
            return UNKNOWN  # the AWS provider plans tags_all as known only when some tag is set
        merged = dict(defaults or {})
        merged.update(tags or {})
        return merged

    def default_tags(self, decl: ResourceDecl) -> Any:
        found = self.provider_block(decl)
        if found is None:
            return {}
        module, p = found
        for dt in p.body.blocks_of("default_tags"):
            attr = dt.body.attributes.get("tags")
            if attr:
                value = module._eval_safe(attr.expr, dt.file, attr.line, "provider default_tags")
                return convert(value, ("map", "string")) if value is not UNKNOWN else UNKNOWN
        return {}

    def provider_block(self, decl: ResourceDecl) -> tuple[ModuleInstance, ProviderDecl] | None:
        """The provider block configuring `decl` (its `provider` argument or its type's provider), followed up
        through each module call's `providers` map; None when no block configures it."""
        chosen = decl.meta("provider")
        key = (references(chosen)[:1] or [""])[0] if isinstance(chosen, Node) else ""
        key = key or provider_local_name(decl.type)
        module: ModuleInstance | None = self
        while module is not None:
            for p in module.config.providers:
                if p.key == key:
                    return module, p
            call, module = module.call, module.parent_instance
            mapping = call.meta("providers") if call is not None else None
            if isinstance(mapping, ObjectExpr):
                for k, v in mapping.items:
                    inner = references(k)[:1] or ([str(k.value)] if isinstance(k, Lit) else [])
                    if inner == [key] and references(v):
                        key = references(v)[0]
                        break
        return None

    # --- bodies and blocks -------------------------------------------------------------------------------

    def eval_body(
        self, body: Body, schema: BlockSchema | None, scope: Scope, what: str, file: str, top: bool = False
    ) -> tuple[dict[str, Any], set[str]]:
        values: dict[str, Any] = {}
        sensitive: set[str] = set()
        for name, attr in body.attributes.items():
            if top and name in META_ARGUMENTS:
                continue
            value = self._eval_safe(attr.expr, file, attr.line, f"{what}.{name}", scope)
            if schema is not None and name in schema.attrs:
                value = self._convert(value, schema.attrs[name].type, f"{what}.{name}", file, attr.line)
                if has_unknown(value) and value is not UNKNOWN and schema.attrs[name].type != "dynamic":
                    value = UNKNOWN  # providers plan a collection holding an unknown as wholly unknown
            elif schema is not None and name in schema.blocks:
                value = self._block_attr(value, schema.blocks[name], scope, what)
            elif schema is None and has_unknown(value) and value is not UNKNOWN and isinstance(value, dict):
                value = UNKNOWN
            values[name] = value
            if self._is_sensitive(attr.expr) or (
                schema is not None and name in schema.attrs and schema.attrs[name].sensitive
            ):
                sensitive.add(name)
        for name, blocks in self._block_groups(body, scope, what, top).items():
            nested = schema.blocks.get(name) if schema else None
            if blocks is UNKNOWN:
                values[name] = UNKNOWN
                continue
            items = []
            for child_body, child_scope in blocks:
                child, _ = self.eval_body(
                    child_body, nested.schema if nested else None, child_scope, f"{what}.{name}", file
                )
                items.append(child)
            if nested is not None and nested.nesting == "single":
                values[name] = items[0] if items else None
            else:
                values[name] = items
        if schema is not None:
            self._fill(values, schema)
        return values, sensitive

    def _convert(self, value: Any, ty: Any, what: str, file: str, line: int) -> Any:
        try:
            return convert(value, ty, what)
        except EvalError as exc:
            self.warn(f"{exc}; treated as unknown", file, line)
            return UNKNOWN

    def _block_attr(self, value: Any, nested: NestedBlock, scope: Scope, what: str) -> Any:
        """A nested block given in attribute syntax (`ingress = [{...}]`)."""
        if value is UNKNOWN or value is None:
            return value
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if not isinstance(item, dict):
                return UNKNOWN
            filled = dict(item)
            self._fill(filled, nested.schema)
            out.append(
                {
                    k: convert(v, nested.schema.attrs[k].type) if k in nested.schema.attrs else v
                    for k, v in filled.items()
                }
            )
        return out[0] if nested.nesting == "single" and out else out

    def _fill(self, values: dict[str, Any], schema: BlockSchema) -> None:
        for name, attr in schema.attrs.items():
            if name in values and values[name] is not None:
                continue
            if attr.computed and values.get(name) is None:
                values[name] = UNKNOWN
            elif name not in values:
                values[name] = attr.default
        for name, nested in schema.blocks.items():
            if name not in values:
                values[name] = UNKNOWN if nested.computed else (None if nested.nesting == "single" else [])

    def _block_groups(self, body: Body, scope: Scope, what: str, top: bool) -> dict[str, Any]:
        """Static and dynamic blocks by type, in source order, each with the scope its content uses."""
        groups: dict[str, Any] = {}
        for block in body.blocks:
            if top and block.type in RESOURCE_META_BLOCKS:
                continue
            if block.type == "dynamic":
                name = block.labels[0] if block.labels else ""
                expanded = self._dynamic(block, scope, what)
                if expanded is UNKNOWN or groups.get(name) is UNKNOWN:
                    groups[name] = UNKNOWN
                else:
                    groups.setdefault(name, []).extend(expanded)
                continue
            if groups.get(block.type) is UNKNOWN:
                continue
            groups.setdefault(block.type, []).append((block.body, scope))
        return groups

    def _dynamic(self, block: Block, scope: Scope, what: str) -> Any:
        name = block.labels[0] if block.labels else ""
        attrs = block.body.attributes
        content = block.body.blocks_of("content")
        if "for_each" not in attrs or len(content) != 1:
            self.warn(
                f"dynamic {name!r} block needs for_each and one content block; ignored",
                block.file,
                block.line,
            )
            return []
        iterator = name
        if "iterator" in attrs and isinstance(attrs["iterator"].expr, Ref):
            iterator = attrs["iterator"].expr.name
        coll = self._eval_safe(
            attrs["for_each"].expr, block.file, block.line, f"{what} dynamic {name!r}", scope
        )
        if coll is UNKNOWN or isinstance(coll, OpenObject):
            self.warn(
                f"{what}: dynamic {name!r} for_each is not known statically; the block is unknown",
                block.file,
                block.line,
            )
            return UNKNOWN
        if coll is None:
            return []
        if isinstance(coll, dict):
            pairs = [(k, coll[k]) for k in sorted(coll)]
        elif isinstance(coll, TSet):
            pairs = [(v, v) for v in coll]
        elif isinstance(coll, list):
            pairs = list(enumerate(coll))
        else:
            self.warn(f"{what}: dynamic {name!r} for_each must be a collection", block.file, block.line)
            return []
        return [(content[0].body, scope.child({iterator: {"key": k, "value": v}})) for k, v in pairs]

    def _is_sensitive(self, expr: Node) -> bool:
        for ref in references(expr):
            parts = ref.split(".")
            if parts[0] == "var" and len(parts) > 1 and parts[1].split("[")[0] in self.sensitive_vars:
                return True
            if (
                parts[0] == "local"
                and len(parts) > 1
                and self._local_sensitive(parts[1].split("[")[0], set())
            ):
                return True
        return _calls(expr, "sensitive")

    def _local_sensitive(self, name: str, seen: set[str]) -> bool:
        decl = self.config.locals.get(name)
        if decl is None or name in seen:
            return False
        seen.add(name)
        for ref in references(decl.expr):
            parts = ref.split(".")
            if parts[0] == "var" and len(parts) > 1 and parts[1] in self.sensitive_vars:
                return True
            if parts[0] == "local" and len(parts) > 1 and self._local_sensitive(parts[1], seen):
                return True
        return _calls(decl.expr, "sensitive")

    # --- modules -----------------------------------------------------------------------------------------

    def module_value(self, name: str) -> Any:
        if name in self._modules:
            return self._modules[name]
        call = self.config.module_calls.get(name)
        if call is None:
            raise EvalError(f"no module call named {name!r}")
        children = self.children(name)
        if children is None:
            value: Any = UNKNOWN
        elif call.meta("count") is not None:
            value = [c.outputs_namespace() for c in children]
        elif call.meta("for_each") is not None:
            value = {str(c.call_key): c.outputs_namespace() for c in children}
        else:
            value = children[0].outputs_namespace() if children else UNKNOWN
        self._modules[name] = value
        return value

    def outputs_namespace(self) -> Namespace:
        return Namespace(self.address, self.output, lambda: {n: self.output(n) for n in self.config.outputs})

    def output(self, name: str) -> Any:
        decl = self.config.outputs.get(name)
        if decl is None:
            raise EvalError(f"module {self.address} has no output {name!r}")
        if decl.expr is None:
            return None
        key = f"output.{name}"
        if key in self._outputs:
            return self._outputs[key]
        if key in self._busy:
            raise EvalError(f"output {name!r} refers to itself")
        self._busy.add(key)
        try:
            value = self._eval_safe(decl.expr, decl.file, decl.line, f"output {name!r}")
        finally:
            self._busy.discard(key)
        self._outputs[key] = value
        return value

    def _argument(self, call: ModuleCallDecl, arg: str, expr: Node, line: int, scope: Scope) -> Callable[[], Any]:
        """A module argument, evaluated in this (the calling) module when the child first reads it: references
        resolve per output and attribute, as terraform's graph does, so two calls that each take an output of
        the other render (no whole-module cycle)."""

        def value() -> Any:
            return self._eval_safe(expr, call.file, line, f"module {call.name!r} {arg}", scope)

        return value

    def all_children(self) -> Iterator[ModuleInstance]:
        for name in self.config.module_calls:
            yield from self.children(name) or []

    def children(self, name: str) -> list[ModuleInstance] | None:
        """Instances of a module call; None when they cannot be known (remote source, unknown count)."""
        if name in self._children:
            return self._children[name]
        call = self.config.module_calls[name]
        key = f"module.{name}"
        if key in self._busy:
            raise EvalError(f"module {name!r} depends on itself")
        self._busy.add(key)
        try:
            result = self._instantiate(call)
        finally:
            self._busy.discard(key)
        if result is not None:
            self._children[name] = result
        return result

    def _instantiate(self, call: ModuleCallDecl) -> list[ModuleInstance] | None:
        where = self.config_address(f"module.{call.name}")
        if self.depth >= MAX_MODULE_DEPTH:
            self.not_evaluated(where, f"nests deeper than {MAX_MODULE_DEPTH} levels", call.file, call.line)
            return None
        found = self.renderer.modules.resolve(self.config.dir, self.path + (call.name,), call.source)
        if found.dir is None:
            self.not_evaluated(where, found.note, call.file, call.line)
            return None
        if found.note:
            self.warn(f"module {call.name!r} {found.note}", call.file, call.line)
        directory = found.dir
        config = self.renderer.config(directory)
        base = f"{self.prefix()}module.{call.name}"
        keyed: list[tuple[str, Any, dict[str, Any]]]
        count_expr, each_expr = call.meta("count"), call.meta("for_each")
        if count_expr is not None:
            count = self._count(count_expr, call.file, call.line, f"module {call.name!r} count")
            if count is UNKNOWN or not isinstance(count, int) or count < 0:
                self.not_evaluated(where, "count is not known statically", call.file, call.line)
                return None
            check_instances(count, f"module {call.name!r}", call.file, call.line)
            keyed = [(f"{base}[{i}]", i, {"count": {"index": i}}) for i in range(count)]
        elif each_expr is not None:
            pairs = self._for_each(f"module {call.name!r}", each_expr, call.file, call.line)
            if pairs is None:
                self.not_evaluated(where, "for_each cannot be evaluated statically", call.file, call.line)
                return None
            keyed = [(f"{base}[{_quote(k)}]", k, {"each": {"key": k, "value": v}}) for k, v in pairs]
        else:
            keyed = [(base, None, {})]
        out = []
        for address, key, names in keyed:
            scope = self.scope.child(names)
            inputs: dict[str, Callable[[], Any]] = {}
            sensitive: set[str] = set()
            for arg, attr in call.body.attributes.items():
                if arg in META_ARGUMENTS:
                    continue
                if arg not in config.variables:
                    self.warn(
                        f"module {call.name!r} sets {arg!r}, which the module does not declare",
                        call.file,
                        attr.line,
                    )
                    continue
                inputs[arg] = self._argument(call, arg, attr.expr, attr.line, scope)
                if self._is_sensitive(attr.expr):
                    sensitive.add(arg)
            child = ModuleInstance(
                self.renderer,
                config,
                address,
                self.path + (call.name,),
                inputs,
                call,
                self.depth + 1,
                frozenset(sensitive),
            )
            child.parent_instance = self
            child.call_key = key
            out.append(child)
        return out


def apply_defaults(values: dict[str, Any], defaults: dict[str, Any]) -> None:
    """What the provider plans for arguments left out (runner/source/defaults.py): its default, unknown for
    what it computes, null, or an empty block list; `block.attr` inside each block the configuration has."""
    for name, default in defaults.items():
        block, _, attr = name.rpartition(".")
        if block:
            items = values.get(block)
            for item in items if isinstance(items, list) else [items] if isinstance(items, dict) else []:
                if isinstance(item, dict) and item.get(attr) is None:
                    item[attr] = _planned(default)
        elif values.get(name) is None:
            values[name] = _planned(default)


def _planned(default: Any) -> Any:
    if default is COMPUTED:
        return UNKNOWN
    if default is NULL:
        return None
    if default is BLOCK:
        return []
    return default


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)] + [k for k in value]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [] if value is None or value is UNKNOWN or isinstance(value, bool) else [value]


def _type_text(ty: Any) -> str:
    return ty if isinstance(ty, str) else f"{ty[0]}(...)"


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _keys_of(value: Any) -> Any:
    return list(value.keys()) if isinstance(value, dict) else value


def _quote(key: Any) -> str:
    import json

    return json.dumps(key) if isinstance(key, str) else str(key)


def _calls(node: Any, name: str) -> bool:
    from runner.source.hcl import Call

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Call) and current.name == name:
            return True
        if hasattr(current, "__dataclass_fields__"):
            for f in current.__dataclass_fields__:
                child = getattr(current, f)
                if isinstance(child, (list, tuple)):
                    stack.extend(
                        c for c in child if hasattr(c, "__dataclass_fields__") or isinstance(c, tuple)
                    )
                elif hasattr(child, "__dataclass_fields__"):
                    stack.append(child)
        elif isinstance(current, tuple):
            stack.extend(current)
    return False


def _raise(message: str) -> Any:
    raise EvalError(message)


def parse_cli_value(text: str, var_type: Any, where: str) -> Any:
    """A `-var name=value` value: the text for string/any/primitive types, an HCL expression otherwise."""
    if var_type in ("string", "any", "number", "bool", None):
        return text
    node = parse_expression(text, where)
    scope = Scope(lambda n: _raise(f"-var values cannot refer to {n}"))
    try:
        return evaluate(node, scope)
    except EvalError as exc:
        raise PlanError(f"cannot evaluate value: {exc}", where=where) from None
