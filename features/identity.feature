Feature: Identity guardrails
  Guardrails for IAM policies and for how IAM users receive permissions.

  @id:IAM-001 @severity:critical @control:CIS-1.16 @control:FSBP-IAM.1
  Scenario: IAM policies do not allow all actions
    Checks every policy document of aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy,
    aws_iam_group_policy and aws_iam_role (inline_policy blocks and trust policy). Key policies of
    aws_kms_key and other resource policies are not checked. terraform-compliance parses the JSON
    policy string, so formatting (jsonencode, heredoc, aws_iam_policy_document output) does not
    matter, and both "Action": "*" and "Action": ["*", ...] are found. The engine cannot tie an
    Action to the Effect of the same statement, so a Deny statement with Action "*" is reported
    too; exclude that resource if it is intended. A policy that is only known after apply (it
    references a resource created in the same plan) cannot be checked at plan time: it is reported
    unknown (build ARNs from names to make the policy known at plan time).

    Remediation: In the policy document of the reported resource (for an aws_iam_role, the policy
      of its inline_policy block), replace "Action": "*" (or a "*" entry in an Action list) with
      the specific actions the workload needs, for example
      actions = ["s3:GetObject", "s3:PutObject"] in a data "aws_iam_policy_document" statement or
      Action = ["s3:GetObject"] inside jsonencode(). Administrator access belongs to the platform
      team's break-glass role, not to workload policies.
    Given I have resource that supports policy defined
    When its type metadata is "^aws_iam_((role_|user_|group_)?policy|role)$" regex
    And it has Action
    Then it must contain Action
    And its value must not match the "^\*(:\*)?$" regex

  @id:IAM-002 @severity:high @control:FSBP-IAM.21
  Scenario: IAM policies do not grant service-wide wildcard actions
    Reports any action of the form "<service>:*" (for example "iam:*", "s3:*", "kms:*") in the
    policy documents of aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy,
    aws_iam_group_policy and aws_iam_role (inline_policy blocks and trust policy); key policies of
    aws_kms_key and other resource policies are not checked. Partial wildcards such as "s3:Get*"
    are allowed. The engine cannot check that the Action and a "Resource": "*" sit in the same
    statement, so this guardrail reports the service-wide wildcard whatever the Resource is (the
    stricter reading, as in FSBP IAM.21). Deny statements are reported too; exclude the resource
    if that is intended. A policy only known after apply is reported unknown.

    Remediation: Replace each "<service>:*" action in the reported policy with the individual
      actions the workload calls (for example "s3:*" becomes ["s3:GetObject", "s3:ListBucket"]),
      and scope Resource to the ARNs it needs instead of "*". IAM Access Analyzer policy generation
      (aws accessanalyzer start-policy-generation) lists the actions a role really used.
    Given I have resource that supports policy defined
    When its type metadata is "^aws_iam_((role_|user_|group_)?policy|role)$" regex
    And it has Action
    Then it must contain Action
    And its value must not match the "^[a-z0-9-]+:\*$" regex

  @id:IAM-003 @severity:medium @control:CIS-1.15 @control:FSBP-IAM.2
  Scenario: IAM users have no inline policies
    Every aws_iam_user_policy in the plan is reported: users must receive permissions only through
    groups (or, better, through roles assumed via SSO). A plan that deletes one is not reported.

    Remediation: Delete the aws_iam_user_policy resource. Put its policy document into an
      aws_iam_group_policy (or an aws_iam_policy attached with aws_iam_group_policy_attachment) on a
      group, and add the user to that group with aws_iam_user_group_membership.
    Given I have aws_iam_user_policy defined
    Then it must fail

  @id:IAM-004 @severity:medium @control:CIS-1.15 @control:FSBP-IAM.2
  Scenario: IAM users have no managed policies attached directly
    Every aws_iam_user_policy_attachment in the plan is reported: users must receive permissions
    only through groups. A plan that deletes one is not reported.

    Remediation: Replace the aws_iam_user_policy_attachment with an
      aws_iam_group_policy_attachment that attaches the same policy_arn to a group, and add the user
      to that group with aws_iam_user_group_membership.
    Given I have aws_iam_user_policy_attachment defined
    Then it must fail

  @id:IAM-005 @severity:medium @control:CIS-1.15 @control:FSBP-IAM.2
  Scenario: Exclusive IAM policy attachments do not attach policies to users
    An aws_iam_policy_attachment is reported when its users argument is a non-empty list; a list
    only known after apply is reported when it refers to aws_iam_user resources of the same module
    (otherwise the engine cannot see it). Unset or empty users, groups and roles are fine.

    Remediation: Remove the users argument from the aws_iam_policy_attachment (or set it to []),
      list a group in groups instead, and add the users to that group with
      aws_iam_user_group_membership. Prefer aws_iam_group_policy_attachment or
      aws_iam_role_policy_attachment, which do not take over every attachment of the policy.
    Given I have aws_iam_policy_attachment defined
    When it has users
    Then it must contain users
    And its value must be null

  @id:IAM-006 @severity:medium @control:CIS-1.8 @control:FSBP-IAM.7 @control:FSBP-IAM.10
  Scenario: The IAM password policy requires 14 characters or more
    Unset means the provider default of 6 characters and is reported.

    Remediation: Set `minimum_password_length = 14` (or more, up to 128) on the
      `aws_iam_account_password_policy`.
    Given I have aws_iam_account_password_policy defined
    Then it must contain minimum_password_length
    And its value must match the "^(1[4-9]|[2-9]\d|1[01]\d|12[0-8])$" regex

  @id:IAM-007 @severity:medium @control:CIS-1.9 @control:FSBP-IAM.7 @control:FSBP-IAM.10
  Scenario: The IAM password policy prevents reuse of the last 24 passwords
    Unset means passwords can be reused at once and is reported.

    Remediation: Set `password_reuse_prevention = 24` on the `aws_iam_account_password_policy`.
    Given I have aws_iam_account_password_policy defined
    Then it must contain password_reuse_prevention
    And its value must match the "^24$" regex

  @id:IAM-008 @severity:medium @control:FSBP-IAM.7 @control:FSBP-IAM.10
  Scenario: The IAM password policy makes passwords expire within 90 days
    Unset means passwords never expire and is reported.

    Remediation: Set `max_password_age` to 90 or fewer days on the `aws_iam_account_password_policy`.
    Given I have aws_iam_account_password_policy defined
    Then it must contain max_password_age
    And its value must match the "^([1-9]|[1-8]\d|90)$" regex

  @id:IAM-009 @severity:medium @control:FSBP-IAM.7 @control:FSBP-IAM.10
  Scenario: The IAM password policy requires all four character classes
    Each requirement is off unless the policy turns it on.

    Remediation: Set `require_lowercase_characters`, `require_uppercase_characters`, `require_numbers`
      and `require_symbols` to true on the `aws_iam_account_password_policy`.
    Given I have aws_iam_account_password_policy defined
    Then require_lowercase_characters must be enabled
    And require_uppercase_characters must be enabled
    And require_numbers must be enabled
    And require_symbols must be enabled

  @id:IAM-010 @severity:high
  Scenario: Terraform creates no IAM access keys
    Every aws_iam_access_key in the plan is reported, active or not. A plan that deletes one is not
    reported.

    Remediation: Delete the `aws_iam_access_key`: its secret ends up in the Terraform state. Give CI
      systems and workloads roles instead (OIDC federation for CI, instance profiles, IRSA, Roles
      Anywhere), or create an unavoidable key out of band and store it in Secrets Manager with rotation.
    Given I have aws_iam_access_key defined
    Then it must fail

  @id:IAM-011 @severity:critical
  Scenario: IAM role trust policies do not trust every principal
    terraform-compliance reads the policy JSON, however it was written. A wildcard principal is reported
    even with a Condition (such as aws:PrincipalOrgID), since the engine cannot judge the condition. A
    trust policy only known after apply is not checked.

    Remediation: In the `assume_role_policy` of the `aws_iam_role`, replace `Principal = "*"` / `{ AWS =
      "*" }` with the accounts, roles, services or identity providers that may assume the role. A role
      meant for a whole organization should list its accounts or get an approved exclusion.
    Given I have aws_iam_role defined
    When its assume_role_policy has Statement
    Then it must contain Principal
    And its value must not match the "^\*$" regex

  @id:IAM-012 @severity:critical @control:CIS-1.16
  Scenario: The AdministratorAccess policy is not attached to roles, users or groups
    Checks every resource that attaches a policy by policy_arn (aws_iam_role_policy_attachment,
    aws_iam_user_policy_attachment, aws_iam_group_policy_attachment, aws_iam_policy_attachment); IAM-001
    checks the policy documents themselves.

    Remediation: Replace the `aws_iam_role_policy_attachment` / `aws_iam_user_policy_attachment` /
      `aws_iam_group_policy_attachment` of arn:aws:iam::aws:policy/AdministratorAccess with a policy
      that grants the actions the workload needs. Break-glass administrator roles belong to the platform
      team's account baseline, with an approved exclusion.
    Given I have resource that supports policy_arn defined
    When its policy_arn is "^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$" regex
    Then it must fail

  @id:IAM-013 @severity:medium @control:CIS-1.22
  Scenario: The AWSCloudShellFullAccess policy is not attached
    AWSCloudShellFullAccess allows moving files in and out of the account through CloudShell.

    Remediation: Remove the attachment of arn:aws:iam::aws:policy/AWSCloudShellFullAccess and grant
      CloudShell with a policy that denies file upload and download (`cloudshell:GetFileUploadUrls`,
      `cloudshell:GetFileDownloadUrls`) to the people who need it.
    Given I have resource that supports policy_arn defined
    When its policy_arn is "^arn:aws[a-z-]*:iam::aws:policy/AWSCloudShellFullAccess$" regex
    Then it must fail
