"""What an attribute the configuration leaves unset means, and the plan normalisation that encodes it.

A plan often says nothing about an argument nobody set: a static plan (plan-from-source) leaves it out,
a real plan shows `null` or, for an Optional+Computed argument, marks it known only after apply. The
engine reads "nothing" as "this resource does not have it", so a guardrail written as "resources that
support X" skipped the resource and "X must be enabled" never saw it. Here each such argument that a
guardrail of the library judges gets its meaning, from the AWS provider (hashicorp/aws v5) and the AWS
API behind it:

- a value: what the provider plans or AWS applies when it is unset (an unset `storage_encrypted` of an
  aws_rds_cluster is an unencrypted cluster: false). The plan gets that value.
- UNKNOWN: AWS decides at apply time from something the plan cannot show (the AMI's metadata options,
  the account's EBS encryption default, the retention RDS chooses). The plan marks it known only after
  apply, as a real plan of that argument would, so that guardrails see the resource and tfguard reports
  *unknown* where a guardrail needs its value (see runner/engine/unknowns.py).
- ABSENT: unset means not there; a real plan's "known after apply" is the provider echoing what other
  resources attach (an aws_security_group's `ingress` when its rules are aws_security_group_rule
  resources, which the engine reads from those resources) or filling a block nobody wrote. Not a reason
  for *unknown*.

The values come from the provider table plan-from-source renders static plans with
(runner/source/defaults.py, generated from runner/source/provider_v5.py: what the provider plans); `MEANS`
adds what AWS does where the provider plans null or decides at apply. Only an unset argument is
normalised, as Terraform reads "unset": null (whatever expression gave it), or
known only after apply without an expression in the configuration. A value that the configuration sets,
known or not, is the plan's to tell.

`normalise_plan` is applied to the plan the engine reads (runner/engine/fixes) and, identically, by
tfguard when it judges unknown values: both see one plan."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from runner.source.defaults import DEFAULTS, PROVIDER  # noqa: F401  (what the provider *plans*, per argument)
from runner.source.provider_v5 import is_marker


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Any = _Marker("UNKNOWN")
ABSENT: Any = _Marker("ABSENT")

# What an unset argument *means* where the provider table (runner/source/defaults.py, what the provider
# plans) has no literal: it plans null (NULL), or decides at apply (COMPUTED), or it is a block (BLOCK).
_AMI_DECIDES = {"metadata_options": UNKNOWN}  # http_tokens etc. come from the AMI when the block is unset
MEANS: dict[str, dict[str, Any]] = {
    # Aurora provisioned clusters are unencrypted unless asked (Serverless v1, engine_mode "serverless",
    # is always encrypted: such a cluster must say storage_encrypted = true to pass RDS-001)
    "aws_rds_cluster": {"storage_encrypted": False, "deletion_protection": False},
    "aws_docdb_cluster": {"storage_encrypted": False, "deletion_protection": False},
    "aws_neptune_cluster": {"deletion_protection": False},
    # RDS chooses the retention when it is unset; an instance (or read replica) is single-AZ unless asked
    "aws_db_instance": {"backup_retention_period": UNKNOWN, "multi_az": False},
    "aws_rds_cluster_instance": {"publicly_accessible": UNKNOWN},  # depends on the subnet group
    # ebs_optimized unset: the instance type's default, EBS-optimised for current generations (EC2-009)
    # network_interface unset: one primary interface in subnet_id (EC2-019 reads the blocks the configuration writes)
    "aws_instance": {**_AMI_DECIDES, "root_block_device": ABSENT, "ebs_block_device": ABSENT, "ebs_optimized": ABSENT,
                     "network_interface": ABSENT},
    "aws_launch_template": dict(_AMI_DECIDES),
    "aws_spot_instance_request": dict(_AMI_DECIDES),
    "aws_launch_configuration": dict(_AMI_DECIDES),
    # an Auto Scaling group without health_check_type uses EC2 status checks; target_group_arns and
    # load_balancers unset: the provider echoes attachments made by aws_autoscaling_attachment (EC2-016..018)
    "aws_autoscaling_group": {"health_check_type": "EC2", "target_group_arns": ABSENT, "load_balancers": ABSENT},
    # an origin without origin_access_control_id has none; null (not left out) tells it from an id known
    # only after apply (an aws_cloudfront_origin_access_control of the same plan): CF-012
    "aws_cloudfront_distribution": {"origin.origin_access_control_id": None},
    # a tunnel without tunnelN_log_options (or without log_enabled in it) sends no logs (NET-022)
    "aws_vpn_connection": {
        "tunnel1_log_options": [{"cloudwatch_log_options": [{"log_enabled": False}]}],
        "tunnel2_log_options": [{"cloudwatch_log_options": [{"log_enabled": False}]}],
        "tunnel1_log_options.cloudwatch_log_options.log_enabled": False,
        "tunnel2_log_options.cloudwatch_log_options.log_enabled": False,
    },
    "aws_ebs_volume": {"encrypted": UNKNOWN},  # the account's "EBS encryption by default" setting decides
    # unset policy: the default key policy, which names the account (KMS-003 judges written policies)
    "aws_kms_key": {"deletion_window_in_days": 30, "policy": ABSENT},  # 30: what AWS applies
    "aws_sqs_queue": {"sqs_managed_sse_enabled": True},  # SSE-SQS is on for new queues unless turned off
    "aws_api_gateway_stage": {"xray_tracing_enabled": False},
    "aws_dynamodb_table": {"point_in_time_recovery": ABSENT},
    "aws_lambda_function": {"tracing_config": ABSENT},
    # the provider echoes the rules of aws_security_group_rule resources here, which the engine reads itself
    "aws_security_group": {"ingress": ABSENT, "egress": ABSENT},
    # unset: private ACL, no object lock (legacy inline blocks and the v4+ resources carry the settings)
    "aws_s3_bucket": {"acl": ABSENT, "object_lock_enabled": ABSENT},
    "aws_s3_access_point": {"public_access_block_configuration": ABSENT},  # unset: all four blocks on
    # snapshot_retention_limit unset: ElastiCache keeps no automatic backups (the API's default is 0); without
    # subnet_group_name the cache goes into the "default" subnet group
    # engine_version unset: ElastiCache's current default version (Redis OSS 7, Valkey 8), which supports
    # AUTH and RBAC; only versions before 6.0 need auth_token (ECC-008)
    "aws_elasticache_replication_group": {"snapshot_retention_limit": 0, "engine_version": ABSENT,
                                          "subnet_group_name": "default"},
    # a cluster without engine is a member of a replication group (engine is ExactlyOneOf with
    # replication_group_id): its engine is the group's, and the group is what guardrails judge
    "aws_elasticache_cluster": {"snapshot_retention_limit": 0, "engine": ABSENT, "subnet_group_name": "default"},
    # cluster_config unset: AWS creates one data node and no dedicated master nodes (OS-007, OS-012)
    "aws_opensearch_domain": {"cluster_config": [{"instance_count": 1, "dedicated_master_enabled": False}]},
    "aws_elasticsearch_domain": {"cluster_config": [{"instance_count": 1, "dedicated_master_enabled": False}]},
    # what Redshift applies to a cluster that leaves these out (the first database is "dev")
    "aws_redshift_cluster": {"database_name": "dev", "cluster_parameter_group_name": "default.redshift-1.0"},
    "aws_efs_file_system": {"encrypted": False},  # CreateFileSystem: unencrypted unless asked
}


def _schema_defaults(resource_type: str) -> dict[str, Any]:
    """Literal provider defaults of the types runner/source/schema.py describes in full."""
    from runner.source import schema

    described = schema.schema_for(resource_type)
    if described is None:
        return {}
    return {k: a.default for k, a in described.block.attrs.items() if a.default is not None}


def unset_meanings(resource_type: str) -> dict[str, Any]:
    """Attribute -> what it means when unset (a value, UNKNOWN or ABSENT) for one resource type. Keys
    `block.attr` (or `block.inner.attr`) apply inside each instance of the blocks the configuration writes."""
    planned = {**_schema_defaults(resource_type), **DEFAULTS.get(resource_type, {})}
    out = {k: v for k, v in planned.items() if not is_marker(v)}
    out.update(MEANS.get(resource_type, {}))
    return out


@dataclass
class Normalised:
    """What normalisation did to one resource instance (for the unknown analysis and for tests)."""

    filled: dict[str, Any] = field(default_factory=dict)  # attribute -> the value its unset meaning gave
    unknown: set[str] = field(default_factory=set)  # marked known only after apply (UNKNOWN, unset)
    absent: set[str] = field(default_factory=set)  # ABSENT and unset: "after apply" is not unknown here


# --- configuration --------------------------------------------------------------------------------


def _strip_keys(address: str) -> str:
    out: list[str] = []
    depth, quoted = 0, False
    for ch in address:
        if quoted:
            quoted = ch != '"'
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
        elif ch == '"':
            quoted = True
    return "".join(out)


def config_resources(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Configuration address (module.a.module.b.TYPE.NAME) -> the configuration resource."""
    out: dict[str, Mapping[str, Any]] = {}

    def walk(module: Any, prefix: str) -> None:
        if not isinstance(module, Mapping):
            return
        for res in module.get("resources") or []:
            if isinstance(res, Mapping) and res.get("address"):
                out[prefix + str(res["address"])] = res
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, Mapping):
                walk(call.get("module"), f"{prefix}module.{name}.")

    walk((data.get("configuration") or {}).get("root_module"), "")
    return out


