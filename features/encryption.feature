Feature: Encryption key guardrails
  Guardrails for customer managed AWS KMS keys.

  @id:KMS-001 @severity:medium @control:CIS-3.6 @control:FSBP-KMS.4
  Scenario: KMS symmetric keys rotate their key material
    Applies to aws_kms_key with customer_master_key_spec SYMMETRIC_DEFAULT (the default).
    Asymmetric and HMAC keys cannot rotate automatically and are not checked.

    Remediation: Set enable_key_rotation = true on the reported aws_kms_key. Optionally set
      rotation_period_in_days (90 to 2560, default 365) to rotate more often.
    Given I have aws_kms_key defined
    When its customer_master_key_spec is SYMMETRIC_DEFAULT
    Then enable_key_rotation must be enabled

  @id:KMS-002 @severity:low
  Scenario: KMS keys keep the full 30-day deletion waiting period
    Once a key is deleted, every piece of data encrypted under it is lost for good; the waiting
    period is the only chance to cancel a mistaken or malicious ScheduleKeyDeletion. AWS allows 7
    to 30 days and uses 30 when deletion_window_in_days is not set, so an unset value passes.

    Remediation: Remove deletion_window_in_days from the reported aws_kms_key, or set
      deletion_window_in_days = 30.
    Given I have aws_kms_key defined
    Then it must contain deletion_window_in_days
    And its value must be greater and equal than 30

  @id:KMS-003 @severity:critical @control:FSBP-KMS.5
  Scenario: KMS key policies do not allow every principal
    A key without a policy argument (null, or only known after apply) gets the default key policy (the
    account root only) and complies. A wildcard principal is reported even with a Condition. A policy
    only known after apply is not checked.

    Remediation: In the key policy (`policy` of the `aws_kms_key`, or the `aws_kms_key_policy`), replace
      `Principal = "*"` / `{ AWS = "*" }` with the account root, roles or service principals that use
      the key.
    Given I have resource that supports policy defined
    When its type metadata is "^aws_kms_(key|key_policy|replica_key|external_key|replica_external_key)$" regex
    When its policy has Statement
    Then it must contain Principal
    And its value must not match the "^\*$" regex

  @id:KMS-004 @severity:high
  Scenario: KMS keys do not bypass the policy lockout safety check
    Checks every KMS resource with the argument (keys, key policies, replica and external keys). The
    default is false; only an explicit true is reported.

    Remediation: Remove `bypass_policy_lockout_safety_check = true` from the `aws_kms_key` /
      `aws_kms_key_policy`: the check stops a key policy that would lock every administrator out of the
      key for good.
    Given I have resource that supports bypass_policy_lockout_safety_check defined
    When its bypass_policy_lockout_safety_check is true
    Then it must fail

  @id:KMS-005 @severity:medium @control:FSBP-KMS.1
  Scenario: IAM customer managed policies do not allow decryption with every KMS key
    Reports an aws_iam_policy with a statement that has Effect Allow, an Action of kms:Decrypt,
    kms:ReEncryptFrom, kms:* or "*" (or a wildcard such as kms:De* or kms:ReEncrypt*) and Resource "*"
    (alone or in a list). Each statement is judged on its own, so a Deny statement, or an Allow on named
    key ARNs, passes; a Condition does not make a statement pass. The policy may be written with
    jsonencode, a heredoc or a data aws_iam_policy_document. A Statement written as one object instead
    of a list is not read. A policy only known after apply (it uses the ARN of a resource of the same
    plan) is reported unknown: build ARNs from names to make it known at plan time.

    Remediation: In the reported aws_iam_policy, replace Resource = "*" of the statement that allows
      kms:Decrypt or kms:ReEncryptFrom with the ARNs of the keys the workload uses (for example
      resources = [aws_kms_key.orders.arn] in the aws_iam_policy_document), or add a condition on
      kms:ViaService and keep the key policy as the gate.
    Given I have aws_iam_policy defined
    When it contains policy
    When its Statement has "^(?=.*'Effect': 'Allow')(?=.*'Action': (\[[^]]*)?'(\*|kms:(\*|D(e(c(r(y(p(t)?)?)?)?)?)?\*|Decrypt|R(e(E(n(c(r(y(p(t(F(r(o(m)?)?)?)?)?)?)?)?)?)?)?)?\*|ReEncryptFrom))')(?=.*'Resource': (\[[^]]*)?'\*')" regex
    Then it must fail

  @id:KMS-006 @severity:medium @control:FSBP-KMS.2
  Scenario: IAM inline policies do not allow decryption with every KMS key
    Like KMS-005, for the inline policies: aws_iam_role_policy, aws_iam_user_policy,
    aws_iam_group_policy and the inline_policy blocks of an aws_iam_role (its trust policy allows no KMS
    action). Customer managed policies are KMS-005's, key policies are not checked.

    Remediation: In the reported inline policy, replace Resource = "*" of the statement that allows
      kms:Decrypt or kms:ReEncryptFrom with the ARNs of the keys the workload uses (for example
      resources = [aws_kms_key.orders.arn]), or add a condition on kms:ViaService.
    Given I have resource that supports policy defined
    When its type metadata is "^aws_iam_((role_|user_|group_)policy|role)$" regex
    When it contains policy
    When its Statement has "^(?=.*'Effect': 'Allow')(?=.*'Action': (\[[^]]*)?'(\*|kms:(\*|D(e(c(r(y(p(t)?)?)?)?)?)?\*|Decrypt|R(e(E(n(c(r(y(p(t(F(r(o(m)?)?)?)?)?)?)?)?)?)?)?)?\*|ReEncryptFrom))')(?=.*'Resource': (\[[^]]*)?'\*')" regex
    Then it must fail
