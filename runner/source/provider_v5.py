"""What the AWS provider (hashicorp/aws v5, as its v5.100 schemas declare them) plans for an argument the
configuration leaves out, for the resource types the guardrail library covers and runner/source/schema.py
does not describe in full.

    a literal   the schema's Default: the plan knows it (absent storage_encrypted on aws_db_instance: false)
    COMPUTED    Optional+Computed: the provider decides at apply, the plan marks it unknown (after_unknown)
    NULL        Optional without a default: the plan says null
    BLOCK       a nested block that is not Computed: absent means an empty list in the plan

`block.attr` keys apply inside each instance of a nested block the configuration writes.

This is the source the generated table runner/source/defaults.py is made from
(`python tests/source_corpus/gen_defaults.py`): only the entries that some guardrail reads go there.
"""

from __future__ import annotations

from typing import Any

PROVIDER = "hashicorp/aws v5 (v5.100 schemas)"


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


COMPUTED: Any = _Marker("COMPUTED")
NULL: Any = _Marker("NULL")
BLOCK: Any = _Marker("BLOCK")

# internal/service/elbv2/load_balancer.go (docs: website/docs/r/lb.html.markdown), for aws_lb and its alias
# aws_alb. The ALB-only attributes default there for every type (the provider suppresses their diff on the
# others); inside an access_logs block enabled defaults to false.
_LOAD_BALANCER: dict[str, Any] = {
    "load_balancer_type": "application",
    "drop_invalid_header_fields": False,
    "enable_deletion_protection": False,
    "desync_mitigation_mode": "defensive",
    "access_logs": BLOCK,
    "access_logs.enabled": False,
}

