Feature: Database guardrails
  Guardrails for RDS instances and clusters (and other engines with the same arguments, such as DocumentDB
  and Neptune clusters) and DynamoDB tables. "resource that supports X" selects every resource type in the
  plan that has the argument X, whether it is set or only known after apply.

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
