Feature: step kinds
  @id:K-01
  Scenario: must contain
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration
  @id:K-02
  Scenario: must not contain
    Given I have aws_s3_bucket defined
    Then it must not contain acl
  @id:K-03
  Scenario: must be in
    Given I have aws_instance defined
    Then it must contain instance_type
    And its value must be in t3.micro, t3.small
  @id:K-04
  Scenario: regex
    Given I have aws_instance defined
    Then it must contain instance_type
    And its value must match the "^m5\." regex
  @id:K-05
  Scenario: ports
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 22 for 0.0.0.0/0
  @id:K-06
  Scenario: tags
    Given I have resource that supports tags defined
    Then it must contain tags
    And it must contain owner
  @id:K-07
  Scenario: reference
    Given I have aws_s3_bucket defined
    Then it must have aws_s3_bucket_versioning referenced
  @id:K-08
  Scenario: count
    Given I have aws_s3_bucket defined
    When its count is 1
    Then it must fail
  @id:K-09
  Scenario: value not null
    Given I have aws_db_instance defined
    Then it must contain password
    And its value must be null
  @id:K-10
  Scenario: key condition value
    Given I have aws_db_instance defined
    Then it must contain storage_encrypted
    And its value must be true
  @id:K-11
  Scenario: property enabled
    Given I have aws_db_instance defined
    Then encryption is enabled
  @id:K-12
  Scenario: must not be in
    Given I have aws_instance defined
    Then it must contain instance_type
    And its value must not be in m5.large
  @id:K-13
  Scenario: contain value in list
    Given I have aws_db_instance defined
    When it has enabled_cloudwatch_logs_exports
    Then it must contain enabled_cloudwatch_logs_exports
    And its value must contain audit
  @id:K-14 @noskip
  Scenario: noskip
    Given I have aws_kms_key defined
    Then it must contain enable_key_rotation