FACTS: dict[str, dict[str, Any]] = {
    # internal/service/rds/instance.go
    "aws_db_instance": {
        "storage_encrypted": False,
        "publicly_accessible": False,
        "deletion_protection": False,
        "skip_final_snapshot": False,
        "backup_retention_period": COMPUTED,
        "multi_az": COMPUTED,
        "kms_key_id": COMPUTED,
        "iam_database_authentication_enabled": False,
        "auto_minor_version_upgrade": True,
        "copy_tags_to_snapshot": False,
        "performance_insights_enabled": False,
        "monitoring_interval": 0,
    },
    # internal/service/rds/cluster.go
    "aws_rds_cluster": {
        "storage_encrypted": COMPUTED,
        "deletion_protection": NULL,
        "backup_retention_period": 1,
        "skip_final_snapshot": False,
        "kms_key_id": COMPUTED,
        "iam_database_authentication_enabled": NULL,
        "copy_tags_to_snapshot": False,
    },
    # internal/service/rds/cluster_instance.go
    "aws_rds_cluster_instance": {"publicly_accessible": COMPUTED, "auto_minor_version_upgrade": True},
    # internal/service/neptune/cluster.go
    "aws_neptune_cluster": {
        "storage_encrypted": False,
        "deletion_protection": NULL,
        "backup_retention_period": 1,
        "skip_final_snapshot": False,
        "iam_database_authentication_enabled": NULL,
    },
    # internal/service/docdb/cluster.go
    "aws_docdb_cluster": {
        "storage_encrypted": NULL,
        "deletion_protection": NULL,
        "backup_retention_period": 1,
        "skip_final_snapshot": False,
    },
    # internal/service/ec2/ec2_instance.go
    "aws_instance": {
        "metadata_options": COMPUTED,
        "root_block_device": COMPUTED,
        "ebs_block_device": COMPUTED,
        "associate_public_ip_address": COMPUTED,
        "monitoring": COMPUTED,
        "ebs_optimized": COMPUTED,
        "metadata_options.http_tokens": COMPUTED,
        "metadata_options.http_endpoint": COMPUTED,
        "root_block_device.encrypted": COMPUTED,
        "ebs_block_device.encrypted": COMPUTED,
    },
    # internal/service/ec2/ec2_launch_template.go
    "aws_launch_template": {
        "metadata_options": BLOCK,
        "block_device_mappings": BLOCK,
        "metadata_options.http_tokens": COMPUTED,
    },
    # internal/service/ecr/repository.go
    "aws_ecr_repository": {"image_tag_mutability": "MUTABLE", "image_scanning_configuration": BLOCK,
                           "force_delete": NULL},
    # internal/service/eks/cluster.go (vpc_config is required; its endpoint_public_access defaults to true)
    "aws_eks_cluster": {
        "encryption_config": BLOCK,
        "enabled_cluster_log_types": NULL,
        "vpc_config.endpoint_public_access": True,
        "vpc_config.endpoint_private_access": False,
    },
    # internal/service/dynamodb/table.go
    "aws_dynamodb_table": {"point_in_time_recovery": COMPUTED, "server_side_encryption": COMPUTED,
                           "billing_mode": "PROVISIONED", "deletion_protection_enabled": NULL},
    # internal/service/cloudtrail/cloudtrail.go
    "aws_cloudtrail": {
        "is_multi_region_trail": False,
        "enable_log_file_validation": False,
        "include_global_service_events": True,
        "enable_logging": True,
        "kms_key_id": NULL,
        "is_organization_trail": False,
    },
    # internal/service/sns/topic.go
    "aws_sns_topic": {"kms_master_key_id": NULL, "fifo_topic": False, "lambda_failure_feedback_role_arn": NULL,
                      "sqs_failure_feedback_role_arn": NULL, "http_failure_feedback_role_arn": NULL},
    # internal/service/elbv2/listener.go (docs: website/docs/r/lb_listener.html.markdown). A redirect action's
    # protocol defaults to "#{protocol}": the protocol of the request, plain HTTP on an HTTP listener.
    "aws_lb_listener": {"protocol": COMPUTED, "ssl_policy": COMPUTED,
                        "default_action.redirect.protocol": "#{protocol}"},
    "aws_alb_listener": {"protocol": COMPUTED, "ssl_policy": COMPUTED,
                         "default_action.redirect.protocol": "#{protocol}"},
    "aws_lb": dict(_LOAD_BALANCER),
    "aws_alb": dict(_LOAD_BALANCER),
    # internal/service/elb/load_balancer.go (docs: website/docs/r/elb.html.markdown): a Classic Load Balancer;
    # inside an access_logs block enabled defaults to true.
    "aws_elb": {
        "access_logs": BLOCK,
        "access_logs.enabled": True,
        "connection_draining": False,
        "cross_zone_load_balancing": True,
        "desync_mitigation_mode": "defensive",
    },
    # internal/service/elasticache/replication_group.go (docs: website/docs/r/elasticache_replication_group.
    # html.markdown). at_rest_encryption_enabled and auto_minor_version_upgrade are nullable booleans the
    # provider leaves to AWS (at rest: false for Redis OSS, true for Valkey); snapshot_retention_limit has no
    # provider default (null; AWS takes 0, no backups: runner/engine/defaults.py).
    "aws_elasticache_replication_group": {
        "engine": "redis",
        "at_rest_encryption_enabled": COMPUTED,
        "transit_encryption_enabled": COMPUTED,
        "auto_minor_version_upgrade": COMPUTED,
        "automatic_failover_enabled": False,
        "multi_az_enabled": False,
        "snapshot_retention_limit": NULL,
        "subnet_group_name": COMPUTED,
    },
    # internal/service/elasticache/cluster.go (docs: website/docs/r/elasticache_cluster.html.markdown). engine
    # is ExactlyOneOf with replication_group_id: a cluster that does not set it is a member of a group.
    "aws_elasticache_cluster": {
        "engine": COMPUTED,
        "auto_minor_version_upgrade": "true",
        "snapshot_retention_limit": NULL,
        "subnet_group_name": COMPUTED,
        "transit_encryption_enabled": COMPUTED,
    },
    # internal/service/redshift/cluster.go (docs: website/docs/r/redshift_cluster.html.markdown). v6.0.0 changed
    # publicly_accessible to false and encrypted to true (CHANGELOG 6.0.0); v5 plans true and false.
    "aws_redshift_cluster": {
        "publicly_accessible": True,
        "encrypted": False,
        "enhanced_vpc_routing": COMPUTED,
        "automated_snapshot_retention_period": 1,
        "allow_version_upgrade": True,
        "master_username": NULL,
        "database_name": COMPUTED,
        "cluster_parameter_group_name": COMPUTED,
    },
    # internal/service/opensearch/domain.go and internal/service/elasticsearch/domain.go (docs:
    # website/docs/r/opensearch_domain.html.markdown): inside a log_publishing_options block enabled
    # defaults to true; inside cluster_config dedicated_master_enabled defaults to false.
    # (merged into the opensearch/elasticsearch entries below)
    # internal/service/ecs/task_set.go: assign_public_ip defaults to false inside network_configuration
    "aws_ecs_task_set": {"network_configuration.assign_public_ip": False},
    # internal/service/lambda/function.go
    "aws_lambda_function": {
        "package_type": "Zip",
        "tracing_config": COMPUTED,
        "vpc_config": BLOCK,
        "memory_size": 128,
        "timeout": 3,
        "publish": False,
        "kms_key_arn": NULL,
    },
    # internal/service/apigateway/stage.go
    "aws_api_gateway_stage": {"xray_tracing_enabled": NULL, "access_log_settings": BLOCK,
                              "client_certificate_id": NULL},
    # internal/service/apigateway/domain_name.go (AWS picks the policy when it is unset)
    "aws_api_gateway_domain_name": {"security_policy": COMPUTED},
    # internal/service/opensearch/domain.go, internal/service/elasticsearch/domain.go
    "aws_opensearch_domain": {
        "log_publishing_options": BLOCK,
        "log_publishing_options.enabled": True,
        "cluster_config.dedicated_master_enabled": False,
        "encrypt_at_rest": COMPUTED,
        "node_to_node_encryption": COMPUTED,
        "domain_endpoint_options": COMPUTED,
        "advanced_security_options": COMPUTED,
        "cluster_config": COMPUTED,
        "vpc_options": BLOCK,
        "cluster_config.instance_count": 1,
        "cluster_config.zone_awareness_enabled": False,
    },
    "aws_elasticsearch_domain": {
        "log_publishing_options": BLOCK,
        "log_publishing_options.enabled": True,
        "cluster_config.dedicated_master_enabled": False,
        "encrypt_at_rest": COMPUTED,
        "node_to_node_encryption": COMPUTED,
        "domain_endpoint_options": COMPUTED,
        "advanced_security_options": COMPUTED,
        "cluster_config": COMPUTED,
        "vpc_options": BLOCK,
        "cluster_config.instance_count": 1,
        "cluster_config.zone_awareness_enabled": False,
    },
    # internal/service/efs/file_system.go
    "aws_efs_file_system": {"encrypted": COMPUTED},
    # internal/service/cloudfront/distribution.go
    "aws_cloudfront_distribution": {"web_acl_id": NULL, "default_root_object": NULL, "logging_config": BLOCK,
                                    "origin_group": BLOCK},
    # internal/service/secretsmanager/secret.go
    "aws_secretsmanager_secret": {"kms_key_id": NULL},
    # internal/service/iam/policy_attachment.go
    "aws_iam_policy_attachment": {"users": NULL, "roles": NULL, "groups": NULL},
}


def is_marker(value: Any) -> bool:
    return isinstance(value, _Marker)
