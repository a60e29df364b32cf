Feature: From observation to active mode
  As a security team adding a guardrail
  I want it observed against every workload, merged to mainline by itself once everyone complies,
  and the owners of noncompliant workloads told what to fix by when
  So that new guardrails never surprise an application team's deploy

  Background:
    Given a compliance repository whose mainline has one guardrail and three registered workloads
    And a feature branch that adds the guardrail "S3-901"

  Scenario: Every workload complies: the branch is promoted to mainline
    When the pipeline observes the branch
    And the pipeline promotes the observation
    Then the observation exits with 0
    And mainline on the remote has the guardrail "S3-901"
    And the ledger records "S3-901" as active

  Scenario: One workload does not comply: its owners hear once, and the guardrail activates after the deadline
    Given the workload "data-pipeline" does not comply with "S3-901"
    When the pipeline observes the branch
    And the pipeline promotes the observation
    Then the observation exits with 0
    And mainline on the remote does not have the guardrail "S3-901"
    And exactly one e-mail went out, to the owners of "data-pipeline"
    And it names "aws_s3_bucket.logs", the deadline "2026-04-01" and how to request an exclusion
    When the pipeline observes the branch again the next day
    And the pipeline promotes the observation again the next day
    Then still exactly one e-mail went out
    When the security team activates it after the deadline with the reason "CISO accepted the risk (SEC-42)" on "2026-03-10"
    Then the promotion is refused because "S3-901" is due "2026-04-01"
    When the security team activates it after the deadline with the reason "CISO accepted the risk (SEC-42)" on "2026-04-02"
    Then mainline on the remote has the guardrail "S3-901"
    And the merge commit on mainline records the reason "CISO accepted the risk (SEC-42)"

  Scenario: An approved exclusion on the branch makes the workload compliant
    Given the workload "data-pipeline" does not comply with "S3-901"
    And the branch adds an approved exclusion of "aws_s3_bucket.logs" of "data-pipeline"
    When the pipeline observes the branch
    And the pipeline promotes the observation
    Then mainline on the remote has the guardrail "S3-901"
    And no e-mail went out
