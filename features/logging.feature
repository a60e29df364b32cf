Feature: Logging and monitoring guardrails
  Guardrails for CloudTrail trails and CloudWatch Logs log groups.

  @id:LOG-001 @severity:high @control:CIS-3.1 @control:FSBP-CloudTrail.1
  Scenario: CloudTrail trails record all regions
    Checked per trail: every aws_cloudtrail in the plan must be multi-region, so a single-region
    trail kept next to an organization trail is reported too (exclude it if it is deliberate).

    Remediation: Set is_multi_region_trail = true on the reported aws_cloudtrail (keep
      include_global_service_events = true, the default).
    Given I have aws_cloudtrail defined
    Then is_multi_region_trail must be enabled

  @id:LOG-002 @severity:medium @control:CIS-3.2 @control:FSBP-CloudTrail.4
  Scenario: CloudTrail trails validate their log files
    Remediation: Set enable_log_file_validation = true on the reported aws_cloudtrail.
    Given I have aws_cloudtrail defined
    Then enable_log_file_validation must be enabled

  @id:LOG-003 @severity:medium @control:CIS-3.5 @control:FSBP-CloudTrail.2
  Scenario: CloudTrail trails encrypt their logs with a KMS key
    A kms_key_id that is only known after apply (it references a key created in the same plan,
    directly or through module outputs and variables) is taken as set and passes.

    Remediation: Set kms_key_id on the reported aws_cloudtrail to the ARN of a customer managed
      KMS key, for example kms_key_id = aws_kms_key.cloudtrail.arn. The key policy must allow the
      cloudtrail.amazonaws.com service principal kms:GenerateDataKey* with the
      kms:EncryptionContext:aws:cloudtrail:arn condition.
    Given I have aws_cloudtrail defined
    When its kms_key_id is ".*" regex
    Then it must contain kms_key_id
    And its value must not be null

  @id:LOG-004 @severity:medium
  Scenario: CloudWatch log groups keep logs for at least 90 days
    A retention_in_days of 0 (the provider default, meaning never expire) passes: the guardrail
    sets a minimum, and logs that never expire meet it. Values 1 to 60 are reported.

    Remediation: Set retention_in_days on the reported aws_cloudwatch_log_group to 90 or more
      (one of 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653),
      or leave it unset to keep logs forever.
    Given I have aws_cloudwatch_log_group defined
    When its retention_in_days is not 0
    Then it must contain retention_in_days
    And its value must be greater and equal than 90

  @id:LOG-005 @severity:medium
  Scenario: CloudWatch log groups are encrypted with a KMS key
    A kms_key_id that is only known after apply (it references a key created in the same plan,
    directly or through module outputs and variables) is taken as set and passes.

    Remediation: Set kms_key_id on the reported aws_cloudwatch_log_group to the ARN of a customer
      managed KMS key, for example kms_key_id = aws_kms_key.logs.arn. The key policy must allow the
      logs.<region>.amazonaws.com service principal kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*,
      kms:GenerateDataKey* and kms:Describe*.
    Given I have aws_cloudwatch_log_group defined
    When its kms_key_id is ".*" regex
    Then it must contain kms_key_id
    And its value must not be null

  @id:LOG-006 @severity:low @control:FSBP-CloudTrail.5
  Scenario: CloudTrail trails send events to CloudWatch Logs
    An ARN only known after apply because it references a log group of the same plan is set (the engine
    fills in the reference) and passes; unset, null or empty is reported, also when a static plan leaves
    the argument out.

    Remediation: Set `cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.<name>.arn}:*"` and
      `cloud_watch_logs_role_arn` (a role that cloudtrail.amazonaws.com can assume with
      logs:CreateLogStream and logs:PutLogEvents) on the `aws_cloudtrail`, so that metric filters and
      alarms can watch the events.
    Given I have aws_cloudtrail defined
    Then it must contain cloud_watch_logs_group_arn
    And its value must not be null

  @id:LOG-007 @severity:high @control:FSBP-CloudTrail.1 @control:CIS-3.1
  Scenario: CloudTrail trails record read and write management events
    A trail without event selectors logs all management events and complies.

    Remediation: In every `event_selector` of the `aws_cloudtrail`, set `read_write_type = "All"` and
      `include_management_events = true` (the defaults), or remove the event selectors to log all
      management events.
    Given I have aws_cloudtrail defined
    When its event_selector has ".*('read_write_type': '(ReadOnly|WriteOnly)'|'include_management_events': False)" regex
    Then it must fail

  @id:LOG-008 @severity:high @control:FSBP-CloudTrail.3
  Scenario: CloudTrail trails are logging
    Only an explicit false is reported.

    Remediation: Remove `enable_logging = false` from the `aws_cloudtrail` (the default is true): a
      stopped trail records nothing.
    Given I have aws_cloudtrail defined
    When its enable_logging is false
    Then it must fail

  @id:LOG-009 @severity:medium
  Scenario: CloudWatch alarms keep their actions enabled
    Only an explicit false is reported.

    Remediation: Remove `actions_enabled = false` from the `aws_cloudwatch_metric_alarm` (the default is
      true); an alarm whose actions are off changes state without telling anyone.
    Given I have aws_cloudwatch_metric_alarm defined
    When its actions_enabled is false
    Then it must fail
