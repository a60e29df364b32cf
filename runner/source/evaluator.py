"""Evaluate expression trees (runner.source.hcl) to values (runner.source.values), statically.

Names are resolved through a Scope: for-expression and iterator names first, then the module's
resolver (var, local, module, data, path, terraform, each, count and resource types). Anything known only
after apply evaluates to UNKNOWN and stays so through operators and functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner.source.functions import FUNCTIONS, SPECIAL
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
from runner.source.limits import check_string
from runner.source.values import (
    UNKNOWN,
    EvalError,
    OpenObject,
    TSet,
    has_unknown,
    normalize_number,
    to_bool,
    to_number,
    to_string,
    type_name,
)

MAX_ITEMS = 10000


class Namespace:
    """A lazily resolved object: `var`, `local`, a resource type, a module instance's outputs."""

    def __init__(self, name: str, getter: Callable[[str], Any], materialize: Callable[[], Any] | None = None):
        self.name = name
        self._get = getter
        self._materialize = materialize

    def get(self, attr: str) -> Any:
        return self._get(attr)

    def materialize(self) -> Any:
        if self._materialize is None:
            raise EvalError(f"{self.name!r} cannot be used as a value on its own")
        return self._materialize()


class Scope:
    def __init__(
        self,
        resolver: Callable[[str], Any],
        functions: dict[str, Callable[..., Any]] | None = None,
        names: dict[str, Any] | None = None,
        parent: Scope | None = None,
    ):
        self.resolver = resolver
        self.functions = functions if functions is not None else FUNCTIONS
        self.names = names or {}
        self.parent = parent

    def child(self, names: dict[str, Any]) -> Scope:
        return Scope(self.resolver, self.functions, names, self)

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return self.resolver(name)


def materialize(value: Any) -> Any:
    if isinstance(value, Namespace):
        return materialize(value.materialize())
    if isinstance(value, OpenObject):
        return OpenObject({k: materialize(v) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: materialize(v) for k, v in value.items()}
    if isinstance(value, TSet):
        return TSet(materialize(v) for v in value)
    if isinstance(value, list):
        return [materialize(v) for v in value]
    return value


def evaluate(node: Node, scope: Scope) -> Any:
    return materialize(_eval(node, scope))


def _value(node: Node, scope: Scope) -> Any:
    return materialize(_eval(node, scope))


def _eval(node: Node, scope: Scope) -> Any:
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Paren):
        return _eval(node.expr, scope)
    if isinstance(node, Ref):
        return scope.lookup(node.name)
    if isinstance(node, GetAttr):
        return get_attr(_eval(node.obj, scope), node.name)
    if isinstance(node, Index):
        return get_index(_eval(node.obj, scope), _value(node.key, scope))
    if isinstance(node, Template):
        return _template(node, scope)
    if isinstance(node, TupleExpr):
        return [_value(i, scope) for i in node.items]
    if isinstance(node, ObjectExpr):
        return _object(node, scope)
    if isinstance(node, Call):
        return _call(node, scope)
    if isinstance(node, Unary):
        return _unary(node.op, _value(node.expr, scope))
    if isinstance(node, Binary):
        return _binary(node, scope)
    if isinstance(node, Cond):
        return _conditional(node, scope)
    if isinstance(node, ForExpr):
        return _for(node, scope)
    if isinstance(node, Splat):
        return _splat(node, scope)
    raise EvalError(f"unsupported expression {type(node).__name__}")


# --- traversal ----------------------------------------------------------------------------------------


def get_attr(obj: Any, name: str) -> Any:
    if obj is UNKNOWN:
        return UNKNOWN
    if isinstance(obj, Namespace):
        return obj.get(name)
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        if isinstance(obj, OpenObject):
            return UNKNOWN
        raise EvalError(f"this object has no attribute {name!r}")
    if obj is None:
        raise EvalError(f"attempt to get attribute {name!r} from a null value")
    raise EvalError(f"cannot get attribute {name!r} of a {type_name(obj)}")


def get_index(obj: Any, key: Any) -> Any:
    if obj is UNKNOWN or key is UNKNOWN:
        return UNKNOWN
    if isinstance(obj, Namespace):
        return obj.get(to_string(key))
    if isinstance(obj, TSet):
        raise EvalError("elements of a set cannot be accessed by index")
    if isinstance(obj, list):
        number = to_number(key)
        if not isinstance(number, int) or number < 0 or number >= len(obj):
            raise EvalError(f"index {key!r} is out of range for {len(obj)} elements")
        return obj[number]
    if isinstance(obj, dict):
        k = to_string(key)
        if k in obj:
            return obj[k]
        if isinstance(obj, OpenObject):
            return UNKNOWN
        raise EvalError(f"the map has no element {k!r}")
    if obj is None:
        raise EvalError("attempt to index a null value")
    raise EvalError(f"cannot index a {type_name(obj)}")


