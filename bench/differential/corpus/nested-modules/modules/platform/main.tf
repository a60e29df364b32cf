variable "env" {
  type = string
}

variable "critical" {
  type = bool
}

module "storage" {
  source  = "../storage"
  name    = "acme-${var.env}-uploads"
  encrypt = var.critical
}

module "database" {
  source   = "../database"
  name     = "orders-${var.env}"
  critical = var.critical
}

resource "aws_cloudwatch_log_group" "app" {
  count             = 2
  name              = "/${var.env}/app-${count.index}"
  retention_in_days = var.critical ? 365 : 30
  kms_key_id        = "arn:aws:kms:eu-west-1:111122223333:key/9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a"
}

module "keys" {
  source  = "../keys"
  primary = var.env == "prod"
}
