"""Terraform's built-in functions that can be computed without a provider.

Each takes evaluated arguments. A function whose arguments hold a value known only after apply returns
`UNKNOWN`, except the structural ones (length, merge, concat, lookup ...) that can still say something.
`timestamp`, `uuid` and `bcrypt` are always unknown (they differ at every apply).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import os
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from runner.source.limits import check_width, read_text
from runner.source.values import (
    UNKNOWN,
    EvalError,
    OpenObject,
    TSet,
    format_number,
    has_unknown,
    to_bool,
    to_number,
    to_string,
    type_name,
)

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


def _go_format(fmt: str, args: list[Any]) -> str:
    """Go-style format verbs (%s %d %f %v %q %%, with flags/width/precision) as Terraform's format()."""
    out: list[str] = []
    i = 0
    argi = 0
    pattern = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])")
    while i < len(fmt):
        if fmt[i] != "%":
            out.append(fmt[i])
            i += 1
            continue
        match = pattern.match(fmt, i)
        if not match:
            raise EvalError(f"format: invalid format string at {fmt[i:]!r}")
        flags, width, prec, verb = match.groups()
        i = match.end()
        for number in (width, prec):
            if number and number != "*":
                check_width(int(number), "format")
        if verb == "%":
            out.append("%")
            continue
        if argi >= len(args):
            raise EvalError("format: not enough arguments for the format string")
        arg = args[argi]
        argi += 1
        out.append(_format_one(arg, flags, width, prec, verb))
    if argi < len(args):
        raise EvalError("format: too many arguments for the format string")
    return "".join(out)


def _format_one(arg: Any, flags: str, width: str | None, prec: str | None, verb: str) -> str:
    if verb in ("s", "v") and not isinstance(arg, (list, dict)):
        text = _str(arg, "format") if arg is not None else "null"
        if prec:
            text = text[: int(prec)]
    elif verb in ("v", "s"):
        text = json.dumps(arg, separators=(",", ":"))
    elif verb == "q":
        text = json.dumps(_str(arg, "format"))
    elif verb == "d":
        text = str(_int(arg, "format"))
        if "+" in flags and not text.startswith("-"):
            text = "+" + text
    elif verb in ("f", "F", "e", "g"):
        number = to_number(arg)
        text = f"{float(number):.{int(prec) if prec else 6}{verb.lower() if verb != 'F' else 'f'}}"
        if verb == "g":
            text = f"{float(number):{'.' + prec if prec else ''}g}"
    elif verb in ("x", "X", "o", "b"):
        text = format(_int(arg, "format"), verb)
    elif verb == "t":
        value = to_bool(arg)
        text = "true" if value else "false"
    else:
        raise EvalError(f"format: unsupported verb %{verb}")
    if width and width != "*":
        pad = "0" if "0" in flags and "-" not in flags and verb not in "sqv" else " "
        text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width), pad)
    return text


# --- string functions ---------------------------------------------------------------------------------


def f_format(fmt: Any, *args: Any) -> Any:
    if has_unknown(fmt) or any(has_unknown(a) for a in args):
        return UNKNOWN
    return _go_format(_str(fmt, "format"), list(args))


def f_formatlist(fmt: Any, *args: Any) -> Any:
    if has_unknown(fmt) or any(has_unknown(a) for a in args):
        return UNKNOWN
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist: all list arguments must have the same length")
    n = lengths.pop() if lengths else 1
    return [
        _go_format(_str(fmt, "formatlist"), [a[i] if isinstance(a, list) else a for a in args])
        for i in range(n)
    ]


def f_join(sep: Any, *lists: Any) -> Any:
    if has_unknown(sep) or any(has_unknown(lst) for lst in lists):
        return UNKNOWN
    items = [_str(v, "join") for lst in lists for v in _list(lst, "join")]
    return _str(sep, "join").join(items)


def f_split(sep: Any, text: Any) -> Any:
    if has_unknown(sep) or has_unknown(text):
        return UNKNOWN
    s, t = _str(sep, "split"), _str(text, "split")
    return t.split(s) if s else list(t)


def f_replace(text: Any, search: Any, repl: Any) -> Any:
    if has_unknown(text) or has_unknown(search) or has_unknown(repl):
        return UNKNOWN
    t, s, r = _str(text, "replace"), _str(search, "replace"), _str(repl, "replace")
    if len(s) > 1 and s.startswith("/") and s.endswith("/"):
        return re.sub(s[1:-1], re.sub(r"\$(\d+)", r"\\\1", r), t)
    return t.replace(s, r)


