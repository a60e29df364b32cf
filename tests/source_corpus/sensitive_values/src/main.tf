variable "db_password" {
  type      = string
  default   = "s3cr3t-pass"
  sensitive = true
}

variable "user" {
  default = "admin"
}

locals {
  dsn = "postgres://${var.user}:${var.db_password}@db:5432"
}

resource "null_resource" "db" {
  triggers = {
    user = var.user
  }
}

resource "null_resource" "secret" {
  triggers = {
    password = var.db_password
  }
}

resource "null_resource" "dsn" {
  triggers = {
    dsn = local.dsn
  }
}
