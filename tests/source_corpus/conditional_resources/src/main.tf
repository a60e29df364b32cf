variable "create_dns" {
  type    = bool
  default = false
}

variable "enable_alarms" {
  type    = bool
  default = true
}

variable "alarms" {
  type = map(object({
    threshold = number
    severity  = optional(string, "warning")
  }))
  default = {
    cpu    = { threshold = 80 }
    memory = { threshold = 90, severity = "critical" }
  }
}

variable "environment" {
  type    = string
  default = "staging"
}

resource "null_resource" "dns" {
  count = var.create_dns ? 1 : 0
  triggers = {
    record = "api.example.com"
  }
}

resource "null_resource" "alarm" {
  for_each = var.enable_alarms ? var.alarms : {}
  triggers = {
    name      = "${var.environment}-${each.key}"
    threshold = each.value.threshold
    severity  = each.value.severity
  }
}

resource "null_resource" "prod_only" {
  count = var.environment == "prod" ? 1 : 0
}

resource "null_resource" "summary" {
  triggers = {
    dns       = try(null_resource.dns[0].triggers["record"], "none")
    alarms    = join(",", sort(keys(null_resource.alarm)))
    critical  = length([for a in null_resource.alarm : a if a.triggers["severity"] == "critical"])
    prod_only = length(null_resource.prod_only)
  }
}
