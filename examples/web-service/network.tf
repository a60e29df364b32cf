module "network" {
  source = "./modules/network"

  name                = local.name
  cidr_block          = var.vpc_cidr
  azs                 = var.azs
  flow_log_bucket_arn = aws_s3_bucket.logs.arn
  tags                = local.common_tags
}
