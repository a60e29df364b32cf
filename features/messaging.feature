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

  @id:SNS-001 @severity:medium
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
