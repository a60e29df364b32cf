"""The engine's step helpers at linear cost, with the same results (the in-process engine only).

Profiled on a plan of 8,000 resources and the whole library (bench/large_plans.py), four helpers of
terraform-compliance that the `Given I have ... defined` step calls took most of the evaluation, and
grew faster than the plan:

- `find_root_by_key(resources_raw, X, return_key="type")` ("resource that supports X") walks every
  value of every resource, once per guardrail that says so (14 s of 55 s at 8k). Here one walk of
  the parsed plan records, per key (lower case), the roots it occurs under; each call is a look-up.
- `TerraformParser.find_resources_by_type` compares the type of every resource, once per `Given` step
  (5.9 s). Here the resources are grouped by type once per parsed plan.
- `remove_mounted_resources` deep-copies the resources it is given with `copy.deepcopy` (8.5 s). Here a
  copy made for JSON data (dicts, lists, scalars) is used, with deepcopy for anything else.
- `get_resource_address_list_from_stash` removes duplicate addresses with a list (quadratic in the
  resources of one type: 1.6 s at 8k, 16 times that at 32k). Here a set does.

Then, once those were gone: `Match.equals`/`get`/`seek_key_in_dict` (every key comparison of every
step, through str() and lower() on both sides: 2.5 times faster with a path for plain strings) and the
parser's `deepcopy` of every resource (json_copy with deepcopy's memo: 2 times faster).

Each replacement answers exactly what the original does, or calls the original where it cannot be sure
(odd shapes: non-string keys, unhashable values, a regex or case-sensitive match, a nested cycle);
tests/unit/test_engine_speedups.py compares both on every fixture plan of the library. The `cli` engine
runs terraform-compliance unchanged by these, so the parity tests compare the two engines' verdicts.

The look-ups are built from the parsed plan once and kept with it: terraform-compliance parses a plan
into `resources` and `resources_raw` and its steps never change those (they copy what they filter).
An index is rebuilt when the object it was built from changed its number of entries."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

_SCALARS = (str, int, float, bool, type(None))
_ORIGINALS: dict[str, Any] = {}


def json_copy(value: Any) -> Any:
    """copy.deepcopy, faster for JSON-shaped data (dicts, lists, scalars): the same memo by object id, so a
    sub-object shared in the original is shared in the copy, and a cycle is a cycle; any other object is
    handed to deepcopy with the same memo."""
    return _copy(value, {})


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        done = memo.get(id(value))
        if done is not None:
            return done
        new: dict[Any, Any] = {}
        memo[id(value)] = new
        for k, v in value.items():
            new[k] = v if type(v) in _SCALARS else _copy(v, memo)
        return new
    if kind is list:
        done = memo.get(id(value))
        if done is not None:
            return done
        out: list[Any] = []
        memo[id(value)] = out
        for v in value:
            out.append(v if type(v) in _SCALARS else _copy(v, memo))
        return out
    return deepcopy(value, memo)


def deepcopy_for_engine(value: Any, memo: Any = None) -> Any:
    """A stand-in for copy.deepcopy in the engine's plan parser (same signature, same results)."""
    return _copy(value, {} if memo is None else memo)


# --- Match: the engine's comparisons --------------------------------------------------------------


def fast_match(match_class: Any) -> None:
    """Match.equals, .get and .seek_key_in_dict with a path for string keys without a regex, which is
    nearly every call: the original converts both sides with str() and lower() on every comparison."""
    equals, get, seek = match_class.equals, match_class.get, match_class.seek_key_in_dict
    if not getattr(equals, "_tfguard_fast", False):
        _ORIGINALS.setdefault("Match", (equals, get, seek))

    def fast_equals(self: Any, left: Any, right: Any) -> Any:
        if type(left) is str and type(right) is str and not self.regex_flag:
            if self.case_sensitive:
                return left == right
            return left == right or left.lower() == right.lower()
        return equals(self, left, right)

    def fast_get(self: Any, haystack: Any, needle: Any, default: Any = None) -> Any:
        if type(needle) is not str or self.regex_flag or not isinstance(haystack, dict):
            return get(self, haystack, needle, default)
        folded = None if self.case_sensitive else needle.lower()
        for key, value in haystack.items():
            if type(key) is str:
                if key == needle or (folded is not None and key.lower() == folded):
                    return value
            elif fast_equals(self, key, needle):
                return value
        return default

    def fast_seek(self: Any, haystack: Any, needle: Any) -> Any:
        if type(needle) is not str or self.regex_flag:
            return seek(self, haystack, needle)
        folded = None if self.case_sensitive else needle.lower()
        found: list[Any] = []

        def walk(item: Any) -> None:
            if isinstance(item, dict):
                for key, value in item.items():
                    if type(key) is str:
                        hit = key == needle or (folded is not None and key.lower() == folded)
                    else:
                        hit = fast_equals(self, key, needle)
                    if hit:
                        found.append({key: value})
                    elif isinstance(value, (dict, list)):
                        walk(value)
            elif isinstance(item, list):
                for value in item:
                    if isinstance(value, (dict, list)):
                        walk(value)

        walk(haystack)
        return found

    fast_equals._tfguard_fast = True  # type: ignore[attr-defined]
    match_class.equals, match_class.get, match_class.seek_key_in_dict = fast_equals, fast_get, fast_seek


