module "bucket" {
  source   = "./modules/secure-bucket"
  for_each = var.buckets

  bucket_name             = "${local.name}-${each.key}"
  kms_key_arn             = aws_kms_key.data.arn
  access_log_bucket       = var.access_log_bucket
  noncurrent_version_days = each.value.noncurrent_version_days
  tags                    = merge(local.common_tags, { layer = each.key })
}
