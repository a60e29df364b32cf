variable "name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "use_kms" {
  type = bool
}

variable "expire" {
  type = bool
}

variable "notify" {
  type = bool
}

variable "topic_arn" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.use_kms ? "aws:kms" : "AES256"
      kms_master_key_id = var.use_kms ? var.kms_key_arn : null
    }
    bucket_key_enabled = var.use_kms
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count  = var.expire ? 1 : 0
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "abort-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_notification" "this" {
  count  = var.notify ? 1 : 0
  bucket = aws_s3_bucket.this.id
  topic {
    topic_arn = var.topic_arn
    events    = ["s3:ObjectCreated:*"]
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