def _splat(node: Splat, scope: Scope) -> Any:
    obj = _value(node.obj, scope)
    if obj is UNKNOWN:
        return UNKNOWN
    if obj is None:
        return []
    items = list(obj) if isinstance(obj, list) else [obj]
    out = []
    for item in items:
        for kind, arg in node.ops:
            item = get_attr(item, arg) if kind == "attr" else get_index(item, _value(arg, scope))
        out.append(materialize(item))
    return out


# --- constructors ---------------------------------------------------------------------------------------


def _template(node: Template, scope: Scope) -> Any:
    if len(node.parts) == 1 and isinstance(node.parts[0], Node):  # "${x}" yields x itself
        return _value(node.parts[0], scope)
    return _render(node.parts, scope)


def _render(parts: tuple[Any, ...], scope: Scope) -> Any:
    out: list[str] = []
    unknown = False
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        if isinstance(part, TIf):
            cond = to_bool(_value(part.cond, scope))
            if cond is UNKNOWN:
                unknown = True
                continue
            piece = _render(part.then if cond else part.other, scope)
        elif isinstance(part, TFor):
            piece = _render_for(part, scope)
        else:
            piece = _value(part, scope)
        if piece is UNKNOWN or has_unknown(piece):
            unknown = True
            continue
        if piece is None:
            raise EvalError("a null value cannot be used in a string template")
        if isinstance(piece, (list, dict)):
            raise EvalError(f"a {type_name(piece)} cannot be used in a string template")
        out.append(to_string(piece))
    if unknown:
        return UNKNOWN
    text = "".join(out)
    check_string(text, "string template")
    return text


def _render_for(part: TFor, scope: Scope) -> Any:
    coll = _value(part.coll, scope)
    if coll is UNKNOWN:
        return UNKNOWN
    pieces: list[str] = []
    for key, value in _iterate(coll):
        names = {part.value: value}
        if part.key:
            names[part.key] = key
        piece = _render(part.body, scope.child(names))
        if piece is UNKNOWN:
            return UNKNOWN
        pieces.append(piece)
    return "".join(pieces)


