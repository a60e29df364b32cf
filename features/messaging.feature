Feature: Messaging guardrails
  Guardrails for SQS queues and SNS topics.

  @id:SQS-001 @severity:medium @control:FSBP-SQS.1
  Scenario: SQS queues are encrypted at rest
    A queue passes with a KMS key (kms_master_key_id) or with SQS-managed encryption (SSE-SQS).
    AWS turns SSE-SQS on for new queues when sqs_managed_sse_enabled is not set, so only a queue
    that sets sqs_managed_sse_enabled = false without a kms_master_key_id is reported. A
    kms_master_key_id only known after apply (a key created in the same plan) is taken as set.

    Remediation: On the reported aws_sqs_queue either remove sqs_managed_sse_enabled = false (or
      set it to true) to use SSE-SQS, or set kms_master_key_id to a KMS key ARN or alias (for
      example aws_kms_key.queue.arn) for a customer managed key.
    Given I have aws_sqs_queue defined
    When its sqs_managed_sse_enabled is false
    And its kms_master_key_id is ".*" regex
    Then it must contain kms_master_key_id
    And its value must not be null

  @id:SNS-001 @severity:medium @control:FSBP-SNS.1
  Scenario: SNS topics are encrypted at rest with a KMS key
    SNS does not encrypt topics unless a key is set; an empty string counts as not set. A
    kms_master_key_id only known after apply (a key created in the same plan) is taken as set.

    Remediation: Set kms_master_key_id on the reported aws_sns_topic to a customer managed KMS key
      (for example aws_kms_key.sns.arn) or to "alias/aws/sns". With a customer managed key, allow
      the publishing services (for example events.amazonaws.com, cloudwatch.amazonaws.com)
      kms:GenerateDataKey* and kms:Decrypt in the key policy.
    Given I have aws_sns_topic defined
    When its kms_master_key_id is ".*" regex
    Then it must contain kms_master_key_id
    And its value must not be null

  @id:SNS-002 @severity:low @control:FSBP-SNS.2
  Scenario: SNS topics with Lambda subscriptions log delivery status
    Applies to a topic that an aws_sns_topic_subscription with protocol lambda references (topic_arn =
    aws_sns_topic.NAME.arn). Without lambda_failure_feedback_role_arn SNS keeps no record of deliveries
    that failed. A role ARN only known after apply (a role created in the same plan) is taken as set.

    Remediation: Set lambda_failure_feedback_role_arn (and lambda_success_feedback_role_arn with
      lambda_success_feedback_sample_rate = 10 or more) on the reported aws_sns_topic to an IAM role
      that sns.amazonaws.com may assume and that allows logs:CreateLogGroup, logs:CreateLogStream and
      logs:PutLogEvents.
    Given I have aws_sns_topic defined
    When its aws_sns_topic_subscription has ".*'protocol': 'lambda'" regex
    When its lambda_failure_feedback_role_arn is ".*" regex
    Then it must contain lambda_failure_feedback_role_arn
    And its value must not be null

  @id:SNS-003 @severity:low @control:FSBP-SNS.2
  Scenario: SNS topics with SQS subscriptions log delivery status
    Applies to a topic that an aws_sns_topic_subscription with protocol sqs references (topic_arn =
    aws_sns_topic.NAME.arn). Without sqs_failure_feedback_role_arn SNS keeps no record of deliveries
    that failed. A role ARN only known after apply (a role created in the same plan) is taken as set.

    Remediation: Set sqs_failure_feedback_role_arn (and sqs_success_feedback_role_arn with
      sqs_success_feedback_sample_rate = 10 or more) on the reported aws_sns_topic to an IAM role that
      sns.amazonaws.com may assume and that allows logs:CreateLogGroup, logs:CreateLogStream and
      logs:PutLogEvents.
    Given I have aws_sns_topic defined
    When its aws_sns_topic_subscription has ".*'protocol': 'sqs'" regex
    When its sqs_failure_feedback_role_arn is ".*" regex
    Then it must contain sqs_failure_feedback_role_arn
    And its value must not be null

  @id:SNS-004 @severity:low @control:FSBP-SNS.2
  Scenario: SNS topics with HTTP and HTTPS subscriptions log delivery status
    Applies to a topic that an aws_sns_topic_subscription with protocol http or https references
    (topic_arn = aws_sns_topic.NAME.arn). Without http_failure_feedback_role_arn SNS keeps no record of
    deliveries that failed. A role ARN only known after apply (a role created in the same plan) is taken
    as set.

    Remediation: Set http_failure_feedback_role_arn (and http_success_feedback_role_arn with
      http_success_feedback_sample_rate = 10 or more) on the reported aws_sns_topic to an IAM role that
      sns.amazonaws.com may assume and that allows logs:CreateLogGroup, logs:CreateLogStream and
      logs:PutLogEvents.
    Given I have aws_sns_topic defined
    When its aws_sns_topic_subscription has ".*'protocol': 'https?'" regex
    When its http_failure_feedback_role_arn is ".*" regex
    Then it must contain http_failure_feedback_role_arn
    And its value must not be null

  @id:SNS-005 @severity:critical @control:FSBP-SNS.4
  Scenario: SNS topic policies do not allow public access
    Checks the policy of each aws_sns_topic and aws_sns_topic_policy. A statement is public when it has
    Effect Allow and Principal "*" (or AWS = "*", alone or in a list) and no Condition on one of the keys
    that narrow who calls: aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:SourceOrgID,
    aws:SourceOrgPaths, aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount,
    aws:PrincipalArn, aws:SourceVpc, aws:SourceVpce or aws:SourceIp. Each statement is judged on its own.
    A Statement written as one object instead of a list is not read. A policy only known after apply
    (it uses the ARN of a resource of the same plan) is reported unknown.

    Remediation: In the reported topic policy, replace Principal = "*" with the accounts or service
      principals that publish or subscribe (for example principals { type = "Service", identifiers =
      ["events.amazonaws.com"] }), or add a condition such as aws:SourceAccount = "<your account id>"
      or aws:PrincipalOrgID = "<your organization id>".
    Given I have resource that supports policy defined
    When its type metadata is "^aws_sns_topic(_policy)?$" regex
    When it contains policy
    When its Statement has "^(?=.*'Effect': 'Allow')(?=.*'Principal': ('\*'|\x7b[^\x7d]*'AWS': (\[[^]]*)?'\*'))(?!.*'Condition': .*'aws:(SourceArn|SourceAccount|SourceOwner|SourceOrgID|SourceOrgPaths|PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn|SourceVpce?|SourceIp)')" regex
    Then it must fail

  @id:SQS-002 @severity:critical @control:FSBP-SQS.3
  Scenario: SQS queue policies do not allow public access
    Checks the policy of each aws_sqs_queue and aws_sqs_queue_policy, as SNS-005 does for topics: a
    statement with Effect Allow, Principal "*" (or AWS = "*") and no Condition on aws:SourceArn,
    aws:SourceAccount, aws:SourceOwner, aws:SourceOrgID, aws:SourceOrgPaths, aws:PrincipalOrgID,
    aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceVpc, aws:SourceVpce or
    aws:SourceIp is public. A Statement written as one object instead of a list is not read. A policy
    only known after apply is reported unknown.

    Remediation: In the reported queue policy, replace Principal = "*" with the accounts or service
      principals that send to the queue (for example principals { type = "Service", identifiers =
      ["sns.amazonaws.com"] }) and add condition { test = "ArnEquals", variable = "aws:SourceArn", values
      = [aws_sns_topic.<name>.arn] }.
    Given I have resource that supports policy defined
    When its type metadata is "^aws_sqs_queue(_policy)?$" regex
    When it contains policy
    When its Statement has "^(?=.*'Effect': 'Allow')(?=.*'Principal': ('\*'|\x7b[^\x7d]*'AWS': (\[[^]]*)?'\*'))(?!.*'Condition': .*'aws:(SourceArn|SourceAccount|SourceOwner|SourceOrgID|SourceOrgPaths|PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn|SourceVpce?|SourceIp)')" regex
    Then it must fail
