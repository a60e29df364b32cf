# Log groups from a map and from a module, with retention from "never expire" (0, the default) to
# a few days, encrypted with a key or not.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "logs" {
  description         = "CloudWatch Logs"
  enable_key_rotation = true
}

locals {
  log_groups = {
    "/app/orders"   = { retention = 365, encrypt = true }
    "/app/search"   = { retention = 30, encrypt = false }
    "/app/archive"  = { retention = 0, encrypt = true }
    "/app/sessions" = { retention = 400, encrypt = false }
  }
}

resource "aws_cloudwatch_log_group" "app" {
  for_each          = local.log_groups
  name              = each.key
  retention_in_days = each.value.retention
  kms_key_id        = each.value.encrypt ? aws_kms_key.logs.arn : null
}

resource "aws_cloudwatch_log_group" "vpc_flow" {
  name = "/vpc/flow-logs"
}

module "functions" {
  source    = "./modules/lambda_logs"
  functions = ["resize", "thumbnail"]
  retention = 90
}
