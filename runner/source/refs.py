"""The references an expression makes, listed the way `terraform show -json` lists them in `configuration`
(`aws_s3_bucket.b.id`, then `aws_s3_bucket.b`; `module.m.out`, then `module.m`)."""

from __future__ import annotations

import json
from typing import Any

from runner.source.hcl import (
    Binary,
    Call,
    Cond,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    Node,
    ObjectExpr,
    Paren,
    Ref,
    Splat,
    Template,
    TFor,
    TIf,
    TupleExpr,
    Unary,
)

NOT_REFERENCES = {"true", "false", "null"}


def references(node: Node | None, bound: frozenset[str] = frozenset()) -> list[str]:
    """Terraform's reference strings for one expression (bound names of `for` expressions excluded)."""
    out: list[str] = []
    if node is not None:
        _walk(node, bound, out)
    return out


def _walk(node: Any, bound: frozenset[str], out: list[str]) -> None:
    if isinstance(node, (Ref, GetAttr, Index)):
        chain = _chain(node)
        if chain is not None:
            root, steps, dynamic_keys = chain
            if root not in bound:
                out.extend(_ref_strings(root, steps))
            for key in dynamic_keys:
                _walk(key, bound, out)
            return
    if isinstance(node, GetAttr):
        _walk(node.obj, bound, out)
    elif isinstance(node, Index):
        _walk(node.obj, bound, out)
        _walk(node.key, bound, out)
    elif isinstance(node, Paren):
        _walk(node.expr, bound, out)
    elif isinstance(node, Template):
        _walk_parts(node.parts, bound, out)
    elif isinstance(node, TupleExpr):
        for item in node.items:
            _walk(item, bound, out)
    elif isinstance(node, ObjectExpr):
        for key, value in node.items:
            _walk(key, bound, out)
            _walk(value, bound, out)
    elif isinstance(node, Call):
        for arg in node.args:
            _walk(arg, bound, out)
    elif isinstance(node, Unary):
        _walk(node.expr, bound, out)
    elif isinstance(node, Binary):
        _walk(node.left, bound, out)
        _walk(node.right, bound, out)
    elif isinstance(node, Cond):
        _walk(node.cond, bound, out)
        _walk(node.then, bound, out)
        _walk(node.other, bound, out)
    elif isinstance(node, Splat):
        _walk(node.obj, bound, out)
        for kind, arg in node.ops:
            if kind == "index":
                _walk(arg, bound, out)
    elif isinstance(node, ForExpr):
        _walk(node.coll, bound, out)
        inner = bound | {n for n in (node.key_var, node.value_var) if n}
        for part in (node.key, node.value, node.cond):
            if part is not None:
                _walk(part, inner, out)


def _walk_parts(parts: tuple[Any, ...], bound: frozenset[str], out: list[str]) -> None:
    for part in parts:
        if isinstance(part, TIf):
            _walk(part.cond, bound, out)
            _walk_parts(part.then, bound, out)
            _walk_parts(part.other, bound, out)
        elif isinstance(part, TFor):
            _walk(part.coll, bound, out)
            _walk_parts(part.body, bound | {n for n in (part.key, part.value) if n}, out)
        elif isinstance(part, Node):
            _walk(part, bound, out)


def _chain(node: Node) -> tuple[str, list[tuple[str, Any]], list[Node]] | None:
    """A traversal from a root name: steps ("attr", name) / ("index", literal); keys that are expressions
    end the traversal (they are walked on their own)."""
    steps: list[tuple[str, Any]] = []
    dynamic: list[Node] = []
    current = node
    while True:
        if isinstance(current, Ref):
            if current.name in NOT_REFERENCES:
                return None
            steps.reverse()
            return current.name, steps, dynamic
        if isinstance(current, GetAttr):
            steps.append(("attr", current.name))
            current = current.obj
        elif isinstance(current, Index):
            if isinstance(current.key, Lit) and isinstance(current.key.value, (int, str)):
                steps.append(("index", current.key.value))
            else:
                steps.clear()  # everything after a computed key is not part of the reference
                dynamic.append(current.key)
            current = current.obj
        else:
            return None


def _step_text(step: tuple[str, Any]) -> str:
    kind, value = step
    if kind == "attr":
        return f".{value}"
    return f"[{json.dumps(value)}]"


def _ref_strings(root: str, steps: list[tuple[str, Any]]) -> list[str]:
    subject_len, extra = _subject(root, steps)
    if subject_len is None:
        return []
    subject = root + "".join(_step_text(s) for s in steps[:subject_len])
    remains = steps[subject_len:]
    out = []
    while remains:
        out.append(subject + "".join(_step_text(s) for s in remains))
        remains = remains[:-1]
    out.append(subject)
    if extra is not None:
        out.append(root + "".join(_step_text(s) for s in steps[:extra]))
    return out


def _subject(root: str, steps: list[tuple[str, Any]]) -> tuple[int | None, int | None]:
    """How many steps belong to the referenced object, and the length of the un-keyed parent to add."""
    attrs = [s for s in steps if s[0] == "attr"]
    if root in ("var", "local", "path", "terraform", "count", "each"):
        return (1, None) if steps and steps[0][0] == "attr" else (None, None)
    if root == "self":
        return 0, None
    if root == "module":
        if not attrs:
            return None, None
        keyed = len(steps) > 1 and steps[1][0] == "index"
        base = 2 if keyed else 1
        if len(steps) > base and steps[base][0] == "attr":
            return base + 1, 1  # module.m.out -> also module.m
        return base, (1 if keyed else None)
    if root == "data":
        if len(steps) < 2:
            return None, None
        keyed = len(steps) > 2 and steps[2][0] == "index"
        return (3, 2) if keyed else (2, None)
    if not steps or steps[0][0] != "attr":
        return None, None
    keyed = len(steps) > 1 and steps[1][0] == "index"
    return (2, 1) if keyed else (1, None)