# --- "resource that supports X" -------------------------------------------------------------------


class _Unsure(Exception):
    """The haystack has a shape for which the index might not answer what the original does."""


def _keys_under(value: Any) -> set[str]:
    """Every dict key (lower case) at any depth of value, through dicts and lists, as the original walks."""
    keys: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise _Unsure
                keys.add(key.lower())
                if isinstance(child, (dict, list)):
                    stack.append(child)
        elif isinstance(item, list):
            stack.extend(child for child in item if isinstance(child, (dict, list)))
    return keys


def _root_index(haystack: dict[Any, Any], return_key: Any) -> dict[str, set[Any]]:
    """lower-case key -> the roots' return values under which it occurs (the root's own key included)."""
    index: dict[str, set[Any]] = {}
    for key, value in haystack.items():
        if not isinstance(key, str):
            raise _Unsure
        if return_key:
            if not isinstance(value, dict):
                raise _Unsure
            returned = value.get(return_key, key)
        else:
            returned = key
        try:
            hash(returned)
        except TypeError:
            raise _Unsure from None
        keys = _keys_under(value)
        keys.add(key.lower())
        for k in keys:
            index.setdefault(k, set()).add(returned)
    return index


def indexed_find_root_by_key(prior: Any) -> Any:
    """find_root_by_key answered from an index of the haystack, built once per haystack object."""
    built: dict[tuple[int, Any], tuple[Any, int, dict[str, set[Any]] | None]] = {}

    def find_root_by_key(haystack: Any, needle: Any, return_key: Any = None, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(haystack, dict) or not isinstance(needle, str):
            return prior(haystack, needle, return_key, *args, **kwargs)
        if return_key == "type" and needle.lower() == "tags":
            return prior(haystack, needle, return_key)  # tfguard's taggable scope (corrections.py) decides
        key = (id(haystack), return_key)
        entry = built.get(key)
        if entry is None or entry[0] is not haystack or entry[1] != len(haystack):
            try:
                index: dict[str, set[Any]] | None = _root_index(haystack, return_key)
            except _Unsure:
                index = None
            built.clear()  # one plan at a time: the previous plan's index goes
            entry = built[key] = (haystack, len(haystack), index)
        if entry[2] is None:
            return prior(haystack, needle, return_key)
        return list(entry[2].get(needle.lower(), ()))

    find_root_by_key._tfguard_indexed = True  # type: ignore[attr-defined]
    return find_root_by_key


# --- find_resources_by_type -----------------------------------------------------------------------


def indexed_find_resources_by_type(original: Any) -> Any:
    def find_resources_by_type(self: Any, resource_type: Any, match: Any = None) -> Any:
        if match is None:
            return original(self, resource_type)
        if (resource_type == "any" or getattr(match, "regex_flag", None) or not isinstance(resource_type, str)
                or getattr(match, "case_sensitive", None) not in (True, False)):
            return original(self, resource_type, match)
        resources = self.resources
        entry = self.__dict__.get("_tfguard_by_type")
        if entry is None or entry[0] is not resources or entry[1] != len(resources):
            entry = (resources, len(resources), _group_by_type(resources))
            self.__dict__["_tfguard_by_type"] = entry
        groups = entry[2]
        if groups is None:
            return original(self, resource_type, match)
        sensitive = bool(match.case_sensitive)
        wanted = resource_type if sensitive else resource_type.lower()
        return list(groups[1 if sensitive else 0].get(wanted, ()))

    find_resources_by_type._tfguard_indexed = True  # type: ignore[attr-defined]
    return find_resources_by_type


def _group_by_type(resources: dict[Any, Any]) -> tuple[dict[str, list[Any]], dict[str, list[Any]]] | None:
    """(lower-case type -> managed resources, type -> managed resources), in the plan's order; None when a
    resource has a shape the original would treat otherwise (no type or mode, a type that is not a scalar)."""
    folded: dict[str, list[Any]] = {}
    exact: dict[str, list[Any]] = {}
    for resource in resources.values():
        if not isinstance(resource, dict) or "type" not in resource or "mode" not in resource:
            return None
        rtype = resource["type"]
        if not isinstance(rtype, (bool, int, float, str)):
            return None
        if resource["mode"] != "managed":
            continue
        text = str(rtype)
        exact.setdefault(text, []).append(resource)
        folded.setdefault(text.lower(), []).append(resource)
    return folded, exact


# --- the other two --------------------------------------------------------------------------------


def remove_mounted_resources(resource_list: Any) -> Any:
    """terraform-compliance's remove_mounted_resources: a deep copy of the resources without the values
    of the resources mounted onto them. The original deep-copies everything, mounted values included, and
    then deletes those; this leaves them out of the copy (json_copy instead of deepcopy), which is most of
    the copying for a bucket that carries its companions."""
    if not isinstance(resource_list, list):
        return resource_list
    out = []
    memo: dict[int, Any] = {}  # one memo for the list, as deepcopy(resource_list) has
    for resource in resource_list:
        if type(resource) is not dict:
            out.append(_copy(resource, memo))
            continue
        mounted = resource.get("terraform-compliance.mounted_resources")
        values = resource.get("values")
        if mounted is None or type(values) is not dict:
            if mounted is not None:  # the original fails on it: let it
                return _engine_remove_mounted(resource_list)
            out.append(_copy(resource, memo))
            continue
        try:
            drop = {t for t in mounted.values() if t in values}
        except (AttributeError, TypeError):
            return _engine_remove_mounted(resource_list)
        copied = {}
        for key, value in resource.items():
            if key == "values":
                copied[key] = {k: _copy(v, memo) for k, v in values.items() if k not in drop}
            else:
                copied[key] = _copy(value, memo)
        out.append(copied)
    return out


def _engine_remove_mounted(resource_list: Any) -> Any:
    from terraform_compliance.common import helper

    return helper.remove_mounted_resources(resource_list)


def get_resource_address_list_from_stash(resource_list: Any) -> list[Any]:
    """The distinct addresses of the stash in first-seen order (the original tests each against a list)."""
    address_list: list[Any] = []
    seen: set[Any] = set()
    for resource in resource_list:
        if "address" in resource:
            address = resource["address"]
            try:
                if address in seen:
                    continue
                seen.add(address)
            except TypeError:  # unhashable: as the original does
                if address in address_list:
                    continue
            address_list.append(address)
    return address_list


# --- install --------------------------------------------------------------------------------------


def install() -> None:
    """Replace the four helpers where terraform-compliance's steps look them up (idempotent)."""
    from terraform_compliance.common import helper
    from terraform_compliance.extensions.terraform import TerraformParser
    from terraform_compliance.steps.given import i_have_name_section_configured as given
    from terraform_compliance.steps.when import its_key_is_value

    if not getattr(given.find_root_by_key, "_tfguard_indexed", False):
        given.find_root_by_key = indexed_find_root_by_key(given.find_root_by_key)
    if not getattr(TerraformParser.find_resources_by_type, "_tfguard_indexed", False):
        _ORIGINALS["find_resources_by_type"] = TerraformParser.find_resources_by_type
        TerraformParser.find_resources_by_type = indexed_find_resources_by_type(TerraformParser.find_resources_by_type)
    given.remove_mounted_resources = remove_mounted_resources
    from terraform_compliance.extensions import terraform as engine_terraform

    if engine_terraform.deepcopy is not deepcopy_for_engine:
        engine_terraform.deepcopy = deepcopy_for_engine
    if not getattr(helper.Match.equals, "_tfguard_fast", False):
        fast_match(helper.Match)
    for module in (helper, given, its_key_is_value):
        module.get_resource_address_list_from_stash = get_resource_address_list_from_stash
