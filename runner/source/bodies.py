"""Resource and block bodies of a module instance: attributes converted by the provider schema, nested and
`dynamic` blocks, the provider's planned defaults, and which attributes are sensitive (a mixin of
runner.source.expand.ModuleInstance)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runner.source.config import RESOURCE_META_ARGUMENTS, RESOURCE_META_BLOCKS
from runner.source.defaults import BLOCK, COMPUTED, NULL
from runner.source.evaluator import Scope
from runner.source.hcl import Block, Body, Node, Ref
from runner.source.refs import references
from runner.source.schema import BlockSchema, NestedBlock
from runner.source.values import UNKNOWN, EvalError, OpenObject, TSet, convert, has_unknown

if TYPE_CHECKING:
    from runner.source.config import ModuleConfig
    from runner.source.expand import Renderer


class Bodies:
    if TYPE_CHECKING:  # provided by ModuleInstance
        renderer: Renderer
        config: ModuleConfig
        scope: Scope
        sensitive_vars: set[str]

        def warn(self, message: str, file: str, line: int) -> None: ...

        def _eval_safe(self, node: Node, file: str, line: int, what: str, scope: Scope | None = None) -> Any: ...

    def eval_body(
        self, body: Body, schema: BlockSchema | None, scope: Scope, what: str, file: str, top: bool = False
    ) -> tuple[dict[str, Any], set[str]]:
        values: dict[str, Any] = {}
        sensitive: set[str] = set()
        for name, attr in body.attributes.items():
            if top and name in RESOURCE_META_ARGUMENTS:
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


def apply_defaults(values: dict[str, Any], defaults: dict[str, Any]) -> None:
    """What the provider plans for arguments left out (runner/source/defaults.py): its default, unknown for
    what it computes, null, or an empty block list; `block.attr` (or `block.inner.attr`) inside each
    block the configuration has."""
    for name, default in defaults.items():
        *blocks, attr = name.split(".")
        for item in _block_instances(values, blocks):
            if item.get(attr) is None:
                item[attr] = _planned(default)


def _block_instances(values: dict[str, Any], blocks: list[str]) -> list[dict[str, Any]]:
    """The objects a path of nested block names leads to, through every instance of each block."""
    found = [values]
    for block in blocks:
        items = [item.get(block) for item in found]
        found = [inst for item in items for inst in (item if isinstance(item, list) else [item])
                 if isinstance(inst, dict)]
    return found


def _planned(default: Any) -> Any:
    if default is COMPUTED:
        return UNKNOWN
    if default is NULL:
        return None
    if default is BLOCK:
        return []
    return default


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
