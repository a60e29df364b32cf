"""Module calls of a module instance: their instances (count / for_each), arguments evaluated when the child
first reads them, and outputs resolved one by one (a mixin of runner.source.expand.ModuleInstance)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runner.errors import PlanError
from runner.source.config import META_ARGUMENTS, ModuleCallDecl
from runner.source.evaluator import Namespace, Scope
from runner.source.hcl import Node
from runner.source.limits import check_instances
from runner.source.values import UNKNOWN, EvalError

if TYPE_CHECKING:
    from runner.source.config import ModuleConfig
    from runner.source.expand import ModuleInstance, Renderer

MAX_MODULE_DEPTH = 32


def quote_key(key: Any) -> str:
    """An instance key as terraform writes it in an address: ["key"] or [0]."""
    return json.dumps(key) if isinstance(key, str) else str(key)


class ModuleCalls:
    if TYPE_CHECKING:  # provided by ModuleInstance
        renderer: Renderer
        config: ModuleConfig
        scope: Scope
        sensitive_vars: set[str]

        def warn(self, message: str, file: str, line: int) -> None: ...

        def _eval_safe(self, node: Node, file: str, line: int, what: str, scope: Scope | None = None) -> Any: ...
        address: str
        path: tuple[str, ...]
        depth: int
        _modules: dict[str, Any]
        _children: dict[str, list[ModuleInstance]]
        _busy: set[str]
        _outputs: dict[str, Any]

        def config_address(self, local: str) -> str: ...

        def not_evaluated(self, address: str, reason: str, file: str, line: int) -> None: ...

        def prefix(self) -> str: ...

        def _is_sensitive(self, expr: Node) -> bool: ...

        def _count(self, expr: Node, file: str, line: int, what: str) -> Any: ...

        def _for_each(self, what: str, expr: Node, file: str, line: int) -> list[tuple[str, Any]] | None: ...

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

    def _refuse_self_call(self, call: ModuleCallDecl, directory: str) -> None:
        """A module whose source is its own directory, or an ancestor's, recurses without end; terraform
        init refuses it, and so does the renderer."""
        target = Path(directory).resolve()
        node: Any = self
        while node is not None:
            if Path(node.config.dir).resolve() == target:
                raise PlanError(f"module {call.name!r} calls {directory}, a module it is itself inside: a module "
                                "cannot call itself", where=f"{call.file}:{call.line}")
            node = getattr(node, "parent_instance", None)

    def _instantiate(self, call: ModuleCallDecl) -> list[ModuleInstance] | None:
        from runner.source.expand import ModuleInstance
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
        self._refuse_self_call(call, directory)
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
            keyed = [(f"{base}[{quote_key(k)}]", k, {"each": {"key": k, "value": v}}) for k, v in pairs]
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
            child.parent_instance = self if isinstance(self, ModuleInstance) else None
            child.call_key = key
            out.append(child)
        return out
