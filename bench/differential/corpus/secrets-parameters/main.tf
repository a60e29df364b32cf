# Secrets Manager secrets and SSM parameters: rotation written as its own resource (one per secret,
# from a module called twice with the rotation switched by count), a rotation schedule longer than 90
# days, customer managed and AWS managed keys, and parameters whose names look secret.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "secrets" {
  description         = "application secrets"
  enable_key_rotation = true
}

resource "aws_kms_alias" "params" {
  name          = "alias/app-params"
  target_key_id = aws_kms_key.secrets.key_id
}

resource "aws_lambda_function" "rotator" {
  function_name = "secret-rotator"
  role          = "arn:aws:iam::111122223333:role/secret-rotator"
  runtime       = "python3.12"
  handler       = "rotate.handler"
  filename      = "rotate.zip"

  tracing_config {
    mode = "Active"
  }
}

module "orders_secret" {
  source     = "./modules/service_secret"
  name       = "orders/db"
  kms_key_id = aws_kms_key.secrets.arn
  rotate     = true
  rotator    = aws_lambda_function.rotator.arn
}

module "legacy_secret" {
  source  = "./modules/service_secret"
  name    = "legacy/api"
  rotate  = false
  rotator = aws_lambda_function.rotator.arn
}

# Rotated, but only twice a year, with the AWS managed key written out.
resource "aws_secretsmanager_secret" "partner_token" {
  name       = "partner/token"
  kms_key_id = "alias/aws/secretsmanager"
}

resource "aws_secretsmanager_secret_rotation" "partner_token" {
  secret_id           = aws_secretsmanager_secret.partner_token.id
  rotation_lambda_arn = aws_lambda_function.rotator.arn

  rotation_rules {
    automatically_after_days = 180
  }
}

# A third-party webhook signing key that cannot rotate, on the default key.
resource "aws_secretsmanager_secret" "webhook" {
  name = "webhooks/signing-key"
}

resource "aws_ssm_parameter" "db_password" {
  name  = "/orders/prod/db_password"
  type  = "String"
  value = "placeholder"
}

resource "aws_ssm_parameter" "api_key" {
  name   = "/orders/prod/api-key"
  type   = "SecureString"
  value  = "placeholder"
  key_id = aws_kms_alias.params.name
}

resource "aws_ssm_parameter" "signing_secret" {
  name  = "/orders/prod/signing-secret"
  type  = "SecureString"
  value = "placeholder"
}

resource "aws_ssm_parameter" "legacy_token" {
  name   = "/legacy/token"
  type   = "SecureString"
  value  = "placeholder"
  key_id = "alias/aws/ssm"
}

resource "aws_ssm_parameter" "feature_flags" {
  name  = "/orders/prod/feature-flags"
  type  = "StringList"
  value = "checkout,search"
}
