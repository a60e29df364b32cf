"""Reading input files within limits, and JSON documents strictly, each refusal one line naming the place.

- `read_bytes`: a regular file (or a pipe) of at most `limit` bytes; directories, devices, missing files,
  dangling links and symlink loops are refused by name, and /dev/zero is never read without end.
- `decode_utf8`: UTF-8 text (a byte order mark is allowed); UTF-16/32 and binary data are named as such,
  any other bad byte by line and column.
- `loads`: JSON as RFC 8259 defines it, within `Limits`: no NaN or Infinity, no key twice in one object,
  nesting and integer digits bounded. Every error names the line and column, or the JSON pointer.
- `violation_line`: a JSON Schema violation as `file: /json/pointer: expected an object, got a string`.

Nothing here prints; errors are the caller's TfguardError subclass."""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from runner.errors import ConfigError, TfguardError
from runner.limits import DEFAULT, Limits, size_text

ErrorType = type[TfguardError]
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"),
         (codecs.BOM_UTF16_BE, "UTF-16"))
_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_BRACKETS = bytes.maketrans(b"[]{}", b"()()")
_MIN_INT_DIGITS = 640  # the least sys.set_int_max_str_digits takes
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN|-?[0-9]+)')


# --- files ------------------------------------------------------------------------------------------------


def read_bytes(path: str | os.PathLike[str], limit: int, where: str | None = None, error: ErrorType = ConfigError,
               noun: str = "file", hint: str | None = None) -> bytes:
    """The bytes of a regular file or pipe, refused past `limit` bytes (`hint` says how to raise it)."""
    where = where or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        what = "is a symbolic link to a missing file" if os.path.islink(path) else f"no such {noun}"
        raise error(what, where=where) from None
    except OSError as exc:
        raise error(_os_problem(exc, noun), where=where) from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"is a directory, not a {noun}", where=where)
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise error(f"is not a regular file (a device or socket), not a {noun}", where=where)
    if info.st_size > limit:
        raise error(_too_large(info.st_size, limit), where=where, hint=hint)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(_os_problem(exc, noun), where=where) from None
    if len(data) > limit:
        raise error(_too_large(None, limit), where=where, hint=hint)
    return data


def _too_large(size: int | None, limit: int) -> str:
    return (f"is {size_text(size)}, larger than the limit of {size_text(limit)}" if size is not None
            else f"is larger than the limit of {size_text(limit)}")


def _os_problem(exc: OSError, noun: str) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno == errno.EISDIR:
        return f"is a directory, not a {noun}"
    return f"cannot read {noun}: {exc.strerror}"


def decode_utf8(raw: bytes, where: str, error: ErrorType = ConfigError, by_line: bool = False,
                hint: str | None = None) -> str:
    """UTF-8 text without its byte order mark. `by_line` puts the line into `where` (file:line)."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raise error(f"is {name} text; tfguard reads UTF-8", where=where, hint="save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw[:8192]:
            raise error("is binary data, not text", where=where, hint=hint) from None
        line, column = position(raw, exc.start)
        byte = f"byte 0x{raw[exc.start]:02x}"
        if by_line:
            raise error(f"is not UTF-8 text ({byte} at column {column})", where=f"{where}:{line}") from None
        raise error(f"is not UTF-8 text: {byte} at line {line} column {column}", where=where, hint=hint) from None


def position(text: bytes | str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of an offset."""
    newline: Any = b"\n" if isinstance(text, bytes) else "\n"
    line = text.count(newline, 0, offset) + 1
    return line, offset - (text.rfind(newline, 0, offset) + 1) + 1


# --- JSON ---------------------------------------------------------------------------------------------


class _Refusal(Exception):
    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind, self.detail = kind, detail


class _Marked(dict[str, Any]):
    """An object that had a key twice (only built when reporting one)."""

    duplicate = ""


