"""Data sources terraform reads while planning, rendered the way their providers would read them.

A data source whose arguments are all known is read at plan time by terraform, so a real plan knows its
values. The renderer reads the ones below the same way, offline:

- `aws_iam_policy_document` (AWS provider v5): `json`, `minified_json` and `id`, byte for byte as the
  provider writes them, so IAM guardrails judge policies built from it;
- `aws_caller_identity`, `aws_region`, `aws_partition`: from placeholders (`--placeholder account_id=...`)
  and the provider block's `region`;
- `null_data_source` (null provider), `template_file` (template provider), `local_file` (local provider).

Any other data source, or one whose arguments are known only after apply (or that `depends_on` something
with changes), is read by terraform during apply: its values are unknown, never invented.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from runner.errors import PlanError
from runner.source.values import UNKNOWN, EvalError, OpenObject, TSet, to_string

if TYPE_CHECKING:
    from runner.source.expand import Instance, ModuleInstance

PLACEHOLDER_NAMES = ("account_id", "region", "partition", "caller_arn", "caller_user_id")
DEFAULT_ACCOUNT_ID = "123456789012"  # the account id AWS documentation uses in examples
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class Placeholders:
    """Values a static plan cannot know: the account, region and partition terraform would run in."""

    values: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.values.get(name)


@dataclass
class ReadContext:
    """What a reader needs besides the data source's own arguments."""

    address: str
    placeholders: Placeholders
    provider_region: Any  # the `region` of the data source's provider block: str, UNKNOWN or None
    warn: Callable[[str], None]
    render_template: Callable[[str, dict[str, Any]], Any]
    read_file: Callable[[str], str]


Reader = Callable[[dict[str, Any], ReadContext], dict[str, Any]]


def readable(data_type: str) -> bool:
    return data_type in READERS


def read(data_type: str, config: dict[str, Any], ctx: ReadContext) -> dict[str, Any] | None:
    """The data source's attributes as terraform would plan them (UNKNOWN where a provider computes what the
    renderer cannot); None when the renderer cannot read this type."""
    reader = READERS.get(data_type)
    if reader is None:
        return None
    return reader(config, ctx)


# --- AWS: account, region, partition --------------------------------------------------------------------


def _region(ctx: ReadContext, config: dict[str, Any]) -> Any:
    if isinstance(config.get("name"), str) and config["name"]:
        return config["name"]
    if isinstance(config.get("region"), str) and config["region"]:
        return config["region"]
    if ctx.placeholders.get("region"):
        return ctx.placeholders.get("region")
    if isinstance(ctx.provider_region, str) and ctx.provider_region:
        return ctx.provider_region
    if ctx.provider_region is UNKNOWN:
        return UNKNOWN
    ctx.warn(
        f"{ctx.address}: the provider sets no region; the placeholder {DEFAULT_REGION!r} is used "
        "(set --placeholder region=...)"
    )
    return DEFAULT_REGION


_PARTITIONS = (  # region prefix, partition, DNS suffix, reverse DNS prefix
    ("cn-", "aws-cn", "amazonaws.com.cn", "cn.com.amazonaws"),
    ("us-gov-", "aws-us-gov", "amazonaws.com", "com.amazonaws"),
    ("us-isob-", "aws-iso-b", "sc2s.sgov.gov", "gov.sgov.sc2s"),
    ("us-iso-", "aws-iso", "c2s.ic.gov", "gov.ic.c2s"),
)


def partition_of(region: str) -> tuple[str, str, str]:
    for prefix, partition, suffix, reverse in _PARTITIONS:
        if region.startswith(prefix):
            return partition, suffix, reverse
    return "aws", "amazonaws.com", "com.amazonaws"


def _partition(ctx: ReadContext, config: dict[str, Any]) -> Any:
    chosen = ctx.placeholders.get("partition")
    if chosen:
        for _, partition, suffix, reverse in _PARTITIONS:
            if partition == chosen:
                return partition, suffix, reverse
        return (chosen, "amazonaws.com", "com.amazonaws") if chosen == "aws" else (chosen, UNKNOWN, UNKNOWN)
    region = _region(ctx, {})
    return UNKNOWN if region is UNKNOWN else partition_of(region)


def read_caller_identity(config: dict[str, Any], ctx: ReadContext) -> dict[str, Any]:
    account = ctx.placeholders.get("account_id")
    if not account:
        account = DEFAULT_ACCOUNT_ID
        ctx.warn(
            f"{ctx.address}: account_id is the placeholder {DEFAULT_ACCOUNT_ID} "
            "(set --placeholder account_id=... for the real account)"
        )
    return {
        "account_id": account,
        "arn": ctx.placeholders.get("caller_arn") or UNKNOWN,
        "id": account,
        "user_id": ctx.placeholders.get("caller_user_id") or UNKNOWN,
    }


def read_region(config: dict[str, Any], ctx: ReadContext) -> dict[str, Any]:
    region = _region(ctx, config)
    if region is UNKNOWN:
        return {**config, "name": UNKNOWN, "id": UNKNOWN, "endpoint": UNKNOWN, "description": UNKNOWN}
    found = _partition(ctx, config)
    suffix = found[1] if found is not UNKNOWN else UNKNOWN
    return {
        **config,
        "name": region,
        "id": region,
        "endpoint": f"ec2.{region}.{suffix}" if isinstance(suffix, str) else UNKNOWN,
        "description": UNKNOWN,  # "US East (N. Virginia)": from the provider's endpoint tables
    }


