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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from runner.errors import PlanError
from runner.source.iam_policy import read_policy_document
from runner.source.values import UNKNOWN, EvalError, OpenObject, to_string

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
