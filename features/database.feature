Feature: Database guardrails
  Guardrails for RDS instances and clusters (and other engines with the same arguments, such as DocumentDB
  and Neptune clusters) and DynamoDB tables. "resource that supports X" selects every resource type in the
  plan that has the argument X, whether it is set or only known after apply. An argument left unset reads
  as what the provider or AWS makes of it (storage_encrypted and deletion_protection: false); one AWS
  chooses at apply time (backup_retention_period left unset), or a value only known after apply, is
  reported unknown where a guardrail needs its value.

  @id:RDS-001 @severity:high @control:CIS-2.3.1 @control:FSBP-RDS.3 @control:FSBP-RDS.27
  Scenario: Database storage is encrypted at rest
    Remediation: Set `storage_encrypted = true` on the `aws_db_instance` / `aws_rds_cluster` (optionally
      `kms_key_id` with a customer managed key). Encryption can only be chosen at creation: for an
      existing database restore an encrypted copy of a snapshot.
    Given I have resource that supports storage_encrypted defined
    Then storage_encrypted must be enabled

  @id:RDS-002 @severity:critical @control:CIS-2.3.3 @control:FSBP-RDS.2
  Scenario: Database instances are not publicly accessible
    Remediation: Set `publicly_accessible = false` (the default) on the `aws_db_instance` /
      `aws_rds_cluster_instance` and reach it through private subnets, a bastion or a VPN.
    Given I have resource that supports publicly_accessible defined
    When it contains publicly_accessible
    Then its value must be false

  @id:RDS-003 @severity:medium @control:FSBP-RDS.11
  Scenario: Databases set their backup retention period
    Remediation: Set `backup_retention_period` explicitly (7 or more days) on the `aws_db_instance` /
      `aws_rds_cluster`; when it is left unset the value is chosen by AWS and cannot be checked.
    Given I have resource that supports backup_retention_period defined
    Then it must contain backup_retention_period

  @id:RDS-004 @severity:medium @control:FSBP-RDS.11
  Scenario: Databases keep automated backups for at least 7 days
    Remediation: Set `backup_retention_period = 7` (or more, up to 35) on the `aws_db_instance` /
      `aws_rds_cluster`; 0 turns automated backups off.
    Given I have resource that supports backup_retention_period defined
    When it contains backup_retention_period
    Then its value must be greater and equal than 7

  @id:RDS-005 @severity:medium @control:FSBP-RDS.7 @control:FSBP-RDS.8
  Scenario: Databases have deletion protection
    Remediation: Set `deletion_protection = true` on the `aws_db_instance` / `aws_rds_cluster`. To delete
      the database later, first apply a change that sets it to false.
    Given I have resource that supports deletion_protection defined
    Then deletion_protection must be enabled

  @id:DDB-001 @severity:medium @control:FSBP-DynamoDB.2
  Scenario: DynamoDB tables configure point-in-time recovery
    Remediation: Add `point_in_time_recovery { enabled = true }` to the `aws_dynamodb_table`.
    Given I have aws_dynamodb_table defined
    Then it must contain point_in_time_recovery

  @id:DDB-002 @severity:medium @control:FSBP-DynamoDB.2
  Scenario: DynamoDB point-in-time recovery is enabled
    Remediation: Set `enabled = true` in the table's `point_in_time_recovery` block.
    Given I have aws_dynamodb_table defined
    When it contains point_in_time_recovery
    Then enabled must be enabled

  @id:RDS-006 @severity:low @control:FSBP-RDS.6
  Scenario: RDS DB instances have enhanced monitoring
    The provider default of monitoring_interval is 0 (off), so an unset interval is reported.

    Remediation: Set `monitoring_interval` to 1, 5, 10, 15, 30 or 60 on the `aws_db_instance` and give
      it a `monitoring_role_arn` (a role trusted by monitoring.rds.amazonaws.com with the
      AmazonRDSEnhancedMonitoringRole policy). Unset or 0 turns enhanced monitoring off.
    Given I have aws_db_instance defined
    Then monitoring_interval must be enabled

  @id:RDS-007 @severity:low @control:FSBP-RDS.6
  Scenario: Aurora cluster instances have enhanced monitoring
    The provider default of monitoring_interval is 0 (off).

    Remediation: Set `monitoring_interval` (1, 5, 10, 15, 30 or 60) and `monitoring_role_arn` on every
      `aws_rds_cluster_instance`; Aurora monitors per instance, not on the `aws_rds_cluster`.
    Given I have aws_rds_cluster_instance defined
    Then monitoring_interval must be enabled

  @id:RDS-008 @severity:medium @control:FSBP-RDS.5
  Scenario: RDS DB instances are Multi-AZ
    Read replicas and Aurora cluster instances are not aws_db_instance and are not checked here.

    Remediation: Set `multi_az = true` on the `aws_db_instance` so that RDS keeps a standby in a second
      Availability Zone. Left unset the instance is single-AZ.
    Given I have aws_db_instance defined
    Then multi_az must be enabled

  @id:RDS-009 @severity:medium @control:FSBP-RDS.10
  Scenario: RDS DB instances use IAM database authentication
    Only the engines that support IAM authentication are checked: mysql, mariadb and postgres. The
    provider default is false.

    Remediation: Set `iam_database_authentication_enabled = true` on the `aws_db_instance` (MySQL,
      MariaDB and PostgreSQL support it) and let applications connect with `rds-db:connect` tokens
      instead of passwords.
    Given I have aws_db_instance defined
    When its engine is "^(mysql|mariadb|postgres)$" regex
    Then iam_database_authentication_enabled must be enabled

  @id:RDS-010 @severity:medium @control:FSBP-RDS.12
  Scenario: RDS DB clusters use IAM database authentication
    The provider default is false.

    Remediation: Set `iam_database_authentication_enabled = true` on the `aws_rds_cluster` and let
      applications connect with `rds-db:connect` tokens instead of passwords.
    Given I have aws_rds_cluster defined
    Then iam_database_authentication_enabled must be enabled

  @id:RDS-011 @severity:high @control:FSBP-RDS.13 @control:FSBP-RDS.35 @control:CIS-2.3.2
  Scenario: RDS databases keep automatic minor version upgrades on
    The provider default is true, so an unset value complies; only an explicit false is reported.
    aws_rds_cluster takes the setting for Multi-AZ DB clusters.

    Remediation: Remove `auto_minor_version_upgrade = false` from the `aws_db_instance`,
      `aws_rds_cluster_instance` or `aws_rds_cluster` (the default is true), so that RDS applies minor
      versions with security fixes in the maintenance window.
    Given I have resource that supports auto_minor_version_upgrade defined
    When its type metadata is "^aws_(db_instance|rds_cluster|rds_cluster_instance)$" regex
    When its auto_minor_version_upgrade is false
    Then it must fail

  @id:RDS-012 @severity:low @control:FSBP-RDS.17
  Scenario: RDS DB instances copy their tags to snapshots
    The provider default is false.

    Remediation: Set `copy_tags_to_snapshot = true` on the `aws_db_instance` so that snapshots carry the
      owner and data classification tags.
    Given I have aws_db_instance defined
    Then copy_tags_to_snapshot must be enabled

  @id:RDS-013 @severity:low @control:FSBP-RDS.16
  Scenario: RDS DB clusters copy their tags to snapshots
    The provider default is false.

    Remediation: Set `copy_tags_to_snapshot = true` on the `aws_rds_cluster`.
    Given I have aws_rds_cluster defined
    Then copy_tags_to_snapshot must be enabled

  @id:RDS-014 @severity:low
  Scenario: RDS DB instances have Performance Insights
    The provider default is false.

    Remediation: Set `performance_insights_enabled = true` on the `aws_db_instance` (and
      `performance_insights_kms_key_id` for a customer managed key). A few small instance classes do not
      support it: ask for an exclusion for those.
    Given I have aws_db_instance defined
    Then performance_insights_enabled must be enabled

  @id:RDS-015 @severity:medium @control:FSBP-RDS.9
  Scenario: RDS DB instances export their logs to CloudWatch Logs
    An empty or unset list exports nothing and is reported.

    Remediation: Set `enabled_cloudwatch_logs_exports` on the `aws_db_instance` to the engine's log
      types, for example ["postgresql", "upgrade"] for PostgreSQL or ["audit", "error", "general",
      "slowquery"] for MySQL.
    Given I have aws_db_instance defined
    Then enabled_cloudwatch_logs_exports must be enabled

  @id:RDS-016 @severity:medium @control:FSBP-RDS.36
  Scenario: RDS for PostgreSQL instances export the postgresql log
    Checks aws_db_instance resources with engine postgres.

    Remediation: Add "postgresql" to `enabled_cloudwatch_logs_exports` of the PostgreSQL
      `aws_db_instance`, for example `enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]`.
    Given I have aws_db_instance defined
    When its engine is "postgres"
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain postgresql

  @id:RDS-017 @severity:medium @control:FSBP-RDS.34
  Scenario: Aurora MySQL clusters export audit logs
    Checks aws_rds_cluster resources with engine aurora-mysql.

    Remediation: Add "audit" to `enabled_cloudwatch_logs_exports` of the Aurora MySQL `aws_rds_cluster`
      (for example ["audit", "error", "slowquery"]) and turn on `server_audit_logging` in its cluster
      parameter group.
    Given I have aws_rds_cluster defined
    When its engine is "aurora-mysql"
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain audit

  @id:RDS-018 @severity:medium @control:FSBP-RDS.37
  Scenario: Aurora PostgreSQL clusters export the postgresql log
    Checks aws_rds_cluster resources with engine aurora-postgresql.

    Remediation: Set `enabled_cloudwatch_logs_exports = ["postgresql"]` on the Aurora PostgreSQL
      `aws_rds_cluster`.
    Given I have aws_rds_cluster defined
    When its engine is "aurora-postgresql"
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain postgresql

  @id:RDS-019 @severity:low @control:FSBP-RDS.23
  Scenario: RDS DB instances do not listen on the engine's default port
    Left unset, RDS uses the engine's default port, which is reported. A null port is reported too.

    Remediation: Set `port` on the `aws_db_instance` to a value other than the engine default (3306
      MySQL/MariaDB, 5432 PostgreSQL, 1433 SQL Server, 1521 Oracle, 50000 Db2), for example `port =
      6432`.
    Given I have aws_db_instance defined
    Then it must contain port
    And its value must not match the "^(3306|5432|1433|1521|50000)$" regex

  @id:RDS-020 @severity:low @control:FSBP-RDS.23
  Scenario: RDS DB clusters do not listen on the engine's default port
    Left unset, the cluster uses the engine's default port, which is reported.

    Remediation: Set `port` on the `aws_rds_cluster` to a value other than the engine default (3306
      Aurora MySQL, 5432 Aurora PostgreSQL), for example `port = 6432`.
    Given I have aws_rds_cluster defined
    Then it must contain port
    And its value must not match the "^(3306|5432|1433|1521|50000)$" regex

  @id:RDS-021 @severity:medium @control:FSBP-RDS.25
  Scenario: RDS DB instances use a custom administrator user name
    Instances without a user name (read replicas, restores from a snapshot) inherit it and are not
    checked.

    Remediation: Set `username` on the `aws_db_instance` to a name of your own (for example
      "orders_owner"), not admin, postgres, root, master or sa, which attackers try first.
    Given I have aws_db_instance defined
    When it has username
    Then it must contain username
    And its value must not match the "^(admin|administrator|root|postgres|master|sa|awsuser|rdsadmin)$" regex

  @id:RDS-022 @severity:medium @control:FSBP-RDS.24
  Scenario: RDS DB clusters use a custom administrator user name
    Clusters without a master user name (secondary clusters of a global database, restores) inherit it
    and are not checked.

    Remediation: Set `master_username` on the `aws_rds_cluster` to a name of your own (for example
      "ledger_owner"), not admin, postgres, root or master.
    Given I have aws_rds_cluster defined
    When it has master_username
    Then it must contain master_username
    And its value must not match the "^(admin|administrator|root|postgres|master|sa|awsuser|rdsadmin)$" regex

  @id:RDS-023 @severity:medium @control:FSBP-RDS.14
  Scenario: Aurora MySQL clusters have backtracking
    Checks aws_rds_cluster resources with engine aurora-mysql; the default window is 0 (off).

    Remediation: Set `backtrack_window` (seconds, up to 259200 = 72 hours) on the Aurora MySQL
      `aws_rds_cluster`, for example `backtrack_window = 86400`. Backtracking can only be turned on when
      the cluster is created.
    Given I have aws_rds_cluster defined
    When its engine is "aurora-mysql"
    Then backtrack_window must be enabled

  @id:RDS-024 @severity:medium @control:FSBP-Neptune.1
  Scenario: Neptune DB clusters are encrypted at rest
    The provider default is false.

    Remediation: Set `storage_encrypted = true` (and `kms_key_arn` for a customer managed key) on the
      `aws_neptune_cluster`. Encryption is chosen at creation: restore an encrypted copy of a snapshot
      for an existing cluster.
    Given I have aws_neptune_cluster defined
    Then storage_encrypted must be enabled

  @id:RDS-025 @severity:medium @control:FSBP-Neptune.2
  Scenario: Neptune DB clusters export audit logs
    Unset or empty exports nothing.

    Remediation: Set `enable_cloudwatch_logs_exports = ["audit"]` on the `aws_neptune_cluster` and
      `neptune_enable_audit_log = 1` in its cluster parameter group.
    Given I have aws_neptune_cluster defined
    Then it must contain enable_cloudwatch_logs_exports
    And its value must contain audit

  @id:RDS-026 @severity:low @control:FSBP-Neptune.4
  Scenario: Neptune DB clusters have deletion protection
    The provider default is false.

    Remediation: Set `deletion_protection = true` on the `aws_neptune_cluster`.
    Given I have aws_neptune_cluster defined
    Then deletion_protection must be enabled

  @id:RDS-027 @severity:medium @control:FSBP-Neptune.5
  Scenario: Neptune DB clusters keep automated backups for 7 days or more
    Unset means the provider default of 1 day and is reported.

    Remediation: Set `backup_retention_period` to 7 or more (up to 35) on the `aws_neptune_cluster`; the
      default is 1 day.
    Given I have aws_neptune_cluster defined
    Then it must contain backup_retention_period
    And its value must match the "^([7-9]|[12][0-9]|3[0-5])$" regex

  @id:RDS-028 @severity:medium @control:FSBP-Neptune.7
  Scenario: Neptune DB clusters use IAM database authentication
    The provider default is false.

    Remediation: Set `iam_database_authentication_enabled = true` on the `aws_neptune_cluster` and sign
      requests with SigV4 (`neptune-db:*` permissions).
    Given I have aws_neptune_cluster defined
    Then iam_database_authentication_enabled must be enabled

  @id:RDS-029 @severity:low @control:FSBP-Neptune.8
  Scenario: Neptune DB clusters copy their tags to snapshots
    The provider default is false.

    Remediation: Set `copy_tags_to_snapshot = true` on the `aws_neptune_cluster`.
    Given I have aws_neptune_cluster defined
    Then copy_tags_to_snapshot must be enabled

  @id:RDS-030 @severity:medium @control:FSBP-DocumentDB.1
  Scenario: DocumentDB clusters are encrypted at rest
    The provider default is false.

    Remediation: Set `storage_encrypted = true` (and `kms_key_id` for a customer managed key) on the
      `aws_docdb_cluster`. Encryption is chosen at creation.
    Given I have aws_docdb_cluster defined
    Then storage_encrypted must be enabled

  @id:RDS-031 @severity:medium @control:FSBP-DocumentDB.2
  Scenario: DocumentDB clusters keep automated backups for 7 days or more
    Unset means the provider default of 1 day and is reported.

    Remediation: Set `backup_retention_period` to 7 or more (up to 35) on the `aws_docdb_cluster`; the
      default is 1 day.
    Given I have aws_docdb_cluster defined
    Then it must contain backup_retention_period
    And its value must match the "^([7-9]|[12][0-9]|3[0-5])$" regex

  @id:RDS-032 @severity:medium @control:FSBP-DocumentDB.4
  Scenario: DocumentDB clusters export audit logs
    Unset or empty exports nothing.

    Remediation: Set `enabled_cloudwatch_logs_exports = ["audit"]` (optionally with "profiler") on the
      `aws_docdb_cluster` and `audit_logs = "enabled"` in its cluster parameter group.
    Given I have aws_docdb_cluster defined
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain audit

  @id:RDS-033 @severity:medium @control:FSBP-DocumentDB.5
  Scenario: DocumentDB clusters have deletion protection
    The provider default is false.

    Remediation: Set `deletion_protection = true` on the `aws_docdb_cluster`.
    Given I have aws_docdb_cluster defined
    Then deletion_protection must be enabled

  @id:RDS-034 @severity:medium @control:FSBP-RDS.40
  Scenario: RDS for SQL Server instances export the error log
    Checks aws_db_instance resources whose engine is sqlserver-ee, -se, -ex or -web.

    Remediation: Add "error" to `enabled_cloudwatch_logs_exports` of the SQL Server `aws_db_instance`,
      for example `enabled_cloudwatch_logs_exports = ["agent", "error"]`.
    Given I have aws_db_instance defined
    When its engine is "^sqlserver-" regex
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain error

  @id:RDS-035 @severity:medium @control:FSBP-RDS.42
  Scenario: RDS for MariaDB instances export their audit, error, general and slow query logs
    Checks aws_db_instance resources with engine mariadb; the first missing log type is reported.

    Remediation: Set `enabled_cloudwatch_logs_exports = ["audit", "error", "general", "slowquery"]` on
      the MariaDB `aws_db_instance` (and turn the logs on in its parameter group).
    Given I have aws_db_instance defined
    When its engine is "mariadb"
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain audit
    And its value must contain error
    And its value must contain general
    And its value must contain slowquery

  @id:RDS-036 @severity:medium @control:FSBP-DocumentDB.6
  Scenario: DocumentDB cluster parameter groups keep TLS on
    TLS is on unless a cluster parameter group turns it off; clusters on the default group comply.

    Remediation: Remove the `parameter { name = "tls" value = "disabled" }` from the
      `aws_docdb_cluster_parameter_group` (TLS is on by default), or set its value to "enabled" (or
      "tls1.2+").
    Given I have aws_docdb_cluster_parameter_group defined
    # each parameter as the engine renders it: {'apply_method': 'pending-reboot', 'name': 'tls', 'value': 'disabled'}
    When its parameter has ".*'name': 'tls', 'value': 'disabled'" regex
    Then it must fail

  @id:RDS-037 @severity:medium @control:FSBP-RDS.38
  Scenario: RDS for PostgreSQL instances force SSL in their parameter group
    Judges the aws_db_parameter_group that a PostgreSQL aws_db_instance references (parameter_group_name
    = aws_db_parameter_group.NAME.name). The instance is reported when the group sets rds.force_ssl to
    0, or when its family is before postgres15 (where the default is 0) and it does not set rds.force_ssl
    to 1; from postgres15 on the default is 1. A group that no instance references is not judged.
    An instance on a default group is not judged here: its engine_version decides (before 15 the
    default group has rds.force_ssl = 0), and the engine reads versions such as "14" or "14.12" as
    numbers, which its regex and comparison steps do not judge reliably; review PostgreSQL 14 and
    earlier on default groups, or give them a custom group.

    Remediation: Add `parameter { name = "rds.force_ssl" value = "1" }` to the aws_db_parameter_group of
      the reported aws_db_instance (or remove a `value = "0"`), and make clients connect with
      sslmode=require or stricter.
    Given I have aws_db_instance defined
    When its engine is "postgres"
    When its aws_db_parameter_group has "^(?=.*'name': 'rds\.force_ssl', 'value': '?0\W)|^(?=.*'family': 'postgres(9|1[0-4])\W)(?!.*'name': 'rds\.force_ssl', 'value': '?1\W)" regex
    Then it must fail

  @id:RDS-038 @severity:medium @control:FSBP-RDS.39
  Scenario: RDS for MySQL instances require secure transport in their parameter group
    Judges the aws_db_parameter_group that a MySQL aws_db_instance references (parameter_group_name =
    aws_db_parameter_group.NAME.name): require_secure_transport is off unless the group sets it to 1 (or
    ON). A group that no instance references is not judged. Instances on the default group are judged
    by RDS-041.

    Remediation: Add `parameter { name = "require_secure_transport" value = "1" }` to the
      aws_db_parameter_group of the reported aws_db_instance, and make clients connect with
      --ssl-mode=REQUIRED or stricter.
    Given I have aws_db_instance defined
    When its engine is "mysql"
    When its aws_db_parameter_group has "^(?!.*'name': 'require_secure_transport', 'value': '?(1|[Oo][Nn])\W)" regex
    Then it must fail

  @id:RDS-039 @severity:medium @control:FSBP-RDS.41
  Scenario: RDS for SQL Server instances force SSL in their parameter group
    Judges the aws_db_parameter_group that a SQL Server aws_db_instance (engine sqlserver-ee, -se, -ex
    or -web) references: rds.force_ssl is 0 unless the group sets it to 1. A group that no instance
    references is not judged. Instances on the default group are judged by RDS-041.

    Remediation: Add `parameter { name = "rds.force_ssl" value = "1" apply_method = "pending-reboot" }`
      to the aws_db_parameter_group of the reported aws_db_instance, and make clients connect with
      Encrypt=True.
    Given I have aws_db_instance defined
    When its engine is "^sqlserver-(ee|se|ex|web)$" regex
    When its aws_db_parameter_group has "^(?!.*'name': 'rds\.force_ssl', 'value': '?1\W)" regex
    Then it must fail

  @id:RDS-040 @severity:medium @control:FSBP-RDS.44
  Scenario: RDS for MariaDB instances require secure transport in their parameter group
    Judges the aws_db_parameter_group that a MariaDB aws_db_instance references: require_secure_transport
    is off unless the group sets it to 1 (or ON). A group that no instance references is not judged.
    Instances on the default group are judged by RDS-041.

    Remediation: Add `parameter { name = "require_secure_transport" value = "1" }` to the
      aws_db_parameter_group of the reported aws_db_instance, and make clients connect with
      --ssl-mode=REQUIRED or stricter.
    Given I have aws_db_instance defined
    When its engine is "mariadb"
    When its aws_db_parameter_group has "^(?!.*'name': 'require_secure_transport', 'value': '?(1|[Oo][Nn])\W)" regex
    Then it must fail

  @id:RDS-041 @severity:medium @control:FSBP-RDS.39 @control:FSBP-RDS.41 @control:FSBP-RDS.44
  Scenario: RDS for MySQL, MariaDB and SQL Server instances use a custom parameter group
    Their default parameter groups leave require_secure_transport (MySQL, MariaDB) or rds.force_ssl (SQL
    Server) off and cannot be changed. An instance is reported when it sets no parameter_group_name or a
    default.* one. A custom group named by a string rather than a reference is taken as custom; what a
    group of the plan sets is judged by RDS-038, RDS-039 and RDS-040.

    Remediation: Create an aws_db_parameter_group with the instance's family that requires TLS
      (`require_secure_transport = 1` for MySQL and MariaDB, `rds.force_ssl = 1` for SQL Server) and
      set `parameter_group_name = aws_db_parameter_group.<name>.name` on the reported aws_db_instance.
    Given I have aws_db_instance defined
    When its engine is "^(mysql|mariadb|sqlserver-(ee|se|ex|web))$" regex
    Then it must contain parameter_group_name
    And its value must not match the "^default\." regex

  @id:RDS-042 @severity:medium @control:FSBP-RDS.45
  Scenario: Aurora MySQL clusters turn on audit logging in their cluster parameter group
    Judges the aws_rds_cluster_parameter_group that an Aurora MySQL aws_rds_cluster (engine aurora-mysql,
    or aurora for version 1) references (db_cluster_parameter_group_name =
    aws_rds_cluster_parameter_group.NAME.name): server_audit_logging is off unless the group sets it to 1
    (or ON). A group that no cluster references is not judged. Clusters on the default group are judged
    by RDS-043.

    Remediation: Add `parameter { name = "server_audit_logging" value = "1" }` (and `parameter { name =
      "server_audit_events" value = "CONNECT,QUERY_DCL,QUERY_DDL" }`) to the
      aws_rds_cluster_parameter_group of the reported aws_rds_cluster, and export the log with
      `enabled_cloudwatch_logs_exports = ["audit"]`.
    Given I have aws_rds_cluster defined
    When its engine is "^aurora(-mysql)?$" regex
    When its aws_rds_cluster_parameter_group has "^(?!.*'name': 'server_audit_logging', 'value': '?(1|[Oo][Nn])\W)" regex
    Then it must fail

  @id:RDS-043 @severity:medium @control:FSBP-RDS.45
  Scenario: Aurora MySQL clusters use a custom cluster parameter group
    The default cluster parameter groups leave server_audit_logging off and cannot be changed. An Aurora
    MySQL aws_rds_cluster is reported when it sets no db_cluster_parameter_group_name or a default.* one.
    What a group of the plan sets is judged by RDS-042.

    Remediation: Create an aws_rds_cluster_parameter_group with the cluster's family (for example
      `family = "aurora-mysql8.0"`) and `parameter { name = "server_audit_logging" value = "1" }`, and set
      `db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.<name>.name` on the reported
      aws_rds_cluster.
    Given I have aws_rds_cluster defined
    When its engine is "^aurora(-mysql)?$" regex
    Then it must contain db_cluster_parameter_group_name
    And its value must not match the "^default\." regex
