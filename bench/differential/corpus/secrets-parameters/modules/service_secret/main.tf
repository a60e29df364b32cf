variable "name" {
  type = string
}

variable "kms_key_id" {
  type    = string
  default = null
}

variable "rotate" {
  type = bool
}

variable "rotator" {
  type = string
}

resource "aws_secretsmanager_secret" "this" {
  name       = var.name
  kms_key_id = var.kms_key_id
}

resource "aws_secretsmanager_secret_rotation" "this" {
  count               = var.rotate ? 1 : 0
  secret_id           = aws_secretsmanager_secret.this.id
  rotation_lambda_arn = var.rotator

  rotation_rules {
    automatically_after_days = 30
  }
}
