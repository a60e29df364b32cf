Feature: Checking one workload's plan against the guardrails
  As an application team
  I want to know which of my resources break which guardrail, and what to change
  So that my deploy is stopped only by real, explained violations

  Background:
    Given a guardrail library with an S3 encryption guardrail "S3-001"

  Scenario: A compliant plan passes
    Given a plan with an encrypted bucket "assets"
    When the compliance check runs on that plan
    Then the check exits with 0
    And the output reports "S3-001" as passed

  Scenario: A noncompliant plan fails with the resource and the remediation
    Given a plan with an unencrypted bucket "raw" in module "data" with key "eu"
    When the compliance check runs on that plan
    Then the check exits with 1
    And the output names the resource 'module.data.aws_s3_bucket.raw["eu"]'
    And the output tells how to fix it

  Scenario: A broken plan is a tool error, never compliance
    Given a plan file that is truncated
    When the compliance check runs on that plan
    Then the check exits with 2
    And the error is one line naming the plan file
