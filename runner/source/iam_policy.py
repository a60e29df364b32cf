"""aws_iam_policy_document, rendered as the AWS provider v5 renders it (its policy model: statement fields in
struct order, empty ones left out, one element as a string, sets sorted in reverse, principals merged by
type, conditions flattened, `&{...}` policy variables, source and override documents merged by Sid)."""

from __future__ import annotations

import json
import zlib
from typing import TYPE_CHECKING, Any

from runner.source.values import EvalError, TSet, to_string

if TYPE_CHECKING:
    from runner.source.datasources import ReadContext

def go_json(value: Any, indent: bool) -> str:
    """encoding/json's output: HTML characters escaped, non-ASCII kept, `MarshalIndent(v, "", "  ")` layout."""
    text = json.dumps(value, ensure_ascii=False, indent=2 if indent else None, separators=(",", ": ") if indent
                      else (",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _strings(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list):
        raise EvalError(f"{what} must be a set of strings")
    out = []
    for item in value:
        text = to_string(item)
        if not isinstance(text, str):
            raise EvalError(f"{what} must hold strings, not null")
        out.append(text)
    return out


def _decode_list(items: list[str]) -> Any:
    """policyDecodeConfigStrings: one element -> the string, else sorted in reverse order (sets, no repeats)."""
    unique = sorted(set(items), reverse=True)
    return unique[0] if len(unique) == 1 else unique


def _vars(value: Any, version: str) -> Any:
    """`&{aws:username}` -> `${aws:username}` (policy variables in HCL, where `${` would interpolate)."""
    items = [value] if isinstance(value, str) else value
    if version == "2008-10-17" and any("&{" in i for i in items):
        raise EvalError("&{ sequences are not supported in policy version 2008-10-17")
    out = [i.replace("&{", "${") for i in items]
    return out[0] if isinstance(value, str) else out


def _principals(blocks: Any, version: str, what: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for block in blocks or []:
        kind = to_string(block.get("type"))
        if not isinstance(kind, str):
            raise EvalError(f"{what}: type is required")
        identifiers = _strings(block.get("identifiers"), f"{what}.identifiers")
        out.append((kind, _vars(_decode_list(identifiers), version)))
    return out


def _principal_json(principals: list[tuple[str, Any]]) -> Any:
    if len(principals) == 1 and principals[0][0] == "*" and principals[0][1] in ("*", ["*"]):
        return "*"
    raw: dict[str, Any] = {}
    for kind, ids in principals:
        current = raw.get(kind)
        if isinstance(ids, list):
            merged = [] if current is None else ([current] if isinstance(current, str) else current)
            raw[kind] = merged + sorted(ids, reverse=True)
        elif current is None:
            raw[kind] = ids
        else:
            raw[kind] = ([current] if isinstance(current, str) else current) + [ids]
    return {k: raw[k] for k in sorted(raw)}


def _conditions(blocks: Any, version: str, what: str) -> dict[str, Any]:
    raw: dict[str, dict[str, list[str]]] = {}
    for block in blocks or []:
        test, variable = to_string(block.get("test")), to_string(block.get("variable"))
        if not isinstance(test, str) or not isinstance(variable, str):
            raise EvalError(f"{what}: test and variable are required")
        values = block.get("values")
        if not isinstance(values, list):
            raise EvalError(f"{what}.values must be a list of strings")
        items = ["" if v is None else to_string(v) for v in values]
        raw.setdefault(test, {}).setdefault(variable, []).extend(_vars(items, version))
    return {
        t: {v: (vals[0] if len(vals) == 1 else vals) for v, vals in sorted(raw[t].items())} for t in sorted(raw)
    }


_STATEMENT_KEYS = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal",
                   "NotPrincipal", "Condition")


def _statement(block: dict[str, Any], version: str, index: int) -> dict[str, Any]:
    what = f"statement {index}"
    out: dict[str, Any] = {}
    sid = block.get("sid")
    if sid:
        out["Sid"] = to_string(sid)
    effect = block.get("effect")
    out["Effect"] = "Allow" if effect is None else to_string(effect)
    if out["Effect"] not in ("Allow", "Deny"):
        raise EvalError(f"{what}: effect must be Allow or Deny")
    for arg, key, replace in (("actions", "Action", False), ("not_actions", "NotAction", False),
                              ("resources", "Resource", True), ("not_resources", "NotResource", True)):
        items = _strings(block.get(arg), f"{what}.{arg}")
        if items:
            decoded = _decode_list(items)
            out[key] = _vars(decoded, version) if replace else decoded
    for arg, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        found = _principals(block.get(arg), version, f"{what}.{arg}")
        if found:
            out[key] = _principal_json(found)
    conditions = _conditions(block.get("condition"), version, f"{what}.condition")
    if conditions:
        out["Condition"] = conditions
    return out


def _parsed_document(text: Any, what: str) -> dict[str, Any]:
    if not isinstance(text, str):
        raise EvalError(f"{what} must be a JSON policy document")
    try:
        doc = json.loads(text)
    except ValueError:
        raise EvalError(f"{what} is not valid JSON") from None
    if not isinstance(doc, dict):
        raise EvalError(f"{what} must be a JSON object")
    statements = doc.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    return {
        "Version": str(doc.get("Version") or ""),
        "Id": str(doc.get("Id") or ""),
        "Statement": [_reorder(s) for s in statements if isinstance(s, dict)],
    }


def _reorder(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement read back from JSON, marshalled again as the provider's struct would: its fields in
    struct order, empty ones left out, single-element lists of actions and resources as strings."""
    out: dict[str, Any] = {}
    for key in _STATEMENT_KEYS:
        value = statement.get(key)
        if value in (None, "", [], {}):
            continue
        if key == "Condition" and isinstance(value, dict):
            value = {t: {v: _condition_value(value[t][v]) for v in sorted(value[t])} for t in sorted(value)
                     if isinstance(value[t], dict)}
        elif key in ("Principal", "NotPrincipal") and isinstance(value, dict):
            value = {t: (sorted(v, reverse=True) if isinstance(v, list) else v) for t, v in sorted(value.items())}
            if list(value) == ["*"] and value["*"] in ("*", ["*"]):
                value = "*"
        elif key == "Principal" and value == "*":
            value = "*"
        out[key] = value
    return out


def _condition_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _merge(into: dict[str, Any], doc: dict[str, Any]) -> None:
    if doc.get("Id"):
        into["Id"] = doc["Id"]
    if doc.get("Version", "") > into.get("Version", ""):
        into["Version"] = doc["Version"]
    statements: list[dict[str, Any]] = into.setdefault("Statement", [])
    for new in doc.get("Statement") or []:
        sid = new.get("Sid", "")
        for i, old in enumerate(statements):
            if sid and old.get("Sid", "") == sid:
                statements[i] = new
                break
        else:
            statements.append(new)


def policy_document(config: dict[str, Any]) -> dict[str, Any]:
    """The merged document of an aws_iam_policy_document (source documents, statements, overrides)."""
    merged: dict[str, Any] = {"Version": "", "Id": "", "Statement": []}
    seen: set[str] = set()
    for i, text in enumerate(config.get("source_policy_documents") or []):
        if text is None:
            continue
        doc = _parsed_document(text, f"source_policy_documents[{i}]")
        for s in doc["Statement"]:
            if s.get("Sid"):
                if s["Sid"] in seen:
                    raise EvalError(f"duplicate Sid ({s['Sid']}) in source_policy_documents")
                seen.add(s["Sid"])
        _merge(merged, doc)
    version = to_string(config.get("version")) or "2012-10-17"
    own: dict[str, Any] = {"Version": version, "Id": to_string(config.get("policy_id")) or "", "Statement": []}
    sids: set[str] = set()
    for i, block in enumerate(config.get("statement") or []):
        statement = _statement(block, version, i)
        sid = statement.get("Sid", "")
        if sid in sids:
            raise EvalError(f"duplicate Sid ({sid})")
        if sid:
            sids.add(sid)
        own["Statement"].append(statement)
    _merge(merged, own)
    for i, text in enumerate(config.get("override_policy_documents") or []):
        if text is not None:
            _merge(merged, _parsed_document(text, f"override_policy_documents[{i}]"))
    out: dict[str, Any] = {}
    if merged["Version"]:
        out["Version"] = merged["Version"]
    if merged["Id"]:
        out["Id"] = merged["Id"]
    if merged["Statement"]:
        out["Statement"] = merged["Statement"]
    return out


def read_policy_document(config: dict[str, Any], ctx: ReadContext) -> dict[str, Any]:
    for legacy in ("source_json", "override_json"):
        if config.get(legacy):
            ctx.warn(f"{ctx.address}: {legacy} is not used by the AWS provider v5 (use {legacy[:-5]}_policy_documents)")
    doc = policy_document(config)
    text = go_json(doc, indent=True)
    values = dict(config)
    for name in ("override_json", "override_policy_documents", "policy_id", "source_json",
                 "source_policy_documents"):
        values.setdefault(name, None)
    values["version"] = config.get("version") or "2012-10-17"
    values["statement"] = [_statement_values(s) for s in config.get("statement") or []]
    values["json"] = text
    values["minified_json"] = go_json(doc, indent=False)
    values["id"] = str(zlib.crc32(text.encode("utf-8")))
    return values


def _statement_values(block: dict[str, Any]) -> dict[str, Any]:
    """The statement as the data source's state holds it: every argument present, sets sorted."""
    out: dict[str, Any] = {}
    for name in ("actions", "not_actions", "resources", "not_resources"):
        out[name] = TSet.of(list(block.get(name) or []))
    for name in ("principals", "not_principals"):
        out[name] = [{"identifiers": TSet.of(list(p.get("identifiers") or [])), "type": p.get("type")}
                     for p in block.get(name) or []]
    out["condition"] = [dict(c) for c in block.get("condition") or []]
    out["effect"] = block.get("effect") or "Allow"
    out["sid"] = block.get("sid") or ""
    return out
