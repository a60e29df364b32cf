"""Module instances: variables, locals, resources expanded by `count` / `for_each`, `dynamic` blocks, local
child modules and their outputs, all evaluated lazily (so declaration order never matters)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.errors import PlanError
from runner.source.bodies import Bodies, apply_defaults
from runner.source.calls import ModuleCalls, quote_key
from runner.source.config import (
    LocalDecl,
    ModuleCallDecl,
    ModuleConfig,
    ProviderDecl,
    ResourceDecl,
    load_module,
)
from runner.source.datasources import Placeholders, read_instance
from runner.source.defaults import DEFAULTS
from runner.source.evaluator import Namespace, Scope, evaluate
from runner.source.functions import FUNCTIONS, FunctionContext, file_functions
from runner.source.hcl import Lit, Node, ObjectExpr
from runner.source.limits import MAX_TOTAL_INSTANCES, SourceLimitError, check_instances
from runner.source.modules import ModuleResolver
from runner.source.refs import references
from runner.source.schema import (
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


class ModuleInstance(Bodies, ModuleCalls):
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
        except PlanError as exc:
            if exc.where is None or "/" not in exc.where and ":" not in exc.where:  # say where it happened
                raise type(exc)(f"{what}: {exc.message}", where=f"{file}:{getattr(node, 'line', 0) or line}",
                                hint=exc.hint) from None
            raise
        except Exception as exc:
            self.warn(
                f"{what}: cannot evaluate ({type(exc).__name__}: {exc}); treated as unknown", file, line
            )
        return UNKNOWN

    def _render_template(self, text: str, variables: dict[str, Any]) -> Any:
        from runner.source.evaluator import _render
        from runner.source.hcl import _Builder
        from runner.source.templates import _assemble, _strip

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
                self._instance(decl, f"{base}[{quote_key(k)}]", k, {"each": {"key": k, "value": v}})
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


def _raise(message: str) -> Any:
    raise EvalError(message)
