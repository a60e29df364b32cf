variable "name" {
  type = string
}

variable "enabled" {
  type    = bool
  default = true
}

variable "replicas" {
  type    = number
  default = 1
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  full_name = "svc-${var.name}"
}

resource "null_resource" "deployment" {
  count = var.enabled ? var.replicas : 0

  triggers = merge(var.tags, {
    name    = "${local.full_name}-${count.index}"
    ordinal = count.index
  })
}

resource "null_resource" "alarm" {
  count = var.enabled ? 1 : 0

  triggers = {
    target = local.full_name
    count  = length(null_resource.deployment)
  }
}

output "names" {
  value = [for d in null_resource.deployment : d.triggers["name"]]
}

output "alarm_target" {
  value = one(null_resource.alarm[*].triggers["target"])
}