def f_substr(text: Any, offset: Any, length: Any) -> Any:
    if has_unknown(text) or has_unknown(offset) or has_unknown(length):
        return UNKNOWN
    t, o, n = _str(text, "substr"), _int(offset, "substr"), _int(length, "substr")
    if o < 0:
        o = max(len(t) + o, 0)
    return t[o:] if n < 0 else t[o : o + n]


def _str1(fn: str, op: Callable[[str], str]) -> Function:
    def run(text: Any) -> Any:
        return UNKNOWN if has_unknown(text) else op(_str(text, fn))

    return run


def _str2(fn: str, op: Callable[[str, str], Any]) -> Function:
    def run(text: Any, other: Any) -> Any:
        if has_unknown(text) or has_unknown(other):
            return UNKNOWN
        return op(_str(text, fn), _str(other, fn))

    return run


def f_trim(text: Any, chars: Any) -> Any:
    if has_unknown(text) or has_unknown(chars):
        return UNKNOWN
    return _str(text, "trim").strip(_str(chars, "trim"))


def f_regex(pattern: Any, text: Any) -> Any:
    if has_unknown(pattern) or has_unknown(text):
        return UNKNOWN
    match = re.search(_str(pattern, "regex"), _str(text, "regex"))
    if not match:
        raise EvalError("regex: pattern did not match")
    return _regex_result(match)


def _regex_result(match: re.Match[str]) -> Any:
    if match.re.groupindex:
        return {name: match.group(name) for name in match.re.groupindex}
    if match.re.groups:
        return list(match.groups())
    return match.group(0)


def f_regexall(pattern: Any, text: Any) -> Any:
    if has_unknown(pattern) or has_unknown(text):
        return UNKNOWN
    return [_regex_result(m) for m in re.finditer(_str(pattern, "regexall"), _str(text, "regexall"))]


def f_title(text: Any) -> Any:
    if has_unknown(text):
        return UNKNOWN
    return re.sub(r"\b([a-z])", lambda m: m.group(1).upper(), _str(text, "title"))


def f_indent(spaces: Any, text: Any) -> Any:
    if has_unknown(spaces) or has_unknown(text):
        return UNKNOWN
    pad = " " * _int(spaces, "indent")
    return _str(text, "indent").replace("\n", "\n" + pad)


# --- collection functions -----------------------------------------------------------------------------


def f_length(value: Any) -> Any:
    if value is UNKNOWN or isinstance(value, OpenObject):
        return UNKNOWN
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, dict)):
        return len(value)
    raise EvalError(f"length: cannot take the length of {type_name(value)}")


def f_merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if m is UNKNOWN or isinstance(m, OpenObject):
            return UNKNOWN
        out.update(_map(m, "merge"))
    return out


def f_concat(*lists: Any) -> Any:
    out: list[Any] = []
    for lst in lists:
        if lst is UNKNOWN:
            return UNKNOWN
        out += _list(lst, "concat")
    return out


def f_lookup(m: Any, key: Any, *default: Any) -> Any:
    if m is UNKNOWN or key is UNKNOWN:
        return UNKNOWN
    k = _str(key, "lookup")
    if k in _map(m, "lookup"):
        return m[k]
    if isinstance(m, OpenObject):
        return UNKNOWN
    if default:
        return default[0]
    raise EvalError(f"lookup: the map has no key {k!r} and no default was given")


def f_element(lst: Any, index: Any) -> Any:
    if lst is UNKNOWN or index is UNKNOWN:
        return UNKNOWN
    items = _list(lst, "element")
    if not items:
        raise EvalError("element: cannot use element on an empty list")
    return items[_int(index, "element") % len(items)]


def f_index(lst: Any, value: Any) -> Any:
    if has_unknown(lst) or has_unknown(value):
        return UNKNOWN
    try:
        return _list(lst, "index").index(value)
    except ValueError:
        raise EvalError("index: the value is not in the list") from None


def f_contains(lst: Any, value: Any) -> Any:
    if has_unknown(lst) or has_unknown(value):
        return UNKNOWN
    return value in _list(lst, "contains")


def f_coalesce(*values: Any) -> Any:
    for v in values:
        if v is UNKNOWN:
            return UNKNOWN
        if v is not None and v != "":
            return v
    raise EvalError("coalesce: no non-null, non-empty argument")


