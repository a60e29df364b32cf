# An account's audit baseline: CloudTrail trails with and without CloudWatch Logs (one stopped),
# CloudWatch alarms, KMS key policies (a wildcard principal inline, with a condition, and in a separate
# aws_kms_key_policy), EBS encryption by default, the IAM password policy, roles trusting everyone, and
# AdministratorAccess attached to a role, a user and a group.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "trail" {
  description         = "trail logs"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudTrail"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = ["kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}

# Anyone in the organization may decrypt: a wildcard principal narrowed by a condition.
resource "aws_kms_key" "shared" {
  description         = "shared artifacts"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Organization"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      }
    ]
  })
}

resource "aws_kms_key" "exports" {
  description         = "exports"
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "exports" {
  key_id = aws_kms_key.exports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Everyone"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "kms:Decrypt"
      Resource  = "*"
    }]
  })
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "/cloudtrail/org"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.trail.arn
}

resource "aws_cloudtrail" "org" {
  name                          = "org"
  s3_bucket_name                = "acme-org-trail"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.trail.arn
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/cloudtrail-to-cloudwatch"
  include_global_service_events = true
}

# Written out, but stopped, and without CloudWatch Logs.
resource "aws_cloudtrail" "data_events" {
  name                       = "data-events"
  s3_bucket_name             = "acme-data-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.trail.arn
  enable_logging             = false

  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = false
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "root_login" {
  alarm_name          = "root-login"
  namespace           = "CloudTrailMetrics"
  metric_name         = "RootAccountUsage"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:eu-west-1:111122223333:security"]
}

resource "aws_cloudwatch_metric_alarm" "console_no_mfa" {
  alarm_name          = "console-without-mfa"
  namespace           = "CloudTrailMetrics"
  metric_name         = "ConsoleSignInWithoutMfa"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  actions_enabled     = false
  alarm_actions       = ["arn:aws:sns:eu-west-1:111122223333:security"]
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 12
  password_reuse_prevention      = 24
  max_password_age               = 180
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  allow_users_to_change_password = true
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::444455556666:role/ci" }
    }]
  })
}

resource "aws_iam_role" "anyone" {
  name = "anyone"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = "*"
    }]
  })
}

resource "aws_iam_role" "any_aws" {
  name = "any-aws-account"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
      Condition = { StringEquals = { "sts:ExternalId" = "a-shared-secret" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "deploy_admin" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "deploy_readonly" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "breakglass" {
  name = "breakglass"
}

resource "aws_iam_user_policy_attachment" "breakglass" {
  user       = aws_iam_user.breakglass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
