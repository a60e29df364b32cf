Feature: Data store guardrails
  Guardrails for EFS file systems and access points, ElastiCache replication groups and clusters, Redshift
  clusters and parameter groups, OpenSearch and Elasticsearch domains, DynamoDB tables and DAX clusters.
  A companion resource (aws_efs_backup_policy, aws_redshift_logging, aws_appautoscaling_target) counts for
  the resource whose attribute it references, for example file_system_id = aws_efs_file_system.NAME.id; one
  that names its target with a literal string is not attached to it.

  @id:EFS-001 @severity:high @control:CIS-2.4.1 @control:FSBP-EFS.1 @control:FSBP-EFS.8
  Scenario: EFS file systems are encrypted at rest
    encrypted defaults to false. CIS control 2.4.1 is from the CIS AWS Foundations Benchmark v3.0.0.

    Remediation: Set encrypted = true on the reported aws_efs_file_system (with kms_key_id =
      aws_kms_key.<name>.arn for a customer managed key). Encryption can only be chosen at creation:
      copy the data to a new encrypted file system with AWS DataSync or AWS Backup.
    Given I have aws_efs_file_system defined
    Then encrypted must be enabled

  @id:EFS-002 @severity:medium @control:FSBP-EFS.2 @control:FSBP-EFS.7
  Scenario: EFS file systems have automatic backups
    A file system passes when an aws_efs_backup_policy that references it says status = "ENABLED": EFS
    then backs it up daily with AWS Backup. File systems created through the API (as Terraform does)
    have automatic backups off. A file system that is backed up by an AWS Backup plan selection instead
    needs an exclusion. A file system without a backup policy and one whose policy says DISABLED are
    reported together (tfguard runs the steps after a failing one on the resources it did not fail).

    Remediation: Add an aws_efs_backup_policy with file_system_id = aws_efs_file_system.<name>.id and
      backup_policy { status = "ENABLED" }.
    Given I have aws_efs_file_system defined
    Then it must contain status
    And its value must match the "^ENABLED$" regex

  @id:EFS-003 @severity:medium @control:FSBP-EFS.3
  Scenario: EFS access points enforce a root directory
    Without a root_directory block, or with path = "/", a client of the access point sees the whole file
    system.

    Remediation: Add root_directory { path = "/<application>" creation_info { owner_uid = 1000 owner_gid
      = 1000 permissions = "0750" } } to the reported aws_efs_access_point.
    Given I have aws_efs_access_point defined
    Then it must contain path
    And its value must not match the "^/$" regex

  @id:EFS-004 @severity:medium @control:FSBP-EFS.4
  Scenario: EFS access points enforce a user identity
    Without a posix_user block every NFS client acts with the uid and gid it claims.

    Remediation: Add posix_user { uid = 1000 gid = 1000 } to the reported aws_efs_access_point (the ids
      the application runs as).
    Given I have aws_efs_access_point defined
    Then it must contain posix_user

  @id:ECC-001 @severity:medium @control:FSBP-ElastiCache.4
  Scenario: ElastiCache replication groups are encrypted at rest
    at_rest_encryption_enabled defaults to false for Redis OSS and true for Valkey, chosen by AWS: AWS
    provider v5 plans it known only after apply, so a replication group that does not set it is reported
    unknown.

    Remediation: Set at_rest_encryption_enabled = true on the reported aws_elasticache_replication_group
      (with kms_key_id for a customer managed key). It can only be chosen at creation: restore a backup
      into a new, encrypted replication group.
    Given I have aws_elasticache_replication_group defined
    Then at_rest_encryption_enabled must be enabled

  @id:ECC-002 @severity:medium @control:FSBP-ElastiCache.5
  Scenario: ElastiCache replication groups are encrypted in transit
    AWS provider v5 plans an unset transit_encryption_enabled known only after apply (AWS chooses it), so a
    replication group that does not set it is reported unknown.

    Remediation: Set transit_encryption_enabled = true on the reported aws_elasticache_replication_group
      (transit_encryption_mode = "preferred" first to migrate clients without downtime, then "required")
      and connect with TLS.
    Given I have aws_elasticache_replication_group defined
    Then transit_encryption_enabled must be enabled

  @id:ECC-003 @severity:high @control:FSBP-ElastiCache.1
  Scenario: ElastiCache Redis OSS and Valkey caches keep automatic backups
    Checks aws_elasticache_replication_group and aws_elasticache_cluster whose engine is not memcached
    (Memcached has no backups); a cluster that is a member of a replication group has no engine of its
    own in the plan and is judged through its group. An unset snapshot_retention_limit (null in the plan)
    means 0, no backups.

    Remediation: Set snapshot_retention_limit to 1 or more (for example 7) on the reported
      aws_elasticache_replication_group or aws_elasticache_cluster, and snapshot_window to a quiet hour.
    Given I have resource that supports snapshot_retention_limit defined
    When its type metadata is "^aws_elasticache_(cluster|replication_group)$" regex
    When its engine is not memcached
    Then it must contain snapshot_retention_limit
    And its value must be greater and equal than 1

  @id:ECC-004 @severity:high @control:FSBP-ElastiCache.2
  Scenario: ElastiCache caches apply minor version upgrades automatically
    auto_minor_version_upgrade defaults to true on a cache cluster; only an explicit false is reported. A
    replication group that does not set it is reported unknown: AWS provider v5 leaves the value to AWS
    and plans it known only after apply.

    Remediation: Set auto_minor_version_upgrade = true on the reported aws_elasticache_replication_group
      or aws_elasticache_cluster (on a cluster, removing auto_minor_version_upgrade = false is enough) and
      set maintenance_window to a quiet hour.
    Given I have resource that supports auto_minor_version_upgrade defined
    When its type metadata is "^aws_elasticache_(cluster|replication_group)$" regex
    When its auto_minor_version_upgrade is false
    Then it must fail

  @id:ECC-005 @severity:medium @control:FSBP-ElastiCache.3
  Scenario: ElastiCache replication groups fail over automatically
    automatic_failover_enabled defaults to false; it needs at least two cache clusters
    (num_cache_clusters = 2, or replicas_per_node_group = 1 in cluster mode).

    Remediation: Set automatic_failover_enabled = true on the reported aws_elasticache_replication_group
      and give it at least one replica (num_cache_clusters = 2 or more).
    Given I have aws_elasticache_replication_group defined
    Then automatic_failover_enabled must be enabled

  @id:ECC-006 @severity:medium
  Scenario: ElastiCache replication groups are Multi-AZ
    multi_az_enabled defaults to false: primary and replicas may then sit in one Availability Zone.

    Remediation: Set multi_az_enabled = true (with automatic_failover_enabled = true and at least one
      replica) on the reported aws_elasticache_replication_group, and give its subnet group subnets in
      two or more Availability Zones.
    Given I have aws_elasticache_replication_group defined
    Then multi_az_enabled must be enabled

  @id:ECC-007 @severity:high @control:FSBP-ElastiCache.7
  Scenario: ElastiCache caches do not use the default subnet group
    Checks aws_elasticache_replication_group and aws_elasticache_cluster resources that have an engine
    (a cluster that is a member of a replication group is judged through its group). Without
    subnet_group_name the cache goes into the "default" subnet group, which spans the default VPC's
    public subnets.

    Remediation: Create an aws_elasticache_subnet_group with private subnets and set subnet_group_name =
      aws_elasticache_subnet_group.<name>.name on the reported resource.
    Given I have resource that supports subnet_group_name defined
    When its type metadata is "^aws_elasticache_(cluster|replication_group)$" regex
    When its engine is "^(?!None$).+" regex
    Then it must contain subnet_group_name
    And its value must not match the "^default$" regex

  @id:ECC-008 @severity:medium @control:FSBP-ElastiCache.6
  Scenario: ElastiCache Redis OSS replication groups before version 6.0 use AUTH
    Applies to an aws_elasticache_replication_group whose engine_version is before 6.0 (2.x to 5.x):
    those versions have no role-based access control, so without auth_token any client that reaches the
    port may run every command. An unset engine_version is ElastiCache's current default (7 or later).
    A token known only after apply (random_password, a secret) counts as set. Valkey has no version
    before 7.2. The type step has no regex so that the next step reads auth_token alone, not also
    auth_token_update_strategy (after a regex step the engine matches attribute names as prefixes).

    Remediation: Set auth_token (from a random_password or a Secrets Manager secret, never a literal)
      with transit_encryption_enabled = true on the reported aws_elasticache_replication_group, or better
      upgrade engine_version to "7.1" and use user_group_ids with an aws_elasticache_user_group.
    Given I have aws_elasticache_replication_group defined
    When its engine_version is "^[2-5]\." regex
    When its type metadata is aws_elasticache_replication_group
    Then it must contain auth_token
    And its value must not be null

  @id:RSH-001 @severity:critical @control:FSBP-Redshift.1
  Scenario: Redshift clusters are not publicly accessible
    publicly_accessible defaults to true in AWS provider v5, so a cluster that does not set it is
    reported.

    Remediation: Set publicly_accessible = false on the reported aws_redshift_cluster, put it in private
      subnets (cluster_subnet_group_name) and reach it through a VPN, a bastion or a Redshift-managed
      VPC endpoint.
    Given I have aws_redshift_cluster defined
    Then it must contain publicly_accessible
    And its value must be false

  @id:RSH-002 @severity:high @control:FSBP-Redshift.10
  Scenario: Redshift clusters are encrypted at rest
    encrypted defaults to false in AWS provider v5.

    Remediation: Set encrypted = true (and kms_key_id = aws_kms_key.<name>.arn for a customer managed
      key) on the reported aws_redshift_cluster.
    Given I have aws_redshift_cluster defined
    Then encrypted must be enabled

  @id:RSH-003 @severity:medium @control:FSBP-Redshift.4
  Scenario: Redshift clusters have audit logging
    A cluster passes with an aws_redshift_logging resource that references it (cluster_identifier =
    aws_redshift_cluster.NAME.id), or, in the legacy inline style of AWS provider v4, a logging block
    with enable = true.

    Remediation: Add an aws_redshift_logging with cluster_identifier = aws_redshift_cluster.<name>.id
      and log_destination_type = "cloudwatch" with log_exports = ["connectionlog", "useractivitylog",
      "userlog"] (or "s3" with bucket_name and s3_key_prefix), and set enable_user_activity_logging =
      "true" in the cluster's parameter group.
    Given I have aws_redshift_cluster defined
    When it does not have aws_redshift_logging
    Then enable must be enabled

  @id:RSH-004 @severity:high @control:FSBP-Redshift.7
  Scenario: Redshift clusters use enhanced VPC routing
    Without enhanced VPC routing, COPY and UNLOAD traffic bypasses the VPC's security groups, endpoint
    policies and flow logs. AWS provider v5 plans an unset enhanced_vpc_routing known only after apply (AWS
    turns it off), so a cluster that does not set it is reported unknown.

    Remediation: Set enhanced_vpc_routing = true on the reported aws_redshift_cluster and give the VPC
      an S3 gateway endpoint (or a NAT gateway) so that COPY and UNLOAD still reach S3.
    Given I have aws_redshift_cluster defined
    Then enhanced_vpc_routing must be enabled

  @id:RSH-005 @severity:medium @control:FSBP-Redshift.3
  Scenario: Redshift clusters keep automated snapshots for at least 7 days
    automated_snapshot_retention_period defaults to 1 day; 0 turns automated snapshots off.

    Remediation: Set automated_snapshot_retention_period = 7 (or more, up to 35) on the reported
      aws_redshift_cluster.
    Given I have aws_redshift_cluster defined
    Then it must contain automated_snapshot_retention_period
    And its value must be greater and equal than 7

  @id:RSH-006 @severity:medium @control:FSBP-Redshift.6
  Scenario: Redshift clusters allow version upgrades
    allow_version_upgrade defaults to true; only an explicit false is reported.

    Remediation: Remove allow_version_upgrade = false from the reported aws_redshift_cluster (or set it
      to true) and choose the maintenance window with preferred_maintenance_window.
    Given I have aws_redshift_cluster defined
    When its allow_version_upgrade is false
    Then it must fail

  @id:RSH-007 @severity:high @control:FSBP-Redshift.8
  Scenario: Redshift clusters do not use the default admin user name
    Remediation: Set master_username on the reported aws_redshift_cluster to a name other than
      "awsuser". Changing it replaces the cluster: restore a snapshot into a new cluster with the new
      name.
    Given I have aws_redshift_cluster defined
    When its master_username is awsuser
    Then it must fail

  @id:RSH-008 @severity:medium @control:FSBP-Redshift.9
  Scenario: Redshift clusters do not use the default database name
    Without database_name AWS names the first database "dev", so a cluster that does not set it is
    reported.

    Remediation: Set database_name on the reported aws_redshift_cluster to a name other than "dev" (it
      can only be chosen at creation).
    Given I have aws_redshift_cluster defined
    Then it must contain database_name
    And its value must not match the "^dev$" regex

  @id:RSH-009 @severity:medium @control:FSBP-Redshift.2
  Scenario: Redshift clusters use a custom parameter group
    The default parameter group (default.redshift-1.0) has require_ssl = false and cannot be changed, so
    connections in clear text are accepted. Whether the custom group requires SSL is checked by RSH-010.
    A cluster that does not set cluster_parameter_group_name gets the default group and is reported.

    Remediation: Create an aws_redshift_parameter_group with parameter { name = "require_ssl" value =
      "true" } and set cluster_parameter_group_name = aws_redshift_parameter_group.<name>.name on the
      reported aws_redshift_cluster.
    Given I have aws_redshift_cluster defined
    Then it must contain cluster_parameter_group_name
    And its value must not match the "^default\." regex

  @id:RSH-010 @severity:medium @control:FSBP-Redshift.2
  Scenario: Redshift parameter groups that set require_ssl set it to true
    Reports a parameter group with a require_ssl parameter whose value is not true. A custom group
    without a require_ssl parameter keeps the default false; the engine cannot report the absence of one
    parameter among several, so review new parameter groups for it.

    Remediation: Set parameter { name = "require_ssl" value = "true" } in the reported
      aws_redshift_parameter_group and make clients connect with sslmode=require.
    Given I have aws_redshift_parameter_group defined
    When its parameter has "(?=.*'name': 'require_ssl')(?!.*'value': (?:True|'true'|1)\W)" regex
    Then it must fail

  @id:OS-001 @severity:medium @control:FSBP-OpenSearch.1 @control:FSBP-ES.1
  Scenario: OpenSearch and Elasticsearch domains are encrypted at rest
    Checks aws_opensearch_domain and aws_elasticsearch_domain, the only resource types of AWS provider v5
    with an encrypt_at_rest block. A domain without the block is reported: the plan then does not say
    whether it is encrypted.

    Remediation: Add encrypt_at_rest { enabled = true } (with kms_key_id for a customer managed key) to
      the reported domain.
    Given I have resource that supports encrypt_at_rest defined
    Then it must contain encrypt_at_rest
    And it must contain enabled
    And its value must be true

  @id:OS-002 @severity:medium @control:FSBP-OpenSearch.3 @control:FSBP-ES.3
  Scenario: OpenSearch and Elasticsearch domains encrypt traffic between nodes
    Checks aws_opensearch_domain and aws_elasticsearch_domain, the only resource types of AWS provider v5
    with a node_to_node_encryption block.

    Remediation: Add node_to_node_encryption { enabled = true } to the reported domain (it also needs
      encrypt_at_rest and domain_endpoint_options { enforce_https = true }).
    Given I have resource that supports node_to_node_encryption defined
    Then it must contain node_to_node_encryption
    And it must contain enabled
    And its value must be true

  @id:OS-003 @severity:medium @control:FSBP-OpenSearch.8 @control:FSBP-ES.8
  Scenario: OpenSearch and Elasticsearch domains require HTTPS
    Checks aws_opensearch_domain and aws_elasticsearch_domain, the only resource types of AWS provider v5
    with a domain_endpoint_options block. A domain without the block is reported: the plan then does not
    say whether plain HTTP is refused.

    Remediation: Add domain_endpoint_options { enforce_https = true tls_security_policy =
      "Policy-Min-TLS-1-2-PFS-2023-10" } to the reported domain.
    Given I have resource that supports domain_endpoint_options defined
    Then it must contain domain_endpoint_options
    And it must contain enforce_https
    And its value must be true

  @id:OS-004 @severity:medium @control:FSBP-OpenSearch.8 @control:FSBP-ES.8
  Scenario: OpenSearch and Elasticsearch domains require TLS 1.2 or later
    tls_security_policy must be one of the Policy-Min-TLS-1-2-* policies (for example
    Policy-Min-TLS-1-2-PFS-2023-10). Policy-Min-TLS-1-0-2019-07 allows TLS 1.0 and 1.1. A domain without
    a domain_endpoint_options block (or one that leaves the policy out) gets the policy AWS picks and is
    reported. Checks aws_opensearch_domain and aws_elasticsearch_domain, the only resource types of AWS
    provider v5 with a domain_endpoint_options block.

    Remediation: Set tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10" in the
      domain_endpoint_options block of the reported domain.
    Given I have resource that supports domain_endpoint_options defined
    Then it must contain tls_security_policy
    And its value must match the "^Policy-Min-TLS-1-2-" regex

  @id:OS-005 @severity:critical @control:FSBP-OpenSearch.2 @control:FSBP-ES.2
  Scenario: OpenSearch and Elasticsearch domains are in a VPC
    A domain without a vpc_options block has a public endpoint, protected only by its access policy. A
    domain cannot be moved into a VPC after creation.

    Remediation: Add vpc_options { subnet_ids = [<private subnets>] security_group_ids =
      [aws_security_group.<name>.id] } to the reported domain (this replaces the domain: snapshot and
      restore the data).
    Given I have resource that supports vpc_options defined
    When its type metadata is "^aws_(opensearch|elasticsearch)_domain$" regex
    Then it must contain vpc_options

  @id:OS-006 @severity:high @control:FSBP-OpenSearch.7
  Scenario: OpenSearch and Elasticsearch domains have fine-grained access control
    Checks aws_opensearch_domain and aws_elasticsearch_domain, the only resource types of AWS provider v5
    with an advanced_security_options block. A domain without the block is reported.

    Remediation: Add advanced_security_options { enabled = true anonymous_auth_enabled = false
      master_user_options { master_user_arn = aws_iam_role.<admin>.arn } } to the reported domain (it
      needs encrypt_at_rest, node_to_node_encryption and enforce_https).
    Given I have resource that supports advanced_security_options defined
    Then it must contain advanced_security_options
    And it must contain enabled
    And its value must be true

  @id:OS-007 @severity:medium @control:FSBP-OpenSearch.6 @control:FSBP-ES.6
  Scenario: OpenSearch and Elasticsearch domains have at least three data nodes
    instance_count in cluster_config defaults to 1. Zone awareness is checked by OS-008.

    Remediation: Set cluster_config { instance_count = 3 zone_awareness_enabled = true
      zone_awareness_config { availability_zone_count = 3 } } on the reported domain (a multiple of the
      zone count).
    Given I have resource that supports cluster_config defined
    When its type metadata is "^aws_(opensearch|elasticsearch)_domain$" regex
    Then it must contain instance_count
    And its value must be greater and equal than 3

  @id:OS-008 @severity:medium @control:FSBP-OpenSearch.6 @control:FSBP-ES.6
  Scenario: OpenSearch and Elasticsearch domains spread data nodes over Availability Zones
    zone_awareness_enabled in cluster_config defaults to false.

    Remediation: Set zone_awareness_enabled = true and zone_awareness_config { availability_zone_count =
      3 } (or 2) in the cluster_config block of the reported domain, with subnets in as many zones in
      vpc_options.
    Given I have resource that supports cluster_config defined
    When its type metadata is "^aws_(opensearch|elasticsearch)_domain$" regex
    Then zone_awareness_enabled must be enabled

  @id:OS-009 @severity:medium @control:FSBP-OpenSearch.4 @control:FSBP-ES.4
  Scenario: OpenSearch and Elasticsearch domains send error logs to CloudWatch Logs
    Checks aws_opensearch_domain and aws_elasticsearch_domain, the only resource types of AWS provider v5
    with a log_publishing_options block. A domain passes when one of its log_publishing_options blocks
    has log_type = "ES_APPLICATION_LOGS"; OS-011 reports a block that says enabled = false (enabled
    defaults to true). A domain without the block publishes no logs at all.

    Remediation: Add log_publishing_options { log_type = "ES_APPLICATION_LOGS" cloudwatch_log_group_arn =
      aws_cloudwatch_log_group.<name>.arn } to the reported domain, with an
      aws_cloudwatch_log_resource_policy that lets es.amazonaws.com call logs:CreateLogStream and
      logs:PutLogEvents on the log group.
    Given I have resource that supports log_publishing_options defined
    Then it must contain log_publishing_options
    And its value must contain ES_APPLICATION_LOGS

  @id:OS-010 @severity:medium @control:FSBP-OpenSearch.5 @control:FSBP-ES.5
  Scenario: OpenSearch and Elasticsearch domains have audit logging
    Checks aws_opensearch_domain and aws_elasticsearch_domain. A domain passes when one of its
    log_publishing_options blocks has log_type = "AUDIT_LOGS"; OS-011 reports a block that says enabled =
    false. Audit logs need fine-grained access control (OS-006).

    Remediation: Add log_publishing_options { log_type = "AUDIT_LOGS" cloudwatch_log_group_arn =
      aws_cloudwatch_log_group.<name>.arn } to the reported domain (with advanced_security_options {
      enabled = true }), and an aws_cloudwatch_log_resource_policy that lets es.amazonaws.com write to the
      log group.
    Given I have resource that supports log_publishing_options defined
    Then it must contain log_publishing_options
    And its value must contain AUDIT_LOGS

  @id:OS-011 @severity:medium @control:FSBP-OpenSearch.4 @control:FSBP-OpenSearch.5 @control:FSBP-ES.4 @control:FSBP-ES.5
  Scenario: OpenSearch and Elasticsearch log publishing is not turned off
    Reports a domain with a log_publishing_options block that says enabled = false: the log type is
    configured but nothing is published. enabled defaults to true.

    Remediation: Remove enabled = false from the log_publishing_options blocks of the reported domain (or
      set enabled = true).
    Given I have resource that supports log_publishing_options defined
    # each block as the engine renders it: {'cloudwatch_log_group_arn': '...', 'enabled': False, 'log_type': 'AUDIT_LOGS'}
    When its log_publishing_options has ".*'enabled': False" regex
    Then it must fail

  @id:OS-012 @severity:medium @control:FSBP-OpenSearch.11 @control:FSBP-ES.7
  Scenario: OpenSearch and Elasticsearch domains have at least three dedicated master nodes
    The cluster_config block must say dedicated_master_enabled = true (it defaults to false) and
    dedicated_master_count = 3 or more. A domain without cluster_config has no dedicated master nodes.
    aws_opensearch_domain and aws_elasticsearch_domain are the types of AWS provider v5 with a top-level
    cluster_config block (the SageMaker job definitions have one inside job_resources, which the step
    does not read).

    Remediation: Set dedicated_master_enabled = true, dedicated_master_count = 3 and dedicated_master_type
      (for example "m6g.large.search") in the cluster_config block of the reported domain.
    Given I have resource that supports cluster_config defined
    # the block as the engine renders it: {'dedicated_master_count': 3, 'dedicated_master_enabled': True, ...}
    When its cluster_config has "^(?!(?=.*'dedicated_master_enabled': True)(?=.*'dedicated_master_count': (?:[3-9]|[1-9][0-9]+)\W))" regex
    Then it must fail

  @id:DDB-003 @severity:low
  Scenario: DynamoDB tables are encrypted with a KMS key
    Without a server_side_encryption block (or with enabled = false) a table is encrypted with a key
    owned by DynamoDB, outside the account's key policies and CloudTrail. enabled = true without
    kms_key_arn uses the AWS managed key aws/dynamodb.

    Remediation: Add server_side_encryption { enabled = true kms_key_arn = aws_kms_key.<name>.arn } to
      the reported aws_dynamodb_table.
    Given I have aws_dynamodb_table defined
    Then it must contain server_side_encryption
    And it must contain enabled
    And its value must be true

  @id:DDB-004 @severity:medium @control:FSBP-DynamoDB.6
  Scenario: DynamoDB tables have deletion protection
    deletion_protection_enabled defaults to false.

    Remediation: Set deletion_protection_enabled = true on the reported aws_dynamodb_table. To delete
      the table later, first apply a change that sets it to false.
    Given I have aws_dynamodb_table defined
    Then deletion_protection_enabled must be enabled

  @id:DDB-005 @severity:medium @control:FSBP-DynamoDB.1
  Scenario: DynamoDB tables with provisioned capacity scale automatically
    Applies to tables with billing_mode = "PROVISIONED" (the provider default). Such a table passes when
    an aws_appautoscaling_target references it (resource_id = "table/${aws_dynamodb_table.NAME.name}");
    whether both read and write capacity, and the global secondary indexes, are covered is not checked.
    On-demand tables (PAY_PER_REQUEST) pass.

    Remediation: Use billing_mode = "PAY_PER_REQUEST" on the reported aws_dynamodb_table, or add
      aws_appautoscaling_target resources (service_namespace = "dynamodb", resource_id =
      "table/${aws_dynamodb_table.<name>.name}", scalable_dimension "dynamodb:table:ReadCapacityUnits"
      and "dynamodb:table:WriteCapacityUnits") with target-tracking aws_appautoscaling_policy resources.
    Given I have aws_dynamodb_table defined
    When its billing_mode is PROVISIONED
    Then it must contain aws_appautoscaling_target

  @id:DDB-006 @severity:medium @control:FSBP-DynamoDB.3
  Scenario: DAX clusters are encrypted at rest
    Without a server_side_encryption block a DAX cluster is not encrypted at rest.

    Remediation: Add server_side_encryption { enabled = true } to the reported aws_dax_cluster (this
      replaces the cluster).
    Given I have aws_dax_cluster defined
    Then it must contain server_side_encryption
    And it must contain enabled
    And its value must be true

  @id:DDB-007 @severity:medium @control:FSBP-DynamoDB.7
  Scenario: DAX clusters encrypt connections with TLS
    cluster_endpoint_encryption_type defaults to NONE.

    Remediation: Set cluster_endpoint_encryption_type = "TLS" on the reported aws_dax_cluster (this
      replaces the cluster) and connect to its daxs:// endpoint.
    Given I have aws_dax_cluster defined
    Then it must contain cluster_endpoint_encryption_type
    And its value must be TLS
