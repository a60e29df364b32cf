"""What the renderer knows of provider schemas: attribute types, which attributes a provider computes, the
defaults it plans for unset attributes, and how nested blocks nest.

Only a few resource types are described (the null provider, Terraform's built-in `terraform_data`, and
common AWS provider v5 resources). For any other type the renderer uses the configuration as written,
marks `id` unknown, and says so in a warning: it never invents attributes it cannot know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OPTIONAL, REQUIRED, COMPUTED, OPTIONAL_COMPUTED = "optional", "required", "computed", "optional_computed"

STR, NUM, BOOL, DYN = "string", "number", "bool", "dynamic"
STR_LIST, STR_SET, STR_MAP = ("list", STR), ("set", STR), ("map", STR)


@dataclass(frozen=True)
class Attr:
    type: Any
    mode: str = OPTIONAL
    default: Any = None  # what the provider plans when the attribute is not set (known at plan time)
    sensitive: bool = False

    @property
    def computed(self) -> bool:
        return self.mode in (COMPUTED, OPTIONAL_COMPUTED)


@dataclass(frozen=True)
class BlockSchema:
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: dict[str, NestedBlock] = field(default_factory=dict)


@dataclass(frozen=True)
class NestedBlock:
    nesting: str  # "list" | "set" | "single"
    schema: BlockSchema
    computed: bool = False  # Optional+Computed: unknown when absent from the configuration
    absent: Any = ()  # what an absent, non-computed block plans as: [] for list/set, None for single


@dataclass(frozen=True)
class ResourceSchema:
    provider: str  # provider local name (null, aws, terraform)
    block: BlockSchema
    tags_all: bool = False  # AWS: tags_all = provider default_tags merged with tags


def _o(ty: Any, default: Any = None, sensitive: bool = False) -> Attr:
    return Attr(ty, OPTIONAL, default, sensitive)


def _c(ty: Any) -> Attr:
    return Attr(ty, COMPUTED)


def _oc(ty: Any) -> Attr:
    return Attr(ty, OPTIONAL_COMPUTED)


def _r(ty: Any) -> Attr:
    return Attr(ty, REQUIRED)


def _block(
    nesting: str, computed: bool = False, blocks: dict[str, NestedBlock] | None = None, **attrs: Attr
) -> NestedBlock:
    absent: list[Any] | None = None if nesting == "single" else []
    return NestedBlock(nesting, BlockSchema(attrs, blocks or {}), computed, absent)


def _timeouts(*names: str) -> NestedBlock:
    return NestedBlock("single", BlockSchema({n: _o(STR) for n in names}), absent=None)


_SG_RULE = dict(
    cidr_blocks=_o(STR_LIST, []),
    description=_o(STR, ""),
    from_port=_r(NUM),
    ipv6_cidr_blocks=_o(STR_LIST, []),
    prefix_list_ids=_o(STR_LIST, []),
    protocol=_r(STR),
    security_groups=_o(STR_SET, []),
    self=_o(BOOL, False),
    to_port=_r(NUM),
)

_TAGS = dict(tags=_o(STR_MAP), tags_all=_oc(STR_MAP))

SCHEMAS: dict[str, ResourceSchema] = {
    "null_resource": ResourceSchema("null", BlockSchema({"id": _c(STR), "triggers": _o(STR_MAP)})),
    "terraform_data": ResourceSchema(
        "terraform",
        BlockSchema({"id": _c(STR), "input": _o(DYN), "output": _c(DYN), "triggers_replace": _o(DYN)}),
    ),
    "lxd_profile": ResourceSchema(
        "lxd",
        BlockSchema(
            dict(config=_o(STR_MAP), description=_o(STR), id=_c(STR), name=_r(STR), remote=_o(STR)),
            {"device": _block("set", False, name=_r(STR), properties=_r(STR_MAP), type=_r(STR))},
        ),
    ),
    "aws_s3_bucket": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                acceleration_status=_oc(STR),
                acl=_oc(STR),
                arn=_c(STR),
                bucket=_oc(STR),
                bucket_domain_name=_c(STR),
                bucket_prefix=_oc(STR),
                bucket_regional_domain_name=_c(STR),
                force_destroy=_o(BOOL, False),
                hosted_zone_id=_c(STR),
                id=_c(STR),
                object_lock_enabled=_oc(BOOL),
                policy=_oc(STR),
                region=_c(STR),
                request_payer=_oc(STR),
                website_domain=_c(STR),
                website_endpoint=_c(STR),
                **_TAGS,
            ),
            {
                "cors_rule": _block("list", True),
                "grant": _block("set", True),
                "lifecycle_rule": _block("list", True),
                "logging": _block("list", True),
                "object_lock_configuration": _block("list", True),
                "replication_configuration": _block("list", True),
                "server_side_encryption_configuration": _block(
                    "list",
                    True,
                    {
                        "rule": _block(
                            "set",
                            False,
                            {
                                "apply_server_side_encryption_by_default": _block(
                                    "list", False, sse_algorithm=_r(STR), kms_master_key_id=_o(STR)
                                )
                            },
                            bucket_key_enabled=_o(BOOL),
                        )
                    },
                ),
                "versioning": _block("list", True, enabled=_o(BOOL, False), mfa_delete=_o(BOOL, False)),
                "website": _block("list", True),
                "timeouts": _timeouts("create", "delete", "read", "update"),
            },
        ),
        tags_all=True,
    ),
    "aws_s3_bucket_server_side_encryption_configuration": ResourceSchema(
        "aws",
        BlockSchema(
            dict(bucket=_r(STR), expected_bucket_owner=_o(STR), id=_c(STR)),
            {
                "rule": _block(
                    "set",
                    False,
                    {
                        "apply_server_side_encryption_by_default": _block(
                            "list", False, kms_master_key_id=_o(STR), sse_algorithm=_r(STR)
                        )
                    },
                    bucket_key_enabled=_o(BOOL),
                )
            },
        ),
    ),
    "aws_s3_bucket_public_access_block": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                block_public_acls=_o(BOOL, False),
                block_public_policy=_o(BOOL, False),
                bucket=_r(STR),
                id=_c(STR),
                ignore_public_acls=_o(BOOL, False),
                restrict_public_buckets=_o(BOOL, False),
            )
        ),
    ),
    "aws_s3_bucket_versioning": ResourceSchema(
        "aws",
        BlockSchema(
            dict(bucket=_r(STR), expected_bucket_owner=_o(STR), id=_c(STR), mfa=_o(STR)),
            {"versioning_configuration": _block("list", False, mfa_delete=_oc(STR), status=_r(STR))},
        ),
    ),
    "aws_security_group": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                arn=_c(STR),
                description=_o(STR, "Managed by Terraform"),
                id=_c(STR),
                name=_oc(STR),
                name_prefix=_oc(STR),
                owner_id=_c(STR),
                revoke_rules_on_delete=_o(BOOL, False),
                vpc_id=_oc(STR),
                **_TAGS,
            ),
            {
                "ingress": _block("set", True, None, **_SG_RULE),
                "egress": _block("set", True, None, **_SG_RULE),
                "timeouts": _timeouts("create", "delete"),
            },
        ),
        tags_all=True,
    ),
    "aws_security_group_rule": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                cidr_blocks=_o(STR_LIST),
                description=_o(STR),
                from_port=_r(NUM),
                id=_c(STR),
                ipv6_cidr_blocks=_o(STR_LIST),
                prefix_list_ids=_o(STR_LIST),
                protocol=_r(STR),
                security_group_id=_r(STR),
                security_group_rule_id=_c(STR),
                self=_o(BOOL, False),
                source_security_group_id=_oc(STR),
                to_port=_r(NUM),
                type=_r(STR),
            ),
            {"timeouts": _timeouts("create")},
        ),
    ),
    "aws_kms_key": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                arn=_c(STR),
                bypass_policy_lockout_safety_check=_o(BOOL, False),
                custom_key_store_id=_o(STR),
                customer_master_key_spec=_o(STR, "SYMMETRIC_DEFAULT"),
                deletion_window_in_days=_o(NUM),
                description=_oc(STR),
                enable_key_rotation=_o(BOOL, False),
                id=_c(STR),
                is_enabled=_o(BOOL, True),
                key_id=_c(STR),
                key_usage=_o(STR, "ENCRYPT_DECRYPT"),
                multi_region=_oc(BOOL),
                policy=_oc(STR),
                rotation_period_in_days=_oc(NUM),
                xks_key_id=_o(STR),
                **_TAGS,
            ),
            {"timeouts": _timeouts("create")},
        ),
        tags_all=True,
    ),
    "aws_ebs_volume": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                arn=_c(STR),
                availability_zone=_r(STR),
                encrypted=_oc(BOOL),
                final_snapshot=_o(BOOL, False),
                id=_c(STR),
                iops=_oc(NUM),
                kms_key_id=_oc(STR),
                multi_attach_enabled=_o(BOOL),
                outpost_arn=_o(STR),
                size=_oc(NUM),
                snapshot_id=_oc(STR),
                throughput=_oc(NUM),
                type=_oc(STR),
                **_TAGS,
            ),
            {"timeouts": _timeouts("create", "delete", "update")},
        ),
        tags_all=True,
    ),
    "aws_cloudwatch_log_group": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                arn=_c(STR),
                id=_c(STR),
                kms_key_id=_o(STR),
                log_group_class=_oc(STR),
                name=_oc(STR),
                name_prefix=_oc(STR),
                retention_in_days=_o(NUM, 0),
                skip_destroy=_o(BOOL, False),
                **_TAGS,
            )
        ),
        tags_all=True,
    ),
    "aws_sqs_queue": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                arn=_c(STR),
                content_based_deduplication=_o(BOOL, False),
                deduplication_scope=_oc(STR),
                delay_seconds=_o(NUM, 0),
                fifo_queue=_o(BOOL, False),
                fifo_throughput_limit=_oc(STR),
                id=_c(STR),
                kms_data_key_reuse_period_seconds=_oc(NUM),
                kms_master_key_id=_o(STR),
                max_message_size=_o(NUM, 262144),
                message_retention_seconds=_o(NUM, 345600),
                name=_oc(STR),
                name_prefix=_oc(STR),
                policy=_oc(STR),
                receive_wait_time_seconds=_o(NUM, 0),
                redrive_allow_policy=_oc(STR),
                redrive_policy=_oc(STR),
                sqs_managed_sse_enabled=_oc(BOOL),
                url=_c(STR),
                visibility_timeout_seconds=_o(NUM, 30),
                **_TAGS,
            )
        ),
        tags_all=True,
    ),
    "aws_iam_policy": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                arn=_c(STR),
                attachment_count=_c(NUM),
                description=_o(STR),
                id=_c(STR),
                name=_oc(STR),
                name_prefix=_oc(STR),
                path=_o(STR, "/"),
                policy=_r(STR),
                policy_id=_c(STR),
                **_TAGS,
            )
        ),
        tags_all=True,
    ),
    "aws_iam_role": ResourceSchema(
        "aws",
        BlockSchema(
            dict(
                arn=_c(STR),
                assume_role_policy=_r(STR),
                create_date=_c(STR),
                description=_o(STR),
                force_detach_policies=_o(BOOL, False),
                id=_c(STR),
                managed_policy_arns=_oc(STR_SET),
                max_session_duration=_o(NUM, 3600),
                name=_oc(STR),
                name_prefix=_oc(STR),
                path=_o(STR, "/"),
                permissions_boundary=_o(STR),
                unique_id=_c(STR),
                **_TAGS,
            ),
            {"inline_policy": _block("set", True, name=_o(STR), policy=_o(STR))},
        ),
        tags_all=True,
    ),
    "aws_iam_role_policy": ResourceSchema(
        "aws",
        BlockSchema(dict(id=_c(STR), name=_oc(STR), name_prefix=_oc(STR), policy=_r(STR), role=_r(STR))),
    ),
}

PROVIDER_SOURCES = {
    "terraform": "terraform.io/builtin/terraform",
}


def schema_for(resource_type: str) -> ResourceSchema | None:
    return SCHEMAS.get(resource_type)


def provider_local_name(resource_type: str) -> str:
    if resource_type == "terraform_data":
        return "terraform"
    return resource_type.split("_", 1)[0]


def provider_source(local_name: str, required: dict[str, str]) -> str:
    """registry.terraform.io/hashicorp/<name> unless required_providers says otherwise."""
    if local_name in PROVIDER_SOURCES:
        return PROVIDER_SOURCES[local_name]
    source = required.get(local_name)
    if source:
        parts = source.split("/")
        if len(parts) == 2:
            return f"registry.terraform.io/{source}"
        return source
    return f"registry.terraform.io/hashicorp/{local_name}"


def _optional_defaults() -> dict[str, dict[str, Any]]:
    from runner.source.provider_v5 import FACTS, is_marker

    return {
        t: {k: v for k, v in facts.items() if "." not in k and not is_marker(v)} for t, facts in FACTS.items()
    }


# Provider defaults (schema `Default:` values) of types without a full schema above, by type: the literal
# entries of runner/source/provider_v5.py (plan-from-source applies the generated runner/source/defaults.py,
# which also knows what the provider computes). Kept for readers of the provider defaults outside source/.
OPTIONAL_DEFAULTS: dict[str, dict[str, Any]] = _optional_defaults()
