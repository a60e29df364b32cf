Feature: Source corpus guardrails
  Guardrails used only by bench/bench_static_plans.py to compare verdicts on static and real plans
  of the source corpus (null, terraform_data, lxd and AWS resources).

  @id:SRC-001 @severity:low
  Scenario: null resources carry triggers
    Remediation: Set `triggers = { ... }` on the null_resource.
    Given I have null_resource defined
    Then it must contain triggers

  @id:SRC-002 @severity:medium
  Scenario: null resource triggers hold no password
    Remediation: Remove the password from the null_resource triggers.
    Given I have null_resource defined
    When it contains triggers
    Then it must not contain password

  @id:SRC-003 @severity:low
  Scenario: null resource names are lower-case words
    Remediation: Use a lower-case name in `triggers.name`.
    Given I have null_resource defined
    When it contains triggers
    When it contains name
    Then its value must match the "^[a-z0-9 -]+$" regex

  @id:SRC-004 @severity:low
  Scenario: terraform_data carries an input
    Remediation: Set `input` on the terraform_data resource.
    Given I have terraform_data defined
    Then it must contain input

  @id:SRC-005 @severity:medium
  Scenario: LXD profiles attach no host disks under /srv/logs
    Remediation: Do not mount /srv/logs into containers.
    Given I have lxd_profile defined
    When it contains device
    When it contains properties
    When it contains path
    Then its value must not be "/srv/logs"

  @id:SRC-006 @severity:high
  Scenario: security groups do not open SSH to the world
    Remediation: Restrict port 22 ingress to internal CIDR blocks.
    Given I have aws_security_group defined
    When it contains ingress
    Then it must not have tcp protocol and port 22 for 0.0.0.0/0

  @id:SRC-007 @severity:low
  Scenario: LXD profiles limit CPU or memory
    Remediation: Set `limits.cpu` or `limits.memory` in the profile config.
    Given I have lxd_profile defined
    Then it must contain config
