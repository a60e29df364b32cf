variable "name" {
  type = string
}

variable "port" {
  type    = number
  default = 80
}

locals {
  endpoint = "${var.name}.internal:${var.port}"
}

resource "null_resource" "service" {
  triggers = {
    name     = var.name
    endpoint = local.endpoint
    path     = path.module
  }
}

output "endpoint" {
  value = local.endpoint
}

output "port" {
  value = var.port
}

output "id" {
  value = null_resource.service.id
}
