variable "name" {
  type = string
}

variable "bucket" {
  type = string
}

resource "aws_kms_key" "this" {
  description         = "${var.name} trail"
  enable_key_rotation = true
}

resource "aws_cloudtrail" "this" {
  name                       = var.name
  s3_bucket_name             = var.bucket
  is_multi_region_trail      = true
  enable_log_file_validation = false
  kms_key_id                 = aws_kms_key.this.arn
}
