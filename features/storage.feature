Feature: Storage guardrails
  Guardrails for S3 buckets and EBS volumes. The S3 checks look at each bucket together with the
  separate bucket resources of AWS provider v4+ (aws_s3_bucket_server_side_encryption_configuration,
  aws_s3_bucket_public_access_block, aws_s3_bucket_versioning, aws_s3_bucket_logging, aws_s3_bucket_policy).
  The engine attaches such a resource to a bucket only when its bucket argument references the bucket
  resource (bucket = aws_s3_bucket.NAME.id), and only to the bucket of the same module instance; with several
  buckets of that name (count, for_each), only to the one its key names (aws_s3_bucket.NAME[each.key].id,
  [count.index] or a literal key, or each.value.id with for_each = aws_s3_bucket.NAME), and a key the plan
  does not tell makes the bucket unknown. A literal bucket name does not attach it. The legacy inline blocks of aws_s3_bucket are accepted too.
  Each scenario has a single step that can fail, so every offending resource is reported at once.

  @id:S3-001 @severity:high @control:FSBP-S3.4
  Scenario: S3 buckets have default server-side encryption
    Remediation: Add an `aws_s3_bucket_server_side_encryption_configuration` resource with
      `bucket = aws_s3_bucket.<name>.id` and
      `rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" } }` (or "AES256").
      With the legacy inline style, put the same `rule` in the bucket's
      `server_side_encryption_configuration` block.
    Given I have aws_s3_bucket defined
    Then it must contain sse_algorithm

  @id:S3-002 @severity:critical @control:CIS-2.1.4 @control:FSBP-S3.8
  Scenario: S3 buckets have a public access block
    Remediation: Add an `aws_s3_bucket_public_access_block` resource with
      `bucket = aws_s3_bucket.<name>.id` and `block_public_acls`, `block_public_policy`,
      `ignore_public_acls` and `restrict_public_buckets` all set to true. A bucket that really must be
      public (for example a static website) needs an approved exclusion.
    Given I have aws_s3_bucket defined
    Then it must contain aws_s3_bucket_public_access_block

  @id:S3-003 @severity:critical @control:CIS-2.1.4 @control:FSBP-S3.8
  Scenario: S3 public access blocks turn on all four settings
    Reports the bucket whose attached public access block leaves any of the four settings false.
    Remediation: In the bucket's `aws_s3_bucket_public_access_block` set `block_public_acls = true`,
      `block_public_policy = true`, `ignore_public_acls = true` and `restrict_public_buckets = true`.
    Given I have aws_s3_bucket defined
    # the regex runs on each attached public access block as the engine renders it: {'block_public_acls': False, ...}
    When its aws_s3_bucket_public_access_block has ".*'(block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets)': False" regex
    Then it must fail

  @id:S3-004 @severity:medium @control:FSBP-S3.14
  Scenario: S3 buckets configure versioning
    A bucket without an `aws_s3_bucket_versioning` resource must carry the legacy inline `versioning`
    block; whether versioning is on is checked by S3-005 (inline block) and S3-006 (resource).
    Remediation: Add an `aws_s3_bucket_versioning` resource with `bucket = aws_s3_bucket.<name>.id` and
      `versioning_configuration { status = "Enabled" }`.
    Given I have aws_s3_bucket defined
    When it does not have aws_s3_bucket_versioning
    Then it must contain versioning

  @id:S3-005 @severity:medium @control:FSBP-S3.14
  Scenario: S3 buckets using the inline versioning block have it enabled
    Remediation: Set `versioning { enabled = true }` on the bucket, or better replace the inline block
      with an `aws_s3_bucket_versioning` resource (`bucket = aws_s3_bucket.<name>.id`,
      `versioning_configuration { status = "Enabled" }`).
    Given I have aws_s3_bucket defined
    When it does not have aws_s3_bucket_versioning
    When it contains versioning
    Then enabled must be enabled

  @id:S3-006 @severity:medium @control:FSBP-S3.14
  Scenario: S3 versioning resources set versioning to Enabled
    Remediation: In the `aws_s3_bucket_versioning` resource set
      `versioning_configuration { status = "Enabled" }` ("Suspended" and "Disabled" keep no versions).
    Given I have aws_s3_bucket_versioning defined
    When it contains versioning_configuration
    When it contains status
    Then its value must match the "^Enabled$" regex

  @id:S3-007 @severity:medium @control:FSBP-S3.9
  Scenario: S3 buckets write server access logs
    A bucket that is the target_bucket of another bucket's aws_s3_bucket_logging counts as covered:
    an access-log destination must not log into itself.
    Remediation: Add an `aws_s3_bucket_logging` resource with `bucket = aws_s3_bucket.<name>.id`,
      `target_bucket = aws_s3_bucket.<log bucket>.id` and `target_prefix = "s3/<name>/"`. With the legacy
      inline style, add `logging { target_bucket = ..., target_prefix = ... }` to the bucket.
    Given I have aws_s3_bucket defined
    Then it must contain target_prefix

  @id:S3-008 @severity:high @control:CIS-2.1.1 @control:FSBP-S3.5
  Scenario: S3 buckets have a policy that denies requests without TLS
    The policy text must be known at plan time. A policy computed from values known only after apply
    (such as aws_s3_bucket.NAME.arn of a new bucket) cannot be read and is reported.
    Remediation: Add an `aws_s3_bucket_policy` with `bucket = aws_s3_bucket.<name>.id` and a statement
      `{ Sid = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = "s3:*",
      Resource = [<bucket ARN>, "<bucket ARN>/*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }`.
      Write it with `jsonencode()` and build the ARN from the name,
      `"arn:aws:s3:::${aws_s3_bucket.<name>.bucket}"`, so that the policy is known at plan time.
    Given I have aws_s3_bucket defined
    Then it must contain aws:SecureTransport

  @id:S3-009 @severity:high @control:CIS-2.1.1 @control:FSBP-S3.5
  Scenario: S3 bucket policy conditions on aws:SecureTransport deny plain HTTP
    Remediation: Use `Condition = { Bool = { "aws:SecureTransport" = "false" } }` on a statement with
      `Effect = "Deny"`; a condition on "true" does not stop plain-HTTP requests.
    Given I have aws_s3_bucket defined
    When it contains aws:SecureTransport
    Then its value must be false

  @id:EBS-001 @severity:high @control:CIS-2.2.1 @control:FSBP-EC2.3
  Scenario: EBS volumes are encrypted
    Remediation: Set `encrypted = true` on every `aws_ebs_volume` (add `kms_key_id` for a customer managed
      key). Leaving it unset depends on the account default: the volume is reported unknown.
    Given I have aws_ebs_volume defined
    Then encrypted must be enabled

  @id:EBS-002 @severity:high @control:FSBP-EC2.7 @control:CIS-2.2.1
  Scenario: EBS encryption by default stays on
    The resource turns the Region's default on unless enabled is false.

    Remediation: Set `enabled = true` (the default) on the `aws_ebs_encryption_by_default`, and
      optionally an `aws_ebs_default_kms_key` with a customer managed key.
    Given I have aws_ebs_encryption_by_default defined
    When its enabled is false
    Then it must fail

  @id:EBS-003 @severity:medium
  Scenario: EBS snapshot copies are encrypted
    The provider default is false: an unencrypted source then gives an unencrypted copy.

    Remediation: Set `encrypted = true` (and `kms_key_id` for a customer managed key) on the
      `aws_ebs_snapshot_copy`, so that the copy is encrypted whatever the source snapshot is.
    Given I have aws_ebs_snapshot_copy defined
    Then encrypted must be enabled

  @id:EBS-004 @severity:high
  Scenario: EBS snapshot public sharing is blocked
    "unblocked" lets anyone share snapshots of the Region publicly.

    Remediation: Set `state = "block-all-sharing"` (or "block-new-sharing") on the
      `aws_ebs_snapshot_block_public_access`.
    Given I have aws_ebs_snapshot_block_public_access defined
    Then it must contain state
    And its value must match the "^block-(all|new)-sharing$" regex

  @id:S3-010 @severity:medium @control:FSBP-S3.17
  Scenario: S3 buckets encrypt by default with a KMS key
    A bucket without any default encryption configuration gets SSE-S3 (AES256) from AWS and is reported,
    as is one that chooses AES256.

    Remediation: Set `sse_algorithm = "aws:kms"` (or "aws:kms:dsse") and `kms_master_key_id` in the
      bucket's `aws_s3_bucket_server_side_encryption_configuration` (`rule {
      apply_server_side_encryption_by_default { ... } }`, with `bucket_key_enabled = true` to keep KMS
      costs down). With the legacy inline style, put the same rule in the bucket's
      `server_side_encryption_configuration` block.
    Given I have aws_s3_bucket defined
    Then it must contain sse_algorithm
    And its value must match the "^aws:kms(:dsse)?$" regex

  @id:S3-011 @severity:medium @control:FSBP-S3.12
  Scenario: S3 ownership controls disable ACLs
    New buckets without ownership controls have ACLs disabled (AWS default since 2023) and comply;
    ObjectWriter and BucketOwnerPreferred turn ACLs back on.

    Remediation: Set `rule { object_ownership = "BucketOwnerEnforced" }` in the
      `aws_s3_bucket_ownership_controls` and grant access with bucket policies and IAM instead of ACLs.
      Delete any `aws_s3_bucket_acl` of the bucket first: it fails once ACLs are disabled.
    Given I have aws_s3_bucket_ownership_controls defined
    Then it must contain object_ownership
    And its value must be BucketOwnerEnforced

  @id:S3-012 @severity:critical @control:FSBP-S3.2 @control:FSBP-S3.3
  Scenario: S3 buckets do not use public canned ACLs
    public-read, public-read-write and authenticated-read grant every AWS user (or everyone) access;
    private, log-delivery-write and the other canned ACLs do not. Objects (aws_s3_object) with a public
    canned ACL are reported too.

    Remediation: Set `acl = "private"` (or delete the ACL and use `BucketOwnerEnforced` ownership
      controls) on the `aws_s3_bucket_acl`, or on the legacy `acl` argument of the `aws_s3_bucket`.
      Serve public content through CloudFront with origin access control instead of a public bucket.
    Given I have resource that supports acl defined
    When its acl is "^(public-read|public-read-write|authenticated-read)$" regex
    Then it must fail

  @id:S3-013 @severity:low @control:FSBP-S3.13 @control:FSBP-S3.10
  Scenario: S3 buckets have a lifecycle configuration
    A bucket with neither an aws_s3_bucket_lifecycle_configuration nor a legacy lifecycle_rule block
    keeps every object and every noncurrent version forever.

    Remediation: Add an `aws_s3_bucket_lifecycle_configuration` with `bucket = aws_s3_bucket.<name>.id`
      and at least one enabled `rule` (for example expire noncurrent versions after 90 days and abort
      incomplete multipart uploads after 7). With the legacy inline style, add a `lifecycle_rule {
      enabled = true ... }` block to the bucket.
    Given I have aws_s3_bucket defined
    When it does not have aws_s3_bucket_lifecycle_configuration
    Then it must contain lifecycle_rule

  @id:S3-014 @severity:low @control:FSBP-S3.11
  Scenario: S3 buckets send event notifications
    There is no inline form: notifications are always a separate aws_s3_bucket_notification resource.

    Remediation: Add an `aws_s3_bucket_notification` with `bucket = aws_s3_bucket.<name>.id` that sends
      events to EventBridge (`eventbridge = true`), an SQS queue, an SNS topic or a Lambda function.
    Given I have aws_s3_bucket defined
    Then it must contain aws_s3_bucket_notification

  @id:S3-015 @severity:low @control:FSBP-S3.7
  Scenario: S3 buckets replicate to another Region
    A destination bucket referenced by a replication configuration counts as part of it. Buckets that
    hold only rebuildable data need an exclusion.

    Remediation: Add an `aws_s3_bucket_replication_configuration` with `bucket =
      aws_s3_bucket.<name>.id`, a `role` that S3 can assume, and a `rule { status = "Enabled"
      destination { bucket = <bucket ARN in another Region> } }` (versioning must be enabled on both
      buckets). With the legacy inline style, add a `replication_configuration` block to the bucket.
    Given I have aws_s3_bucket defined
    When it does not have aws_s3_bucket_replication_configuration
    Then it must contain replication_configuration

  @id:S3-016 @severity:medium @control:FSBP-S3.15
  Scenario: S3 buckets have Object Lock enabled
    Object Lock is off unless the bucket turns it on; buckets that hold data meant to be deleted
    (caches, scratch space) need an exclusion.

    Remediation: Set `object_lock_enabled = true` on the `aws_s3_bucket` and add an
      `aws_s3_bucket_object_lock_configuration` with a default retention rule (for example `rule {
      default_retention { mode = "GOVERNANCE" days = 30 } }`). With the legacy inline style, add
      `object_lock_configuration { object_lock_enabled = "Enabled" }`.
    Given I have aws_s3_bucket defined
    Then object_lock_enabled must be enabled

  @id:S3-017 @severity:low @control:FSBP-S3.20 @control:CIS-2.1.2
  Scenario: Versioned S3 buckets require MFA to delete versions
    Checks buckets versioned with an aws_s3_bucket_versioning resource. Like the Security Hub control,
    buckets with an aws_s3_bucket_lifecycle_configuration are not checked; nor are buckets that use the
    legacy inline versioning block.

    Remediation: Set `versioning_configuration { status = "Enabled" mfa_delete = "Enabled" }` and the
      `mfa` serial and token in the bucket's `aws_s3_bucket_versioning` (only the root user can do
      this), or give the bucket a lifecycle configuration that manages old versions.
    Given I have aws_s3_bucket defined
    When it has aws_s3_bucket_versioning
    When it does not have aws_s3_bucket_lifecycle_configuration
    Then it must contain mfa_delete
    And its value must match the "^Enabled$" regex

  @id:S3-018 @severity:high @control:FSBP-S3.1 @control:CIS-2.1.4
  Scenario: The account-level S3 public access block is fully on
    Each setting defaults to false, so a setting left out is reported.

    Remediation: Set `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
      `restrict_public_buckets` all to true on the `aws_s3_account_public_access_block`.
    Given I have aws_s3_account_public_access_block defined
    Then block_public_acls must be enabled
    And block_public_policy must be enabled
    And ignore_public_acls must be enabled
    And restrict_public_buckets must be enabled

  @id:S3-019 @severity:critical @control:FSBP-S3.19
  Scenario: S3 access points block public access
    Each setting defaults to true, so an access point without the block complies.

    Remediation: Remove the `false` settings from the `public_access_block_configuration` of the
      `aws_s3_access_point` (all four default to true), or set them to true.
    Given I have aws_s3_access_point defined
    # the regex runs on the block as the engine renders it: {'block_public_acls': True, ...}
    When its public_access_block_configuration has ".*'(block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets)': False" regex
    Then it must fail

  @id:S3-020 @severity:critical @control:FSBP-S3.24
  Scenario: S3 Multi-Region Access Points block public access
    Each setting defaults to true, so a Multi-Region Access Point without the block complies.

    Remediation: Remove the `false` settings from `details { public_access_block { ... } }` of the
      `aws_s3control_multi_region_access_point` (all four default to true), or set them to true. The
      block cannot be changed after creation: replace the access point.
    Given I have aws_s3control_multi_region_access_point defined
    When its details has ".*'(block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets)': False" regex
    Then it must fail

  @id:S3-021 @severity:medium @control:FSBP-S3.25
  Scenario: S3 directory buckets have a lifecycle configuration
    Directory buckets (S3 Express One Zone) hold fast, short-lived data; without a lifecycle
    configuration it is never expired.

    Remediation: Add an `aws_s3_bucket_lifecycle_configuration` with `bucket =
      aws_s3_directory_bucket.<name>.bucket` and an enabled rule that expires objects (for example after
      7 days) and aborts incomplete multipart uploads.
    Given I have aws_s3_directory_bucket defined
    Then it must contain aws_s3_bucket_lifecycle_configuration

  @id:S3-022 @severity:high @control:FSBP-S3.6
  Scenario: S3 bucket policies do not let other accounts administer the bucket
    Reports a bucket policy (aws_s3_bucket_policy, or the legacy policy argument of aws_s3_bucket) with a
    statement that has Effect Allow, an AWS principal ("*" or AWS = ...) and an Action that includes
    s3:PutBucketPolicy, s3:DeleteBucketPolicy, s3:PutBucketAcl, s3:PutEncryptionConfiguration or
    s3:PutObjectAcl ("*", "s3:*" and wildcards such as "s3:Put*" or "s3:PutBucket*" included). The plan
    does not show which account owns the bucket, so every AWS principal counts as another account: the
    owning account grants these actions with IAM policies, not with the bucket policy. Service
    principals are not reported. Each statement is judged on its own; a Statement written as one object
    instead of a list is not read. A policy only known after apply is reported unknown.

    Remediation: Remove s3:PutBucketPolicy, s3:DeleteBucketPolicy, s3:PutBucketAcl,
      s3:PutEncryptionConfiguration and s3:PutObjectAcl (and "*", "s3:*" or "s3:Put*") from the Allow
      statements of the reported bucket policy; grant the other account only the object actions it needs
      (for example actions = ["s3:GetObject", "s3:PutObject"]) and let it set ACLs never (Object
      Ownership BucketOwnerEnforced).
    Given I have resource that supports policy defined
    When its type metadata is "^aws_s3_bucket(_policy)?$" regex
    When it contains policy
    When its Statement has "^(?=.*'Effect': 'Allow')(?=.*'Principal': ('\*'|\x7b[^\x7d]*'AWS'))(?=.*'Action': (\[[^]]*)?'(\*|s3:((P(u(t((B(u(c(k(e(t((P(o(l(i(c(y)?)?)?)?)?|A(c(l)?)?))?)?)?)?)?)?|E(n(c(r(y(p(t(i(o(n(C(o(n(f(i(g(u(r(a(t(i(o(n)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?|O(b(j(e(c(t(A(c(l)?)?)?)?)?)?)?)?))?)?)?|D(e(l(e(t(e(B(u(c(k(e(t(P(o(l(i(c(y)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?)?))?\*|s3:(PutBucketPolicy|DeleteBucketPolicy|PutBucketAcl|PutEncryptionConfiguration|PutObjectAcl))')" regex
    Then it must fail
