Feature: Parity guardrails
  A small, varied guardrail set used to compare tfguard's verdicts with a plain terraform-compliance run.

  @id:PAR-001
  Scenario: Taggable resources carry tags
    Given I have resource that supports tags defined
    Then it must contain tags

  @id:PAR-002
  Scenario: S3 buckets declare encryption
    Given I have aws_s3_bucket defined
    Then it must contain server_side_encryption_configuration

  @id:PAR-003
  Scenario: No SSH from the internet
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 22 for 0.0.0.0/0

  @id:PAR-004
  Scenario: Instances use an approved type
    Given I have aws_instance defined
    Then it must contain instance_type
    And its value must match the "^t[23]\." regex

  @id:PAR-005
  Scenario: Resources have names
    Given I have resource that supports tags defined
    When it has tags
    Then it must contain Name
