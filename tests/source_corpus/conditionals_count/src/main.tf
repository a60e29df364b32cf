variable "enabled" {
  default = true
}

variable "disabled" {
  default = false
}

variable "env" {
  default = "prod"
}

resource "null_resource" "on" {
  count = var.enabled ? 1 : 0
  triggers = {
    size = var.env == "prod" ? "large" : "small"
    ha   = var.env == "prod"
  }
}

resource "null_resource" "off" {
  count = var.disabled ? 1 : 0
}

resource "null_resource" "uses_on" {
  triggers = {
    count = length(null_resource.on)
    size  = null_resource.on[0].triggers.size
  }
}
