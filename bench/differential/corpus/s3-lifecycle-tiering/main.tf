# A bucket with the configuration resources that carry `filter { tags }` (lifecycle, intelligent
# tiering, analytics, inventory) next to a bucket policy that denies plain HTTP.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      owner         = "team-media"
      environment   = "prod"
      "cost-center" = "cc-2001"
    }
  }
}

resource "aws_s3_bucket" "media" {
  bucket = "acme-media-assets"
}

resource "aws_s3_bucket" "inventory" {
  bucket = "acme-media-inventory"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_versioning" "media" {
  bucket = aws_s3_bucket.media.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "media" {
  bucket        = aws_s3_bucket.media.id
  target_bucket = aws_s3_bucket.inventory.id
  target_prefix = "access/media/"
}

resource "aws_s3_bucket_public_access_block" "media" {
  bucket                  = aws_s3_bucket.media.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "media" {
  bucket = aws_s3_bucket.media.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::acme-media-assets", "arn:aws:s3:::acme-media-assets/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  rule {
    id     = "archive-raw"
    status = "Enabled"
    filter {
      tag {
        key   = "class"
        value = "raw"
      }
    }
    transition {
      days          = 30
      storage_class = "GLACIER_IR"
    }
  }

  rule {
    id     = "expire-previews"
    status = "Enabled"
    filter {
      and {
        prefix = "previews/"
        tags = {
          class = "preview"
          keep  = "false"
        }
      }
    }
    expiration {
      days = 14
    }
  }
}

resource "aws_s3_bucket_intelligent_tiering_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  name   = "archive-cold"

  filter {
    prefix = "library/"
    tags = {
      tier = "cold"
    }
  }

  tiering {
    access_tier = "ARCHIVE_ACCESS"
    days        = 125
  }
}

resource "aws_s3_bucket_analytics_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  name   = "raw-class"

  filter {
    prefix = "raw/"
    tags = {
      class = "raw"
    }
  }
}

resource "aws_s3_bucket_inventory" "media" {
  bucket                   = aws_s3_bucket.media.id
  name                     = "weekly"
  included_object_versions = "Current"

  schedule {
    frequency = "Weekly"
  }

  destination {
    bucket {
      format     = "CSV"
      bucket_arn = aws_s3_bucket.inventory.arn
    }
  }
}