def f_coalescelist(*lists: Any) -> Any:
    for v in lists:
        if v is UNKNOWN:
            return UNKNOWN
        if _list(v, "coalescelist"):
            return v
    raise EvalError("coalescelist: no non-empty list argument")


def f_compact(lst: Any) -> Any:
    if has_unknown(lst):
        return UNKNOWN
    return [v for v in _list(lst, "compact") if v not in (None, "")]


def f_distinct(lst: Any) -> Any:
    if has_unknown(lst):
        return UNKNOWN
    out: list[Any] = []
    for v in _list(lst, "distinct"):
        if v not in out:
            out.append(v)
    return out


def f_flatten(lst: Any) -> Any:
    if lst is UNKNOWN:
        return UNKNOWN
    out: list[Any] = []
    for v in _list(lst, "flatten"):
        if v is UNKNOWN:
            return UNKNOWN
        out += f_flatten(v) if isinstance(v, list) else [v]
    return out


def f_keys(m: Any) -> Any:
    if m is UNKNOWN or isinstance(m, OpenObject):
        return UNKNOWN
    return sorted(_map(m, "keys"))


def f_values(m: Any) -> Any:
    if m is UNKNOWN or isinstance(m, OpenObject):
        return UNKNOWN
    d = _map(m, "values")
    return [d[k] for k in sorted(d)]


def f_zipmap(keys: Any, values: Any) -> Any:
    if has_unknown(keys) or values is UNKNOWN:
        return UNKNOWN
    ks, vs = _list(keys, "zipmap"), _list(values, "zipmap")
    if len(ks) != len(vs):
        raise EvalError("zipmap: keys and values must have the same length")
    return {_str(k, "zipmap"): v for k, v in zip(ks, vs)}


def f_range(*args: Any) -> Any:
    if any(has_unknown(a) for a in args):
        return UNKNOWN
    nums = [to_number(a) for a in args]
    if len(nums) == 1:
        start, stop, step = 0, nums[0], 1
    elif len(nums) == 2:
        start, stop, step = nums[0], nums[1], 1 if nums[1] >= nums[0] else -1
    else:
        start, stop, step = nums
    out: list[Any] = []
    value = start
    while (step > 0 and value < stop) or (step < 0 and value > stop):
        out.append(_num_result(value))
        value += step
        if len(out) > 1024:
            raise EvalError("range: more than 1024 elements")
    return out


def f_reverse(lst: Any) -> Any:
    return UNKNOWN if lst is UNKNOWN else list(reversed(_list(lst, "reverse")))


def f_sort(lst: Any) -> Any:
    if has_unknown(lst):
        return UNKNOWN
    return sorted(_str(v, "sort") for v in _list(lst, "sort"))


def f_slice(lst: Any, start: Any, end: Any) -> Any:
    if lst is UNKNOWN or start is UNKNOWN or end is UNKNOWN:
        return UNKNOWN
    items = _list(lst, "slice")
    s, e = _int(start, "slice"), _int(end, "slice")
    if s < 0 or e > len(items) or s > e:
        raise EvalError(f"slice: indexes {s}..{e} are out of range for {len(items)} elements")
    return items[s:e]


def f_chunklist(lst: Any, size: Any) -> Any:
    if lst is UNKNOWN or size is UNKNOWN:
        return UNKNOWN
    items, n = _list(lst, "chunklist"), _int(size, "chunklist")
    if n <= 0:
        return [items]
    return [items[i : i + n] for i in range(0, len(items), n)]


def f_one(lst: Any) -> Any:
    if lst is UNKNOWN:
        return UNKNOWN
    items = _list(lst, "one")
    if len(items) > 1:
        raise EvalError("one: the list has more than one element")
    return items[0] if items else None


def f_sum(lst: Any) -> Any:
    if has_unknown(lst):
        return UNKNOWN
    items = _list(lst, "sum")
    if not items:
        raise EvalError("sum: cannot sum an empty list")
    return _num_result(sum(to_number(v) for v in items))


def f_setunion(*sets: Any) -> Any:
    if any(has_unknown(s) for s in sets):
        return UNKNOWN
    return TSet.of([v for s in sets for v in _list(s, "setunion")])


def f_setintersection(first: Any, *rest: Any) -> Any:
    if has_unknown(first) or any(has_unknown(s) for s in rest):
        return UNKNOWN
    return TSet.of([v for v in _list(first, "setintersection") if all(v in s for s in rest)])


