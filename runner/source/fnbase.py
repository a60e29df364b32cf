"""What the built-in functions share: argument checks and the module directory file functions read from."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runner.source.values import EvalError, to_number, to_string, type_name

Function = Callable[..., Any]


class FunctionContext:
    """What file functions need: the module directory (path.module)."""

    def __init__(self, module_dir: str, seen: list[str] | None = None) -> None:
        self.module_dir = module_dir
        self.seen = seen if seen is not None else []  # every file read, so that -o never overwrites one

    def path(self, name: str) -> Path:
        return Path(self.module_dir) / name if not os.path.isabs(name) else Path(name)


# --- helpers ----------------------------------------------------------------------------------------


def _str(value: Any, fn: str) -> str:
    out = to_string(value)
    if not isinstance(out, str):
        raise EvalError(f"{fn}: a string is required, got {type_name(value)}")
    return out


def _int(value: Any, fn: str) -> int:
    number = to_number(value)
    if not isinstance(number, (int, float)) or (isinstance(number, float) and not number.is_integer()):
        raise EvalError(f"{fn}: a whole number is required, got {value!r}")
    return int(number)


def _list(value: Any, fn: str) -> list[Any]:
    if not isinstance(value, list):
        raise EvalError(f"{fn}: a list is required, got {type_name(value)}")
    return value


def _map(value: Any, fn: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise EvalError(f"{fn}: a map or object is required, got {type_name(value)}")
    return value


def _num_result(value: float) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value
