Feature: Secret storage guardrails
  Guardrails for Secrets Manager secrets and their rotation, and for SSM Parameter Store parameters.
  A companion aws_secretsmanager_secret_rotation counts for the secret it references
  (secret_id = aws_secretsmanager_secret.NAME.id).

  @id:SM-001 @severity:medium @control:FSBP-SecretsManager.1
  Scenario: Secrets Manager secrets rotate automatically
    A secret passes when an aws_secretsmanager_secret_rotation references it. A secret that cannot
    rotate (for example an API key issued by a third party) needs an exclusion.

    Remediation: Add an aws_secretsmanager_secret_rotation with secret_id =
      aws_secretsmanager_secret.<name>.id, rotation_lambda_arn of a rotation function (for RDS the AWS
      rotation templates, or manage_master_user_password on the database instead) and rotation_rules {
      automatically_after_days = 30 }.
    Given I have aws_secretsmanager_secret defined
    Then it must contain aws_secretsmanager_secret_rotation

  @id:SM-002 @severity:medium @control:FSBP-SecretsManager.4
  Scenario: Secrets Manager rotation happens at least every 90 days
    Judges rotation_rules.automatically_after_days. A rotation scheduled with schedule_expression
    instead (rate() or cron()) is not judged by this guardrail.

    Remediation: Set rotation_rules { automatically_after_days = 90 } (or fewer days) on the reported
      aws_secretsmanager_secret_rotation.
    Given I have aws_secretsmanager_secret_rotation defined
    Then it must contain automatically_after_days
    And its value must be less and equal than 90

  @id:SM-003 @severity:low
  Scenario: Secrets Manager secrets are encrypted with a customer managed KMS key
    Without kms_key_id (or with the alias aws/secretsmanager) the secret is encrypted with the AWS
    managed key, which cannot be shared with another account and whose key policy cannot be narrowed. A
    kms_key_id only known after apply (a key created in the same plan) is taken as set.

    Remediation: Set kms_key_id on the reported aws_secretsmanager_secret to a customer managed key, for
      example kms_key_id = aws_kms_key.secrets.arn, whose key policy allows the readers kms:Decrypt
      through secretsmanager.<region>.amazonaws.com.
    Given I have aws_secretsmanager_secret defined
    When its kms_key_id is ".*" regex
    Then it must contain kms_key_id
    And its value must match the "^(?!None$)(?!alias/aws/).+" regex

  @id:SSM-001 @severity:high
  Scenario: SSM parameters with secret-looking names are SecureString
    Reports an aws_ssm_parameter whose name contains password, passwd, secret, token, apikey, api_key,
    api-key, private_key, private-key or credential (in any case) and whose type is not SecureString:
    String and StringList values are stored and shown in clear. Secrets under other names are not
    recognised.

    Remediation: Set type = "SecureString" (with key_id of a customer managed key) on the reported
      aws_ssm_parameter; changing the type replaces the parameter. For a value that is not secret,
      rename the parameter.
    Given I have aws_ssm_parameter defined
    When its name is ".*(password|passwd|secret|token|api[-_]?key|private[-_]?key|credential)" regex
    Then it must contain type
    And its value must be SecureString

  @id:SSM-002 @severity:low
  Scenario: SSM SecureString parameters use a customer managed KMS key
    Without key_id a SecureString parameter is encrypted with the AWS managed key alias/aws/ssm. A
    key_id only known after apply (the ARN of a key created in the same plan) is reported too, since
    key_id is filled in by AWS when it is not set; refer to the key by its alias name, which is known at
    plan time.

    Remediation: Set key_id on the reported aws_ssm_parameter to a customer managed key, for example
      key_id = aws_kms_alias.params.name ("alias/<name>"), whose key policy allows the readers
      kms:Decrypt.
    Given I have aws_ssm_parameter defined
    When its type is SecureString
    Then it must contain key_id
    And its value must match the "^(?!None$)(?!alias/aws/).+" regex

  @id:SSM-003 @severity:critical @control:FSBP-SSM.4
  Scenario: SSM documents are not shared publicly
    An aws_ssm_document is public when its permissions map has type = "Share" and account_ids = "All"
    (alone or in a comma-separated list). Sharing with named accounts passes; a document without
    permissions is private.

    Remediation: In the permissions of the reported aws_ssm_document, replace account_ids = "All" with
      the ids of the accounts that need the document (account_ids = "111122223333,444455556666"), or
      remove the permissions argument to keep it private.
    Given I have aws_ssm_document defined
    When its permissions is not None
    Then it must contain account_ids
    And its value must not match the "^(.*,)? *[Aa][Ll][Ll] *(,.*)?$" regex

  @id:SSM-004 @severity:critical @control:FSBP-SSM.7
  Scenario: The SSM setting for public document sharing is disabled
    Judges the aws_ssm_service_setting of /ssm/documents/console/public-sharing-permission (by id or
    ARN) when the plan manages it; an account whose plan does not manage the setting is not judged
    here, since the setting is account state.

    Remediation: Set setting_value = "Disable" on the aws_ssm_service_setting whose setting_id is
      "arn:aws:ssm:<region>:<account>:servicesetting/ssm/documents/console/public-sharing-permission"
      (one per region), for example in the account baseline.
    Given I have aws_ssm_service_setting defined
    When its setting_id is ".*/ssm/documents/console/public-sharing-permission$" regex
    Then it must contain setting_value
    And its value must match the "^Disable$" regex
