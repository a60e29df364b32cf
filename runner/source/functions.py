"""Terraform's built-in functions that can be computed without a provider.

Each takes evaluated arguments. A function whose arguments hold a value known only after apply returns
`UNKNOWN`, except the structural ones (length, merge, concat, lookup ...) that can still say something.
`timestamp`, `uuid` and `bcrypt` are always unknown (they differ at every apply).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

from runner.source.fnbase import Function, FunctionContext, _int, _list, _map, _num_result, _str  # noqa: F401
from runner.source.functions_collections import COLLECTION_FUNCTIONS
from runner.source.functions_io import IO_FUNCTIONS, file_functions  # noqa: F401
from runner.source.limits import check_width
from runner.source.values import (
    UNKNOWN,
    EvalError,
    format_number,
    has_unknown,
    to_bool,
    to_number,
)


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


FUNCTIONS: dict[str, Function] = {
    **IO_FUNCTIONS,
    **COLLECTION_FUNCTIONS,
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
    "basename": _str1("basename", os.path.basename),
    "dirname": _str1("dirname", os.path.dirname),
    "pathexpand": _str1("pathexpand", os.path.expanduser),
}

# functions the evaluator handles itself (they need unevaluated arguments)
SPECIAL = {"try", "can", "type"}


def number_text(value: Any) -> str:
    return format_number(value)
