"""Values of the static evaluator: plain Python data plus an `UNKNOWN` marker, and Terraform type rules.

strings, numbers (int/float), bools, None (null), lists (tuples and lists), `TSet` (sets), dicts (maps and
objects). `UNKNOWN` stands for a value only known after apply; `OpenObject` is a resource or module
object whose missing attributes are unknown rather than absent.
"""

from __future__ import annotations

import json
from typing import Any


class EvalError(Exception):
    """An expression cannot be evaluated (wrong type, missing key, unsupported construct)."""


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise EvalError("a value known only after apply was used as a condition")


UNKNOWN: Any = _Unknown()


class TSet(list[Any]):
    """A Terraform set: ordered the way Terraform iterates it (strings lexically), no duplicates."""

    @classmethod
    def of(cls, items: list[Any]) -> TSet:
        unique: list[Any] = []
        seen: set[str] = set()
        for item in items:
            key = json.dumps(item, sort_keys=True, default=repr)
            if key not in seen:
                seen.add(key)
                unique.append(item)
        if all(isinstance(i, str) for i in unique) or all(
            isinstance(i, (int, float)) and not isinstance(i, bool) for i in unique
        ):
            unique.sort()
        return cls(unique)


class OpenObject(dict[str, Any]):
    """An object whose attributes not listed are unknown (a resource's computed attributes)."""


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def has_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return isinstance(value, OpenObject) or any(has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(has_unknown(v) for v in value)
    return False


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, TSet):
        return "set"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    return "unknown"


# --- conversions ------------------------------------------------------------------------------------


def to_string(value: Any) -> Any:
    if value is UNKNOWN or value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    raise EvalError(f"cannot convert {type_name(value)} to string")


def format_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def to_number(value: Any) -> Any:
    if value is UNKNOWN or value is None:
        return value
    if isinstance(value, bool):
        raise EvalError("cannot convert bool to number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise EvalError(f"cannot convert {value!r} to number") from None
        return (
            int(number) if number.is_integer() and "e" not in value.lower() and "." not in value else number
        )
    raise EvalError(f"cannot convert {type_name(value)} to number")


def to_bool(value: Any) -> Any:
    if value is UNKNOWN or value is None or isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise EvalError(f"cannot convert {type_name(value)} to bool")


def normalize_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


# --- type constraints ---------------------------------------------------------------------------------
# A type is "string" | "number" | "bool" | "any" | ("list"|"set"|"map", T)
# | ("object", {name: (T, optional, default)})
# | ("tuple", [T...]).

Type = Any


def convert(value: Any, ty: Type, where: str = "") -> Any:
    """Convert `value` to type `ty` the way Terraform does for variables and resource attributes."""
    if value is UNKNOWN or value is None or ty in ("any", "dynamic", None):
        return value
    if isinstance(value, OpenObject):
        return value
    if ty == "string":
        return to_string(value)
    if ty == "number":
        return to_number(value)
    if ty == "bool":
        return to_bool(value)
    kind = ty[0]
    if kind in ("list", "set"):
        if isinstance(value, dict) or not isinstance(value, list):
            raise EvalError(f"{where}: a {kind} is required, got {type_name(value)}".lstrip(": "))
        items = [convert(v, ty[1], where) for v in value]
        if kind == "set":
            return TSet.of(items) if not any(i is UNKNOWN for i in items) else UNKNOWN
        return items
    if kind == "map":
        if not isinstance(value, dict):
            raise EvalError(f"{where}: a map is required, got {type_name(value)}".lstrip(": "))
        return {k: convert(v, ty[1], where) for k, v in value.items()}
    if kind == "object":
        if not isinstance(value, dict):
            raise EvalError(f"{where}: an object is required, got {type_name(value)}".lstrip(": "))
        out: dict[str, Any] = {}
        for name, (aty, optional, default) in ty[1].items():
            if name in value and value[name] is not None:
                out[name] = convert(value[name], aty, where)
            elif name in value or optional:
                out[name] = convert(default, aty, where) if default is not None else None
            else:
                raise EvalError(f"{where}: attribute {name!r} is required".lstrip(": "))
        return out
    if kind == "tuple":
        if not isinstance(value, list) or len(value) != len(ty[1]):
            raise EvalError(f"{where}: a tuple of {len(ty[1])} elements is required".lstrip(": "))
        return [convert(v, t, where) for v, t in zip(value, ty[1])]
    return value