def f_setsubtract(a: Any, b: Any) -> Any:
    if has_unknown(a) or has_unknown(b):
        return UNKNOWN
    return TSet.of([v for v in _list(a, "setsubtract") if v not in _list(b, "setsubtract")])


def f_setproduct(*sets: Any) -> Any:
    if any(has_unknown(s) for s in sets):
        return UNKNOWN
    out: list[list[Any]] = [[]]
    for s in sets:
        out = [prefix + [v] for prefix in out for v in _list(s, "setproduct")]
    return out


def f_transpose(m: Any) -> Any:
    if has_unknown(m):
        return UNKNOWN
    out: dict[str, list[str]] = {}
    for k, vs in sorted(_map(m, "transpose").items()):
        for v in _list(vs, "transpose"):
            out.setdefault(_str(v, "transpose"), []).append(k)
    return out


def f_matchkeys(values: Any, keys: Any, search: Any) -> Any:
    if has_unknown(values) or has_unknown(keys) or has_unknown(search):
        return UNKNOWN
    return [v for v, k in zip(_list(values, "matchkeys"), _list(keys, "matchkeys")) if k in search]


def f_alltrue(lst: Any) -> Any:
    if has_unknown(lst):
        return UNKNOWN
    return all(to_bool(v) for v in _list(lst, "alltrue"))


def f_anytrue(lst: Any) -> Any:
    if has_unknown(lst):
        return UNKNOWN
    return any(to_bool(v) for v in _list(lst, "anytrue"))


# --- type conversion ------------------------------------------------------------------------------------


