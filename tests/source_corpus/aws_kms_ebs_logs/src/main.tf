provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      cost_center = "cc-7"
      env         = var.env
    }
  }
}

variable "env" {
  default = "prod"
}

locals {
  is_prod = var.env == "prod"
}

resource "aws_kms_key" "data" {
  description             = "data key"
  deletion_window_in_days = local.is_prod ? 30 : 7
  enable_key_rotation     = local.is_prod
  tags = {
    Name = "data-${var.env}"
  }
}

resource "aws_kms_key" "scratch" {
  description             = "scratch key"
  deletion_window_in_days = 7
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = local.is_prod
  kms_key_id        = aws_kms_key.data.arn
}

resource "aws_ebs_volume" "tmp" {
  availability_zone = "eu-west-1b"
  size              = 20
  type              = "gp3"
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/${var.env}"
  retention_in_days = local.is_prod ? 365 : 14
  kms_key_id        = aws_kms_key.data.arn
}
