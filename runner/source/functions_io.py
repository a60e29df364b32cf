"""Built-in functions on encodings, hashes, numbers, networks and files (see runner/source/functions.py)."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import urllib.parse
from collections.abc import Callable
from typing import Any

import yaml

from runner.source.fnbase import Function, FunctionContext, _int, _map, _num_result, _str
from runner.source.limits import read_text
from runner.source.values import UNKNOWN, EvalError, has_unknown, to_number

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

IO_FUNCTIONS: dict[str, Function] = {
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
}