def depth(raw: bytes, limit: int) -> int:
    """How deeply arrays and objects nest (strings ignored), counted up to limit + 1, without parsing: only
    quotes and brackets are kept (escaped quotes and backslashes dropped first, both bracket kinds made
    one), what lies between quotes is dropped, then innermost pairs are removed once per level. Linear
    passes in C over the bytes; the parser never sees a document nested deeper than the limit."""
    text = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(_BRACKETS, _STRUCTURE)
    text = b"".join(text.split(b'"')[::2])
    for level in range(limit + 1):
        if not text:
            return level
        shorter = text.replace(b"()", b"")
        if shorter == text:  # unbalanced: invalid JSON, which the parser reports with its place
            return level
        text = shorter
    return limit + 1


def loads(text: str, where: str, limits: Limits = DEFAULT, error: ErrorType = ConfigError,
          raw: bytes | None = None, hint: str | None = None, lenient_prefix: bool = False) -> Any:
    """A JSON document, strictly. `lenient_prefix` also accepts text before a line starting with `{` (what
    hashicorp/setup-terraform's wrapper prints before `terraform show -json`)."""
    if not text.strip():
        raise error("is empty", where=where, hint=hint)
    if depth(raw if raw is not None else text.encode("utf-8", "surrogatepass"), limits.json_depth) > limits.json_depth:
        raise error(f"is nested deeper than {limits.json_depth} levels", where=where, hint=limits.hint("json_depth"))
    try:
        return _strict(text, limits)
    except json.JSONDecodeError as exc:
        if lenient_prefix:
            for line in text.splitlines():
                if line.lstrip().startswith("{"):
                    try:
                        return _strict(line, limits)
                    except (json.JSONDecodeError, _Refusal, RecursionError):
                        break
        at_end = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        problem = "truncated JSON" if at_end else "invalid JSON"
        raise error(f"{problem}: {exc.msg} at line {exc.lineno} column {exc.colno}", where=where, hint=hint) from None
    except _Refusal as exc:
        raise error(_refusal_text(exc, text, limits), where=where, hint=_refusal_hint(exc, limits)) from None
    except RecursionError:
        raise error(f"is nested deeper than {limits.json_depth} levels", where=where,
                    hint=limits.hint("json_depth")) from None


def _strict(text: str, limits: Limits) -> Any:
    """json.loads with the refusals as _Refusal. Integer digits are bounded by Python's own limit on
    int-from-text conversion, set to the limit for the parse (no per-integer hook): the same count."""
    if limits.integer_digits < _MIN_INT_DIGITS:
        return _parse(text, _bounded_int(limits.integer_digits))
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limits.integer_digits)
    try:
        return _parse(text, None)
    except ValueError as exc:
        if "Exceeds the limit" in str(exc):
            raise _Refusal("digits") from None
        raise
    finally:
        sys.set_int_max_str_digits(before)


def _bounded_int(limit: int) -> Callable[[str], int]:
    def parse_int(digits: str) -> int:
        if len(digits) - digits.startswith("-") > limit:
            raise _Refusal("digits")
        return int(digits)

    return parse_int


def _parse(text: str, parse_int: Callable[[str], int] | None) -> Any:
    def parse_constant(name: str) -> Any:
        raise _Refusal("constant", name)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            raise _Refusal("duplicate")
        return obj

    return json.loads(text, parse_int=parse_int, parse_constant=parse_constant, object_pairs_hook=pairs)


def _refusal_text(exc: _Refusal, text: str, limits: Limits) -> str:
    if exc.kind == "duplicate":
        pointer, key = _duplicate_at(text)
        return f"{pointer}: duplicate key {json.dumps(key)} (a key may appear once in an object)"
    wanted = "digits" if exc.kind == "digits" else "constant"
    offset = next((m.start(1) for m in _TOKENS.finditer(text) if m.group(1) and _token_kind(m.group(1), limits) == wanted),
                  None)
    place = "" if offset is None else " at line {} column {}".format(*position(text, offset))
    if exc.kind == "digits":
        return f"has an integer of more than {limits.integer_digits} digits{place}"
    return f"{exc.detail} is not JSON (RFC 8259 has no NaN or Infinity){place}"


def _refusal_hint(exc: _Refusal, limits: Limits) -> str | None:
    return limits.hint("integer_digits") if exc.kind == "digits" else None


def _token_kind(token: str, limits: Limits) -> str:
    if token[-1].isdigit():
        return "digits" if len(token) - token.startswith("-") > limits.integer_digits else ""
    return "constant"