def f_tolist(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    return list(_list(value, "tolist"))


def f_toset(value: Any) -> Any:
    if has_unknown(value):
        return UNKNOWN
    items = _list(value, "toset")
    if len({type_name(i) for i in items if i is not None}) > 1:
        items = [to_string(i) for i in items]
    return TSet.of(items)


def f_tomap(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    m = _map(value, "tomap")
    kinds = {type_name(v) for v in m.values() if v is not None and v is not UNKNOWN}
    if kinds <= {"string", "number", "bool"} and len(kinds) > 1:
        return {k: to_string(v) for k, v in m.items()}
    return dict(m)


def f_tostring(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        raise EvalError(f"tostring: cannot convert {type_name(value)} to string")
    return to_string(value)


def f_tonumber(value: Any) -> Any:
    return to_number(value)


def f_tobool(value: Any) -> Any:
    return to_bool(value)


# --- encoding, hashing, numbers ------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def f_jsonencode(value: Any) -> Any:
    if has_unknown(value):
        return UNKNOWN
    return (
        json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True, default=_plain)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def f_jsondecode(text: Any) -> Any:
    if has_unknown(text):
        return UNKNOWN
    try:
        return json.loads(_str(text, "jsondecode"))
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode: {exc.msg}") from None


def f_yamlencode(value: Any) -> Any:
    if has_unknown(value):
        return UNKNOWN
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=True)


def f_yamldecode(text: Any) -> Any:
    if has_unknown(text):
        return UNKNOWN
    try:
        return yaml.safe_load(_str(text, "yamldecode"))
    except yaml.YAMLError as exc:
        raise EvalError(f"yamldecode: {exc}") from None


def _hash(algorithm: str, b64: bool = False) -> Function:
    def run(text: Any) -> Any:
        if has_unknown(text):
            return UNKNOWN
        digest = hashlib.new(algorithm, _str(text, algorithm).encode())
        return base64.b64encode(digest.digest()).decode() if b64 else digest.hexdigest()

    return run


def f_base64encode(text: Any) -> Any:
    return UNKNOWN if has_unknown(text) else base64.b64encode(_str(text, "base64encode").encode()).decode()


def f_base64decode(text: Any) -> Any:
    if has_unknown(text):
        return UNKNOWN
    try:
        return base64.b64decode(_str(text, "base64decode"), validate=True).decode()
    except ValueError:
        raise EvalError("base64decode: invalid base64 text") from None


def f_urlencode(text: Any) -> Any:
    return UNKNOWN if has_unknown(text) else urllib.parse.quote_plus(_str(text, "urlencode"), safe="")


def _math1(fn: str, op: Callable[[float], float]) -> Function:
    def run(value: Any) -> Any:
        return UNKNOWN if has_unknown(value) else _num_result(op(to_number(value)))

    return run


def f_max(*nums: Any) -> Any:
    if not nums or any(has_unknown(n) for n in nums):
        return UNKNOWN
    return max(to_number(n) for n in nums)


def f_min(*nums: Any) -> Any:
    if not nums or any(has_unknown(n) for n in nums):
        return UNKNOWN
    return min(to_number(n) for n in nums)


def f_pow(a: Any, b: Any) -> Any:
    if has_unknown(a) or has_unknown(b):
        return UNKNOWN
    return _num_result(math.pow(to_number(a), to_number(b)))


def f_parseint(text: Any, base: Any) -> Any:
    if has_unknown(text) or has_unknown(base):
        return UNKNOWN
    try:
        return int(_str(text, "parseint"), _int(base, "parseint"))
    except ValueError:
        raise EvalError(f"parseint: cannot parse {text!r}") from None


# --- network ------------------------------------------------------------------------------------------


def f_cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> Any:
    if has_unknown(prefix) or has_unknown(newbits) or has_unknown(netnum):
        return UNKNOWN
    try:
        net = ipaddress.ip_network(_str(prefix, "cidrsubnet"), strict=False)
    except ValueError as exc:
        raise EvalError(f"cidrsubnet: {exc}") from None
    bits, num = _int(newbits, "cidrsubnet"), _int(netnum, "cidrsubnet")
    new_prefix = net.prefixlen + bits
    if new_prefix > net.max_prefixlen or num >= 2**bits or num < 0:
        raise EvalError(f"cidrsubnet: cannot make subnet {num} of {bits} new bits in {net}")
    base = int(net.network_address) + (num << (net.max_prefixlen - new_prefix))
    return f"{ipaddress.ip_address(base) if net.version == 4 else ipaddress.IPv6Address(base)}/{new_prefix}"


def f_cidrsubnets(prefix: Any, *newbits: Any) -> Any:
    if has_unknown(prefix) or any(has_unknown(n) for n in newbits):
        return UNKNOWN
    net = ipaddress.ip_network(_str(prefix, "cidrsubnets"), strict=False)
    out: list[str] = []
    current = int(net.network_address)
    for bits in newbits:
        plen = net.prefixlen + _int(bits, "cidrsubnets")
        size = 1 << (net.max_prefixlen - plen)
        current = (current + size - 1) // size * size
        out.append(f"{ipaddress.ip_address(current)}/{plen}")
        current += size
    return out


def f_cidrhost(prefix: Any, hostnum: Any) -> Any:
    if has_unknown(prefix) or has_unknown(hostnum):
        return UNKNOWN
    net = ipaddress.ip_network(_str(prefix, "cidrhost"), strict=False)
    num = _int(hostnum, "cidrhost")
    base = int(net.broadcast_address) + 1 + num if num < 0 else int(net.network_address) + num
    return str(ipaddress.ip_address(base))


def f_cidrnetmask(prefix: Any) -> Any:
    if has_unknown(prefix):
        return UNKNOWN
    return str(ipaddress.ip_network(_str(prefix, "cidrnetmask"), strict=False).netmask)


# --- always unknown, and pass-through ----------------------------------------------------------------------


def f_unknown(*_args: Any) -> Any:
    return UNKNOWN


def f_identity(value: Any) -> Any:
    return value


# --- file functions (need the module directory) ------------------------------------------------------------


def file_functions(ctx: FunctionContext, render: Callable[[str, dict[str, Any]], Any]) -> dict[str, Function]:
    def read(name: Any, fn: str) -> str:
        path = ctx.path(_str(name, fn))
        ctx.seen.append(str(path))
        try:
            return read_text(path, fn)
        except UnicodeDecodeError:
            raise EvalError(f"{fn}: {path} is not UTF-8 text") from None
        except OSError as exc:
            raise EvalError(f"{fn}: cannot read {path}: {exc.strerror}") from None

    def f_file(name: Any) -> Any:
        return UNKNOWN if has_unknown(name) else read(name, "file")

    def f_fileexists(name: Any) -> Any:
        return UNKNOWN if has_unknown(name) else ctx.path(_str(name, "fileexists")).is_file()

    def f_filebase64(name: Any) -> Any:
        if has_unknown(name):
            return UNKNOWN
        return base64.b64encode(read(name, "filebase64").encode()).decode()

    def f_templatefile(name: Any, variables: Any = None) -> Any:
        if has_unknown(name):
            return UNKNOWN
        return render(read(name, "templatefile"), _map(variables or {}, "templatefile"))

    def f_filemd5(name: Any) -> Any:
        return UNKNOWN if has_unknown(name) else hashlib.md5(read(name, "filemd5").encode()).hexdigest()

    def f_filesha256(name: Any) -> Any:
        return UNKNOWN if has_unknown(name) else hashlib.sha256(read(name, "filesha256").encode()).hexdigest()

    return {
        "file": f_file,
        "fileexists": f_fileexists,
        "filebase64": f_filebase64,
        "templatefile": f_templatefile,
        "filemd5": f_filemd5,
        "filesha256": f_filesha256,
    }


FUNCTIONS: dict[str, Function] = {
    "format": f_format,
    "formatlist": f_formatlist,
    "join": f_join,
    "split": f_split,
    "replace": f_replace,
    "substr": f_substr,
    "lower": _str1("lower", str.lower),
    "upper": _str1("upper", str.upper),
    "title": f_title,
    "trimspace": _str1("trimspace", str.strip),
    "trim": f_trim,
    "trimprefix": _str2("trimprefix", lambda t, p: t[len(p) :] if p and t.startswith(p) else t),
    "trimsuffix": _str2("trimsuffix", lambda t, s: t[: -len(s)] if s and t.endswith(s) else t),
    "startswith": _str2("startswith", str.startswith),
    "endswith": _str2("endswith", str.endswith),
    "strcontains": _str2("strcontains", lambda t, s: s in t),
    "strrev": _str1("strrev", lambda t: t[::-1]),
    "chomp": _str1("chomp", lambda t: t.rstrip("\r\n")),
    "indent": f_indent,
    "regex": f_regex,
    "regexall": f_regexall,
    "length": f_length,
    "merge": f_merge,
    "concat": f_concat,
    "lookup": f_lookup,
    "element": f_element,
    "index": f_index,
    "contains": f_contains,
    "coalesce": f_coalesce,
    "coalescelist": f_coalescelist,
    "compact": f_compact,
    "distinct": f_distinct,
    "flatten": f_flatten,
    "keys": f_keys,
    "values": f_values,
    "zipmap": f_zipmap,
    "range": f_range,
    "reverse": f_reverse,
    "sort": f_sort,
    "slice": f_slice,
    "chunklist": f_chunklist,
    "one": f_one,
    "sum": f_sum,
    "setunion": f_setunion,
    "setintersection": f_setintersection,
    "setsubtract": f_setsubtract,
    "setproduct": f_setproduct,
    "transpose": f_transpose,
    "matchkeys": f_matchkeys,
    "alltrue": f_alltrue,
    "anytrue": f_anytrue,
    "tolist": f_tolist,
    "toset": f_toset,
    "tomap": f_tomap,
    "tostring": f_tostring,
    "tonumber": f_tonumber,
    "tobool": f_tobool,
    "jsonencode": f_jsonencode,
    "jsondecode": f_jsondecode,
    "yamlencode": f_yamlencode,
    "yamldecode": f_yamldecode,
    "base64encode": f_base64encode,
    "base64decode": f_base64decode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "base64sha256": _hash("sha256", b64=True),
    "base64sha512": _hash("sha512", b64=True),
    "urlencode": f_urlencode,
    "abs": _math1("abs", abs),
    "ceil": _math1("ceil", math.ceil),
    "floor": _math1("floor", math.floor),
    "signum": _math1("signum", lambda v: (v > 0) - (v < 0)),
    "log": lambda v, b: UNKNOWN if has_unknown(v) or has_unknown(b) else math.log(to_number(v), to_number(b)),
    "max": f_max,
    "min": f_min,
    "pow": f_pow,
    "parseint": f_parseint,
    "cidrsubnet": f_cidrsubnet,
    "cidrsubnets": f_cidrsubnets,
    "cidrhost": f_cidrhost,
    "cidrnetmask": f_cidrnetmask,
    "timestamp": f_unknown,
    "uuid": f_unknown,
    "bcrypt": f_unknown,
    "plantimestamp": f_unknown,
    "sensitive": f_identity,
    "nonsensitive": f_identity,
    "basename": _str1("basename", os.path.basename),
    "dirname": _str1("dirname", os.path.dirname),
    "pathexpand": _str1("pathexpand", os.path.expanduser),
}

# functions the evaluator handles itself (they need unevaluated arguments)
SPECIAL = {"try", "can", "type"}


def number_text(value: Any) -> str:
    return format_number(value)
