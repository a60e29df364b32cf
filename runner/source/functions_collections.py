"""Built-in collection and type conversion functions (see runner/source/functions.py)."""

from __future__ import annotations

from typing import Any

from runner.source.fnbase import Function, _int, _list, _map, _num_result, _str
from runner.source.values import (
    UNKNOWN,
    EvalError,
    OpenObject,
    TSet,
    has_unknown,
    to_bool,
    to_number,
    to_string,
    type_name,
)

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


COLLECTION_FUNCTIONS: dict[str, Function] = {
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
}
