variable "name" {
  type = string
}

variable "encrypt" {
  type    = bool
  default = true
}

variable "versioning" {
  type    = bool
  default = true
}

variable "logging" {
  type    = bool
  default = false
}

variable "log_target_bucket" {
  type    = string
  default = null
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = var.encrypt ? 1 : 0
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  count  = var.versioning ? 1 : 0
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  count         = var.logging ? 1 : 0
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.log_target_bucket
  target_prefix = "s3/${var.name}/"
}

output "bucket_id" {
  value = aws_s3_bucket.this.id
}
