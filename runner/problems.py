"""Problems found in the files tfguard reads (exclusions, workloads, guardrails, tfguard.yaml): one record,
and one translator from a JSON Schema error to a plain sentence placed at its key.

Deep code collects Problems; the command that validated prints them in its own layout (lint puts the
file:line first, `exclusions validate` the level), and JSON outputs carry the fields."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import ValidationError

ERROR, WARNING = "error", "warning"

TYPE_WORDS = {"object": "a mapping", "array": "a list", "integer": "a whole number", "number": "a number",
              "boolean": "true or false", "string": "a string", "null": "null"}


@dataclass(frozen=True)
class Problem:
    """One finding of validation: an error blocks (a run, a pull request), a warning does not."""

    level: str  # error | warning
    where: str  # "file", "file:line", or "file, entry 3 (EXC-1), key `expires`"
    message: str
    code: str = ""  # stable name of the check, e.g. pending-approval (see docs/exclusions.md)
    file: str = ""  # the file, relative to the repository root
    line: int = 0
    key: str = ""  # the key path inside the file, e.g. exclusions.approvers[1]
    subject: str = ""  # what the problem is about, when one thing: an exclusion's id

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def text(self) -> str:
        """`level: where: message`, the layout of registry validation."""
        return f"{self.level}: {self.where}: {self.message}"

    def line_text(self) -> str:
        """`where: message`."""
        return f"{self.where}: {self.message}"


def key_path(path: Iterable[Any]) -> str:
    """`exclusions.approvers[1]` for the path ("exclusions", "approvers", 1)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kinds(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(TYPE_WORDS.get(str(n), str(n)) for n in names)


def schema_message(err: ValidationError) -> tuple[list[Any], str]:
    """(key path, sentence) for one schema error. A missing or unknown key is placed at itself; a value
    that fails a pattern is not repeated (it may be a secret written in the wrong place)."""
    path = list(err.absolute_path)
    schema: Mapping[str, Any] = err.schema if isinstance(err.schema, Mapping) else {}
    if err.validator == "required":
        missing = str(err.message).split("'")[1] if "'" in err.message else ""
        return path + ([missing] if missing else []), f"missing required key `{missing}`"
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = sorted(schema.get("properties", {}))
        extra = sorted(str(k) for k in err.instance if k not in known)
        hint = difflib.get_close_matches(extra[0], known, n=1) if extra else []
        tail = f" (did you mean `{hint[0]}`?)" if hint else f" (allowed: {', '.join(known)})"
        return path + extra[:1], f"unknown key `{extra[0] if extra else '?'}`{tail}"
    if "x-message" in schema:
        return path, f"{schema['x-message']}, got {json.dumps(err.instance, default=str)}"
    if err.validator == "type":
        if isinstance(err.instance, str) and err.validator_value == "array":
            return path, f"must be a list, not the string {err.instance!r} (write [{err.instance}])"
        return path, f"must be {_kinds(err.validator_value)}, not {json.dumps(err.instance, default=str)[:80]}"
    if err.validator == "pattern":
        return path, f"does not have the expected form (pattern {err.validator_value})"
    return path, str(err.message)