def configured(expressions: Any, attribute: str, null_vars: frozenset[str] = frozenset()) -> bool:
    """Does the configuration set the attribute (an expression that is not a constant null, nor only a
    root variable whose value is null)?"""
    if not isinstance(expressions, Mapping) or attribute not in expressions:
        return False
    expr = expressions[attribute]
    if isinstance(expr, Mapping) and set(expr) == {"constant_value"}:
        return expr["constant_value"] is not None
    if isinstance(expr, Mapping) and set(expr) == {"references"} and null_vars:
        refs = [r for r in expr["references"] if isinstance(r, str)]
        if refs and all(r.startswith("var.") and r.split(".")[1] in null_vars for r in refs):
            return False
    return expr not in (None, [], {})


def null_variables(data: Mapping[str, Any]) -> frozenset[str]:
    """Root module variables the plan gives the value null (a reference to one sets nothing)."""
    variables = data.get("variables") or {}
    return frozenset(k for k, v in variables.items() if isinstance(v, Mapping) and v.get("value") is None)


def config_for(address: str, configs: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    return configs.get(_strip_keys(address)) or {}


# --- normalisation --------------------------------------------------------------------------------


def _planned_values(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}

    def walk(module: Any) -> Iterator[Mapping[str, Any]]:
        if not isinstance(module, Mapping):
            return
        yield from (r for r in module.get("resources") or [] if isinstance(r, Mapping))
        for child in module.get("child_modules") or []:
            yield from walk(child)

    for res in walk((data.get("planned_values") or {}).get("root_module")):
        if isinstance(res.get("values"), dict) and res.get("address"):
            out[str(res["address"])] = res["values"]
    return out


def is_unset(after: Mapping[str, Any], unknown: Mapping[str, Any], expressions: Any, attribute: str,
             null_vars: frozenset[str] = frozenset()) -> bool:
    """Terraform's reading: null (or an empty block list) is unset whatever the expression; a value known
    only after apply is unset when the configuration does not set it (the provider computes it)."""
    if unknown.get(attribute) is True:
        return not configured(expressions, attribute, null_vars)
    return after.get(attribute) in (None, [])


def _fill_nested(after: dict[str, Any], unknown: Any, blocks: list[str], attribute: str, value: Any) -> bool:
    """`block.attribute` (or `block.inner.attribute`) = value inside each instance of the blocks the plan
    has (lists of objects), where the attribute is null and not marked known only after apply."""
    instances = after.get(blocks[0])
    if not isinstance(instances, list):
        return False
    marks = unknown.get(blocks[0]) if isinstance(unknown, Mapping) else None
    done = False
    for i, inst in enumerate(instances):
        mark = marks[i] if isinstance(marks, list) and i < len(marks) and isinstance(marks[i], dict) else {}
        if not isinstance(inst, dict):
            continue
        if len(blocks) > 1:
            done = _fill_nested(inst, mark, blocks[1:], attribute, value) or done
        elif inst.get(attribute) is None and mark.get(attribute) is not True:
            inst[attribute] = value
            done = True
    return done


def normalise_plan(data: dict[str, Any]) -> dict[str, Normalised]:
    """Give every unset attribute of `unset_meanings` its meaning, in place, in the resource changes and
    planned values the engine reads. Returns what was done per resource address. Idempotent."""
    configs = config_resources(data)
    planned = _planned_values(data)
    root_nulls = null_variables(data)
    done: dict[str, Normalised] = {}
    for change in data.get("resource_changes") or []:
        if not isinstance(change, dict) or change.get("mode", "managed") != "managed":
            continue
        body = change.get("change")
        if not isinstance(body, dict) or body.get("actions") == ["delete"]:
            continue
        meanings = unset_meanings(str(change.get("type", "")))
        after = body.get("after")
        if not meanings or not isinstance(after, dict):
            continue
        unknown = body.get("after_unknown")
        if not isinstance(unknown, dict):
            unknown = body["after_unknown"] = {}
        address = str(change.get("address", ""))
        expressions = config_for(address, configs).get("expressions")
        nulls = frozenset() if address.startswith("module.") else root_nulls
        record = Normalised()
        target = planned.get(address)
        for attribute, meaning in meanings.items():
            if "." in attribute:
                *blocks, inner = attribute.split(".")
                if meaning not in (UNKNOWN, ABSENT) and _fill_nested(after, unknown, blocks, inner, meaning):
                    record.filled[attribute] = meaning
                    if target is not None and isinstance(target.get(blocks[0]), list):
                        _fill_nested(target, unknown, blocks, inner, meaning)
                continue
            if not is_unset(after, unknown, expressions, attribute, nulls):
                continue
            if meaning is ABSENT:
                record.absent.add(attribute)
            elif meaning is UNKNOWN:
                after.pop(attribute, None)
                unknown[attribute] = True
                record.unknown.add(attribute)
            else:
                after[attribute] = meaning
                unknown.pop(attribute, None)
                record.filled[attribute] = meaning
        if target is not None:
            for attribute in record.unknown:
                target.pop(attribute, None)
            target.update({k: v for k, v in record.filled.items() if "." not in k})
        if record.filled or record.unknown or record.absent:
            done[address] = record
    return done
