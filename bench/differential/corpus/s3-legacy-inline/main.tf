# Buckets written in the AWS provider v3 style: encryption, versioning, logging and lifecycle as
# inline blocks of aws_s3_bucket (still accepted by provider v5, deprecated).
provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "audit_logs" {
  bucket = "acme-audit-logs"
  acl    = "log-delivery-write"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }

  versioning {
    enabled = true
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = "arn:aws:kms:us-east-1:111122223333:key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6"
      }
    }
  }

  versioning {
    enabled = false
  }

  logging {
    target_bucket = aws_s3_bucket.audit_logs.id
    target_prefix = "reports/"
  }

  lifecycle_rule {
    id      = "expire-tmp"
    enabled = true
    prefix  = "tmp/"
    tags = {
      rule = "tmp"
    }
    expiration {
      days = 7
    }
  }
}

resource "aws_s3_bucket" "website" {
  bucket = "acme-www"

  website {
    index_document = "index.html"
  }
}
