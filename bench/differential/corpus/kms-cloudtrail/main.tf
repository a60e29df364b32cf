# Customer managed keys and CloudTrail trails, one of them taking its key from a module output.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "cloudtrail" {
  description         = "CloudTrail logs"
  enable_key_rotation = true
}

resource "aws_kms_key" "app" {
  description             = "application data"
  deletion_window_in_days = 7
}

resource "aws_kms_key" "signing" {
  description              = "release signing"
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "tenants" {
  for_each            = toset(["alpha", "beta"])
  description         = "tenant ${each.key}"
  enable_key_rotation = each.key == "alpha"
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail"
}

resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.cloudtrail.arn
  is_organization_trail         = true
}

resource "aws_cloudtrail" "regional" {
  name           = "payments-data-events"
  s3_bucket_name = aws_s3_bucket.trail.id

  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = false
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::acme-payments/"]
    }
  }
}

module "security_trail" {
  source = "./modules/trail"
  name   = "security-audit"
  bucket = aws_s3_bucket.trail.id
}