def _object(node: ObjectExpr, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    for key_node, value_node in node.items:
        key = _value(key_node, scope)
        if key is UNKNOWN:
            return UNKNOWN
        out[_key(key)] = _value(value_node, scope)
    return out


def _key(key: Any) -> str:
    text = to_string(key)
    if not isinstance(text, str):
        raise EvalError(f"object key must be a string, got {type_name(key)}")
    return text


# --- calls and operators -------------------------------------------------------------------------------


def _call(node: Call, scope: Scope) -> Any:
    name = node.name
    if name in SPECIAL:
        return _special(name, node, scope)
    fn = scope.functions.get(name)
    if fn is None:
        raise EvalError(f"function {node.name}() is not supported by the static renderer")
    args = [_value(a, scope) for a in node.args]
    if node.expand and args:
        last = args.pop()
        if last is UNKNOWN:
            return UNKNOWN
        if not isinstance(last, list):
            raise EvalError(f"{name}: the argument before ... must be a list")
        args += last
    try:
        result = fn(*args)
    except TypeError as exc:
        raise EvalError(f"{name}(): wrong number or kind of arguments ({exc})") from None
    except (ValueError, ArithmeticError, KeyError, IndexError) as exc:
        raise EvalError(f"{name}(): {exc}") from None
    check_string(result, f"{name}()")
    return result


def _special(name: str, node: Call, scope: Scope) -> Any:
    if name == "try":
        last: EvalError | None = None
        for arg in node.args:
            try:
                return _value(arg, scope)
            except EvalError as exc:
                last = exc
        raise EvalError(f"try(): no argument could be evaluated ({last})")
    if name == "can":
        try:
            value = _value(node.args[0], scope)
        except EvalError:
            return False
        return UNKNOWN if value is UNKNOWN else True
    if name == "type":
        return type_name(_value(node.args[0], scope))
    raise EvalError(f"function {name}() is not supported")


def _unary(op: str, value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if op == "-":
        return normalize_number(-to_number(value))
    if op == "!":
        result = to_bool(value)
        if result is None:
            raise EvalError("the ! operator needs a bool, got null")
        return not result
    raise EvalError(f"unsupported operator {op}")


def _binary(node: Binary, scope: Scope) -> Any:
    op = node.op
    left = _value(node.left, scope)
    if op in ("&&", "||"):
        lbool = to_bool(left)
        if lbool is not UNKNOWN and ((op == "&&" and lbool is False) or (op == "||" and lbool is True)):
            return lbool
        rbool = to_bool(_value(node.right, scope))
        if lbool is UNKNOWN or rbool is UNKNOWN:
            return UNKNOWN
        return (lbool and rbool) if op == "&&" else (lbool or rbool)
    right = _value(node.right, scope)
    if op in ("==", "!="):
        if has_unknown(left) or has_unknown(right):
            return UNKNOWN
        same = equal(left, right)
        return same if op == "==" else not same
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    a, b = to_number(left), to_number(right)
    if a is None or b is None:
        raise EvalError(f"the {op} operator needs numbers, got null")
    return _arith(op, a, b)


def _arith(op: str, a: Any, b: Any) -> Any:
    if op == "+":
        return normalize_number(a + b)
    if op == "-":
        return normalize_number(a - b)
    if op == "*":
        return normalize_number(a * b)
    if op == "/":
        if b == 0:
            raise EvalError("division by zero")
        return normalize_number(a / b)
    if op == "%":
        if b == 0:
            raise EvalError("modulo by zero")
        return normalize_number(a % b)
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    if op == ">=":
        return a >= b
    raise EvalError(f"unsupported operator {op}")


def equal(a: Any, b: Any) -> bool:
    ka, kb = type_name(a), type_name(b)
    if {ka, kb} <= {"tuple", "set"} and isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if ka != kb:
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return bool(a == b)


def _conditional(node: Cond, scope: Scope) -> Any:
    cond = to_bool(_value(node.cond, scope))
    if cond is None:
        raise EvalError("the condition is null")
    if cond is UNKNOWN:
        then, other = _value(node.then, scope), _value(node.other, scope)
        return then if not has_unknown(then) and equal(then, other) else UNKNOWN
    return _value(node.then if cond else node.other, scope)


# --- for expressions ---------------------------------------------------------------------------------------


def _iterate(coll: Any) -> list[tuple[Any, Any]]:
    if isinstance(coll, TSet):
        return [(v, v) for v in coll]
    if isinstance(coll, list):
        return list(enumerate(coll))
    if isinstance(coll, dict):
        if isinstance(coll, OpenObject):
            raise EvalError("cannot iterate over an object whose attributes are known only after apply")
        return [(k, coll[k]) for k in sorted(coll)]
    if coll is None:
        raise EvalError("cannot iterate over a null value")
    raise EvalError(f"cannot iterate over a {type_name(coll)}")


def _for(node: ForExpr, scope: Scope) -> Any:
    coll = _value(node.coll, scope)
    if coll is UNKNOWN:
        return UNKNOWN
    items = _iterate(coll)
    if len(items) > MAX_ITEMS:
        raise EvalError(f"for expression over more than {MAX_ITEMS} elements")
    out_list: list[Any] = []
    out_map: dict[str, Any] = {}
    for key, value in items:
        names = {node.value_var: value}
        if node.key_var:
            names[node.key_var] = key
        inner = scope.child(names)
        if node.cond is not None:
            keep = to_bool(_value(node.cond, inner))
            if keep is UNKNOWN:
                return UNKNOWN
            if not keep:
                continue
        result = _value(node.value, inner)
        if node.key is None:
            out_list.append(result)
            continue
        k = _value(node.key, inner)
        if k is UNKNOWN:
            return UNKNOWN
        k = _key(k)
        if node.group:
            out_map.setdefault(k, []).append(result)
        elif k in out_map:
            raise EvalError(f"duplicate key {k!r} in for expression (add ... to group)")
        else:
            out_map[k] = result
    return out_list if node.key is None else out_map


# --- constants ---------------------------------------------------------------------------------------------


def _no_names(name: str) -> Any:
    raise EvalError(f"reference to {name}")


CONSTANT_SCOPE = Scope(_no_names, functions={})


def constant_value(node: Node) -> tuple[bool, Any]:
    """(True, value) when the expression is constant (no references, no function calls)."""
    try:
        value = evaluate(node, CONSTANT_SCOPE)
    except EvalError:
        return False, None
    except (RecursionError, ValueError, TypeError):
        return False, None
    if has_unknown(value):
        return False, None
    return True, value