def _duplicate_at(text: str) -> tuple[str, str]:
    """JSON pointer of the first object holding a key twice, and the key (error path only: parses again)."""
    def mark(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        marked = _Marked(obj)
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                marked.duplicate = key
                break
            seen.add(key)
        return marked

    doc = json.loads(text, object_pairs_hook=mark, parse_constant=lambda name: None, parse_int=lambda digits: 0)
    for path, value in _walk(doc):
        if isinstance(value, _Marked):
            return pointer(path), value.duplicate
    return "top level", "?"


def _walk(doc: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), doc)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


def pointer(path: Sequence[str | int]) -> str:
    """RFC 6901 JSON pointer; the document itself reads `top level`."""
    if not path:
        return "top level"
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def load_json(path: str | os.PathLike[str], limits: Limits = DEFAULT, where: str | None = None,
              error: ErrorType = ConfigError, noun: str = "file") -> Any:
    """Read, decode and parse one JSON file within `limits.json_size`."""
    where = where or str(path)
    raw = read_bytes(path, limits.json_size, where, error, noun, hint=limits.hint("json_size"))
    return loads(decode_utf8(raw, where, error), where, limits, error, raw=raw)


# --- JSON Schema violations ------------------------------------------------------------------------------


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_ARTICLE = {"object": "an object", "array": "an array", "string": "a string", "number": "a number",
            "integer": "an integer", "boolean": "a boolean", "null": "null"}


def expected_types(types: Sequence[str]) -> str:
    names = [_ARTICLE.get(t, t) for t in sorted(types, key=list(_ARTICLE).index)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def violation_text(path: Sequence[str | int], kind: str, instance: Any, detail: Any = None,
                   message: str = "") -> str:
    """`/pointer: what is wrong` for one violation. kind: type, required, enum, pattern, const, custom."""
    where = pointer(path)
    if kind == "type":
        types = [detail] if isinstance(detail, str) else list(detail or ())
        return f"{where}: expected {expected_types(types)}, got {json_type(instance)}"
    if kind == "required":
        return f"{where}: missing required key `{detail}`"
    if kind in ("enum", "const"):
        options = ", ".join(json.dumps(o) for o in (detail if kind == "enum" else [detail]))
        return f"{where}: expected one of {options}, got {_short(instance)}"
    if kind == "custom":
        return f"{where}: {detail}, got {_short(instance)}"
    return f"{where}: {message}"


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def schema_node(schema: dict[str, Any], schema_path: Sequence[str | int]) -> Any:
    """The schema object a violation's keyword sits in (its parent), for x-message."""
    node: Any = schema
    for part in list(schema_path)[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) else {}


def first_violation(validator: Any, schema: dict[str, Any], doc: Any) -> str | None:
    """The first violation of a compiled jsonschema_rs validator as `/pointer: text`, or None."""
    for err in validator.iter_errors(doc):
        return rs_violation(err, schema)
    return None


def rs_violation(err: Any, schema: dict[str, Any]) -> str:
    kind = type(err.kind).__name__.lower()
    node = schema_node(schema, list(err.schema_path))
    custom = node.get("x-message")
    if custom and kind != "type":  # a wrong type says so plainly; x-message explains the other rules
        return violation_text(list(err.instance_path), "custom", err.instance, custom)
    detail: Any = None
    if kind == "type":
        detail = list(err.kind.types)
    elif kind == "required":
        detail = err.kind.property
    elif kind == "enum":
        detail = list(err.kind.options)
    elif kind == "constant":
        kind, detail = "const", err.kind.expected_value
    elif kind == "format":
        kind, detail = "custom", f"expected a {err.kind.format}"
    return violation_text(list(err.instance_path), kind, err.instance, detail, str(err.message))


def compiled(schema: dict[str, Any]) -> Callable[[Any], str | None]:
    """A fast validator for `schema` (jsonschema_rs, formats such as `date` checked) returning the first
    violation's text, or None."""
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(schema, validate_formats=True)

    def check(doc: Any) -> str | None:
        if validator.is_valid(doc):
            return None
        return first_violation(validator, schema, doc)

    return check