def read_partition(config: dict[str, Any], ctx: ReadContext) -> dict[str, Any]:
    found = _partition(ctx, config)
    if found is UNKNOWN:
        return {"partition": UNKNOWN, "id": UNKNOWN, "dns_suffix": UNKNOWN, "reverse_dns_prefix": UNKNOWN}
    partition, suffix, reverse = found
    return {"partition": partition, "id": partition, "dns_suffix": suffix, "reverse_dns_prefix": reverse}


# --- AWS: aws_iam_policy_document ---------------------------------------------------------------------------


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


# --- other providers --------------------------------------------------------------------------------------


def read_null_data_source(config: dict[str, Any], ctx: ReadContext) -> dict[str, Any]:
    inputs = config.get("inputs")
    return {
        "has_computed_default": config.get("has_computed_default") or "default",
        "id": "static",
        "inputs": inputs,
        "outputs": dict(inputs) if isinstance(inputs, dict) else inputs,
        "random": UNKNOWN,  # a random number the provider draws at every read
    }


def read_template_file(config: dict[str, Any], ctx: ReadContext) -> dict[str, Any]:
    template = config.get("template")
    if not isinstance(template, str):
        raise EvalError("template must be a string")
    variables = {k: to_string(v) for k, v in (config.get("vars") or {}).items()}
    rendered = ctx.render_template(template, variables)
    return {
        **config,
        "rendered": rendered,
        "id": hashlib.sha256(rendered.encode()).hexdigest() if isinstance(rendered, str) else UNKNOWN,
    }


def read_local_file(config: dict[str, Any], ctx: ReadContext) -> dict[str, Any]:
    name = config.get("filename")
    if not isinstance(name, str):
        raise EvalError("filename must be a string")
    content = ctx.read_file(name)
    import base64

    return {
        **config,
        "content": content,
        "content_base64": base64.b64encode(content.encode()).decode(),
        "id": hashlib.sha1(content.encode()).hexdigest(),
    }


READERS: dict[str, Reader] = {
    "aws_iam_policy_document": read_policy_document,
    "aws_caller_identity": read_caller_identity,
    "aws_region": read_region,
    "aws_partition": read_partition,
    "null_data_source": read_null_data_source,
    "template_file": read_template_file,
    "local_file": read_local_file,
}


COMPUTED: dict[str, tuple[str, ...]] = {  # what each reader computes (unknown while the read is deferred)
    "aws_iam_policy_document": ("id", "json", "minified_json"),
    "aws_caller_identity": ("account_id", "arn", "id", "user_id"),
    "aws_region": ("description", "endpoint", "id", "name"),
    "aws_partition": ("dns_suffix", "id", "partition", "reverse_dns_prefix"),
    "null_data_source": ("has_computed_default", "id", "outputs", "random"),
    "template_file": ("id", "rendered"),
    "local_file": ("content", "content_base64", "id"),
}


def deferred_values(data_type: str, config: dict[str, Any]) -> OpenObject:
    """A data source terraform reads during apply: its arguments as configured, what it computes unknown
    (for types the renderer does not know, only `id` is known to be computed; other attributes read from it
    are unknown too)."""
    values = OpenObject(config)
    for name in COMPUTED.get(data_type, ("id",)):
        if values.get(name) is None:
            values[name] = UNKNOWN
    return values


# --- reading the instances of a `data` block ------------------------------------------------------------


def read_instance(module: ModuleInstance, inst: Instance) -> None:
    """Fill a data source instance's values as terraform's plan would: read now (`inst.data_read = "read"`),
    or known only after apply ("deferred": unknown arguments or a `depends_on`; "unread": a type the
    renderer cannot read). Values from an unread data source are unknown, with a warning."""
    decl = inst.decl
    config = {k: v for k, v in inst.values.items() if k != "id"}
    if has_unknown_argument(config) or _waits_for_changes(decl):
        inst.values = deferred_values(decl.type, config)
        inst.data_read = "deferred"
        return
    if not readable(decl.type):
        module.warn(f"{inst.address} is not read statically: values from it are unknown", decl.file, decl.line)
        inst.values = deferred_values(decl.type, config)
        inst.data_read = "unread"
        return
    ctx = ReadContext(
        address=inst.address,
        placeholders=module.renderer.placeholders,
        provider_region=_provider_region(module, decl),
        warn=lambda message: module.warn(message, decl.file, decl.line),
        render_template=module._render_template,
        read_file=lambda name: module.read_root_file(name),
    )
    try:
        values = read(decl.type, config, ctx)
    except PlanError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader never crashes the rendering: unknown, with a warning
        module.warn(f"{inst.address} cannot be read statically: {exc}; its values are unknown", decl.file, decl.line)
        values = None
    if values is None:
        inst.values = deferred_values(decl.type, config)
        inst.data_read = "unread"
        return
    inst.values = values
    inst.data_read = "read"


def has_unknown_argument(config: dict[str, Any]) -> bool:
    from runner.source.values import has_unknown

    return any(has_unknown(v) for v in config.values())


def _waits_for_changes(decl: Any) -> bool:
    """terraform defers a data source that `depends_on` a managed resource or a module (they have changes)."""
    from runner.source.refs import references

    depends = decl.meta("depends_on")
    return depends is not None and any(not r.startswith("data.") for r in references(depends))


def _provider_region(module: ModuleInstance, decl: Any) -> Any:
    found = module.provider_block(decl)
    if found is None:
        return None
    owner, block = found
    attr = block.body.attributes.get("region")
    if attr is None:
        return None
    return owner._eval_safe(attr.expr, block.file, attr.line, f"provider {block.key} region")
