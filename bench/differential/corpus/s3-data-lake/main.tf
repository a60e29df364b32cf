# A data lake on S3 with the bucket resources of AWS provider v4+: default KMS encryption,
# lifecycle, event notifications, cross-Region replication, ownership controls and ACLs, Object Lock
# and access points. One zone module called per zone with for_each (its companions switched by
# count), buckets written out at the root, and one bucket in the legacy inline style of provider v3.
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

provider "aws" {
  alias  = "replica"
  region = "eu-central-1"
}

resource "aws_kms_key" "lake" {
  description         = "data lake"
  enable_key_rotation = true
}

resource "aws_sns_topic" "lake_events" {
  name              = "lake-events"
  kms_master_key_id = aws_kms_key.lake.arn
}

module "zone" {
  source   = "./modules/zone"
  for_each = {
    raw     = { kms = true, expire = true, notify = true }
    curated = { kms = true, expire = false, notify = false }
    sandbox = { kms = false, expire = true, notify = false }
  }

  name        = "acme-lake-${each.key}"
  kms_key_arn = aws_kms_key.lake.arn
  use_kms     = each.value.kms
  expire      = each.value.expire
  notify      = each.value.notify
  topic_arn   = aws_sns_topic.lake_events.arn
}

# --- replication: the source bucket, its destination in another Region, and their versioning -------
resource "aws_s3_bucket" "ledger" {
  bucket              = "acme-ledger"
  object_lock_enabled = true
}

resource "aws_s3_bucket_versioning" "ledger" {
  bucket = aws_s3_bucket.ledger.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "ledger" {
  bucket = aws_s3_bucket.ledger.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 30
    }
  }
}

resource "aws_s3_bucket" "ledger_replica" {
  provider = aws.replica
  bucket   = "acme-ledger-replica"
}

resource "aws_s3_bucket_versioning" "ledger_replica" {
  provider = aws.replica
  bucket   = aws_s3_bucket.ledger_replica.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_iam_role" "replication" {
  name = "s3-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "s3.amazonaws.com" }
    }]
  })
}

resource "aws_s3_bucket_replication_configuration" "ledger" {
  depends_on = [aws_s3_bucket_versioning.ledger]
  role       = aws_iam_role.replication.arn
  bucket     = aws_s3_bucket.ledger.id

  rule {
    id     = "everything"
    status = "Enabled"
    destination {
      bucket        = aws_s3_bucket.ledger_replica.arn
      storage_class = "STANDARD_IA"
    }
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "ledger" {
  bucket = aws_s3_bucket.ledger.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms:dsse"
      kms_master_key_id = aws_kms_key.lake.arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "ledger" {
  bucket = aws_s3_bucket.ledger.id
  rule {
    id     = "noncurrent"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 365
    }
  }
}

resource "aws_s3_bucket_notification" "ledger" {
  bucket      = aws_s3_bucket.ledger.id
  eventbridge = true
}

# --- a public website bucket: ACLs back on and a public-read canned ACL ------------------------------
resource "aws_s3_bucket" "website" {
  bucket = "acme-www"
}

resource "aws_s3_bucket_ownership_controls" "website" {
  bucket = aws_s3_bucket.website.id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_acl" "website" {
  depends_on = [aws_s3_bucket_ownership_controls.website]
  bucket     = aws_s3_bucket.website.id
  acl        = "public-read"
}

# --- an exports bucket with ACLs disabled and a private ACL -----------------------------------------
resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports"
}

resource "aws_s3_bucket_ownership_controls" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# --- access points: one left to the defaults (all four settings true), one opening policies ----------
resource "aws_s3_access_point" "analysts" {
  bucket = aws_s3_bucket.exports.id
  name   = "analysts"
}

resource "aws_s3_access_point" "partners" {
  bucket = aws_s3_bucket.exports.id
  name   = "partners"

  public_access_block_configuration {
    block_public_acls       = true
    block_public_policy     = false
    ignore_public_acls      = true
    restrict_public_buckets = false
  }
}

# --- legacy inline style: replication, lifecycle, KMS and Object Lock on the bucket itself ----------
resource "aws_s3_bucket" "archive" {
  bucket = "acme-archive"
  acl    = "private"

  versioning {
    enabled = true
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.lake.arn
      }
    }
  }

  lifecycle_rule {
    id      = "glacier"
    enabled = true
    transition {
      days          = 30
      storage_class = "GLACIER"
    }
  }

  replication_configuration {
    role = aws_iam_role.replication.arn
    rules {
      id     = "all"
      status = "Enabled"
      destination {
        bucket        = aws_s3_bucket.ledger_replica.arn
        storage_class = "GLACIER"
      }
    }
  }

  object_lock_configuration {
    object_lock_enabled = "Enabled"
  }
}

# --- a logs bucket with a legacy public canned ACL on the bucket ------------------------------------
resource "aws_s3_bucket" "public_drop" {
  bucket = "acme-public-drop"
  acl    = "public-read-write"
}
