provider "aws" {
  region = "eu-west-1"
}

variable "create_archive" {
  default = true
}

variable "archive_count" {
  default = 2
}

resource "aws_s3_bucket" "archive" {
  count  = var.create_archive ? var.archive_count : 0
  bucket = format("acme-archive-%02d", count.index + 1)
}

resource "aws_s3_bucket_server_side_encryption_configuration" "archive" {
  count  = length(aws_s3_bucket.archive)
  bucket = aws_s3_bucket.archive[count.index].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket" "unused" {
  count  = var.create_archive ? 0 : 1
  bucket = "acme-unused"
}
