Feature: Storage guardrails
  Guardrails for S3 buckets and EBS volumes. The S3 checks look at each bucket together with the
  separate bucket resources of AWS provider v4+ (aws_s3_bucket_server_side_encryption_configuration,
  aws_s3_bucket_public_access_block, aws_s3_bucket_versioning, aws_s3_bucket_logging, aws_s3_bucket_policy).
  The engine attaches such a resource to a bucket only when its bucket argument references the bucket
  resource (bucket = aws_s3_bucket.NAME.id); a literal bucket name or a for_each over the bucket map does
  not attach it. The legacy inline blocks of aws_s3_bucket are accepted too.
  Each scenario has a single step that can fail, so every offending resource is reported at once.

  @id:S3-001 @severity:high @control:CIS-2.1.1 @control:FSBP-S3.4
  Scenario: S3 buckets have default server-side encryption
    Remediation: Add an `aws_s3_bucket_server_side_encryption_configuration` resource with
      `bucket = aws_s3_bucket.<name>.id` and
      `rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" } }` (or "AES256").
      With the legacy inline style, put the same `rule` in the bucket's
      `server_side_encryption_configuration` block.
    Given I have aws_s3_bucket defined
    Then it must contain sse_algorithm

  @id:S3-002 @severity:critical @control:CIS-2.1.5 @control:FSBP-S3.8
  Scenario: S3 buckets have a public access block
    Remediation: Add an `aws_s3_bucket_public_access_block` resource with
      `bucket = aws_s3_bucket.<name>.id` and `block_public_acls`, `block_public_policy`,
      `ignore_public_acls` and `restrict_public_buckets` all set to true. A bucket that really must be
      public (for example a static website) needs an approved exclusion.
    Given I have aws_s3_bucket defined
    Then it must contain aws_s3_bucket_public_access_block

  @id:S3-003 @severity:critical @control:CIS-2.1.5 @control:FSBP-S3.8
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

  @id:S3-008 @severity:high @control:CIS-2.1.2 @control:FSBP-S3.5
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

  @id:S3-009 @severity:high @control:CIS-2.1.2 @control:FSBP-S3.5
  Scenario: S3 bucket policy conditions on aws:SecureTransport deny plain HTTP
    Remediation: Use `Condition = { Bool = { "aws:SecureTransport" = "false" } }` on a statement with
      `Effect = "Deny"`; a condition on "true" does not stop plain-HTTP requests.
    Given I have aws_s3_bucket defined
    When it contains aws:SecureTransport
    Then its value must be false

  @id:EBS-001 @severity:high @control:CIS-2.2.1 @control:FSBP-EC2.3
  Scenario: EBS volumes are encrypted
    Remediation: Set `encrypted = true` on every `aws_ebs_volume` (add `kms_key_id` for a customer managed
      key). Leaving it unset depends on the account default and is reported.
    Given I have aws_ebs_volume defined
    Then encrypted must be enabled
