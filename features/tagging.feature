Feature: Tagging guardrails
  Every resource that supports tags must carry the mandatory tags owner, environment and cost-center,
  with non-empty values. "Supports tags" means a top-level tags argument in the provider's schema
  (runner/schemas/aws_taggable.json, generated from hashicorp/aws 5.99.1): S3 lifecycle, intelligent-tiering,
  analytics and inventory configurations, whose filter may name object tags, are not tagged resources. The checks read tags_all, the effective tags that the AWS provider computes from
  the resource's tags and the provider's default_tags, so tags set once in
  provider "aws" { default_tags { tags = { ... } } } count for every resource. Tag keys are compared
  exactly (lower case, case-sensitive), as AWS cost allocation does.
  A resource whose tags_all is not known at plan time (a tag value computed during apply) is reported
  unknown by TAG-001 and cannot be judged by the others until its tags are known.

  @id:TAG-001 @severity:medium @case-sensitive
  Scenario: Resources that support tags carry tags
    Remediation: Set the mandatory tags in the provider block,
      `provider "aws" { default_tags { tags = { owner = "...", environment = "...", cost-center = "..." } } }`,
      or in the resource's `tags` argument. Tag values must be known at plan time (no values computed
      from resources created in the same apply).
    Given I have resource that supports tags defined
    Then tags_all must be enabled

  @id:TAG-002 @severity:medium @case-sensitive
  Scenario: Tagged resources have an owner tag
    Remediation: Add the `owner` tag (lower case), for example `owner = "team-payments"`, to
      `default_tags` in the `aws` provider block or to the resource's `tags`.
    Given I have resource that supports tags defined
    When it contains tags_all
    Then it must contain owner

  @id:TAG-003 @severity:medium @case-sensitive
  Scenario: Tagged resources have an environment tag
    Remediation: Add the `environment` tag (lower case), for example `environment = "prod"`, to
      `default_tags` in the `aws` provider block or to the resource's `tags`.
    Given I have resource that supports tags defined
    When it contains tags_all
    Then it must contain environment

  @id:TAG-004 @severity:medium @case-sensitive
  Scenario: Tagged resources have a cost-center tag
    Remediation: Add the `cost-center` tag (lower case, with a hyphen), for example
      `"cost-center" = "cc-1042"`, to `default_tags` in the `aws` provider block or to the resource's `tags`.
    Given I have resource that supports tags defined
    When it contains tags_all
    Then it must contain cost-center

  @id:TAG-005 @severity:low @case-sensitive
  Scenario: The owner tag is not empty
    Remediation: Give the `owner` tag a real value (the owning team, for example "team-payments");
      an empty or blank value is reported.
    Given I have resource that supports tags defined
    When its tags_all has owner
    Then it must contain tags_all
    And it must contain owner
    And its value must match the ".*\S" regex

  @id:TAG-006 @severity:low @case-sensitive
  Scenario: The environment tag is not empty
    Remediation: Give the `environment` tag a real value (for example "dev", "staging" or "prod");
      an empty or blank value is reported.
    Given I have resource that supports tags defined
    When its tags_all has environment
    Then it must contain tags_all
    And it must contain environment
    And its value must match the ".*\S" regex

  @id:TAG-007 @severity:low @case-sensitive
  Scenario: The cost-center tag is not empty
    Remediation: Give the `cost-center` tag the cost centre code it is billed to (for example "cc-1042");
      an empty or blank value is reported.
    Given I have resource that supports tags defined
    When its tags_all has cost-center
    Then it must contain tags_all
    And it must contain cost-center
    And its value must match the ".*\S" regex
