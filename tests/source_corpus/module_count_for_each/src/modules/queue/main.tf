variable "name" {}

variable "retries" {
  type = number
}

resource "null_resource" "queue" {
  triggers = {
    name    = var.name
    retries = var.retries
  }
}

resource "null_resource" "dlq" {
  count = var.retries > 3 ? 1 : 0
  triggers = {
    parent = var.name
  }
}

output "name" {
  value = var.name
}
